package provision

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/attrmap/attrmap/expr"
)

// The plan and the state are written by hand, straight to the writer, in
// the layout MarshalJSON always had: a million-user plan is a hundred
// megabytes, and building it whole through reflection, then scanning it
// again for the spacing, cost more than planning it. The strings are
// escaped exactly as encoding/json escapes them (TestAppendJSONString
// checks it byte for byte), with its HTML escaping where the old code used
// json.Marshal (the state) and without it where it used compact (the plan).

// jsonOut appends JSON text to a buffer and hands it to w in blocks. With
// a nil w it keeps everything, for MarshalJSON. The first write error
// stops the writing and is returned by done.
type jsonOut struct {
	w   io.Writer
	b   []byte
	err error
}

const jsonBlock = 64 << 10

func newJSONOut(w io.Writer) *jsonOut {
	n := jsonBlock + 4<<10
	if w == nil {
		n = 4 << 10
	}
	return &jsonOut{w: w, b: make([]byte, 0, n)}
}

// encodeJSON runs a document's writer, write, for both of its methods:
// MarshalJSON (w nil: the document is returned whole) and WriteJSON (the
// document is streamed to w; the first write error is returned).
func encodeJSON(w io.Writer, write func(*jsonOut)) ([]byte, error) {
	j := newJSONOut(w)
	write(j)
	if w != nil {
		return nil, j.done()
	}
	return j.b, nil
}

// more flushes a full block; call it between records.
func (j *jsonOut) more() {
	if j.w != nil && len(j.b) >= jsonBlock {
		j.flush()
	}
}

func (j *jsonOut) flush() {
	if j.err == nil && len(j.b) > 0 {
		n, err := j.w.Write(j.b)
		if err == nil && n < len(j.b) {
			err = io.ErrShortWrite
		}
		j.err = err
	}
	j.b = j.b[:0]
}

// done flushes what is left and returns the first error.
func (j *jsonOut) done() error {
	if j.w != nil {
		j.flush()
	}
	return j.err
}

func (j *jsonOut) raw(s string) { j.b = append(j.b, s...) }

func (j *jsonOut) int(n int) { j.b = strconv.AppendInt(j.b, int64(n), 10) }

func (j *jsonOut) bool(v bool) { j.b = strconv.AppendBool(j.b, v) }

// str writes a string as the plan's compact did (no HTML escaping).
func (j *jsonOut) str(s string) { j.b = expr.AppendJSONString(j.b, s, false) }

// member writes `, "name": "value"` (the leading comma unless first).
func (j *jsonOut) member(first bool, name, value string) {
	if !first {
		j.raw(", ")
	}
	j.b = append(j.b, '"')
	j.b = append(j.b, name...)
	j.raw(`": `)
	j.str(value)
}

// value writes what jsonValue (or the redaction) made of a value, as
// compact wrote it: null, a string, a list of strings; anything else goes
// through compact itself, so a change of jsonValue's types keeps its one
// rendering.
func (j *jsonOut) value(x any) {
	switch x := x.(type) {
	case nil:
		j.raw("null")
	case string:
		j.str(x)
	case []string:
		j.strings(x)
	case bool:
		j.bool(x)
	case json.RawMessage:
		// expr.AppendJSON's rendering, spaced as compact spaces it.
		if !json.Valid(x) {
			j.b = append(j.b, compact(x)...) // fails as it always did
			return
		}
		j.b = appendSpaced(j.b, x)
	default:
		j.b = append(j.b, compact(x)...)
	}
}

// strings writes a list of strings as compact did: ["a", "b"], null for nil.
func (j *jsonOut) strings(l []string) {
	if l == nil {
		j.raw("null")
		return
	}
	j.b = append(j.b, '[')
	for i, s := range l {
		if i > 0 {
			j.raw(", ")
		}
		j.str(s)
	}
	j.b = append(j.b, ']')
}

// appendSpaced appends valid JSON text as compact writes it: without
// whitespace outside strings, with a space after each colon and comma.
func appendSpaced(dst, src []byte) []byte {
	inString, escaped := false, false
	for _, c := range src {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			continue
		case !inString && (c == ':' || c == ','):
			dst = append(dst, c, ' ')
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
