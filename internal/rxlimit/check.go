package rxlimit

import (
	"fmt"
	"strings"
)

// Check rejects a pattern with an unbounded quantifier (*, +, {n,}) over a
// group that itself holds an unbounded quantifier, such as (a+)+ or
// (\w+\s?)*: a backtracking engine tries exponentially many ways to split a
// string that does not match. An atomic group, (?>a+)+, does not backtrack
// into itself and is accepted, so such a pattern can always be written
// safely. Overlapping alternatives under a quantifier, (a|ab)*, are not
// detected; the budget stops them.
//
// Check expects a pattern regexp2 has compiled; it does not report syntax
// errors.
func Check(pattern string) error {
	type frame struct {
		start     int  // offset of "("
		atomic    bool // (?>...)
		unbounded bool // holds an unbounded quantifier outside atomic groups
	}
	stack := []frame{{start: -1}}
	// last describes the atom just read, which a quantifier applies to.
	lastStart, lastUnbounded := -1, false
	rs := pattern
	for i := 0; i < len(rs); {
		c := rs[i]
		switch c {
		case '\\':
			atom := i
			i += 2
			if i <= len(rs) && (rs[i-1] == 'p' || rs[i-1] == 'P') && i < len(rs) && rs[i] == '{' {
				if j := strings.IndexByte(rs[i:], '}'); j >= 0 {
					i += j + 1
				}
			}
			lastStart, lastUnbounded = atom, false
			continue
		case '[':
			atom := i
			i = skipClass(rs, i)
			lastStart, lastUnbounded = atom, false
			continue
		case '(':
			if strings.HasPrefix(rs[i:], "(?#") {
				if j := strings.IndexByte(rs[i:], ')'); j >= 0 {
					i += j + 1
				} else {
					i = len(rs)
				}
				continue
			}
			stack = append(stack, frame{start: i, atomic: strings.HasPrefix(rs[i:], "(?>")})
			lastStart = -1
			i++
			continue
		case ')':
			if len(stack) > 1 {
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				lastStart, lastUnbounded = f.start, f.unbounded && !f.atomic
				if lastUnbounded {
					stack[len(stack)-1].unbounded = true
				}
			}
			i++
			continue
		case '*', '+', '?', '{':
			n, unbounded, ok := quantifier(rs[i:])
			if !ok { // a literal {
				lastStart, lastUnbounded = i, false
				i++
				continue
			}
			if unbounded && lastStart >= 0 {
				if lastUnbounded {
					return &NestedError{Pattern: pattern, Group: lastStart, Quantifier: i}
				}
				stack[len(stack)-1].unbounded = true
			}
			i += n
			if i < len(rs) && rs[i] == '?' { // lazy
				i++
			}
			lastStart = -1
			continue
		case '|':
			lastStart = -1
		default:
			lastStart, lastUnbounded = i, false
		}
		i++
	}
	return nil
}

// NestedError reports nested unbounded quantifiers.
type NestedError struct {
	Pattern    string
	Group      int // byte offset of the quantified group
	Quantifier int // byte offset of the outer quantifier
}

func (e *NestedError) Error() string {
	end := e.Quantifier + 1
	if n, _, ok := quantifier(e.Pattern[e.Quantifier:]); ok {
		end = e.Quantifier + n
	}
	return fmt.Sprintf("nested quantifier %q can backtrack exponentially (make the group atomic, (?>...), or remove the inner repetition)",
		e.Pattern[e.Group:end])
}

// quantifier reads a quantifier at the start of s: its length and whether
// it is unbounded. ok is false when s starts with a { that is not one.
func quantifier(s string) (n int, unbounded, ok bool) {
	switch s[0] {
	case '*', '+':
		return 1, true, true
	case '?':
		return 1, false, true
	}
	j := strings.IndexByte(s, '}')
	if j < 0 {
		return 0, false, false
	}
	body := s[1:j]
	lo, hi, comma := strings.Cut(body, ",")
	if !digits(lo) || (comma && hi != "" && !digits(hi)) {
		return 0, false, false
	}
	return j + 1, comma && hi == "", true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// skipClass returns the offset after the character class starting at i,
// .NET subtractions ([a-z-[aeiou]]) included.
func skipClass(s string, i int) int {
	i++ // [
	if i < len(s) && s[i] == '^' {
		i++
	}
	if i < len(s) && s[i] == ']' { // a leading ] is literal
		i++
	}
	for i < len(s) {
		switch s[i] {
		case '\\':
			i += 2
			continue
		case '[':
			if i > 0 && s[i-1] == '-' {
				i = skipClass(s, i)
				continue
			}
		case ']':
			return i + 1
		}
		i++
	}
	return len(s)
}
