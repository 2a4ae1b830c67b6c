package expr

import (
	"time"

	"github.com/attrmap/attrmap/internal/rxlimit"
	"testing"
	"unicode/utf8"
)

// FuzzDotNet guards the .NET layers against panics: the regex pattern
// rewrite and UTF-16 matching, VB's numeric strings, the culture-aware
// InStr and the UTF-8 decoder.
func FuzzDotNet(f *testing.F) {
	for _, s := range []string{`\p{IsGreek}+`, `[^\P{IsBasicLatin}a]`, `😀+\w`, `&H10`, ` (1,000.5e3)- `, "Stra\u00dfe", "\xe2\x82", `\p{Is`, `[\]\p{IsArrows}]`} {
		f.Add(s, "ss", 1)
	}
	f.Fuzz(func(t *testing.T, s, u string, start int) {
		if re, err := rxlimit.Compile(netPattern(s), 50*time.Millisecond); err == nil {
			if _, err := regexReplace(re, u, "$1${x}$$$&$`$'$+$_"); err != nil {
				return
			}
			_, _, _ = regexExtractGroup(re, u, 0)
			_, _ = regexReplaceGroup(re, u, 0, "x")
		}
		_, _ = parseVBNumber(s)
		if start < 1 {
			start = 1
		}
		start = start%64 + 1
		_ = instr(s, u, start, true)
		_ = instr(s, u, start, false)
		_ = mid(s, start, len(u))
		if got := decodeUTF8([]byte(s)); !utf8.ValidString(got) {
			t.Fatalf("decodeUTF8(%q) = %q is not valid UTF-8", s, got)
		}
	})
}
