package expr

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// .NET regular expressions on top of regexp2, which implements .NET's
// syntax and engine but matches code points, not .NET's UTF-16 code units,
// and lacks a few constructs. This file closes those gaps; the match time
// budget is the engine's business (expr.go), not this file's.
//
// The construct that still differs from .NET: \W inside a character class
// (regexp2 counts U+200C and U+200D as word characters there, .NET only for
// \b). RegexOptions (ECMAScript, RightToLeft) are not exposed by any
// function.

// netPattern rewrites a .NET pattern for regexp2:
//   - \p{IsGreek}-style named blocks (.NET's table, netblocks.go) become
//     ranges of code units, \P{IsGreek} their complement;
//   - \w and \W become .NET's classes [\p{L}\p{Mn}\p{Nd}\p{Pc}] (regexp2
//     adds U+200C and U+200D, which .NET counts as word characters only
//     for \b);
//   - a character outside the Basic Multilingual Plane becomes its two
//     surrogate code units, as .NET sees it (so in 😀+ the + repeats the
//     low surrogate, as in .NET).
//
// Everything else, escapes included, is kept as written.
func netPattern(p string) string {
	if !strings.Contains(p, `\p{Is`) && !strings.Contains(p, `\P{Is`) && !strings.Contains(p, `\w`) &&
		!strings.Contains(p, `\W`) && !hasAstral(p) {
		return p
	}
	var b strings.Builder
	inClass := 0 // nesting of character classes ([a-z-[aeiou]] nests)
	classStart := -1
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			next := p[i+1]
			if next == 'p' || next == 'P' {
				if end := strings.IndexByte(p[i:], '}'); end > 0 && i+2 < len(p) && p[i+2] == '{' {
					name := p[i+3 : i+end]
					if r, ok := netBlocks[name]; ok {
						writeBlock(&b, r, next == 'P', inClass > 0)
						i += end + 1
						continue
					}
				}
			}
			if next == 'w' && inClass == 0 {
				b.WriteString(`[\p{L}\p{Mn}\p{Nd}\p{Pc}]`)
				i += 2
				continue
			}
			if next == 'w' {
				b.WriteString(`\p{L}\p{Mn}\p{Nd}\p{Pc}`)
				i += 2
				continue
			}
			if next == 'W' && inClass == 0 {
				b.WriteString(`[^\p{L}\p{Mn}\p{Nd}\p{Pc}]`)
				i += 2
				continue
			}
			_, w := utf8.DecodeRuneInString(p[i+1:])
			b.WriteString(p[i : i+1+w])
			i += 1 + w
			continue
		case c == '[':
			if inClass == 0 {
				inClass, classStart = 1, i
			} else if i > 0 && p[i-1] == '-' {
				inClass++
			}
		case c == ']' && inClass > 0:
			// a ] right after [ or [^ is a literal
			if !(i == classStart+1 || i == classStart+2 && p[classStart+1] == '^') {
				inClass--
			}
		case c >= 0xF0:
			r, w := utf8.DecodeRuneInString(p[i:])
			if r != utf8.RuneError {
				hi, lo := utf16.EncodeRune(r)
				b.WriteString(`\u` + hex4(hi) + `\u` + hex4(lo))
				i += w
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func hex4(r rune) string {
	s := strconv.FormatInt(int64(r), 16)
	return strings.Repeat("0", 4-len(s)) + s
}

// writeBlock writes the code-unit range r of a named block, negated for
// \P, as a class of its own or, inside a class, as ranges.
func writeBlock(b *strings.Builder, r [2]rune, negate, inClass bool) {
	rng := `\u` + hex4(r[0]) + `-\u` + hex4(r[1])
	switch {
	case !inClass && !negate:
		b.WriteString("[" + rng + "]")
	case !inClass:
		b.WriteString("[^" + rng + "]")
	case !negate:
		b.WriteString(rng)
	default:
		// the complement within a class: the units below and above
		if r[0] > 0 {
			b.WriteString(`\u0000-\u` + hex4(r[0]-1))
		}
		if r[1] < 0xFFFF {
			b.WriteString(`\u` + hex4(r[1]+1) + `-\uffff`)
		}
	}
}

// units16 returns s as .NET's Regex sees it: UTF-16 code units, widened to
// runes (a surrogate is a character of category Cs of its own).
func units16(s string) []rune {
	u := utf16.Encode([]rune(s))
	r := make([]rune, len(u))
	for i, c := range u {
		r[i] = rune(c)
	}
	return r
}

// appendUnits16 appends the UTF-16 code units of s to r.
func appendUnits16(r []rune, s string) []rune {
	for _, c := range s {
		if c >= 0x10000 {
			hi, lo := utf16.EncodeRune(c)
			r = append(r, hi, lo)
		} else {
			r = append(r, c)
		}
	}
	return r
}

// string16 turns code units back into text; half a surrogate pair becomes
// U+FFFD, as .NET's UTF-8 encoder writes it.
func string16(r []rune) string {
	u := make([]uint16, len(r))
	for i, c := range r {
		u[i] = uint16(c)
	}
	return string(utf16.Decode(u))
}

// regexReplace is .NET's Regex.Replace(s, repl): every match replaced, with
// the substitutions $1, ${name}, $&, $`, $', $+, $_ and $$ (a reference to
// a group the pattern does not have stays literal text). Text outside the
// Basic Multilingual Plane is matched as UTF-16 code units.
//
// The result is bounded by MaxValueSize while it is built, not after: a
// replacement such as "$_$_$_" repeats the whole input at every match, so a
// short expression could otherwise allocate gigabytes before its size is
// checked.
func regexReplace(re *regex, s, repl string) (string, error) {
	if !hasAstral(s) && replaceBound(s, repl) <= MaxValueSize {
		return re.Replace(s, repl) // rxlimit: a timeout on any match is an error
	}
	in := units16(s)
	var out []rune
	last := 0
	m, err := re.FindRunesMatch(in)
	for ; m != nil && err == nil; m, err = re.FindNextMatch(m) {
		if out, err = appendLimited(out, in[last:m.Index]); err != nil {
			return "", err
		}
		if out, err = expandReplacement(out, re, m, in, repl); err != nil {
			return "", err
		}
		last = m.Index + m.Length
	}
	if err != nil {
		return "", err
	}
	if out, err = appendLimited(out, in[last:]); err != nil {
		return "", err
	}
	return string16(out), nil
}

// replaceBound is an upper bound, in UTF-8 bytes, of the result of
// replacing the matches in s with repl: the unmatched text, and at each of
// at most len(s)+1 matches the literal text of repl and, for each $, at
// most the whole of s (a group, $&, $`, $', $_). It saturates instead of
// overflowing.
func replaceBound(s, repl string) int {
	perMatch := len(repl) + strings.Count(repl, "$")*len(s)
	if len(s) > 0 && perMatch > (math.MaxInt-len(s))/(len(s)+1) {
		return math.MaxInt
	}
	return len(s) + (len(s)+1)*perMatch
}

// appendLimited appends units to out unless the result would exceed
// MaxValueSize code units, each of which is at least one byte in UTF-8 (a
// surrogate pair, two units, is four bytes): a longer result is certainly
// over the limit of bytes.
func appendLimited(out, units []rune) ([]rune, error) {
	if n := len(out) + len(units); n > MaxValueSize {
		return out, &SizeError{Size: n, AtLeast: true}
	}
	return append(out, units...), nil
}

// expandReplacement appends repl with .NET's substitutions for match m of
// input in, failing with a *SizeError as soon as the result would exceed
// MaxValueSize.
func expandReplacement(out []rune, re *regex, m *regexp2.Match, in []rune, repl string) ([]rune, error) {
	var err error
	add := func(units []rune) bool {
		out, err = appendLimited(out, units)
		return err == nil
	}
	group := func(num int) []rune {
		g := m.GroupByNumber(num)
		if g == nil || len(g.Captures) == 0 {
			return nil
		}
		return in[g.Index : g.Index+g.Length]
	}
	valid := func(num int) bool {
		for _, n := range re.GetGroupNumbers() {
			if n == num {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(repl); {
		if repl[i] != '$' || i+1 >= len(repl) {
			_, w := utf8.DecodeRuneInString(repl[i:])
			// Literal text adds at most len(repl) units per match; the
			// next check bounds it.
			out = appendUnits16(out, repl[i:i+w])
			i += w
			continue
		}
		next := repl[i+1]
		switch {
		case next == '{':
			end := strings.IndexByte(repl[i:], '}')
			if end > 2 {
				name := repl[i+2 : i+end]
				num := -1
				if n, err := strconv.Atoi(name); err == nil && isDigits(name) {
					if valid(n) {
						num = n
					}
				} else {
					num = re.GroupNumberFromName(name)
				}
				if num >= 0 {
					if !add(group(num)) {
						return out, err
					}
					i += end + 1
					continue
				}
			}
		case next >= '0' && next <= '9':
			j := i + 1
			for j < len(repl) && repl[j] >= '0' && repl[j] <= '9' {
				j++
			}
			if n, aerr := strconv.Atoi(repl[i+1 : j]); aerr == nil && valid(n) {
				if !add(group(n)) {
					return out, err
				}
				i = j
				continue
			}
		case next == '$':
			if !add([]rune{'$'}) {
				return out, err
			}
			i += 2
			continue
		case next == '&':
			if !add(in[m.Index : m.Index+m.Length]) {
				return out, err
			}
			i += 2
			continue
		case next == '`':
			if !add(in[:m.Index]) {
				return out, err
			}
			i += 2
			continue
		case next == '\'':
			if !add(in[m.Index+m.Length:]) {
				return out, err
			}
			i += 2
			continue
		case next == '+':
			if !add(group(lastGroupNumber(re))) {
				return out, err
			}
			i += 2
			continue
		case next == '_':
			if !add(in) {
				return out, err
			}
			i += 2
			continue
		}
		if !add([]rune{'$'}) {
			return out, err
		}
		i++
	}
	return out, nil
}

// lastGroupNumber is the number of the group $+ refers to: the last in
// .NET's numbering (unnamed groups first, then named ones).
func lastGroupNumber(re *regex) int {
	nums := re.GetGroupNumbers()
	return nums[len(nums)-1]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// regexReplaceGroup replaces, in every match of re in s, the text captured
// by group num with repl (taken literally, without $ substitutions). Only
// the group's last capture is replaced, the one .NET's Match.Groups
// exposes; a match where the group did not take part, or captured outside
// the match (inside a lookaround), is kept as it is.
func regexReplaceGroup(re *regex, s string, num int, repl string) (string, error) {
	in := units16(s)
	var out []rune
	last := 0
	m, err := re.FindRunesMatch(in)
	for ; m != nil && err == nil; m, err = re.FindNextMatch(m) {
		end := m.Index + m.Length
		if len(out) > MaxValueSize {
			// Each match adds at most its own text and repl: the check
			// before the next one bounds what is allocated.
			return "", &SizeError{Size: len(out), AtLeast: true}
		}
		out = append(out, in[last:m.Index]...)
		last = end
		g := m.GroupByNumber(num)
		if g == nil || len(g.Captures) == 0 || g.Index < m.Index || g.Index+g.Length > end {
			out = append(out, in[m.Index:end]...)
			continue
		}
		out = append(out, in[m.Index:g.Index]...)
		out = appendUnits16(out, repl)
		out = append(out, in[g.Index+g.Length:end]...)
	}
	if err != nil {
		return "", err
	}
	return string16(append(out, in[last:]...)), nil
}

// regexExtractGroup returns what group num captured in the first match of
// re in s; ok is false when there is no match or the group took no part.
func regexExtractGroup(re *regex, s string, num int) (got string, ok bool, err error) {
	in := units16(s)
	m, err := re.FindRunesMatch(in)
	if err != nil || m == nil {
		return "", false, err
	}
	g := m.GroupByNumber(num)
	if g == nil || len(g.Captures) == 0 {
		return "", false, nil
	}
	return string16(in[g.Index : g.Index+g.Length]), true, nil
}
