package expr

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/search"
)

// instrText is InStr with vbTextCompare: Microsoft.VisualBasic's
// InternalInStrText, CompareInfo.IndexOf(s, sub, start - 1,
// IgnoreCase | IgnoreKanaType | IgnoreWidth), a culture-aware search. It
// runs on the Unicode Collation Algorithm (CLDR root collation, as .NET's
// ICU layer does for the invariant culture) at the strength that ignores
// case and width: "ＡＢ" matches "ab", "ﬁ" matches "fi", "e" + U+0301
// matches "é", ς matches σ, and ignorable characters such as U+200D are
// skipped, while accents still count ("e" does not match "é"). ß and ẞ
// match "ss", as in .NET. A match must begin and end on character
// boundaries of value1. Positions are UTF-16 code units, as everywhere.
// Katakana and hiragana are not folded together (IgnoreKanaType).
func instrText(s, sub string, start int) int {
	n := utf16Len(s)
	pos := start - 1
	if pos > n || n == 0 {
		return 0
	}
	if sub == "" {
		return start
	}
	// the byte offset of UTF-16 position pos (past a pair cut in half)
	from, units := 0, 0
	for from < len(s) && units < pos {
		r, w := utf8.DecodeRuneInString(s[from:])
		from += w
		units += utf16Width(r)
	}
	ts, back := expandSharpS(s[from:])
	tsub, _ := expandSharpS(sub)
	m := search.New(language.Und, search.IgnoreCase, search.IgnoreWidth)
	for off := 0; off < len(ts); {
		i, j := m.IndexString(ts[off:], tsub)
		if i < 0 {
			return 0
		}
		i, j = i+off, j+off
		if back[i] >= 0 && (j == len(ts) || back[j] >= 0) {
			return units + utf16Len(s[from:from+back[i]]) + 1
		}
		_, w := utf8.DecodeRuneInString(ts[i:])
		off = i + w
	}
	return 0
}

// expandSharpS writes ß as ss and ẞ as SS (which the collation search
// does not equate at this strength, but .NET does), and returns for each
// byte offset of the result the byte offset in s it starts, or -1 inside
// an expansion.
func expandSharpS(s string) (string, []int) {
	var b strings.Builder
	back := make([]int, 0, len(s)+1)
	for i, r := range s {
		switch r {
		case 'ß', 'ẞ':
			t := "ss"
			if r == 'ẞ' {
				t = "SS"
			}
			back = append(back, i, -1)
			b.WriteString(t)
		default:
			w := utf8.RuneLen(r)
			if w < 0 {
				w = 1
			}
			back = append(back, i)
			for k := 1; k < w; k++ {
				back = append(back, -1)
			}
			b.WriteRune(r)
		}
	}
	back = append(back, len(s))
	return b.String(), back
}

// utf16Len is the length of s in UTF-16 code units, .NET's String.Length.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Width(r)
	}
	return n
}

func utf16Width(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
