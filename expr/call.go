package expr

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// Call gives a function implementation access to its call site and to the
// evaluation context: the injected clock, random source and uniqueness check,
// data precomputed by the function's Check, and (for lazy functions) its
// unevaluated arguments.
type Call struct {
	expr *CallExpr
	st   *evalState
	// args holds the evaluated arguments of an eager call, nil for a lazy
	// one.
	args []Value
}

// Name returns the canonical name of the function being called.
func (c *Call) Name() string { return c.expr.Func.Name }

// NArgs returns the number of arguments in the call, empty ones included.
func (c *Call) NArgs() int { return len(c.expr.Args) }

// Provided reports whether argument i was written and is not an empty
// argument. Replace uses it to choose its mode.
func (c *Call) Provided(i int) bool {
	if i >= len(c.expr.Args) {
		return false
	}
	_, empty := c.expr.Args[i].(*EmptyArg)
	return !empty
}

// Arg evaluates argument i. Redacted markers are stripped (and remembered,
// so the call's result is redacted) and Ignored reads as Null. Argument
// indexes past the end give Null.
func (c *Call) Arg(i int) (Value, error) {
	if i >= len(c.expr.Args) {
		return Null, nil
	}
	if c.args != nil {
		return c.args[i], nil
	}
	v, err := c.expr.fns[i](c.st)
	if err != nil {
		return nil, err
	}
	return c.st.strip(v), nil
}

// Result evaluates argument i for a function that returns it as its own
// result (the chosen branch of IIF, the matched value of Switch): unlike
// Arg it keeps the Ignored, IgnoredObject and Redacted markers, so that
// IIF(cond, [x], IgnoreAttributeFlow) does not flow.
func (c *Call) Result(i int) (Value, error) {
	if i >= len(c.expr.Args) {
		return Null, nil
	}
	if c.args != nil {
		return c.args[i], nil
	}
	v, err := c.expr.fns[i](c.st)
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = Null
	}
	return v, nil
}

// tracing reports whether the evaluation records a trace, in which every
// argument a function reads must be evaluated through Arg to appear in it.
func (c *Call) tracing() bool { return c.st.hook != nil }

// Data returns what the function's Check stored for this call site.
func (c *Call) Data() any { return c.expr.data }

// Now returns the evaluation clock's time, in UTC.
func (c *Call) Now() time.Time { return c.st.now().UTC() }

// Rand returns the injected random source.
func (c *Call) Rand() io.Reader { return c.st.rand() }

// Exists reports whether value already exists in the target, according to
// the injected uniqueness check (for SelectUniqueValue). Without one,
// nothing exists.
func (c *Call) Exists(value string) bool {
	if f := c.st.exists(); f != nil {
		return f(value)
	}
	return false
}

// existsIn names where Exists looks (EvalOptions.ExistsIn).
func (c *Call) existsIn() string {
	if c.st.o.ExistsIn != "" {
		return c.st.o.ExistsIn
	}
	return "the target"
}

// regexp returns pattern compiled with .NET syntax and the configured match
// timeout. Literal patterns are compiled once by the function's Check;
// others are cached per program.
func (c *Call) regexp(pattern string) (*regex, error) {
	return c.st.prog.regexp(pattern)
}

// Attr looks up an attribute of the object being evaluated, by name: for
// parameters such as Replace's replacementAttributeName given as a string.
func (c *Call) Attr(name string) Value {
	v, ok := c.st.env.Lookup(name)
	if !ok {
		return Null
	}
	return c.st.strip(v)
}

// CheckContext is what a Func.Check sees at Compile time.
type CheckContext struct {
	// Call is the call being checked.
	Call *CallExpr
	// TopLevel reports whether the call is the outermost expression.
	TopLevel bool
	prog     *Program
}

// Literal returns the value of argument i when it is a constant (a string,
// number or enum literal, or a folded constant call).
func (ck *CheckContext) Literal(i int) (Value, bool) {
	if i >= len(ck.Call.Args) {
		return nil, false
	}
	return literalValue(ck.Call.Args[i])
}

// Provided reports whether argument i was written and is not empty.
func (ck *CheckContext) Provided(i int) bool {
	if i >= len(ck.Call.Args) {
		return false
	}
	_, empty := ck.Call.Args[i].(*EmptyArg)
	return !empty
}

// SetData stores precomputed data (such as a compiled regular expression)
// for the implementation to read with Call.Data.
func (ck *CheckContext) SetData(d any) { ck.Call.data = d }

// regexp compiles pattern as Call.regexp does.
func (ck *CheckContext) regexp(pattern string) (*regex, error) {
	return ck.prog.regexp(pattern)
}

// ArgErrorf blames argument i.
func (ck *CheckContext) ArgErrorf(i int, format string, args ...any) error {
	return argErrorf(i, format, args...)
}

func literalValue(n Node) (Value, bool) {
	switch n := n.(type) {
	case *StringLit:
		if n.v != nil { // boxed once by Compile
			return n.v, true
		}
		return String(n.Value), true
	case *NumberLit:
		if n.v != nil {
			return n.v, true
		}
		return n.Value, true
	case *EnumLit:
		return n.Value, true
	case *CallExpr:
		if n.folded != nil {
			return n.folded, true
		}
	}
	return nil, false
}

// Coercions shared by the function implementations. Each takes the
// argument index so that it can blame the argument.

// str renders a value as a string; null is "".
func str(v Value) string { return Render(v) }

// toInt converts argument i to an integer. Numbers are truncated, strings
// are parsed (after trimming spaces, as VBA's CInt does, but without
// rounding), booleans are -1 and 0 as in VBA.
func toInt(i int, v Value) (int64, error) {
	switch v := v.(type) {
	case Number:
		if !v.IsInt() {
			f := v.Float64()
			if f != float64(int64(f)) {
				return 0, argErrorf(i, "expected an integer (got %s)", v.String())
			}
		}
		return v.Int64(), nil
	case String:
		// VB's numeric strings (vbnum.go), without CLng's rounding
		if n, ok := parseVBNumber(string(v)); ok && n.IsInt() {
			return n.Int64(), nil
		}
		return 0, argErrorf(i, "expected an integer (got %q)", string(v))
	case Bool:
		if v {
			return -1, nil
		}
		return 0, nil
	}
	if IsNull(v) {
		return 0, argErrorf(i, "expected an integer (got null)")
	}
	return 0, argErrorf(i, "expected an integer (got %s)", v.Kind())
}

// toNumber converts argument i to a Number.
func toNumber(i int, v Value) (Number, error) {
	switch v := v.(type) {
	case Number:
		return v, nil
	case String:
		if n, ok := parseVBNumber(string(v)); ok { // VB's numeric strings (vbnum.go)
			return n, nil
		}
		return Number{}, argErrorf(i, "expected a number (got %q)", string(v))
	case Bool:
		if v {
			return Int(-1), nil
		}
		return Int(0), nil
	}
	if IsNull(v) {
		return Number{}, argErrorf(i, "expected a number (got null)")
	}
	return Number{}, argErrorf(i, "expected a number (got %s)", v.Kind())
}

// parseHex parses a VBA hexadecimal literal, &HF7.
func parseHex(s string) (int64, bool) {
	if len(s) < 3 || s[0] != '&' || (s[1] != 'H' && s[1] != 'h') {
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:], 16, 64)
	if err != nil {
		return 0, false
	}
	return int64(n), true
}

// toBool converts a value to a boolean the way the service does: booleans
// as they are; strings "True"/"False" in any case; numbers (and numeric
// strings) are true when non-zero. ok is false for anything else,
// null included.
func toBool(v Value) (b, ok bool) {
	switch v := v.(type) {
	case Bool:
		return bool(v), true
	case Number:
		return v.Float64() != 0, true
	case String:
		// Conversions.ToBoolean(String): True or False in any case, else
		// VB's numeric strings (vbnum.go)
		switch {
		case strings.EqualFold(string(v), "true"):
			return true, true
		case strings.EqualFold(string(v), "false"):
			return false, true
		}
		if n, ok := parseVBNumber(string(v)); ok {
			return n.Float64() != 0, true
		}
	}
	return false, false
}
