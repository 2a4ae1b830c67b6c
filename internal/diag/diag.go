// Package diag holds the small mechanisms that every error message of
// attrmap shares, once: where an offset is (LineCol), which name was
// meant (Suggest, Distance), what JSON type a value is (JSONKind), and the
// error of a document that does not decode (DecodeError). expr and scoping are leaves that may not import
// each other, so both import this package, which imports nothing of the
// module.
package diag

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// LineCol converts a byte offset in src to a 1-based line and column.
// Lines are counted by '\n'. The column counts runes, not bytes, from the
// start of the line, so that a caret drawn with one character per rune
// lines up under the character at fault. An offset outside src is clamped
// to it.
func LineCol[T ~string | ~[]byte](src T, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount([]byte(src[start:off])) + 1
}

// Distance is the Levenshtein edit distance between a and b, counted in
// runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Suggest returns the candidate closest to name, ignoring case, when its
// edit distance is below 3, so that it is a likely typo; "" otherwise. A
// candidate equal but for case wins outright, and ties resolve in sorted
// order, so the answer is the same on every run. It is the "did you mean"
// of every error message of attrmap.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	lower := strings.ToLower(name)
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		lc := strings.ToLower(c)
		if lc == lower {
			return c
		}
		if d := Distance(lower, lc); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// JSONKind names the JSON type of raw for messages ("object", "array",
// "string", "boolean", "null", "number"), or "nothing" when raw is blank.
// It looks at the first byte only: raw need not be valid.
func JSONKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// DecodeError reports a document that cannot be decoded: invalid JSON, or
// a member whose type does not fit the model. Line and Col (1-based, see
// LineCol) locate the problem when known; Path is the JSON path of the
// member at fault, such as "groups[0].clauses[1]", when known. mapping
// calls it LoadError (also for a line of a mapping listing) and scoping
// DecodeError.
type DecodeError struct {
	Line, Col int
	Path      string
	Msg       string
}

// Error formats the error as "line 3, column 5: path: msg", leaving out
// what is not known (a listing's errors know only the line).
func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(", column " + strconv.Itoa(e.Col))
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}
