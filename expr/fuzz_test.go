package expr

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// addSeeds seeds a fuzz target with every conformance expression.
func addSeeds(f *testing.F) {
	for _, c := range loadCases(f) {
		f.Add(c.Expr)
	}
	f.Add(`Switch([a], , "1", "x")`)
	f.Add(`Replace([x], , "(?<n>\\d+)", , "${n}", , )`)
}

// FuzzCompile requires that Compile never panics, that every error is a
// positioned *Error inside the source whose rendering does not panic, and
// that a successful compile prints to text that compiles to the same tree.
func FuzzCompile(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile(src)
		if err != nil {
			e, ok := AsError(err)
			if !ok {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if e.Span.Start < 0 || e.Span.End > len(src) || e.Span.Start > e.Span.End {
				t.Fatalf("span %v outside source of %d bytes", e.Span, len(src))
			}
			if e.Line < 1 || e.Col < 1 {
				t.Fatalf("bad position %d:%d", e.Line, e.Col)
			}
			_ = e.Render()
			return
		}
		if !utf8.ValidString(src) {
			return
		}
		checkRoundTrip(t, p)
	})
}

// FuzzEval evaluates fuzzed expressions against a fixed object: no panic,
// every error positioned.
func FuzzEval(f *testing.F) {
	addSeeds(f)
	env := NewEnv(map[string]any{
		"a": "Zoë Ångström", "b": "", "n": 42, "m": []any{"x", "y", "x"},
		"givenName": "John", "surname": "Doe", "d": "2021-08-25T17:41:18Z",
	})
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Compile(src, WithNow(time.Unix(0, 0)), WithRand(strings.NewReader(strings.Repeat("x", 4096))), WithRegexTimeout(20*time.Millisecond))
		if err != nil {
			return
		}
		if _, err := p.Eval(env); err != nil {
			if _, ok := AsError(err); !ok {
				t.Fatalf("eval error is %T, not *Error: %v", err, err)
			}
		}
	})
}
