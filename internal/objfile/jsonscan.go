package objfile

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// The scanners below work on JSON the decoder has already checked, so they
// need not report errors.

// Split appends the members of the JSON object raw to dst. Member names
// that need decoding (escapes, invalid UTF-8) go through names, a cache
// kept by the caller: the same few names come back in every object.
func Split(raw []byte, dst []Member, names *Names) []Member {
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] != '}' {
		end := SkipValue(raw, i)
		key, ok := PlainString(raw[i:end])
		if !ok {
			key = names.decode(raw[i:end])
		}
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // ':'
		end = SkipValue(raw, i)
		dst = append(dst, Member{Name: key, Raw: raw[i:end]})
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return dst
}

// Names caches decoded member names by their literal.
type Names struct {
	m map[string][]byte
}

// maxNames bounds the decoded names kept, should every object have its
// own.
const maxNames = 4096

func (n *Names) decode(lit []byte) []byte {
	if n != nil {
		if key, ok := n.m[string(lit)]; ok {
			return key
		}
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	if n != nil {
		if n.m == nil {
			n.m = map[string][]byte{}
		}
		if len(n.m) < maxNames {
			n.m[string(lit)] = []byte(s)
		}
	}
	return []byte(s)
}

// PlainString returns the contents of a JSON string literal when they need
// no decoding: no escapes, valid UTF-8.
func PlainString(lit []byte) ([]byte, bool) {
	s := lit[1 : len(lit)-1]
	for _, c := range s {
		if c == '\\' || c >= utf8.RuneSelf {
			if bytes.IndexByte(s, '\\') >= 0 || !utf8.Valid(s) {
				return nil, false
			}
			break
		}
	}
	return s, true
}

// StringOf returns the value of the JSON string literal lit.
func StringOf(lit []byte) string {
	if s, ok := PlainString(lit); ok {
		return string(s)
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	return s
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// SkipValue returns the end of the JSON value starting at i.
func SkipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// skipString returns the end of the string literal starting at i.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// Elements calls f with each element of the JSON array raw.
func Elements(raw []byte, f func(elem []byte) bool) {
	for i := skipSpace(raw, 1); i < len(raw) && raw[i] != ']'; {
		end := SkipValue(raw, i)
		if !f(raw[i:end]) {
			return
		}
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
}
