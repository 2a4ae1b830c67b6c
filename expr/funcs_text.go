package expr

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Text functions: culture-aware casing (ToLower, ToUpper), proper casing
// (PCase) and NormalizeDiacritics.
//
// Casing follows .NET, which is not what golang.org/x/text/cases does:
// .NET's TextInfo.ToUpper/ToLower use the simple (one character to one
// character) Unicode mappings, with special rules only for Turkish and
// Azerbaijani dotted and dotless i. x/text/cases applies the full mappings
// (ß upper-cases to SS, İ lower-cases to i + U+0307, final sigma), which
// .NET does not. So culture names are parsed and validated with
// x/text/language, and the mapping is the standard library's simple one,
// with unicode.TurkishCase / unicode.AzeriCase for tr and az.

func init() {
	register(
		&Func{
			Name:     "ToLower",
			Category: "String",
			MinArgs:  1, MaxArgs: 2,
			Params: []string{"source", "culture"},
			Doc: "Converts `source` to lower case with the casing rules of `culture`, or of the invariant culture when " +
				"`culture` is absent, empty or null (the SuccessFactors guide writes `ToLower(Mid([lastName], 2, 64), )`).\n\n" +
				cultureDoc + " A null source stays null. " + multiNote,
			Examples: []Example{
				{Expr: `ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`, Input: map[string]any{"PreferredFirstName": "John", "PreferredLastName": "Smith"}, Want: "john.smith@contoso.com"},
				{Expr: `ToLower("TITLE")`, Want: "title"},
				{Expr: `ToLower("TITLE", "tr-TR")`, Want: "tıtle", Note: "Turkish: I lower-cases to dotless ı"},
				{Expr: `ToLower("İSTANBUL")`, Want: "İstanbul", Note: "the invariant culture keeps İ, as .NET's ToLowerInvariant does; ToLower(\"İSTANBUL\", \"en-US\") gives \"istanbul\""},
			},
			Check: checkCulture,
			Impl: func(c *Call, args []Value) (Value, error) {
				sc, err := callCulture(c, args)
				if err != nil {
					return nil, err
				}
				if s, ok := args[0].(String); ok && sc == nil {
					return lowerString(args[0], string(s)), nil
				}
				return mapEachNull(args[0], func(s string) string { return toLowerCulture(s, sc) }), nil
			},
		},
		&Func{
			Name:     "ToUpper",
			Category: "String",
			MinArgs:  1, MaxArgs: 2,
			Params: []string{"source", "culture"},
			Doc: "Converts `source` to upper case with the casing rules of `culture`, or of the invariant culture when " +
				"`culture` is absent, empty or null.\n\n" + cultureDoc + " A null source stays null. " + multiNote,
			Examples: []Example{
				{Expr: `ToUpper("istanbul")`, Want: "ISTANBUL"},
				{Expr: `ToUpper("istanbul", "tr-TR")`, Want: "İSTANBUL", Note: "Turkish: i upper-cases to dotted İ"},
				{Expr: `ToUpper("straße")`, Want: "STRAßE", Note: "simple case mapping, as .NET: ß has no one-letter upper case"},
			},
			Check: checkCulture,
			Impl: func(c *Call, args []Value) (Value, error) {
				sc, err := callCulture(c, args)
				if err != nil {
					return nil, err
				}
				return mapEachNull(args[0], func(s string) string { return toUpperCulture(s, sc) }), nil
			},
		},
		&Func{
			Name:     "PCase",
			Category: "String",
			MinArgs:  1, MaxArgs: 2,
			Params: []string{"source", "wordSeparators"},
			Doc: "Converts the first character of each word to upper case and all other characters to lower case.\n\n" +
				"Without `wordSeparators` (or with an empty or null one) words are found as .NET `TextInfo.ToTitleCase` " +
				"finds them: a word starts at a letter and ends at a separator, a separator being white space, a control or " +
				"format character, or any punctuation or symbol, except the apostrophe, which stays inside the word " +
				"(`PCase(\"o'neil\")` is \"O'neil\"). Digits and combining marks belong to the word but do not start one " +
				"(`PCase(\"1ST\")` is \"1St\", as in .NET). `ToTitleCase` on its own leaves all-capital words unchanged, " +
				"taking them for acronyms, but the reference's examples (\"PABLO GONSALVES (SECOND)\" gives " +
				"\"Pablo Gonsalves (Second)\", GREGORY JAMES gives \"Gregory James\") show that the service lower-cases the " +
				"source first; so does this implementation (invariant culture).\n\n" +
				"With `wordSeparators`, only those characters separate words, and the first character of each word is " +
				"upper-cased whatever it is (`PCase(\"(second)\", \" \")` keeps \"(second)\"). " +
				"A null source stays null. " + multiNote,
			Examples: []Example{
				{Expr: `PCase([firstName])`, Input: map[string]any{"firstName": "PABLO GONSALVES (SECOND)"}, Want: "Pablo Gonsalves (Second)"},
				{Expr: `PCase([lastName], " '-")`, Input: map[string]any{"lastName": "PINTO-DE'SILVA"}, Want: "Pinto-De'Silva"},
				{Expr: `PCase(Join(" ", [firstName], [lastName]))`, Input: map[string]any{"firstName": "GREGORY", "lastName": "JAMES"}, Want: "Gregory James"},
				{Expr: `PCase("st john's hospital")`, Want: "St John's Hospital"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				seps := ""
				if len(args) > 1 {
					seps = str(args[1])
				}
				return mapEachNull(args[0], func(s string) string { return pcase(s, seps) }), nil
			},
		},
		&Func{
			Name:     "NormalizeDiacritics",
			Category: "String",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"source"},
			Doc: "Replaces characters carrying diacritics by their plain equivalents: \"Zoë\" gives \"Zoe\".\n\n" +
				"Every mapping of the reference's table holds. A precomposed letter is decomposed (Unicode canonical " +
				"decomposition) and its combining diacritical marks dropped, and combining marks written as separate " +
				"characters are dropped too, which covers multi-mark sequences such as ā́ and ṳ̄. Letters that do not " +
				"decompose are mapped explicitly: æ→ae, Æ→AE, ø→oe, Ø→OE, œ→oe, Œ→OE, ß→ss, ẞ→SS, ł→l, Ł→L, ı→i " +
				"(ǣ, ø̄ and œ̄ combine both steps).\n\n" +
				"Only marks of the combining-diacritics blocks (U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, " +
				"U+FE20–FE2F) are removed, so Latin, Greek and Cyrillic accents go (ά→α; like every NFD-based " +
				"implementation, й→и), while the vowel signs and viramas of Indic, Hebrew or Arabic script, which are " +
				"part of the spelling, stay. Characters without diacritics (Hangul syllables included) are left exactly " +
				"as they are, and a string without any is returned unchanged. A null source stays null. " + multiNote,
			Examples: []Example{
				{Expr: `NormalizeDiacritics([givenName])`, Input: map[string]any{"givenName": "Zoë"}, Want: "Zoe"},
				{Expr: `NormalizeDiacritics("Ærøskøbing Straße")`, Want: "AEroeskoebing Strasse"},
				{Expr: `NormalizeDiacritics("Łódź")`, Want: "Lodz"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				return mapEachNull(args[0], normalizeDiacritics), nil
			},
		},
	)
}

// cultureDoc is the part of the casing functions' Doc about cultures.
const cultureDoc = "`culture` is an RFC 4646 name such as \"en-US\" or \"tr-TR\"; an unknown or malformed name is an error " +
	"(reported by Compile when the name is a literal), as .NET's `CultureNotFoundException`. Casing is .NET's: the simple " +
	"one-character mappings of the Unicode Character Database (`ToUpper(\"ß\")` stays \"ß\"). Without a culture the invariant " +
	"culture is used, as the reference states (\"If there's no culture info specified, then it uses Invariant culture\"): it " +
	"keeps U+0130 İ and U+0131 ı unchanged in both directions (`ToLower(\"İ\")` is \"İ\", `ToUpper(\"ı\")` is \"ı\"), as " +
	"`ToLowerInvariant` does. The Turkish and Azerbaijani cultures (tr, az) map i↔İ and ı↔I; other cultures map İ to i and " +
	"ı to I and are otherwise like the invariant culture, as in .NET."

// cultureCase is the casing a culture argument selects; nil is the
// invariant culture, an empty one any culture other than tr and az.
type cultureCase = unicode.SpecialCase

// parseCulture validates a culture name and returns its special casing.
// The empty name is the invariant culture, as CultureInfo("") is in .NET.
func parseCulture(name string) (cultureCase, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	tag, err := language.Parse(name)
	if err != nil {
		return nil, fmt.Errorf("expected a culture name such as \"en-US\" (got %q)", name)
	}
	base, _ := tag.Base()
	switch base.String() {
	case "tr":
		return unicode.TurkishCase, nil
	case "az":
		return unicode.AzeriCase, nil
	}
	return otherCulture, nil
}

// cultureData is what checkCulture stores for a literal culture.
type cultureData struct{ sc cultureCase }

// checkCulture validates a literal culture at Compile time and keeps the
// parsed casing for the implementation.
func checkCulture(ck *CheckContext) error {
	v, ok := ck.Literal(1)
	if !ok {
		return nil
	}
	sc, err := parseCulture(str(v))
	if err != nil {
		return ck.ArgErrorf(1, "%s", err.Error())
	}
	ck.SetData(&cultureData{sc: sc})
	return nil
}

// callCulture returns the casing of a call: precomputed by checkCulture for
// a literal culture, parsed now otherwise.
func callCulture(c *Call, args []Value) (cultureCase, error) {
	if d, ok := c.Data().(*cultureData); ok {
		return d.sc, nil
	}
	if len(args) < 2 || IsNull(args[1]) {
		return nil, nil
	}
	name, err := singleString(1, args[1])
	if err != nil {
		return nil, err
	}
	sc, err := parseCulture(name)
	if err != nil {
		return nil, argErrorf(1, "%s", err.Error())
	}
	return sc, nil
}

// invariantCase is .NET's invariant culture: simple case mappings, except
// that U+0130 (İ) and U+0131 (ı) map to themselves in both directions
// (TextInfo.Invariant; .NET's ICU layer special-cases both to match
// Windows).
var invariantCase = unicode.SpecialCase{
	{Lo: 0x0130, Hi: 0x0131, Delta: [unicode.MaxCase]rune{0, 0, 0}},
}

// otherCulture is the casing of a culture other than tr and az: the
// simple mappings, İ to i and ı to I included.
var otherCulture = unicode.SpecialCase{}

// toLowerCulture lower-cases s with .NET's simple mappings. The standard
// library returns s itself when nothing changes.
func toLowerCulture(s string, sc cultureCase) string {
	switch {
	case sc == nil && strings.Contains(s, "İ"):
		return strings.ToLowerSpecial(invariantCase, s)
	case sc == nil, len(sc) == 0:
		return strings.ToLower(s)
	}
	return strings.ToLowerSpecial(sc, s)
}

// toUpperCulture upper-cases s with .NET's simple mappings.
func toUpperCulture(s string, sc cultureCase) string {
	switch {
	case sc == nil && strings.Contains(s, "ı"):
		return strings.ToUpperSpecial(invariantCase, s)
	case sc == nil, len(sc) == 0:
		return strings.ToUpper(s)
	}
	return strings.ToUpperSpecial(sc, s)
}

// pcase implements PCase: the source is lower-cased, then the first
// character of each word is title-cased. With seps empty, words are found
// as .NET TextInfo.ToTitleCase finds them; otherwise only the runes in
// seps separate words.
func pcase(s, seps string) string {
	s = strings.ToLower(s)
	var b strings.Builder
	b.Grow(len(s))
	inWord := false
	for _, r := range s {
		if seps != "" {
			switch {
			case strings.ContainsRune(seps, r):
				inWord = false
			case !inWord:
				r = unicode.ToTitle(r)
				inWord = true
			}
			b.WriteRune(r)
			continue
		}
		switch {
		case !inWord:
			// Outside a word only a letter starts one; anything else
			// (digits, marks, apostrophes, separators) is copied.
			if isLetterNET(r) {
				r = unicode.ToTitle(r)
				inWord = true
			}
		case isWordSeparatorNET(r) && r != '\'':
			inWord = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isLetterNET reports the letter categories of .NET's ToTitleCase
// (Lu, Ll, Lt, Lm, Lo).
func isLetterNET(r rune) bool { return unicode.IsLetter(r) }

// isWordSeparatorNET reports the categories .NET's ToTitleCase treats as
// word separators: separators (Zs, Zl, Zp), controls and format characters
// (Cc, Cf), punctuation (Pc, Pd, Ps, Pe, Pi, Pf, Po) and symbols (Sm, Sc,
// Sk, So). Letters, marks, numbers, private-use and unassigned code points
// belong to words.
func isWordSeparatorNET(r rune) bool {
	return unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf, unicode.P, unicode.S)
}

// normalizeDiacritics implements NormalizeDiacritics. ASCII and other
// unchanged input is returned as it is, without allocating; the builder is
// started only at the first character that changes.
func normalizeDiacritics(s string) string {
	var b strings.Builder
	dirty := false
	for p := 0; p < len(s); {
		if s[p] < utf8.RuneSelf {
			if dirty {
				b.WriteByte(s[p])
			}
			p++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[p:])
		raw := s[p : p+w]
		if !dirty {
			if !foldRune(nil, r, raw) {
				p += w
				continue
			}
			b.Grow(len(s))
			b.WriteString(s[:p])
			dirty = true
		}
		if !foldRune(&b, r, raw) {
			b.WriteString(raw) // copied byte for byte, invalid UTF-8 included
		}
		p += w
	}
	if !dirty {
		return s
	}
	return b.String()
}

// foldRune reports whether r (encoded as raw) changes under
// NormalizeDiacritics and, when b is not nil and it does, writes its
// replacement.
func foldRune(b *strings.Builder, r rune, raw string) bool {
	if isDiacriticMark(r) {
		return true // a separate combining mark: dropped
	}
	if t := foldLetter(r); t != "" {
		if b != nil {
			b.WriteString(t)
		}
		return true
	}
	d := norm.NFD.PropertiesString(raw).Decomposition()
	if d == nil {
		return false
	}
	// Only a decomposition that carries a diacritic changes the letter:
	// Hangul syllables and singletons such as the Ohm sign stay as they are.
	marked := false
	for k := 0; k < len(d); {
		dr, dw := utf8.DecodeRune(d[k:])
		if isDiacriticMark(dr) {
			marked = true
			break
		}
		k += dw
	}
	if !marked {
		return false
	}
	if b != nil {
		for k := 0; k < len(d); {
			dr, dw := utf8.DecodeRune(d[k:])
			k += dw
			switch {
			case isDiacriticMark(dr):
			case foldLetter(dr) != "":
				b.WriteString(foldLetter(dr))
			default:
				b.WriteRune(dr)
			}
		}
	}
	return true
}

// isDiacriticMark reports the combining marks NormalizeDiacritics drops:
// the combining-diacritics blocks, which serve Latin, Greek and Cyrillic.
func isDiacriticMark(r rune) bool {
	switch {
	case r >= 0x0300 && r <= 0x036F,
		r >= 0x1AB0 && r <= 0x1AFF,
		r >= 0x1DC0 && r <= 0x1DFF,
		r >= 0x20D0 && r <= 0x20FF,
		r >= 0xFE20 && r <= 0xFE2F:
		return true
	}
	return false
}

// foldLetter maps the letters of the reference's table that have no
// canonical decomposition (ligatures and letters with a stroke).
func foldLetter(r rune) string {
	switch r {
	case 'æ':
		return "ae"
	case 'Æ':
		return "AE"
	case 'ø', 'œ':
		return "oe"
	case 'Ø', 'Œ':
		return "OE"
	case 'ß':
		return "ss"
	case 'ẞ':
		return "SS"
	case 'ł':
		return "l"
	case 'Ł':
		return "L"
	case 'ı':
		return "i"
	}
	return ""
}
