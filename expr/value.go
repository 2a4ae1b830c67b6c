package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Value is the result of evaluating an expression or any of its parts. It
// is one of Null, String, Multi, Bool, Number, DateTime, or the two flow
// markers Ignored and Redacted. The set is sealed: only this package
// defines values, so every switch over the kinds is exhaustive.
type Value interface {
	// Kind reports which variant the value is.
	Kind() Kind
	isValue()
}

// Kind enumerates the value variants.
type Kind uint8

// The value kinds.
const (
	KindNull Kind = iota
	KindString
	KindMulti
	KindBool
	KindNumber
	KindDateTime
	KindIgnored
	KindRedacted
	KindIgnoredObject
)

var kindNames = [...]string{"null", "string", "multi-valued", "boolean", "number", "date-time", "ignored", "redacted", "ignored object"}

// String returns the lower-case name of the kind, as used in error messages.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// nullValue is the type of Null.
type nullValue struct{}

// Null is the absent value: an attribute the object does not have, or an
// empty argument.
var Null Value = nullValue{}

// String is a single string value.
type String string

// Multi is a multi-valued attribute, such as proxyAddresses. Its elements
// keep their order.
type Multi []string

// Bool is a boolean; it renders as "True" or "False", as .NET does.
type Bool bool

// Number is a numeric value. Integers are kept exactly (AD file times such
// as 129699324000000000 do not fit a float64 mantissa); other numbers are
// float64.
type Number struct {
	i     int64
	f     float64
	float bool
}

// DateTime is an instant. It renders in UTC as M/d/yyyy h:mm:ss tt, the
// format the provisioning service uses for CDate, DateAdd and Now.
type DateTime time.Time

// ignoredValue is the type of Ignored.
type ignoredValue struct{}

// Ignored is the result of IgnoreFlowIfNullOrEmpty when its argument is null
// or empty: the target attribute must not flow at all. It is distinct from
// Null (which flows as a cleared value) and from the empty string.
var Ignored Value = ignoredValue{}

// ignoredObjectValue is the type of IgnoredObject.
type ignoredObjectValue struct{}

// IgnoredObject is the value of the bare word IgnoreObjectFlow, which the
// Workday guide uses to leave a whole object out of the flow (for example
// until a hire date is near). Functions see it as null; the mapping and
// sync packages skip the object when an attribute evaluates to it.
var IgnoredObject Value = ignoredObjectValue{}

// Redacted wraps a value that must flow to the target but must never appear
// in logs or explanations; its rendering for logs is "[Redact]". Anything
// computed from a redacted value is redacted too.
type Redacted struct{ V Value }

func (nullValue) isValue()          {}
func (String) isValue()             {}
func (Multi) isValue()              {}
func (Bool) isValue()               {}
func (Number) isValue()             {}
func (DateTime) isValue()           {}
func (ignoredValue) isValue()       {}
func (ignoredObjectValue) isValue() {}
func (Redacted) isValue()           {}

// Kind implements Value.
func (nullValue) Kind() Kind { return KindNull }

// Kind implements Value.
func (String) Kind() Kind { return KindString }

// Kind implements Value.
func (Multi) Kind() Kind { return KindMulti }

// Kind implements Value.
func (Bool) Kind() Kind { return KindBool }

// Kind implements Value.
func (Number) Kind() Kind { return KindNumber }

// Kind implements Value.
func (DateTime) Kind() Kind { return KindDateTime }

// Kind implements Value.
func (ignoredValue) Kind() Kind { return KindIgnored }

// Kind implements Value.
func (ignoredObjectValue) Kind() Kind { return KindIgnoredObject }

// Kind implements Value.
func (Redacted) Kind() Kind { return KindRedacted }

// Int returns an integral Number.
func Int(i int64) Number { return Number{i: i} }

// Float returns a Number holding f. Integral values within the int64 range
// are stored as integers so that they render without a fraction.
func Float(f float64) Number {
	if f == math.Trunc(f) && f >= math.MinInt64 && f <= math.MaxInt64 && !math.IsInf(f, 0) {
		return Number{i: int64(f)}
	}
	return Number{f: f, float: true}
}

// IsInt reports whether n is integral.
func (n Number) IsInt() bool { return !n.float }

// Int64 returns n truncated towards zero.
func (n Number) Int64() int64 {
	if n.float {
		return int64(n.f)
	}
	return n.i
}

// Float64 returns n as a float64.
func (n Number) Float64() float64 {
	if n.float {
		return n.f
	}
	return float64(n.i)
}

// String renders the number as .NET renders a long or a double in the
// invariant culture. It is the one place numbers become text: CStr, Join,
// Append and every implicit conversion use it.
func (n Number) String() string {
	if !n.float {
		return strconv.FormatInt(n.i, 10)
	}
	return formatDouble(n.f)
}

// formatDouble renders f as .NET Core 3.0 and later's Double.ToString():
// the shortest digits that read back as f, in fixed notation unless the
// decimal exponent is 15 or more or below -4, where it switches to
// scientific notation with a signed exponent of at least two digits
// (1234567.5, 0.30000000000000004, 0.0001, 1E-05, 1E+15,
// 1.2345678901234568E+20).
func formatDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // -d.ddde±xx
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	var b strings.Builder
	if mant[0] == '-' {
		b.WriteByte('-')
		mant = mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	switch {
	case exp >= 15 || exp < -4:
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('E')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
	case exp < 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-1))
		b.WriteString(digits)
	case len(digits) <= exp+1:
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", exp+1-len(digits)))
	default:
		b.WriteString(digits[:exp+1])
		b.WriteByte('.')
		b.WriteString(digits[exp+1:])
	}
	return b.String()
}

// literal renders n as a number literal of the language, which has no
// exponent syntax.
func (n Number) literal() string {
	if !n.float {
		return strconv.FormatInt(n.i, 10)
	}
	return strconv.FormatFloat(n.f, 'f', -1, 64)
}

// Time returns the instant as a time.Time in UTC.
func (d DateTime) Time() time.Time { return time.Time(d).UTC() }

// DateTimeLayout is the Go layout of the canonical date rendering,
// .NET's "M/d/yyyy h:mm:ss tt" in the invariant culture.
const DateTimeLayout = "1/2/2006 3:04:05 PM"

// String renders d in UTC as M/d/yyyy h:mm:ss tt.
func (d DateTime) String() string { return d.Time().Format(DateTimeLayout) }

// Render returns the canonical string of v: the text that would flow to a
// target attribute. Null and Ignored render as the empty string, booleans as
// True or False, dates as M/d/yyyy h:mm:ss tt in UTC, multi-valued values
// as their elements joined with a comma. Redacted values render as the value
// they wrap: use Display for text meant for people.
func Render(v Value) string {
	switch v := v.(type) {
	case String:
		return string(v)
	case Bool:
		if v {
			return "True"
		}
		return "False"
	case Number:
		return v.String()
	case DateTime:
		return v.String()
	case Multi:
		return strings.Join(v, ",")
	case Redacted:
		return Render(v.V)
	case nil, nullValue, ignoredValue, ignoredObjectValue:
		return ""
	}
	panic("expr: unknown value " + v.Kind().String())
}

// Display renders v for logs and explanations: like Render, but a redacted
// value shows as [Redact], null as <null> and an ignored value as <ignored>.
func Display(v Value) string {
	switch v := v.(type) {
	case Redacted:
		return "[Redact]"
	case nil, nullValue:
		return "<null>"
	case ignoredValue:
		return "<ignored>"
	case ignoredObjectValue:
		return "<ignored object>"
	case String:
		return strconv.Quote(string(v))
	case Multi:
		var b strings.Builder
		b.WriteByte('[')
		for i, s := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(s))
		}
		b.WriteByte(']')
		return b.String()
	}
	return Render(v)
}

// AppendJSON appends the JSON form of v to dst: the one rendering of
// values that plans, planner states and written snapshots (apply's
// output) hold, so that a value keeps its JSON type through them.
//
//   - null, and the flow markers Ignored and IgnoredObject: null;
//   - a boolean: true or false (not the "True" of Render);
//   - a number: its String text, which is a JSON number (1001, 2.5,
//     1E+15), except NaN and the infinities, which JSON cannot hold and
//     are written as strings;
//   - a string: a JSON string, escaped as encoding/json escapes it with
//     HTML escaping off (U+2028 and U+2029 as \u2028 and \u2029, invalid
//     UTF-8 as U+FFFD);
//   - a date-time: the string of its Render text (JSON has no date type);
//   - a multi-valued value: an array of strings.
//
// A redacted value is written as the value it wraps: writers that must
// hide it write "[Redact]" themselves.
func AppendJSON(dst []byte, v Value) []byte {
	v, _ = Unwrap(v)
	switch v := v.(type) {
	case nil, nullValue, ignoredValue, ignoredObjectValue:
		return append(dst, "null"...)
	case Bool:
		if v {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Number:
		if !v.float || !math.IsNaN(v.f) && !math.IsInf(v.f, 0) {
			return append(dst, v.String()...)
		}
		return AppendJSONString(dst, v.String(), false)
	case String:
		return AppendJSONString(dst, string(v), false)
	case DateTime:
		return AppendJSONString(dst, v.String(), false)
	case Multi:
		dst = append(dst, '[')
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, s, false)
		}
		return append(dst, ']')
	}
	panic("expr: unknown value " + v.Kind().String())
}

const jsonHex = "0123456789abcdef"

// jsonPlain classifies the ASCII bytes of a JSON string: 2 is written as
// is, 1 as is unless HTML is escaped (<, > and &), 0 is escaped.
var jsonPlain = func() (t [utf8.RuneSelf]uint8) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		switch c {
		case '"', '\\':
		case '<', '>', '&':
			t[c] = 1
		default:
			t[c] = 2
		}
	}
	return t
}()

// AppendJSONString appends s as a JSON string literal, byte for byte as
// encoding/json writes it: with its HTML escaping of <, > and & (as
// json.Marshal does) or without (as an Encoder with SetEscapeHTML(false)
// does). AppendJSON writes strings with it (without HTML escaping).
func AppendJSONString(dst []byte, s string, escapeHTML bool) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonPlain[c] == 2 || (jsonPlain[c] == 1 && !escapeHTML) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Strings returns the values v flows to a multi-valued target: the elements
// of a Multi, nothing for Null or Ignored, and the rendering of anything else
// as one value.
func Strings(v Value) []string {
	switch v := v.(type) {
	case Multi:
		return v
	case Redacted:
		return Strings(v.V)
	case nil, nullValue, ignoredValue, ignoredObjectValue:
		return nil
	}
	return []string{Render(v)}
}

// Unwrap strips a Redacted wrapper and reports whether there was one.
func Unwrap(v Value) (Value, bool) {
	if r, ok := v.(Redacted); ok {
		inner, _ := Unwrap(r.V)
		return inner, true
	}
	return v, false
}

// IsNull reports whether v is null (or nil, or Ignored, which functions see
// as null).
func IsNull(v Value) bool {
	v, _ = Unwrap(v)
	switch v.(type) {
	case nil, nullValue, ignoredValue, ignoredObjectValue:
		return true
	}
	return false
}

// IsNullOrEmpty reports whether v is null, an empty string, or a
// multi-valued value without elements.
func IsNullOrEmpty(v Value) bool {
	v, _ = Unwrap(v)
	switch v := v.(type) {
	case nil, nullValue, ignoredValue, ignoredObjectValue:
		return true
	case String:
		return v == ""
	case Multi:
		return len(v) == 0
	}
	return false
}

// FromGo converts a decoded JSON value (string, float64, json.Number-like
// fmt.Stringer, bool, nil, []any, []string) to a Value. Unsupported types
// render with their default formatting as strings.
func FromGo(x any) Value {
	switch x := x.(type) {
	case nil:
		return Null
	case Value:
		return x
	case string:
		return String(x)
	case bool:
		return Bool(x)
	case float64:
		return Float(x)
	case int:
		return Int(int64(x))
	case int64:
		return Int(x)
	case []string:
		return Multi(x)
	case []any:
		m := make(Multi, 0, len(x))
		for _, e := range x {
			if e == nil {
				continue
			}
			m = append(m, Render(FromGo(e)))
		}
		return m
	case interface{ String() string }:
		s := x.String()
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return Int(i)
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return Float(f)
		}
		return String(s)
	}
	return String(fmt.Sprint(x))
}

// ToGo converts v to the JSON-friendly form the CLI prints: nil, a string,
// or a []string for multi-valued values.
func ToGo(v Value) any {
	v, _ = Unwrap(v)
	switch v := v.(type) {
	case nil, nullValue, ignoredValue, ignoredObjectValue:
		return nil
	case Multi:
		out := make([]string, len(v))
		copy(out, v)
		return out
	}
	return Render(v)
}
