package expr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/internal/diag"
)

// Span is a half-open range of byte offsets into the source text.
type Span struct {
	Start, End int
}

// Error is a positioned error: a syntax error, a checking error found by
// Compile, or an evaluation error, which carries the span of the call that
// failed.
type Error struct {
	// Span locates the problem in Source.
	Span Span
	// Line and Col are 1-based; Col counts runes.
	Line, Col int
	// Msg is the lower-case message, without position.
	Msg string
	// Hint is an optional suggestion, such as `did you mean "Join"?`.
	Hint string
	// Source is the expression text, for Render.
	Source string
	// Err is the underlying cause, if any.
	Err error
}

// Error formats the message with its position: "msg (line:col)".
func (e *Error) Error() string {
	s := fmt.Sprintf("%s (%d:%d)", e.Msg, e.Line, e.Col)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Render formats the error for people: the message, the source line holding
// the problem, and a caret under it, then the hint.
//
//	unknown function "Jion" (1:1)
//	 | Jion("@", [a])
//	 | ^
//	hint: did you mean "Join"?
func (e *Error) Render() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d:%d)", e.Msg, e.Line, e.Col)
	if line, ok := sourceLine(e.Source, e.Line); ok {
		line = strings.ReplaceAll(line, "\t", " ")
		b.WriteString("\n | ")
		b.WriteString(line)
		b.WriteString("\n | ")
		b.WriteString(strings.Repeat(".", max(e.Col-1, 0)))
		b.WriteByte('^')
	}
	if e.Hint != "" {
		b.WriteString("\nhint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func sourceLine(src string, n int) (string, bool) {
	if n < 1 {
		return "", false
	}
	for i := 1; ; i++ {
		nl := strings.IndexByte(src, '\n')
		if i == n {
			if nl < 0 {
				return strings.TrimSuffix(src, "\r"), true
			}
			return strings.TrimSuffix(src[:nl], "\r"), true
		}
		if nl < 0 {
			return "", false
		}
		src = src[nl+1:]
	}
}

// newError builds an Error whose line and column are computed from the byte
// offset of span.Start in src. Offsets outside src are clamped.
func newError(src string, span Span, hint string, format string, args ...any) *Error {
	e := &Error{Span: clampSpan(span, len(src)), Msg: fmt.Sprintf(format, args...), Hint: hint, Source: src}
	e.Line, e.Col = diag.LineCol(src, e.Span.Start)
	return e
}

func clampSpan(s Span, n int) Span {
	s.Start = min(max(s.Start, 0), n)
	s.End = min(max(s.End, s.Start), n)
	return s
}

// ArgError is returned by a function implementation to blame one of its
// arguments; the engine turns it into an *Error whose caret points at that
// argument.
type ArgError struct {
	// Index is the 0-based argument index.
	Index int
	// Msg describes the problem.
	Msg string
	// Hint is an optional suggestion, shown under the caret.
	Hint string
}

func (e *ArgError) Error() string { return fmt.Sprintf("argument %d: %s", e.Index+1, e.Msg) }

// argErrorf builds an ArgError.
func argErrorf(i int, format string, args ...any) error {
	return &ArgError{Index: i, Msg: fmt.Sprintf(format, args...)}
}

// suggestError is a helper's error with a "did you mean" suggestion kept
// apart from the message, so that the ArgError built from it (argError)
// shows the suggestion on the hint line.
type suggestError struct{ msg, hint string }

func (e *suggestError) Error() string { return e.msg + "; " + e.hint }

// argError builds the ArgError of argument i from a helper's error,
// carrying its suggestion, if any, as the Hint.
func argError(i int, err error) error {
	if se, ok := err.(*suggestError); ok {
		return &ArgError{Index: i, Msg: se.msg, Hint: se.hint}
	}
	return &ArgError{Index: i, Msg: err.Error()}
}

// AsError returns err as an *Error if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
