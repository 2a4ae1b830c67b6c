package expr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testCase is one line of a testdata/expr/*.jsonl file, and also the shape
// registry examples are run in.
type testCase struct {
	ID       string         `json:"id"`
	Expr     string         `json:"expr"`
	Input    map[string]any `json:"input"`
	Now      string         `json:"now"`
	Existing []string       `json:"existing"`
	Want     any            `json:"want"`
	Ignored  bool           `json:"ignored"`
	// IgnoredObject expects IgnoreObjectFlow: the whole object does not flow.
	IgnoredObject bool   `json:"ignored_object"`
	Redacted      bool   `json:"redacted"`
	Error         string `json:"error"`
	ErrorAt       string `json:"error_at"`
	Source        string `json:"source"`
	Notes         string `json:"notes"`

	line int
}

// defaultNow is the clock of cases that do not set one.
var defaultNow = time.Date(2021, 8, 25, 17, 41, 18, 0, time.UTC)

// counterReader is the deterministic random source of the conformance
// cases: the bytes 0, 1, 2, ... 255, 0, 1, ... Cases that use Guid or
// RandomString state their expected output for this stream.
type counterReader struct{ n byte }

func (r *counterReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}

// run evaluates the case and compares the outcome.
func (c testCase) run(t *testing.T) {
	t.Helper()
	now := defaultNow
	if c.Now != "" {
		var err error
		now, err = time.Parse(time.RFC3339, c.Now)
		if err != nil {
			t.Fatalf("bad now %q: %v", c.Now, err)
		}
	}
	existing := map[string]bool{}
	for _, v := range c.Existing {
		existing[strings.ToLower(v)] = true
	}
	opts := []Option{
		WithNow(now),
		WithRand(&counterReader{}),
		WithExisting(func(v string) bool { return existing[strings.ToLower(v)] }),
	}
	p, err := Compile(c.Expr, opts...)
	var v Value
	if err == nil {
		v, err = p.Eval(NewEnv(c.Input))
	}
	if c.Error != "" {
		if err == nil {
			t.Fatalf("%s\nwant error containing %q, got value %s", c.Expr, c.Error, Display(v))
		}
		if !strings.Contains(err.Error(), c.Error) {
			t.Fatalf("%s\nwant error containing %q, got %q", c.Expr, c.Error, err.Error())
		}
		e, ok := AsError(err)
		if !ok {
			t.Fatalf("error is %T, not *Error: %v", err, err)
		}
		if c.ErrorAt != "" {
			if got := fmt.Sprintf("%d:%d", e.Line, e.Col); got != c.ErrorAt {
				t.Errorf("error at %s, want %s\n%s", got, c.ErrorAt, e.Render())
			}
		}
		return
	}
	if err != nil {
		msg := err.Error()
		if e, ok := AsError(err); ok {
			msg = e.Render()
		}
		t.Fatalf("%s\nunexpected error: %s", c.Expr, msg)
	}
	_, redacted := v.(Redacted)
	inner, _ := Unwrap(v)
	got := testCase{Want: ToGo(v), Ignored: inner.Kind() == KindIgnored, IgnoredObject: inner.Kind() == KindIgnoredObject, Redacted: redacted}
	want := testCase{Want: normalizeWant(c.Want), Ignored: c.Ignored, IgnoredObject: c.IgnoredObject, Redacted: c.Redacted}
	if c.Ignored || c.IgnoredObject {
		want.Want = nil
	}
	opt := cmp.Comparer(func(a, b testCase) bool {
		return cmp.Equal(a.Want, b.Want) && a.Ignored == b.Ignored && a.IgnoredObject == b.IgnoredObject && a.Redacted == b.Redacted
	})
	if diff := cmp.Diff(want, got, opt); diff != "" {
		t.Errorf("%s\ninput %v\nwant %s ignored=%v ignored_object=%v redacted=%v\ngot  %s ignored=%v ignored_object=%v redacted=%v",
			c.Expr, c.Input, jsonString(want.Want), want.Ignored, want.IgnoredObject, want.Redacted,
			jsonString(got.Want), got.Ignored, got.IgnoredObject, got.Redacted)
	}
}

// normalizeWant turns decoded JSON arrays into []string, as ToGo gives.
func normalizeWant(w any) any {
	switch w := w.(type) {
	case []any:
		out := make([]string, len(w))
		for i, e := range w {
			out[i] = fmt.Sprint(e)
		}
		return out
	case []string:
		return w
	case nil:
		return nil
	case string:
		return w
	}
	return fmt.Sprint(w)
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
