package expr

import (
	"testing"
	"time"
)

// fuzzPrograms are expressions over [a] and [b] that exercise the string,
// regex, date, conversion and multi-valued functions.
var fuzzPrograms = []string{
	`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [a], [b]))), "contoso.com")`,
	`Replace([a], , "(?<x>\\w+)\\s*(?<y>\\d*)", , "${y}-${x}", , )`,
	`Replace([a], , "(?<g>[aeiou])", "g", "#", , )`,
	`Replace([a], [b], , , "xy", , )`,
	`Replace([a], "<u>", , , , , [b])`,
	`FormatDateTime([a], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
	`IIF([a] = [b], Left([a], 3), Mid([b], 2, 4))`,
	`Switch([a], "d", "x", [b], "y", "z")`,
	`ToLower(ToUpper([a], "tr-TR"), "de-DE") & [b]`,
	`SelectUniqueValue(Join("", [a], [b]), Join("", [b], [a]))`,
	`CBool([a]) & CStr(NumFromDate([b]))`,
	`Split([a], [b])`,
	`ConvertToUTF8Hex(Redact([a]))`,
	`DateAdd("d", [b], CDate([a]))`,
}

// FuzzEvalValues evaluates fixed expressions on fuzzed attribute values,
// single and multi-valued: evaluation returns a value or an error, never
// panics, and is deterministic.
func FuzzEvalValues(f *testing.F) {
	f.Add("Zoë Van der Berg", "12", false)
	f.Add("20240101120000.0Z", "-3", true)
	f.Add("\xff\xfe", "", false)
	f.Add("😀a\u0301", "a,b", true)
	progs := make([]*Program, len(fuzzPrograms))
	for i, src := range fuzzPrograms {
		p, err := Compile(src, WithNow(time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)), WithRegexTimeout(time.Second))
		if err != nil {
			f.Fatalf("%s: %v", src, err)
		}
		progs[i] = p
	}
	f.Fuzz(func(t *testing.T, a, b string, multi bool) {
		attrs := map[string]any{"a": a, "b": b}
		if multi {
			attrs["a"] = []any{a, b, a}
		}
		for _, p := range progs {
			v1, err1 := p.Eval(NewEnv(attrs))
			v2, err2 := p.Eval(NewEnv(attrs))
			if (err1 == nil) != (err2 == nil) || (err1 == nil && Render(v1) != Render(v2)) {
				t.Fatalf("%s: not deterministic: %v %v / %v %v", p.Source(), v1, err1, v2, err2)
			}
		}
	})
}
