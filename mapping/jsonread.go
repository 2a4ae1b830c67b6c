package mapping

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/attrmap/attrmap/internal/diag"
)

// This file holds a small JSON reader that keeps the byte offset of every
// value. encoding/json cannot tell where a member with the wrong type sits
// in the document, and it cannot repair the things people paste from the
// documentation (comments, trailing commas, "..." placeholders), so Load
// parses into a tree of jnodes first and decodes the model from that tree.

// jkind is the JSON type of a jnode.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

var jkindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k jkind) String() string { return jkindNames[k] }

// jnode is one parsed JSON value.
type jnode struct {
	kind jkind
	off  int    // byte offset of the first character of the value
	text string // decoded string, number literal as written, "true"/"false"
	mems []jmember
	elts []*jnode
}

// jmember is one name/value pair of an object, in document order.
type jmember struct {
	key string
	off int // offset of the key
	val *jnode
}

// Repair describes one change Lenient made to a document to make it valid
// JSON. Line and Col are 1-based; Col counts runes.
type Repair struct {
	Line, Col int
	Msg       string
}

// String formats the repair as "line 3, column 5: removed trailing comma".
func (r Repair) String() string {
	return fmt.Sprintf("line %d, column %d: %s", r.Line, r.Col, r.Msg)
}

// maxNesting bounds the depth of arrays and objects, so that a hostile
// document cannot exhaust the stack.
const maxNesting = 512

// reader parses one JSON document.
type reader struct {
	src     []byte
	pos     int
	lenient bool
	repairs []Repair
	depth   int
}

// parseJSON parses src as exactly one JSON value. In lenient mode it
// accepts, and records as repairs, the mistakes whose fix is unambiguous.
func parseJSON(src []byte, lenient bool) (*jnode, []Repair, error) {
	r := &reader{src: src, lenient: lenient}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		if !lenient {
			return nil, nil, r.errorf(0, "byte order mark at the start of the document (use --lenient to drop it)")
		}
		r.repair(0, "removed byte order mark")
		r.pos = 3
	}
	if err := r.space(); err != nil {
		return nil, nil, err
	}
	if r.pos >= len(src) {
		return nil, nil, r.errorf(r.pos, "no JSON value (empty input)")
	}
	n, err := r.value()
	if err != nil {
		return nil, nil, err
	}
	if err := r.space(); err != nil {
		return nil, nil, err
	}
	if r.pos < len(src) {
		return nil, nil, r.errorf(r.pos, "unexpected %s after the end of the document", r.describe(r.pos))
	}
	// A repair found after skipping a comment can precede it: report in
	// document order.
	slices.SortStableFunc(r.repairs, func(a, b Repair) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return n, r.repairs, nil
}

// LoadError reports a document that cannot be loaded: invalid JSON, or a
// member whose type does not fit the Graph model, or a line of a listing
// that cannot be read (ImportListing). Line and Col (1-based, runes)
// locate the problem, Col 0 when only the line is known; Path is the JSON
// path of the member at fault, when known. It is the one decode error of attrmap (scoping.DecodeError
// is the same type).
type LoadError = diag.DecodeError

func (r *reader) errorf(off int, format string, args ...any) error {
	line, col := diag.LineCol(r.src, off)
	return &LoadError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) repair(off int, msg string) {
	line, col := diag.LineCol(r.src, off)
	r.repairs = append(r.repairs, Repair{Line: line, Col: col, Msg: msg})
}

// describe names the token at off for error messages.
func (r *reader) describe(off int) string {
	if off >= len(r.src) {
		return "end of input"
	}
	c, _ := utf8.DecodeRune(r.src[off:])
	if r.placeholderAt(off) > 0 {
		return `placeholder "..."`
	}
	return strconv.QuoteRune(c)
}

// space skips white space and, in lenient mode, comments.
func (r *reader) space() error {
	for r.pos < len(r.src) {
		switch c := r.src[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		case '/':
			if r.pos+1 >= len(r.src) || (r.src[r.pos+1] != '/' && r.src[r.pos+1] != '*') {
				return r.errorf(r.pos, "unexpected '/'")
			}
			if !r.lenient {
				return r.errorf(r.pos, "comments are not allowed in JSON (use --lenient to drop them)")
			}
			start := r.pos
			if r.src[r.pos+1] == '/' {
				end := bytes.IndexByte(r.src[r.pos:], '\n')
				if end < 0 {
					r.pos = len(r.src)
				} else {
					r.pos += end
				}
				r.repair(start, "removed // comment")
				continue
			}
			end := bytes.Index(r.src[r.pos+2:], []byte("*/"))
			if end < 0 {
				return r.errorf(start, "comment is not closed")
			}
			r.pos += 2 + end + 2
			r.repair(start, "removed /* */ comment")
		default:
			return nil
		}
	}
	return nil
}

// placeholderAt returns the length of an elision placeholder at off: two
// or more dots, or the ellipsis character; 0 if there is none.
func (r *reader) placeholderAt(off int) int {
	if strings.HasPrefix(string(r.src[off:min(off+3, len(r.src))]), "…") {
		return len("…")
	}
	n := 0
	for off+n < len(r.src) && r.src[off+n] == '.' {
		n++
	}
	if n >= 2 {
		return n
	}
	return 0
}

// skipPlaceholder consumes a placeholder standing for elided elements or
// members, with the comma that follows it. It reports whether there was
// one.
func (r *reader) skipPlaceholder() (bool, error) {
	n := r.placeholderAt(r.pos)
	if n == 0 {
		return false, nil
	}
	if !r.lenient {
		return false, r.errorf(r.pos, `placeholder %q is not JSON (use --lenient to drop it)`, string(r.src[r.pos:r.pos+n]))
	}
	r.repair(r.pos, fmt.Sprintf("removed placeholder %q", string(r.src[r.pos:r.pos+n])))
	r.pos += n
	if err := r.space(); err != nil {
		return false, err
	}
	if r.pos < len(r.src) && r.src[r.pos] == ',' {
		r.pos++
	}
	return true, r.space()
}

func (r *reader) value() (*jnode, error) {
	if r.pos >= len(r.src) {
		return nil, r.errorf(r.pos, "unexpected end of input (expected a value)")
	}
	start := r.pos
	switch c := r.src[r.pos]; {
	case c == '{':
		return r.object()
	case c == '[':
		return r.array()
	case c == '"':
		s, err := r.str()
		if err != nil {
			return nil, err
		}
		return &jnode{kind: jString, off: start, text: s}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	}
	for _, lit := range []struct {
		word string
		kind jkind
	}{{"true", jBool}, {"false", jBool}, {"null", jNull}} {
		if bytes.HasPrefix(r.src[r.pos:], []byte(lit.word)) {
			r.pos += len(lit.word)
			return &jnode{kind: lit.kind, off: start, text: lit.word}, nil
		}
	}
	if n := r.placeholderAt(r.pos); n > 0 {
		return nil, r.errorf(r.pos, `placeholder %q stands for a value that is not there (replace it with the value)`, string(r.src[r.pos:r.pos+n]))
	}
	return nil, r.errorf(r.pos, "unexpected %s (expected a value)", r.describe(r.pos))
}

func (r *reader) enter() error {
	r.depth++
	if r.depth > maxNesting {
		return r.errorf(r.pos, "document nested too deeply (more than %d levels)", maxNesting)
	}
	return nil
}

func (r *reader) object() (*jnode, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	n := &jnode{kind: jObject, off: r.pos}
	r.pos++ // {
	for {
		if err := r.space(); err != nil {
			return nil, err
		}
		if ok, err := r.skipPlaceholder(); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		if r.pos >= len(r.src) {
			return nil, r.errorf(r.pos, "unexpected end of input (object is not closed)")
		}
		if r.src[r.pos] == '}' {
			r.pos++
			return n, nil
		}
		koff := r.pos
		key, err := r.key()
		if err != nil {
			return nil, err
		}
		if err := r.space(); err != nil {
			return nil, err
		}
		if r.pos >= len(r.src) || r.src[r.pos] != ':' {
			return nil, r.errorf(r.pos, "unexpected %s after object key %q (expected ':')", r.describe(r.pos), key)
		}
		r.pos++
		if err := r.space(); err != nil {
			return nil, err
		}
		if n := r.placeholderAt(r.pos); n > 0 {
			return nil, r.errorf(r.pos, "placeholder %q as the value of %q cannot be repaired (write the value)", string(r.src[r.pos:r.pos+n]), key)
		}
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		n.mems = append(n.mems, jmember{key: key, off: koff, val: v})
		closed, sep, err := r.separator('}', "object")
		switch {
		case err != nil:
			return nil, err
		case closed:
			return n, nil
		case !sep:
			return nil, r.errorf(r.pos, "unexpected %s after object member %q (expected ',' or '}')", r.describe(r.pos), key)
		}
	}
}

// key reads an object key: a string or, in lenient mode, a bare
// identifier as in the JavaScript-style samples of the Graph docs
// ({ key: "objectId", value: "..." }).
func (r *reader) key() (string, error) {
	if r.src[r.pos] == '"' {
		return r.str()
	}
	end := r.pos
	for end < len(r.src) && isIdentByte(r.src[end], end == r.pos) {
		end++
	}
	if end == r.pos {
		return "", r.errorf(r.pos, "unexpected %s (expected an object key)", r.describe(r.pos))
	}
	word := string(r.src[r.pos:end])
	if !r.lenient {
		return "", r.errorf(r.pos, "object key %s is not quoted (use --lenient to quote it)", word)
	}
	r.repair(r.pos, fmt.Sprintf("quoted object key %s", word))
	r.pos = end
	return word, nil
}

func isIdentByte(c byte, first bool) bool {
	switch {
	case c == '_' || c == '$' || c == '@' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		return true
	case !first && ((c >= '0' && c <= '9') || c == '.'):
		return true
	}
	return false
}

func (r *reader) array() (*jnode, error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	n := &jnode{kind: jArray, off: r.pos}
	r.pos++ // [
	for {
		if err := r.space(); err != nil {
			return nil, err
		}
		if ok, err := r.skipPlaceholder(); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		if r.pos >= len(r.src) {
			return nil, r.errorf(r.pos, "unexpected end of input (array is not closed)")
		}
		if r.src[r.pos] == ']' {
			r.pos++
			return n, nil
		}
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		n.elts = append(n.elts, v)
		closed, sep, err := r.separator(']', "array")
		switch {
		case err != nil:
			return nil, err
		case closed:
			return n, nil
		case !sep:
			if r.placeholderAt(r.pos) > 0 {
				// "[ {...} ... ]": a placeholder without its comma.
				if ok, err := r.skipPlaceholder(); err != nil {
					return nil, err
				} else if ok && r.pos < len(r.src) && r.src[r.pos] == ']' {
					r.pos++
					return n, nil
				}
				continue
			}
			return nil, r.errorf(r.pos, "unexpected %s after array element (expected ',' or ']')", r.describe(r.pos))
		}
	}
}

// separator reads what follows an object member or array element: the
// closing delimiter (closed), or a comma (sep), after which a trailing
// comma before the delimiter is an error, or with --lenient a repair.
// Neither means something else follows, which the caller reports.
func (r *reader) separator(close byte, what string) (closed, sep bool, err error) {
	if err := r.space(); err != nil {
		return false, false, err
	}
	if r.pos >= len(r.src) {
		return false, false, r.errorf(r.pos, "unexpected end of input (%s is not closed)", what)
	}
	switch r.src[r.pos] {
	case close:
		r.pos++
		return true, false, nil
	case ',':
		comma := r.pos
		r.pos++
		if err := r.space(); err != nil {
			return false, false, err
		}
		if r.pos < len(r.src) && r.src[r.pos] == close {
			if !r.lenient {
				return false, false, r.errorf(comma, "trailing comma before '%c' (use --lenient to drop it)", close)
			}
			r.repair(comma, "removed trailing comma")
		}
		return false, true, nil
	}
	return false, false, nil
}

// str reads a string literal starting at the opening quote.
func (r *reader) str() (string, error) {
	start := r.pos
	r.pos++
	var b []byte
	for {
		if r.pos >= len(r.src) {
			return "", r.errorf(start, "string is not closed")
		}
		c := r.src[r.pos]
		switch {
		case c == '"':
			r.pos++
			return string(b), nil
		case c < 0x20:
			return "", r.errorf(r.pos, "control character %q in string (escape it)", rune(c))
		case c == '\\':
			if r.pos+1 >= len(r.src) {
				return "", r.errorf(start, "string is not closed")
			}
			esc := r.src[r.pos+1]
			r.pos += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rn, ok := r.hex4(r.pos)
				if !ok {
					return "", r.errorf(r.pos-2, `invalid \u escape`)
				}
				r.pos += 4
				if utf16.IsSurrogate(rn) {
					if lo, ok := r.hex4(r.pos + 2); ok && r.src[r.pos] == '\\' && r.src[r.pos+1] == 'u' {
						if d := utf16.DecodeRune(rn, lo); d != utf8.RuneError {
							rn = d
							r.pos += 6
						}
					}
				}
				if utf16.IsSurrogate(rn) {
					rn = utf8.RuneError
				}
				b = utf8.AppendRune(b, rn)
			default:
				return "", r.errorf(r.pos-2, "invalid escape %q in string", "\\"+string(rune(esc)))
			}
		default:
			rn, size := utf8.DecodeRune(r.src[r.pos:])
			if rn == utf8.RuneError && size == 1 {
				return "", r.errorf(r.pos, "invalid UTF-8 in string")
			}
			b = append(b, r.src[r.pos:r.pos+size]...)
			r.pos += size
		}
	}
}

func (r *reader) hex4(off int) (rune, bool) {
	if off+4 > len(r.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(r.src[off:off+4]), 16, 32)
	return rune(v), err == nil
}

// number reads a number literal and keeps its text, so that exports write
// it back as written.
func (r *reader) number() (*jnode, error) {
	start := r.pos
	if r.src[r.pos] == '-' {
		r.pos++
	}
	digits := func() int {
		n := 0
		for r.pos < len(r.src) && r.src[r.pos] >= '0' && r.src[r.pos] <= '9' {
			r.pos++
			n++
		}
		return n
	}
	intStart := r.pos
	if digits() == 0 {
		return nil, r.errorf(start, "invalid number")
	}
	if r.src[intStart] == '0' && r.pos-intStart > 1 {
		return nil, r.errorf(start, "invalid number %s (leading zero)", r.src[start:r.pos])
	}
	if r.pos < len(r.src) && r.src[r.pos] == '.' {
		r.pos++
		if digits() == 0 {
			return nil, r.errorf(start, "invalid number")
		}
	}
	if r.pos < len(r.src) && (r.src[r.pos] == 'e' || r.src[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.src) && (r.src[r.pos] == '+' || r.src[r.pos] == '-') {
			r.pos++
		}
		if digits() == 0 {
			return nil, r.errorf(start, "invalid number")
		}
	}
	return &jnode{kind: jNumber, off: start, text: string(r.src[start:r.pos])}, nil
}

// compact writes n as compact JSON, for members kept verbatim in Extra.
func (n *jnode) compact(b *bytes.Buffer) {
	switch n.kind {
	case jNull:
		b.WriteString("null")
	case jBool, jNumber:
		b.WriteString(n.text)
	case jString:
		writeString(b, n.text)
	case jArray:
		b.WriteByte('[')
		for i, e := range n.elts {
			if i > 0 {
				b.WriteByte(',')
			}
			e.compact(b)
		}
		b.WriteByte(']')
	case jObject:
		b.WriteByte('{')
		for i, m := range n.mems {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.key)
			b.WriteByte(':')
			m.val.compact(b)
		}
		b.WriteByte('}')
	}
}

// raw returns n as a json.RawMessage.
func (n *jnode) raw() json.RawMessage {
	var b bytes.Buffer
	n.compact(&b)
	return b.Bytes()
}

// writeString writes s as a JSON string without HTML escaping, so that the
// expression operator & stays readable.
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20 || c == 0x7f:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		rn, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case rn == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case rn == '\u2028' || rn == '\u2029':
			fmt.Fprintf(b, `\u%04x`, rn)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
