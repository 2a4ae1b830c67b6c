package expr

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// String functions: Append, Join, Left, Mid, InStr, Split, StripSpaces,
// Trim, Word and DNComponent.
//
// Shared conventions, stated once here and repeated in each Doc:
//   - Positions and lengths count UTF-16 code units, as .NET does: a
//     character outside the Basic Multilingual Plane (an emoji) is two
//     positions. A cut through such a pair leaves half of it, which
//     becomes U+FFFD, as .NET's UTF-8 encoder writes a lone surrogate.
//   - Functions that map one string to another apply to each value of a
//     multi-valued argument and return a multi-valued result, as the
//     cloud-sync reference documents for Trim([proxyAddresses]).
//   - Integer arguments go through toInt, so "3" and 3 are the same (the
//     Workday guide writes Mid([PreferredFirstName], "1", "1")).

// multiNote is the paragraph each element-wise function's Doc ends with.
const multiNote = "A multi-valued source is transformed value by value and the result is multi-valued " +
	"(the cloud-sync reference documents this for `Trim([proxyAddresses])`)."

// utf16Note is the paragraph of the position-based functions on counting.
const utf16Note = "Characters are counted as .NET counts them, in UTF-16 code units: a character outside the Basic " +
	"Multilingual Plane, such as an emoji, is two. Decision: a cut through such a pair leaves half of it, which " +
	"becomes U+FFFD (the replacement .NET's UTF-8 encoder writes for a lone surrogate). "

func init() {
	register(
		&Func{
			Name:     "Append",
			Category: "String",
			MinArgs:  2, MaxArgs: 2,
			Params: []string{"source", "suffix"},
			Doc: "Appends `suffix` to the end of `source`.\n\n" +
				"A null `source` is the empty string, so the result is `suffix` alone (.NET `String.Concat` treats null as empty). " +
				multiNote,
			Examples: []Example{
				{Expr: `Append([userPrincipalName], ".test")`, Input: map[string]any{"userPrincipalName": "John.Doe@contoso.com"}, Want: "John.Doe@contoso.com.test"},
				{Expr: `Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`, Input: map[string]any{"givenName": "John", "surname": "Doe"}, Want: "JohDoe"},
				{Expr: `Append([missing], "@contoso.com")`, Want: "@contoso.com"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				suffix := str(args[1])
				if suffix == "" && !IsNull(args[0]) {
					return args[0], nil
				}
				return mapEach(args[0], func(s string) string { return s + suffix }), nil
			},
		},
		&Func{
			Name:     "Join",
			Category: "String",
			MinArgs:  2, MaxArgs: -1,
			Params: []string{"separator", "source"},
			Doc: "Joins the `source` values into one string, with `separator` between them.\n\n" +
				"Every value of a multi-valued source is joined. Null and empty sources (and empty values of a multi-valued " +
				"source) are skipped, so they never produce a doubled separator: the reference's own example " +
				"`Join(\", \", \"\", [surname], [givenName])` gives \"Doe, John\", not \", Doe, John\". " +
				"Numbers, booleans and dates join as their canonical rendering (the reference's last example joins the number 1000). " +
				"A null separator is the empty string. When nothing is left to join the result is the empty string.",
			Examples: []Example{
				{Expr: `Join(", ", "", [surname], [givenName])`, Input: map[string]any{"givenName": "John", "surname": "Doe"}, Want: "Doe, John"},
				{Expr: `Join(",", [proxyAddresses], "x")`, Input: map[string]any{"proxyAddresses": []any{"a", "b"}}, Want: "a,b,x"},
				{Expr: `Join(" ", [givenName], [middleName], [surname])`, Input: map[string]any{"givenName": "John", "surname": "Doe"}, Want: "John Doe", Note: "middleName is absent: no doubled space"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				return join(args)
			},
		},
		&Func{
			Name:     "Left",
			Category: "String",
			MinArgs:  2, MaxArgs: 2,
			Params: []string{"string", "numChars"},
			Doc: "Returns the first `numChars` characters of `string`.\n\n" +
				"As documented: `numChars` = 0 gives the empty string, `numChars` < 0 gives the whole string, a null string gives " +
				"the empty string, and a string shorter than `numChars` is returned whole. " + utf16Note + multiNote,
			Examples: []Example{
				{Expr: `Left("😀ab", 2)`, Want: "😀", Note: "the emoji is two UTF-16 code units, as in .NET"},
				{Expr: `Left("John Doe", 3)`, Want: "Joh"},
				{Expr: `Left("😀ab", 3)`, Want: "😀a", Note: "the emoji counts two positions, as in .NET"},
				{Expr: `Left("John Doe", -1)`, Want: "John Doe"},
				{Expr: `Left([missing], 3)`, Want: ""},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				n, err := toInt(1, args[1])
				if err != nil {
					return nil, err
				}
				if IsNull(args[0]) {
					return String(""), nil
				}
				return mapEach(args[0], func(s string) string { return left(s, clampInt(n)) }), nil
			},
		},
		&Func{
			Name:     "Mid",
			Category: "String",
			MinArgs:  3, MaxArgs: 3,
			Params: []string{"source", "start", "length"},
			Doc: "Returns `length` characters of `source` from the 1-based position `start`.\n\n" +
				"The reference only says that a `length` running past the end stops at the end. Elsewhere VBA's `Mid` is followed: " +
				"a `start` past the end gives the empty string (so `Mid([lastName], 2, 64)` of a one-letter name is \"\", " +
				"which the SuccessFactors guide's proper-casing idiom relies on); `start` < 1 and `length` < 0 are errors " +
				"(VBA run-time error 5). A null source gives the empty string, as for `Left`. " +
				"The Connect-sync form with two arguments, `Mid(string, start)`, is not accepted: the provisioning reference " +
				"lists `length` as required. " + utf16Note + multiNote,
			Examples: []Example{
				{Expr: `Mid("John Doe", 3, 5)`, Want: "hn Do"},
				{Expr: `Mid("John Doe", 6, 999)`, Want: "Doe"},
				{Expr: `Mid("J", 2, 64)`, Want: ""},
				{Expr: `Mid("a😀b", 2, 2)`, Want: "😀", Note: "the emoji is positions 2 and 3, as in .NET"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				start, err := toInt(1, args[1])
				if err != nil {
					return nil, err
				}
				if start < 1 {
					return nil, argErrorf(1, "expected a start position of 1 or more (got %d)", start)
				}
				n, err := toInt(2, args[2])
				if err != nil {
					return nil, err
				}
				if n < 0 {
					return nil, argErrorf(2, "expected a length of 0 or more (got %d)", n)
				}
				if IsNull(args[0]) {
					return String(""), nil
				}
				return mapEach(args[0], func(s string) string { return mid(s, clampInt(start), clampInt(n)) }), nil
			},
		},
		&Func{
			Name:     "InStr",
			Category: "String",
			MinArgs:  2, MaxArgs: 4,
			Params: []string{"value1", "value2", "start", "compareType"},
			Doc: "Returns the 1-based position of the first occurrence of `value2` in `value1`, searching from `start` " +
				"(default 1), or 0 when it does not occur.\n\n" +
				"`compareType` is `vbBinaryCompare` (0, the default: exact) or `vbTextCompare` (1: ignoring case and width, as .NET's " +
				"culture-aware `CompareInfo.IndexOf` with IgnoreCase, IgnoreWidth and IgnoreKanaType does: \"ＡＢ\" matches \"ab\", " +
				"\"ß\" matches \"SS\", \"e\" followed by U+0301 matches \"é\", but \"e\" does not match \"é\"; " +
				"decision: katakana and hiragana stay distinct); " +
				"`vbDatabaseCompare` (2) compares as text. The names are also accepted as strings. " +
				"Positions count UTF-16 code units, as in .NET (an emoji is two). Microsoft.VisualBasic's rules apply: an empty `value1` " +
				"gives 0, a `start` more than one past the end of `value1` gives 0, an empty `value2` gives `start`, and `start` < 1 " +
				"is an error. Null values are empty strings (VBA would return Null, which the service's comparisons such as " +
				"`InStr([mail], \"@\") = 0` cannot use), so `InStr` of a null `value1` is 0. " +
				"An empty `start` argument is the default 1. A multi-valued `value1` or `value2` is an error: use `Contains` " +
				"to search a multi-valued attribute.",
			Examples: []Example{
				{Expr: `InStr("The quick brown fox", "quick")`, Want: "5"},
				{Expr: `InStr("repEated", "e", 3, vbBinaryCompare)`, Want: "7"},
				{Expr: `InStr("repEated", "e", 3, vbTextCompare)`, Want: "4"},
				{Expr: `InStr("Straße", "SS", 1, vbTextCompare)`, Want: "5", Note: "culture-aware: ß matches SS, as in .NET"},
				{Expr: `InStr([emailAddress], "@contoso.com")`, Input: map[string]any{"emailAddress": "john.doe@external.com"}, Want: "0"},
			},
			Check: func(ck *CheckContext) error {
				if v, ok := ck.Literal(3); ok {
					if _, err := compareMode(3, v); err != nil {
						return err
					}
				}
				if v, ok := ck.Literal(2); ok && !IsNull(v) {
					n, err := toInt(2, v)
					if err != nil {
						return err
					}
					if n < 1 {
						return ck.ArgErrorf(2, "expected a start position of 1 or more (got %d)", n)
					}
				}
				return nil
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				s, err := singleString(0, args[0])
				if err != nil {
					return nil, err
				}
				sub, err := singleString(1, args[1])
				if err != nil {
					return nil, err
				}
				start := int64(1)
				if len(args) > 2 && !IsNull(args[2]) {
					if start, err = toInt(2, args[2]); err != nil {
						return nil, err
					}
					if start < 1 {
						return nil, argErrorf(2, "expected a start position of 1 or more (got %d)", start)
					}
				}
				text := false
				if len(args) > 3 {
					if text, err = compareMode(3, args[3]); err != nil {
						return nil, err
					}
				}
				return Int(int64(instr(s, sub, clampInt(start), text))), nil
			},
		},
		&Func{
			Name:     "Split",
			Category: "String",
			MinArgs:  2, MaxArgs: 2,
			Params: []string{"source", "delimiter"},
			Doc: "Splits `source` at every occurrence of `delimiter` and returns the parts as a multi-valued value.\n\n" +
				"Parts are not trimmed and empty parts are kept, as .NET `String.Split` does: " +
				"`Split(\"PermissionSetOne, PermissionSetTwo\", \",\")` gives \"PermissionSetOne\" and \" PermissionSetTwo\" " +
				"(the reference shows the second value without its leading space; wrap the source in `Replace` or the " +
				"values in `Trim` to remove it). The delimiter may be longer than one character; an empty or null delimiter " +
				"leaves the string whole. A null source gives null (nothing flows); an empty source gives one empty value, " +
				"as in .NET. Each value of a multi-valued source is split and the parts are concatenated.",
			Examples: []Example{
				{Expr: `Split([extensionAttribute5], ",")`, Input: map[string]any{"extensionAttribute5": "PermissionSetOne,PermissionSetTwo"}, Want: []string{"PermissionSetOne", "PermissionSetTwo"}},
				{Expr: `Split("a,,b", ",")`, Want: []string{"a", "", "b"}},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				delim := str(args[1])
				switch v := args[0].(type) {
				case Multi:
					var out Multi
					for _, s := range v {
						out = append(out, split(s, delim)...)
					}
					return out, nil
				}
				if IsNull(args[0]) {
					return Null, nil
				}
				return Multi(split(str(args[0]), delim)), nil
			},
		},
		&Func{
			Name:     "StripSpaces",
			Category: "String",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"source"},
			Doc: "Removes every space character (U+0020) from `source`.\n\n" +
				"Only U+0020 is removed, as documented (\"all space (\\\" \\\") characters\"); tabs, line breaks and " +
				"no-break spaces stay (use `Trim` or `Replace` for them). A null source stays null, so a mapping's default " +
				"value still applies. " + multiNote,
			Examples: []Example{
				{Expr: `StripSpaces("José González")`, Want: "JoséGonzález"},
				{Expr: `StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))`, Input: map[string]any{"PreferredFirstName": "Mary Ann", "PreferredLastName": "van der Berg"}, Want: "MaryAnn.vanderBerg"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				return mapEachNull(args[0], stripSpaces), nil
			},
		},
		&Func{
			Name:     "Trim",
			Category: "String",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"value"},
			Doc: "Removes leading and trailing white space from `value` (cloud-sync reference).\n\n" +
				"White space is what .NET `String.Trim()` removes: Unicode white space, tabs and line breaks included. " +
				"A null value stays null. " + multiNote,
			Examples: []Example{
				{Expr: `Trim(" Test ")`, Want: "Test"},
				{Expr: `Trim([proxyAddresses])`, Input: map[string]any{"proxyAddresses": []any{" SMTP:a@contoso.com", "smtp:b@contoso.com "}}, Want: []string{"SMTP:a@contoso.com", "smtp:b@contoso.com"}},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				return mapEachNull(args[0], trimSpace), nil
			},
		},
		&Func{
			Name:     "Word",
			Category: "String",
			MinArgs:  3, MaxArgs: 3,
			Params: []string{"string", "wordNumber", "delimiters"},
			Doc: "Returns word number `wordNumber` (1-based) of `string`, where words are separated by any of the characters " +
				"in `delimiters`.\n\n" +
				"As documented: a `wordNumber` < 1, a null string, or a string with fewer words gives the empty string. " +
				"Runs of delimiters count as one separator and leading or trailing delimiters make no empty words, so " +
				"`Word(\"a,,b\", 2, \",\")` is \"b\" (the reading under which \"string doesn't contain any words\" can happen: " +
				"a string made only of delimiters). A string without any delimiter is one word, and empty or null " +
				"`delimiters` make the whole string one word. " + multiNote,
			Examples: []Example{
				{Expr: `Word("The quick brown fox", 3, " ")`, Want: "brown"},
				{Expr: `Word("This,string!has&many separators", 3, ",!&#")`, Want: "has"},
				{Expr: `Word("This,string!has&many separators", 4, ",!&#")`, Want: "many separators"},
				{Expr: `Word("The quick brown fox", 5, " ")`, Want: ""},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				n, err := toInt(1, args[1])
				if err != nil {
					return nil, err
				}
				if IsNull(args[0]) {
					return String(""), nil
				}
				delims := str(args[2])
				return mapEach(args[0], func(s string) string { return word(s, clampInt(n), delims) }), nil
			},
		},
		&Func{
			Name:     "DNComponent",
			Category: "String",
			MinArgs:  2, MaxArgs: 2,
			Params: []string{"dn", "componentNumber"},
			Doc: "Returns the value of component `componentNumber` of the distinguished name `dn`, counting from the left " +
				"from 1 (cloud-sync reference): `DNComponent(\"CN=Joe,OU=Sales,DC=contoso,DC=com\", 1)` is \"Joe\".\n\n" +
				"Components are split at commas that are not escaped; the attribute type and `=` are dropped, spaces around " +
				"the value are trimmed, and LDAP escapes are decoded (`\\,` is a comma, `\\2C` the byte 0x2C), so " +
				"`CN=Doe\\, John` gives \"Doe, John\". A component number below 1 or past the last component, and a null dn, " +
				"give null (nothing to flow; the Connect-sync reference does not say). The cloud-sync example wraps the dn " +
				"in `CRef`, a Connect-sync conversion this language does not have: pass the attribute directly. " +
				"A multi-valued dn is an error.",
			Examples: []Example{
				{Expr: `DNComponent([dn], 1)`, Input: map[string]any{"dn": "cn=Joe,ou=Atlanta,dc=contoso,dc=com"}, Want: "Joe"},
				{Expr: `DNComponent("CN=Doe\\, John,OU=Users,DC=contoso,DC=com", 1)`, Want: "Doe, John"},
				{Expr: `DNComponent("CN=Joe,OU=Users", 3)`, Want: nil},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				n, err := toInt(1, args[1])
				if err != nil {
					return nil, err
				}
				dn, err := singleString(0, args[0])
				if err != nil {
					return nil, err
				}
				if IsNull(args[0]) {
					return Null, nil
				}
				v, ok := dnComponent(dn, clampInt(n))
				if !ok {
					return Null, nil
				}
				return String(v), nil
			},
		},
	)
}

// mapEach applies f to a string argument, or to each value of a
// multi-valued one. Null is the empty string. The argument is returned
// as it is when f leaves it unchanged, which spares an allocation on the
// hot path (an ASCII name through NormalizeDiacritics).
func mapEach(v Value, f func(string) string) Value {
	switch x := v.(type) {
	case Multi:
		out := make(Multi, len(x))
		for i, s := range x {
			out[i] = f(s)
		}
		return out
	case String:
		if r := f(string(x)); r != string(x) {
			return String(r)
		}
		// Return the interface we were given: re-boxing x would allocate
		// on the hot path of chains such as NormalizeDiacritics(StripSpaces(...)).
		return v
	}
	return String(f(str(v)))
}

// mapEachNull is mapEach for functions that keep null as null, so
// that a chain of normalisations over an absent attribute still yields
// null and the mapping's default value applies.
func mapEachNull(v Value, f func(string) string) Value {
	if IsNull(v) {
		return Null
	}
	return mapEach(v, f)
}

// singleString reads argument i as one string: null is "", a multi-valued
// value with one element is that element, and more elements are an error.
func singleString(i int, v Value) (string, error) {
	if m, ok := v.(Multi); ok {
		switch len(m) {
		case 0:
			return "", nil
		case 1:
			return m[0], nil
		}
		return "", argErrorf(i, "expected a single value (got a multi-valued value with %d values)", len(m))
	}
	return str(v), nil
}

// clampInt converts a 64-bit count to int, saturating so that huge
// arguments behave as "very large" rather than wrapping.
func clampInt(n int64) int {
	return int(max(min(n, math.MaxInt32), math.MinInt32))
}

// join implements Join over the evaluated arguments, args[0] being the
// separator. It measures first and writes once, and returns a lone string
// argument as it is, so joining one value with absent ones allocates
// nothing.
func join(args []Value) (Value, error) {
	sep := str(args[0])
	n, total, lone := 0, 0, -1
	for i, a := range args[1:] {
		switch a := a.(type) {
		case Multi:
			for _, s := range a {
				if s != "" {
					n++
					total += len(s)
					lone = -1 // a value out of a Multi still needs a String
				}
			}
		case String:
			if a != "" {
				n++
				total += len(a)
				lone = i + 1
			}
		default:
			if !IsNull(a) {
				n++
				total += len(Render(a))
				lone = -1
			}
		}
	}
	switch {
	case n == 0:
		return String(""), nil
	case n == 1 && lone >= 0:
		return args[lone], nil
	}
	if err := checkSize(total + (n-1)*len(sep)); err != nil {
		return nil, err
	}
	v, b := newString(total + (n-1)*len(sep))
	at := 0
	for _, a := range args[1:] {
		switch a := a.(type) {
		case Multi:
			for _, s := range a {
				at = joinPart(b, at, s, sep)
			}
		default:
			if !IsNull(a) {
				at = joinPart(b, at, Render(a), sep)
			}
		}
	}
	return v, nil
}

// joinPart writes one non-empty part at b[at:], preceded by sep unless it
// is the first, and returns where the next part goes.
func joinPart(b []byte, at int, s, sep string) int {
	if s == "" {
		return at
	}
	if at > 0 {
		at += copy(b[at:], sep)
	}
	return at + copy(b[at:], s)
}

// left returns the first n UTF-16 code units of s; n < 0 means all of s,
// as documented for Left.
func left(s string, n int) string {
	if n < 0 {
		return s
	}
	if hasAstral(s) {
		u := utf16.Encode([]rune(s))
		if n >= len(u) {
			return s
		}
		return fromUTF16(u[:n])
	}
	return runePrefix(s, n)
}

// hasAstral reports whether s holds a character outside the Basic
// Multilingual Plane (a four-byte UTF-8 sequence): only then do code points
// and .NET's UTF-16 positions differ.
func hasAstral(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xF0 {
			return true
		}
	}
	return false
}

// fromUTF16 turns UTF-16 code units back into a string; half of a
// surrogate pair becomes U+FFFD.
func fromUTF16(u []uint16) string { return string(utf16.Decode(u)) }

// runePrefix returns the first n code points of s (all of s if shorter).
func runePrefix(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if n >= len(s) {
		return s // n code points take at least n bytes
	}
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// skipRunes drops the first n code points of s; it returns "" when s is
// shorter.
func skipRunes(s string, n int) string {
	for n > 0 && s != "" {
		_, w := utf8.DecodeRuneInString(s)
		s = s[w:]
		n--
	}
	return s
}

// mid returns n UTF-16 code units of s from the 1-based position start
// (VB's Mid with start >= 1 and n >= 0).
func mid(s string, start, n int) string {
	if hasAstral(s) {
		u := utf16.Encode([]rune(s))
		if start > len(u) {
			return ""
		}
		u = u[start-1:]
		if n < len(u) {
			u = u[:n]
		}
		return fromUTF16(u)
	}
	return runePrefix(skipRunes(s, start-1), n)
}

// compareMode reads InStr's compareType: it reports whether the comparison
// ignores case.
func compareMode(i int, v Value) (text bool, err error) {
	if IsNull(v) {
		return false, nil
	}
	if s, ok := v.(String); ok {
		switch strings.ToLower(strings.TrimSpace(string(s))) {
		case "vbbinarycompare":
			return false, nil
		case "vbtextcompare", "vbdatabasecompare":
			return true, nil
		}
	}
	n, err := toInt(i, v)
	if err != nil || n < 0 || n > 2 {
		return false, argErrorf(i, "expected vbBinaryCompare, vbTextCompare or vbDatabaseCompare (got %s)", Display(v))
	}
	return n != 0, nil
}

// instr returns the 1-based UTF-16 position of sub in s at or after
// position start, or 0, as Microsoft.VisualBasic's InStr: an empty s gives
// 0, a start more than one past the end gives 0, and an empty sub gives
// start. With text set, the comparison is .NET's culture-aware one that
// ignores case and width (instrText).
func instr(s, sub string, start int, text bool) int {
	if text {
		return instrText(s, sub, start) // textcompare.go
	}
	if hasAstral(s) || hasAstral(sub) {
		return instrUTF16(s, sub, start)
	}
	n := len(s) // bytes, an upper bound for the length in code points
	rest := s
	for i := 1; i < start; i++ {
		if rest == "" {
			return 0 // start is more than one past the end
		}
		_, w := utf8.DecodeRuneInString(rest)
		rest = rest[w:]
	}
	if n == 0 {
		return 0
	}
	if sub == "" {
		return start
	}
	k := strings.Index(rest, sub)
	if k < 0 {
		return 0
	}
	return start + utf8.RuneCountInString(rest[:k])
}

// instrUTF16 is instr for text with characters outside the Basic
// Multilingual Plane, searching UTF-16 code units as .NET does.
func instrUTF16(s, sub string, start int) int {
	u, f := utf16.Encode([]rune(s)), utf16.Encode([]rune(sub))
	pos := start - 1
	if pos > len(u) || len(u) == 0 {
		return 0
	}
	if len(f) == 0 {
		return start
	}
	for i := pos; i+len(f) <= len(u); i++ {
		if u[i] == f[0] && equalUnits(u[i:i+len(f)], f) {
			return i + 1
		}
	}
	return 0
}

func equalUnits(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// split implements Split for one string.
func split(s, delim string) []string {
	if delim == "" {
		return []string{s}
	}
	return strings.Split(s, delim)
}

// stripSpaces removes U+0020. strings.ReplaceAll returns s itself when
// there is nothing to replace.
func stripSpaces(s string) string {
	if strings.IndexByte(s, ' ') < 0 {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

// trimSpace trims Unicode white space, as .NET String.Trim() does.
func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

// word returns the n-th (1-based) word of s, words being separated by runs
// of the characters in delims.
func word(s string, n int, delims string) string {
	if n < 1 {
		return ""
	}
	isDelim := func(r rune) bool { return strings.ContainsRune(delims, r) }
	for k := 1; ; k++ {
		start := strings.IndexFunc(s, func(r rune) bool { return !isDelim(r) })
		if start < 0 {
			return ""
		}
		s = s[start:]
		end := strings.IndexFunc(s, isDelim)
		if end < 0 {
			end = len(s)
		}
		if k == n {
			return s[:end]
		}
		s = s[end:]
	}
}

// dnComponent returns the unescaped value of the n-th (1-based) relative
// distinguished name of dn.
func dnComponent(dn string, n int) (string, bool) {
	if n < 1 {
		return "", false
	}
	k := 1
	begin := 0
	for i := 0; i <= len(dn); i++ {
		if i < len(dn) {
			if dn[i] == '\\' && i+1 < len(dn) {
				i++ // the escaped byte (or first hex digit) cannot end a component
				continue
			}
			if dn[i] != ',' && dn[i] != ';' {
				continue
			}
		}
		if k == n {
			return rdnValue(dn[begin:i]), true
		}
		k++
		begin = i + 1
	}
	return "", false
}

// rdnValue drops the attribute type of one RDN and decodes LDAP escapes
// (RFC 4514): \ followed by a special character, or by two hex digits.
func rdnValue(rdn string) string {
	if eq := strings.IndexByte(rdn, '='); eq >= 0 {
		rdn = rdn[eq+1:]
	}
	rdn = strings.TrimSpace(rdn)
	if strings.IndexByte(rdn, '\\') < 0 {
		return rdn
	}
	var b strings.Builder
	for i := 0; i < len(rdn); i++ {
		c := rdn[i]
		if c != '\\' || i+1 >= len(rdn) {
			b.WriteByte(c)
			continue
		}
		if i+2 < len(rdn) && isHex(rdn[i+1]) && isHex(rdn[i+2]) {
			b.WriteByte(unhex(rdn[i+1])<<4 | unhex(rdn[i+2]))
			i += 2
			continue
		}
		i++
		b.WriteByte(rdn[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
