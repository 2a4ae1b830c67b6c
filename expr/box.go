package expr

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Boxing strings without a second allocation.
//
// A String stored in a Value is a pointer to a 16-byte string header
// pointing at the bytes: building a new string and returning it as a Value
// costs two allocations, the bytes and the header, and the header is one
// the collector must scan. The functions that build their result (Join,
// ToLower, Replace, the & operator) instead allocate the header and the
// bytes together, as one pointer-free block, header first. The collector
// never needs to see the header's pointer: it points into the block
// itself, and whoever copies the string out of the Value holds a pointer
// into that block, which keeps it alive. Values are immutable, so nothing
// ever stores another pointer in the header.
//
// Values read from a NewEnv reuse the header the map's interface already
// holds, for the same reason: it is immutable.
//
// Both depend on the layout of interface values (a type or method-table
// word, then a data pointer), which every Go release has had and which
// TestBoxedStrings checks, also across collections.

// ifaceWords is the layout of an interface value.
type ifaceWords struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// stringTab is the method-table word of a String in a Value, and
// goStringType the type word of a string in an any.
var (
	stringTab    = words(String("x")).tab
	goStringType = anyWords("x").tab
)

func words(v Value) ifaceWords { return *(*ifaceWords)(unsafe.Pointer(&v)) }

func anyWords(v any) ifaceWords { return *(*ifaceWords)(unsafe.Pointer(&v)) }

const headerSize = unsafe.Sizeof("")

// newString returns a String Value of n bytes and the bytes, which the
// caller fills before the Value is used anywhere.
func newString(n int) (Value, []byte) {
	if n == 0 {
		return String(""), nil
	}
	block := make([]byte, int(headerSize)+n)
	b := block[headerSize:]
	h := (*string)(unsafe.Pointer(&block[0]))
	*h = unsafe.String(&b[0], n)
	var v Value
	w := (*ifaceWords)(unsafe.Pointer(&v))
	w.tab, w.data = stringTab, unsafe.Pointer(h)
	return v, b
}

// stringOf returns s, a string held in an any, as a String Value sharing
// the header the any points to.
func stringOf(s any) (Value, bool) {
	a := anyWords(s)
	if a.tab != goStringType {
		return nil, false
	}
	var v Value
	w := (*ifaceWords)(unsafe.Pointer(&v))
	w.tab, w.data = stringTab, a.data
	return v, true
}

// concat returns a + b as a String Value, in one allocation.
func concat(a, b string) Value {
	v, buf := newString(len(a) + len(b))
	copy(buf[copy(buf, a):], b)
	return v
}

// lowerString lower-cases s, held in v, as ToLower does with the
// invariant culture (toLowerCulture), returning v itself when nothing
// changes. ASCII text is lowered here, into a single allocation.
func lowerString(v Value, s string) Value {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			if r := toLowerCulture(s, nil); r != s {
				return String(r)
			}
			return v
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	if !upper {
		return v
	}
	out, b := newString(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return out
}

// replaceString replaces every occurrence of old in s, held in v, with
// repl, as strings.ReplaceAll does, in a single allocation; v itself when
// there is none. An empty old has no occurrences (see replaceOrdinal).
func replaceString(v Value, s, old, repl string) Value {
	if old == "" {
		return v
	}
	n := strings.Count(s, old)
	if n == 0 {
		return v
	}
	out, b := newString(len(s) + n*(len(repl)-len(old)))
	at, start := 0, 0
	for range n {
		j := start + strings.Index(s[start:], old)
		at += copy(b[at:], s[start:j])
		at += copy(b[at:], repl)
		start = j + len(old)
	}
	copy(b[at:], s[start:])
	return out
}
