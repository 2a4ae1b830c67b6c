package objfile

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"slices"
	"unicode/utf8"
)

// Reading JSON in one pass.
//
// encoding/json's Decoder scans each value twice (once to find its end,
// once more to copy it into a RawMessage), and Split a third time. The
// fast reader below scans each object of a JSON stream or array once: it
// checks the syntax and cuts the top-level members as it goes. It accepts
// only what encoding/json accepts, and it never reports an error itself:
// at the first byte it is not sure of (a syntax error, a value that is not
// an object, nesting deeper than maxFastDepth, text after the array, a
// failed read) it hands the rest of the input to the Decoder at the
// position the Decoder would have reached, which then reads on and
// reports exactly as it always has. Valid files never reach the Decoder.

// fastJSON is the state of the fast reader.
type fastJSON struct {
	// Keep is where the Decoder would resume: the end of the last object
	// returned (or the start).
	Window
	array bool
	elems int  // the objects of the array returned so far
	done  bool // the input ended after the array or the last value
}

// Window is the read buffer of a one-pass scanner: Fill reads more input
// and keeps the bytes from Keep on, so that a value the buffer ends inside
// can be scanned again from its start.
type Window struct {
	Buf  []byte
	Pos  int   // the next byte to look at
	Keep int   // nothing from Keep on is dropped
	Off  int64 // the input offset of Buf[0]
	EOF  bool
	Err  error // the read error, other than io.EOF, that ended the input
	Size int   // the first buffer's size
}

// fastChunk is the size of the fast reader's first buffer; it grows to
// hold an object larger than half of it.
const fastChunk = 256 << 10

// errFallback tells nextJSON to hand the input to the Decoder.
var errFallback = &Error{Msg: "fall back to encoding/json"}

// nextFast returns the next object's text, its input offset and its
// members (in r.top); io.EOF at the end, errFallback when the Decoder must
// take over.
func (r *Reader) nextFast() ([]byte, int64, error) {
	f := r.fast
	if f.done {
		return nil, 0, io.EOF
	}
	for {
		i := skipSpace(f.Buf, f.Pos)
		if i == len(f.Buf) {
			if f.EOF || f.Err != nil {
				if f.array || f.Err != nil {
					return nil, 0, errFallback // an unclosed array, a failed read
				}
				f.done = true
				return nil, 0, io.EOF
			}
			f.Fill(r.br)
			continue
		}
		if f.array {
			c := f.Buf[i]
			switch {
			case c == ']':
				// The end of the array: only white space may follow.
				f.Pos = i + 1
				for {
					f.Pos = skipSpace(f.Buf, f.Pos)
					if f.Pos < len(f.Buf) || f.Err != nil {
						return nil, 0, errFallback
					}
					if f.EOF {
						f.done = true
						return nil, 0, io.EOF
					}
					f.Fill(r.br)
				}
			case f.elems > 0 && c == ',':
				i = skipSpace(f.Buf, i+1)
				if i == len(f.Buf) {
					if f.EOF || f.Err != nil {
						return nil, 0, errFallback
					}
					f.Fill(r.br)
					continue
				}
			case f.elems > 0:
				return nil, 0, errFallback
			}
		}
		if f.Buf[i] != '{' {
			return nil, 0, errFallback
		}
		top, end, st := scanObject(f.Buf, i, r.top[:0], &r.names)
		r.top = top
		switch st {
		case ScanMore:
			if f.EOF || f.Err != nil {
				return nil, 0, errFallback
			}
			f.Fill(r.br)
			continue
		case ScanBad:
			return nil, 0, errFallback
		}
		f.Pos, f.Keep = end, end
		f.elems++
		return f.Buf[i:end], f.Off + int64(i), nil
	}
}

// Fill reads more input, keeping the bytes from Keep on (Keep becomes 0),
// until the buffer is full or the input ends. The buffer grows when what
// is kept fills half of it, so that a large value (a Graph page) is
// scanned again only a few times.
func (w *Window) Fill(src io.Reader) {
	if w.Keep > 0 {
		n := copy(w.Buf, w.Buf[w.Keep:])
		w.Off += int64(w.Keep)
		w.Pos -= w.Keep
		w.Buf = w.Buf[:n]
		w.Keep = 0
	}
	if cap(w.Buf) == 0 {
		w.Buf = make([]byte, 0, max(w.Size, 1))
	} else if len(w.Buf) > cap(w.Buf)/2 {
		w.Buf = slices.Grow(w.Buf, cap(w.Buf))
	}
	for len(w.Buf) < cap(w.Buf) {
		n, err := src.Read(w.Buf[len(w.Buf):cap(w.Buf)])
		w.Buf = w.Buf[:len(w.Buf)+n]
		if err == io.EOF {
			w.EOF = true
			break
		}
		if err != nil {
			w.Err = err
			break
		}
		if n == 0 {
			break
		}
	}
}

// fallback hands the input from the end of the last object returned to a
// Decoder, in the state the Decoder would be in there: in an array, after
// its '[' or after an element (the element is replaced by {}, decoded
// here).
func (r *Reader) fallback() {
	f := r.fast
	r.fast = nil
	prefix := ""
	if f.array {
		prefix = "["
		if f.elems > 0 {
			prefix = "[{}"
		}
	}
	// What is read comes in one piece, as the Decoder would have had it
	// (where a syntax error is reported can depend on what the Decoder
	// holds beyond it).
	for !f.EOF && f.Err == nil && len(f.Buf)-f.Keep < fastChunk/4 {
		f.Fill(r.br)
	}
	srcs := []io.Reader{bytes.NewReader(append([]byte(prefix), f.Buf[f.Keep:]...))}
	switch {
	case f.Err != nil:
		srcs = append(srcs, errReader{f.Err})
	case !f.EOF:
		srcs = append(srcs, r.br)
	}
	r.base = f.Off + int64(f.Keep) - int64(len(prefix))
	r.decSrc = &spaceTrimmer{r: io.MultiReader(srcs...)}
	r.dec = json.NewDecoder(r.decSrc)
	if f.array {
		r.dec.Token()
		if f.elems > 0 {
			var skip json.RawMessage
			r.dec.Decode(&skip)
		}
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// ScanStatus tells how ScanObject or ScanValue ended.
type ScanStatus uint8

// The ends of a scan.
const (
	ScanOK   ScanStatus = iota
	ScanMore            // the input ends inside the value
	ScanBad             // not valid JSON, or not sure: encoding/json decides
)

// ScanObject checks the JSON object at b[i] ('{') as encoding/json would
// accept it, appends its members to dst (names decoded through names) and
// returns its end. ScanMore means b ends inside it; ScanBad that it is not
// valid JSON, or too deep to be sure: encoding/json must judge it.
func ScanObject(b []byte, i int, dst []Member, names *Names) ([]Member, int, ScanStatus) {
	return scanObject(b, i, dst, names)
}

// ScanValue checks the JSON value at b[i] as ScanObject does and returns
// its end. A number must be followed by a byte in b.
func ScanValue(b []byte, i int) (int, ScanStatus) { return scanValue(b, i, 0) }

// SkipSpace returns the index of the first byte from i that is not JSON
// white space.
func SkipSpace(b []byte, i int) int { return skipSpace(b, i) }

// maxFastDepth bounds the nesting the fast reader scans; deeper values
// go to the Decoder (which allows 10000 levels).
const maxFastDepth = 64

// scanObject checks the JSON object at b[i] ('{') and appends its members
// to dst; it returns the object's end.
func scanObject(b []byte, i int, dst []Member, names *Names) ([]Member, int, ScanStatus) {
	i = skipSpace(b, i+1)
	if i >= len(b) {
		return dst, i, ScanMore
	}
	if b[i] == '}' {
		return dst, i + 1, ScanOK
	}
	for {
		if b[i] != '"' {
			return dst, i, ScanBad
		}
		start := i
		end, plain, st := scanString(b, i)
		if st != ScanOK {
			return dst, end, st
		}
		var key []byte
		if plain {
			key = b[start+1 : end-1]
		} else {
			key = names.decode(b[start:end])
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return dst, i, ScanMore
		}
		if b[i] != ':' {
			return dst, i, ScanBad
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return dst, i, ScanMore
		}
		start = i
		if end, st = scanValue(b, i, 1); st != ScanOK {
			return dst, end, st
		}
		dst = append(dst, Member{Name: key, Raw: b[start:end]})
		i = skipSpace(b, end)
		if i >= len(b) {
			return dst, i, ScanMore
		}
		switch b[i] {
		case ',':
			if i = skipSpace(b, i+1); i >= len(b) {
				return dst, i, ScanMore
			}
		case '}':
			return dst, i + 1, ScanOK
		default:
			return dst, i, ScanBad
		}
	}
}

// scanValue checks the JSON value at b[i] and returns its end.
func scanValue(b []byte, i, depth int) (int, ScanStatus) {
	switch c := b[i]; c {
	case '"':
		end, _, st := scanString(b, i)
		return end, st
	case '{', '[':
		if depth >= maxFastDepth {
			return i, ScanBad
		}
		return scanContainer(b, i, depth+1)
	case 't':
		return scanLiteral(b, i, "true")
	case 'f':
		return scanLiteral(b, i, "false")
	case 'n':
		return scanLiteral(b, i, "null")
	}
	return scanNumber(b, i)
}

// scanContainer checks a nested object or array.
func scanContainer(b []byte, i, depth int) (int, ScanStatus) {
	object := b[i] == '{'
	closer := byte(']')
	if object {
		closer = '}'
	}
	i = skipSpace(b, i+1)
	if i >= len(b) {
		return i, ScanMore
	}
	if b[i] == closer {
		return i + 1, ScanOK
	}
	for {
		var st ScanStatus
		if object {
			if b[i] != '"' {
				return i, ScanBad
			}
			if i, _, st = scanString(b, i); st != ScanOK {
				return i, st
			}
			if i = skipSpace(b, i); i >= len(b) {
				return i, ScanMore
			}
			if b[i] != ':' {
				return i, ScanBad
			}
			if i = skipSpace(b, i+1); i >= len(b) {
				return i, ScanMore
			}
		}
		if i, st = scanValue(b, i, depth); st != ScanOK {
			return i, st
		}
		if i = skipSpace(b, i); i >= len(b) {
			return i, ScanMore
		}
		switch b[i] {
		case ',':
			if i = skipSpace(b, i+1); i >= len(b) {
				return i, ScanMore
			}
		case closer:
			return i + 1, ScanOK
		default:
			return i, ScanBad
		}
	}
}

// strPlain marks the bytes a string holds as they are: not a quote, a
// backslash, a control character or the start of a multi-byte sequence.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString checks the string literal at b[i] ('"') and returns its end,
// and whether its contents need no decoding (as PlainString says).
func scanString(b []byte, i int) (end int, plain bool, st ScanStatus) {
	esc, high := false, false
	j := i + 1
	for {
		// Eight bytes at a time while none is special, then one at a time.
		for j+8 <= len(b) && special8(binary.LittleEndian.Uint64(b[j:])) == 0 {
			j += 8
		}
		for j < len(b) && strPlain[b[j]] {
			j++
		}
		if j >= len(b) {
			return j, false, ScanMore
		}
		switch c := b[j]; {
		case c == '"':
			plain = !esc && (!high || utf8.Valid(b[i+1:j]))
			return j + 1, plain, ScanOK
		case c == '\\':
			esc = true
			if j+1 >= len(b) {
				return j, false, ScanMore
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(b) {
						return k, false, ScanMore
					}
					if !isHex(b[k]) {
						return k, false, ScanBad
					}
				}
				j += 6
			default:
				return j, false, ScanBad
			}
		case c < 0x20:
			return j, false, ScanBad
		default: // a byte of a multi-byte sequence: any is accepted
			high = true
			j++
		}
	}
}

// special8 is not 0 when one of the eight bytes in x is not strPlain: a
// quote, a backslash, below 0x20 or above 0x7f.
func special8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// (v - ones*n) &^ v & highs is not 0 when a byte of v is below n
	// (n <= 0x80): a borrow only crosses bytes after such a byte.
	q := x ^ (ones * '"')
	bs := x ^ (ones * '\\')
	return ((x-ones*0x20)&^x | (q-ones)&^q | (bs-ones)&^bs | x) & highs
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanLiteral checks true, false or null at b[i].
func scanLiteral(b []byte, i int, lit string) (int, ScanStatus) {
	if len(b)-i < len(lit) {
		if string(b[i:]) == lit[:len(b)-i] {
			return len(b), ScanMore
		}
		return i, ScanBad
	}
	if string(b[i:i+len(lit)]) != lit {
		return i, ScanBad
	}
	return i + len(lit), ScanOK
}

// scanNumber checks a number at b[i]; the byte after it must be in b.
func scanNumber(b []byte, i int) (int, ScanStatus) {
	j := i
	if b[j] == '-' {
		if j++; j >= len(b) {
			return j, ScanMore
		}
	}
	switch {
	case b[j] == '0':
		j++
	case '1' <= b[j] && b[j] <= '9':
		j = digits(b, j+1)
	default:
		return j, ScanBad
	}
	if j >= len(b) {
		return j, ScanMore
	}
	if b[j] == '.' {
		if j++; j >= len(b) {
			return j, ScanMore
		}
		if !isDigit(b[j]) {
			return j, ScanBad
		}
		if j = digits(b, j); j >= len(b) {
			return j, ScanMore
		}
	}
	if b[j] == 'e' || b[j] == 'E' {
		if j++; j >= len(b) {
			return j, ScanMore
		}
		if b[j] == '+' || b[j] == '-' {
			if j++; j >= len(b) {
				return j, ScanMore
			}
		}
		if !isDigit(b[j]) {
			return j, ScanBad
		}
		if j = digits(b, j); j >= len(b) {
			return j, ScanMore
		}
	}
	return j, ScanOK
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(b []byte, j int) int {
	for j < len(b) && isDigit(b[j]) {
		j++
	}
	return j
}
