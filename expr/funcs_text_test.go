package expr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diacriticTable is the reference's NormalizeDiacritics table, row by row:
// every listed form must normalise to the row's plain letters.
var diacriticTable = []struct {
	forms []string
	want  string
}{
	{[]string{"ä", "à", "â", "ã", "å", "á", "ą", "ă", "ā", "ā́", "ā̀", "ā̂", "ā̃", "ǟ", "ā̈", "ǡ", "a̱", "å̄"}, "a"},
	{[]string{"Ä", "À", "Â", "Ã", "Å", "Á", "Ą", "Ă", "Ā", "Ā́", "Ā̀", "Ā̂", "Ā̃", "Ǟ", "Ā̈", "Ǡ", "A̱", "Å̄"}, "A"},
	{[]string{"æ", "ǣ"}, "ae"},
	{[]string{"Æ", "Ǣ"}, "AE"},
	{[]string{"ç", "č", "ć", "c̄", "c̱"}, "c"},
	{[]string{"Ç", "Č", "Ć", "C̄", "C̱"}, "C"},
	{[]string{"ď", "d̄", "ḏ"}, "d"},
	{[]string{"Ď", "D̄", "Ḏ"}, "D"},
	{[]string{"ë", "è", "é", "ê", "ę", "ě", "ė", "ē", "ḗ", "ḕ", "ē̂", "ē̃", "ê̄", "e̱", "ë̄", "e̊̄"}, "e"},
	{[]string{"Ë", "È", "É", "Ê", "Ę", "Ě", "Ė", "Ē", "Ḗ", "Ḕ", "Ē̂", "Ē̃", "Ê̄", "E̱", "Ë̄", "E̊̄"}, "E"},
	{[]string{"ğ", "ḡ", "g̱"}, "g"},
	{[]string{"Ğ", "Ḡ", "G̱"}, "G"},
	{[]string{"ï", "î", "ì", "í", "ı", "ī", "ī́", "ī̀", "ī̂", "ī̃", "i̱"}, "i"},
	{[]string{"Ï", "Î", "Ì", "Í", "İ", "Ī", "Ī́", "Ī̀", "Ī̂", "Ī̃", "I̱"}, "I"},
	{[]string{"ľ", "ł", "l̄", "ḹ", "ḻ"}, "l"},
	{[]string{"Ł", "Ľ", "L̄", "Ḹ", "Ḻ"}, "L"},
	{[]string{"ñ", "ń", "ň", "n̄", "ṉ"}, "n"},
	{[]string{"Ñ", "Ń", "Ň", "N̄", "Ṉ"}, "N"},
	{[]string{"ö", "ò", "ő", "õ", "ô", "ó", "ō", "ṓ", "ṑ", "ō̂", "ō̃", "ȫ", "ō̈", "ǭ", "ȭ", "ȱ", "o̱"}, "o"},
	{[]string{"Ö", "Ò", "Ő", "Õ", "Ô", "Ó", "Ō", "Ṓ", "Ṑ", "Ō̂", "Ō̃", "Ȫ", "Ō̈", "Ǭ", "Ȭ", "Ȱ", "O̱"}, "O"},
	{[]string{"ø", "ø̄", "œ̄"}, "oe"},
	{[]string{"Ø", "Ø̄", "Œ̄"}, "OE"},
	{[]string{"ř", "r̄", "ṟ", "ṝ"}, "r"},
	{[]string{"Ř", "R̄", "Ṟ", "Ṝ"}, "R"},
	{[]string{"ß"}, "ss"},
	{[]string{"š", "ś", "ș", "ş", "s̄", "s̱"}, "s"},
	{[]string{"Š", "Ś", "Ș", "Ş", "S̄", "S̱"}, "S"},
	{[]string{"ť", "ț", "t̄", "ṯ"}, "t"},
	{[]string{"Ť", "Ț", "T̄", "Ṯ"}, "T"},
	{[]string{"ü", "ù", "û", "ú", "ů", "ű", "ū", "ū́", "ū̀", "ū̂", "ū̃", "u̇̄", "ǖ", "ṻ", "ṳ̄", "u̱"}, "u"},
	{[]string{"Ü", "Ù", "Û", "Ú", "Ů", "Ű", "Ū", "Ū́", "Ū̀", "Ū̂", "Ū̃", "U̇̄", "Ǖ", "Ṻ", "Ṳ̄", "U̱"}, "U"},
	{[]string{"ÿ", "ý", "ȳ", "ȳ́", "ȳ̀", "ȳ̃", "y̱"}, "y"},
	{[]string{"Ÿ", "Ý", "Ȳ", "Ȳ́", "Ȳ̀", "Ȳ̃", "Y̱"}, "Y"},
	{[]string{"ź", "ž", "ż", "z̄", "ẕ"}, "z"},
	{[]string{"Ź", "Ž", "Ż", "Z̄", "Ẕ"}, "Z"},
}

func TestNormalizeDiacriticsTable(t *testing.T) {
	for _, row := range diacriticTable {
		for _, form := range row.forms {
			t.Run(form, func(t *testing.T) {
				if diff := cmp.Diff(row.want, normalizeDiacritics(form)); diff != "" {
					t.Errorf("normalizeDiacritics(%q %U) (-want +got):\n%s", form, []rune(form), diff)
				}
				// Inside a word too: the builder must copy what surrounds it.
				in, want := "x"+form+"y", "x"+row.want+"y"
				if diff := cmp.Diff(want, normalizeDiacritics(in)); diff != "" {
					t.Errorf("normalizeDiacritics(%q) (-want +got):\n%s", in, diff)
				}
			})
		}
	}
}

func TestNormalizeDiacritics(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"doc", "Zoë", "Zoe"},
		{"ascii", "John.Smith@contoso.com", "John.Smith@contoso.com"},
		{"empty", "", ""},
		{"names", "José García-López", "Jose Garcia-Lopez"},
		{"ligatures", "Ærøskøbing Straße", "AEroeskoebing Strasse"},
		{"capital sharp s", "STRAẞE", "STRASSE"},
		{"polish", "Łódź Wałęsa", "Lodz Walesa"},
		{"turkish", "İstanbul ılık", "Istanbul ilik"},
		{"greek accents", "Άννα", "Αννα"},
		{"hangul kept", "김민준", "김민준"},
		{"ohm sign kept", "Ω", "Ω"},
		{"devanagari kept", "क़ानून", "क़ानून"},
		{"cjk kept", "田中", "田中"},
		{"vietnamese", "Nguyễn Thị Ánh", "Nguyen Thi Anh"},
		{"invalid utf-8 kept", "a\xffé", "a\xffe"},
		{"lone combining mark", "\u0301a", "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, normalizeDiacritics(tc.in)); diff != "" {
				t.Errorf("normalizeDiacritics(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestNormalizeDiacriticsAllocations(t *testing.T) {
	// Unchanged input, ASCII or not, comes back without a copy.
	for _, s := range []string{"John.Smith", "김민준 田中"} {
		if n := testing.AllocsPerRun(100, func() { _ = normalizeDiacritics(s) }); n != 0 {
			t.Errorf("normalizeDiacritics(%q) allocates %v times, want 0", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = normalizeDiacritics("José") }); n > 1 {
		t.Errorf("normalizeDiacritics(\"José\") allocates %v times, want 1", n)
	}
}

func TestPCase(t *testing.T) {
	tests := []struct {
		name, in, seps, want string
	}{
		{"doc default", "PABLO GONSALVES (SECOND)", "", "Pablo Gonsalves (Second)"},
		{"doc separators", "PINTO-DE'SILVA", " '-", "Pinto-De'Silva"},
		{"doc join", "GREGORY JAMES", "", "Gregory James"},
		{"apostrophe stays in word", "PINTO-DE'SILVA", "", "Pinto-De'silva"},
		{"workday hospital", "st john's hospital", "", "St John's Hospital"},
		{"connect doc", "TEsT", "", "Test"},
		{"digits start no word", "1ST FLOOR", "", "1St Floor"},
		{"underscore separates", "john_doe", "", "John_Doe"},
		{"symbols separate", "a+b=c", "", "A+B=C"},
		{"typographic apostrophe separates", "o’neil", "", "O’Neil"},
		{"non-ASCII", "ÉLODIE ÅSTRÖM", "", "Élodie Åström"},
		{"digraph titlecase", "ǆemal", "", "ǅemal"},
		{"separators exclusive", "mary-ann smith", " ", "Mary-ann Smith"},
		{"separators first char", "(second) x", " ", "(second) X"},
		{"repeated separators", "a  b", " ", "A  B"},
		{"empty", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, pcase(tc.in, tc.seps)); diff != "" {
				t.Errorf("pcase(%q, %q) (-want +got):\n%s", tc.in, tc.seps, diff)
			}
		})
	}
}

func TestParseCulture(t *testing.T) {
	tests := []struct {
		name    string
		culture string
		upper   string // ToUpper("istanbul ılık")
		wantErr bool
	}{
		{"invariant", "", "ISTANBUL ıLıK", false},
		{"en-US", "en-US", "ISTANBUL ILIK", false},
		{"tr-TR", "tr-TR", "İSTANBUL ILIK", false},
		{"tr", "tr", "İSTANBUL ILIK", false},
		{"az-Latn-AZ", "az-Latn-AZ", "İSTANBUL ILIK", false},
		{"ja-JP", "ja-JP", "ISTANBUL ILIK", false},
		{"unknown", "xx-YY", "", true},
		{"malformed", "not a culture", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := parseCulture(tc.culture)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("parseCulture(%q) succeeded, want error", tc.culture)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.upper, toUpperCulture("istanbul ılık", sc)); diff != "" {
				t.Errorf("upper with %q (-want +got):\n%s", tc.culture, diff)
			}
		})
	}
}

func TestCasing(t *testing.T) {
	tests := []struct {
		name, in, culture, lower, upper string
	}{
		{"ascii", "TeSt", "", "test", "TEST"},
		{"sharp s stays", "Straße", "", "straße", "STRAßE"},
		{"dotted capital I invariant", "İ", "", "İ", "İ"}, // .NET's invariant culture keeps İ
		{"dotted capital I other culture", "İ", "en-US", "i", "İ"},
		{"dotted capital I Turkish", "İI", "tr-TR", "iı", "İI"},
		{"dotless i invariant", "ı", "", "ı", "ı"}, // and ı
		{"dotless i other culture", "ı", "fr-FR", "ı", "I"},
		{"final sigma is simple", "ΟΔΟΣ", "", "οδοσ", "ΟΔΟΣ"},
		{"german culture", "ÄÖÜ", "de-DE", "äöü", "ÄÖÜ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := parseCulture(tc.culture)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.lower, toLowerCulture(tc.in, sc)); diff != "" {
				t.Errorf("lower (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.upper, toUpperCulture(tc.in, sc)); diff != "" {
				t.Errorf("upper (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTextFuncs(t *testing.T) {
	runFamilyCases(t, []familyCase{
		{name: "ToLower doc UPN", expr: `ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`, input: map[string]any{"PreferredFirstName": "John", "PreferredLastName": "Smith"}, want: "john.smith@contoso.com"},
		{name: "ToLower empty culture argument", expr: `ToLower(Mid([lastName], 2, 64), )`, input: map[string]any{"lastName": "JOHNSON"}, want: "ohnson"},
		{name: "ToLower Turkish", expr: `ToLower("TITLE", "tr-TR")`, want: "tıtle"},
		{name: "ToLower culture from attribute", expr: `ToUpper("i", [c])`, input: map[string]any{"c": "tr-TR"}, want: "İ"},
		{name: "ToLower null", expr: `ToLower([x])`, want: nil},
		{name: "ToLower multi", expr: `ToLower([x])`, input: map[string]any{"x": []any{"A", "B"}}, want: []string{"a", "b"}},
		{name: "ToLower bad literal culture", expr: `ToLower("A", "xx-YY")`, err: `invalid argument 2 (culture) to ToLower: expected a culture name such as "en-US" (got "xx-YY")`},
		{name: "ToUpper bad runtime culture", expr: `ToUpper("a", [c])`, input: map[string]any{"c": "klingon"}, err: `(got "klingon")`},
		{name: "ToUpper arity", expr: `ToUpper("a", "en-US", "x")`, err: "invalid number of arguments for ToUpper"},
		{name: "PCase doc", expr: `PCase([firstName])`, input: map[string]any{"firstName": "PABLO GONSALVES (SECOND)"}, want: "Pablo Gonsalves (Second)"},
		{name: "PCase separators", expr: `PCase([lastName], " '-")`, input: map[string]any{"lastName": "PINTO-DE'SILVA"}, want: "Pinto-De'Silva"},
		{name: "PCase empty separators is default", expr: `PCase("o'NEIL-SMITH", "")`, want: "O'neil-Smith"},
		{name: "PCase null", expr: `PCase([x])`, want: nil},
		{name: "NormalizeDiacritics doc", expr: `NormalizeDiacritics([givenName])`, input: map[string]any{"givenName": "Zoë"}, want: "Zoe"},
		{name: "NormalizeDiacritics null", expr: `NormalizeDiacritics([x])`, want: nil},
		{name: "NormalizeDiacritics multi", expr: `NormalizeDiacritics([x])`, input: map[string]any{"x": []any{"é", "ø"}}, want: []string{"e", "oe"}},
	})
}
