package expr

import (
	"errors"
	"testing"
)

// TestArgErrorHint checks that a helper's "did you mean" reaches the hint
// line through ArgError.Hint, at compile time (literal arguments) and at
// run time, and stays out of the message.
func TestArgErrorHint(t *testing.T) {
	for _, tt := range []struct {
		src, env, msg, hint string
	}{
		{src: `DateAdd("days", 1, Now())`, msg: `invalid argument 1 (interval) to DateAdd: unknown interval "days" (expected yyyy, q, m, y, d, w, ww, h, n or s)`, hint: `did you mean "d"?`},
		{src: `DateAdd([iv], 1, Now())`, env: "days", msg: `invalid argument 1 (interval) to DateAdd: unknown interval "days" (expected yyyy, q, m, y, d, w, ww, h, n or s)`, hint: `did you mean "d"?`},
		{src: `FormatDateTime("2024-01-01", "Roundtrip", "yyyy-MM-dd", "yyyy")`, hint: `did you mean "RoundtripKind"?`},
	} {
		p, err := Compile(tt.src)
		if err == nil {
			_, err = p.Eval(NewEnv(map[string]any{"iv": tt.env}))
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: error %v, want an *Error", tt.src, err)
		}
		if e.Hint != tt.hint || (tt.msg != "" && e.Msg != tt.msg) {
			t.Errorf("%s:\nmsg  %s\nhint %s\nwant %s\nhint %s", tt.src, e.Msg, e.Hint, tt.msg, tt.hint)
		}
		var ae *ArgError
		if !errors.As(err, &ae) || ae.Hint != tt.hint {
			t.Errorf("%s: cause %#v, want an ArgError with the hint", tt.src, ae)
		}
	}
}
