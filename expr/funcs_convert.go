package expr

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// convertEach applies f to a string value, or to each value of a
// multi-valued one. Null stays null: there is nothing to convert, and
// keeping it null lets IsNull, Coalesce and IgnoreFlowIfNullOrEmpty see it.
func convertEach(v Value, f func(string) (string, error)) (Value, error) {
	switch v := v.(type) {
	case Multi:
		out := make(Multi, len(v))
		for i, s := range v {
			r, err := f(s)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	if IsNull(v) {
		return Null, nil
	}
	r, err := f(str(v))
	if err != nil {
		return nil, err
	}
	return String(r), nil
}

// cbool converts v as CBool does. Null is False, as .NET's
// Convert.ToBoolean(null) is; a value that is neither a boolean, a number
// nor the text True or False is an error, as in VBA and .NET.
func cbool(v Value) (Value, error) {
	if IsNull(v) {
		return Bool(false), nil
	}
	if m, ok := v.(Multi); ok {
		return nil, argErrorf(0, "expected a single value (got a multi-valued value with %d values)", len(m))
	}
	b, ok := toBool(v)
	if !ok {
		if s, isStr := v.(String); isStr {
			return nil, argErrorf(0, "expected a boolean, a number, or True or False (got %s)", quoteShort(string(s)))
		}
		return nil, argErrorf(0, "expected a boolean, a number, or True or False (got %s)", v.Kind())
	}
	return Bool(b), nil
}

// cstr converts v to a string as CStr does: booleans as True or False,
// numbers in the invariant culture, dates as M/d/yyyy h:mm:ss tt. Null is
// the empty string, as .NET's Convert.ToString(null) is. A multi-valued
// value already holds strings and is returned unchanged, keeping its
// values apart.
func cstr(v Value) Value {
	if m, ok := v.(Multi); ok {
		return m
	}
	return String(str(v))
}

// toBase64Unicode encodes s as UTF-16LE (.NET's Encoding.Unicode) and then
// as base64.
func toBase64Unicode(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// textEncoding is an encoding ConvertFromBase64 decodes bytes with.
type textEncoding uint8

const (
	encUnicode textEncoding = iota
	encUTF8
	encASCII
)

// parseEncoding reads ConvertFromBase64's encoding argument (the bare
// words Unicode, UTF8 and ASCII arrive as strings), ignoring case.
func parseEncoding(v Value) (textEncoding, error) {
	if IsNull(v) {
		return encUnicode, nil
	}
	switch s := strings.ToLower(strings.TrimSpace(str(v))); s {
	case "unicode", "utf16", "utf-16":
		return encUnicode, nil
	case "utf8", "utf-8":
		return encUTF8, nil
	case "ascii":
		return encASCII, nil
	}
	return 0, argErrorf(1, "expected Unicode, UTF8 or ASCII (got %s)", quoteShort(str(v)))
}

// fromBase64 decodes s as .NET's Convert.FromBase64String does (white space
// is ignored, padding is required) and the bytes with enc. Undecodable
// bytes become U+FFFD (for ASCII, "?"), as .NET's default replacement
// fallbacks do.
func fromBase64(s string, enc textEncoding) (string, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	b, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		return "", argErrorf(0, "expected a base64 string (got %s)", quoteShort(s))
	}
	// .NET decodes with replacement fallbacks rather than failing, so
	// neither do we.
	switch enc {
	case encUTF8:
		return decodeUTF8(b), nil
	case encASCII:
		r := make([]byte, len(b))
		for i, c := range b {
			if c > 0x7F {
				c = '?'
			}
			r[i] = c
		}
		return string(r), nil
	}
	// Unicode: UTF-16 little-endian; a lone surrogate and an odd last byte
	// each become U+FFFD.
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	out := string(utf16.Decode(u))
	if len(b)%2 == 1 {
		out += "\uFFFD"
	}
	return out, nil
}

// decodeUTF8 decodes b as .NET Core 3.0 and later's UTF8Encoding does: one
// U+FFFD for each maximal subpart of an ill-formed sequence (the Unicode
// Standard's recommended practice, chapter 3.9), so a truncated three-byte
// sequence E2 82 is one U+FFFD, not two as a byte-by-byte decoder gives.
func decodeUTF8(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError || n > 1 {
			sb.WriteRune(r)
			b = b[n:]
			continue
		}
		sb.WriteRune(utf8.RuneError)
		b = b[maximalSubpart(b):]
	}
	return sb.String()
}

// maximalSubpart returns the length of the ill-formed prefix of b that
// one U+FFFD replaces: the lead byte and the continuation bytes that still
// could have completed a character (table 3-7 of the Unicode Standard).
func maximalSubpart(b []byte) int {
	c := b[0]
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		lo, need = 0xA0, 2
	case c == 0xED:
		hi, need = 0x9F, 2
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		lo, need = 0x90, 3
	case c == 0xF4:
		hi, need = 0x8F, 3
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
		n++
	}
	return n
}

// utf8Hex returns the UTF-8 bytes of s in upper-case hexadecimal.
func utf8Hex(s string) string {
	return strings.ToUpper(hex.EncodeToString([]byte(s)))
}

// sidString converts a binary security identifier to its S-1-5-21-...
// form. Attribute values are text, so the bytes arrive as base64 (how
// LDAP, Graph and JSON exports carry binary values) or as hexadecimal; a
// value already in string form is returned as it is. The two encodings
// cannot be confused: a hexadecimal SID starts with 01 (the revision), a
// base64 one with A.
func sidString(s string) (string, error) {
	t := strings.TrimSpace(s)
	if len(t) > 2 && (t[0] == 'S' || t[0] == 's') && t[1] == '-' {
		return t, nil
	}
	// Hexadecimal first: every hexadecimal SID would also be valid base64
	// text, but it would decode to bytes that are not a SID.
	var b []byte
	if h, err := hex.DecodeString(t); err == nil {
		b = h
	} else if d, err := base64.StdEncoding.DecodeString(t); err == nil {
		b = d
	} else {
		return "", argErrorf(0, "expected a binary SID as base64 or hexadecimal (got %s)", quoteShort(s))
	}
	// Revision (1), sub-authority count, 48-bit big-endian identifier
	// authority, then that many 32-bit little-endian sub-authorities. As
	// .NET's SecurityIdentifier(byte[], 0), bytes after the last
	// sub-authority are ignored.
	if len(b) < 8 || b[0] != 1 || b[1] > 15 || len(b) < 8+4*int(b[1]) {
		return "", argErrorf(0, "expected a binary SID (got %d bytes that are not one)", len(b))
	}
	var auth uint64
	for _, c := range b[2:8] {
		auth = auth<<8 | uint64(c)
	}
	var sb strings.Builder
	sb.WriteString("S-1-")
	// .NET prints the authority in decimal whatever its size
	// (SecurityIdentifier.ToString formats it as a ulong), where Windows'
	// ConvertSidToStringSid switches to hexadecimal from 2^32.
	sb.WriteString(strconv.FormatUint(auth, 10))
	for i := 0; i < int(b[1]); i++ {
		sb.WriteByte('-')
		sb.WriteString(strconv.FormatUint(uint64(binary.LittleEndian.Uint32(b[8+4*i:])), 10))
	}
	return sb.String(), nil
}

// newGUID reads 16 bytes from r and formats them as an RFC 4122 version 4
// GUID in lower case, as .NET's Guid.NewGuid().ToString() does.
func newGUID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("reading the random source (%w)", err)
	}
	b[6] = b[6]&0x0F | 0x40 // version 4
	b[8] = b[8]&0x3F | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// The character sets of the Windows password complexity requirements.
const (
	randDigits  = "0123456789"
	randSpecial = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/"
	randUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	randLower   = "abcdefghijklmnopqrstuvwxyz"
)

// maxRandomLength is RandomString's documented maximum length.
const maxRandomLength = 256

// randomSpec is a validated RandomString request.
type randomSpec struct {
	length int
	// sets holds, in parameter order (numbers, special, capital, lower),
	// each category's allowed characters and its minimum count.
	sets [4]struct {
		chars string
		min   int
	}
	// pool is every allowed character, for the positions no minimum
	// claims.
	pool string
}

var randomSetNames = [4]string{"digits", "special characters", "capital letters", "lower-case letters"}

// newRandomSpec validates RandomString's arguments; errors blame the
// argument at fault (0 Length, 1-4 the minimums, 5 CharactersToAvoid).
func newRandomSpec(length int64, mins [4]int64, avoid string) (*randomSpec, error) {
	if length < 0 || length > maxRandomLength {
		return nil, argErrorf(0, "expected a length from 0 to %d (got %d)", maxRandomLength, length)
	}
	sp := &randomSpec{length: int(length)}
	var sum int64
	var pool strings.Builder
	for i, set := range [4]string{randDigits, randSpecial, randUpper, randLower} {
		if mins[i] < 0 || mins[i] > maxRandomLength {
			return nil, argErrorf(i+1, "expected a minimum from 0 to %d (got %d)", maxRandomLength, mins[i])
		}
		sum += mins[i]
		chars := strings.Map(func(r rune) rune {
			if strings.ContainsRune(avoid, r) {
				return -1
			}
			return r
		}, set)
		if chars == "" && mins[i] > 0 {
			return nil, argErrorf(5, "the characters to avoid leave no %s (expected at least one, for the minimum of %d)", randomSetNames[i], mins[i])
		}
		sp.sets[i].chars, sp.sets[i].min = chars, int(mins[i])
		pool.WriteString(chars)
	}
	if sum > length {
		return nil, argErrorf(0, "the length must be at least the sum of the minimums (expected at least %d, got %d)", sum, length)
	}
	sp.pool = pool.String()
	if sp.pool == "" && sum < length {
		return nil, argErrorf(5, "the characters to avoid leave no character to choose from")
	}
	return sp, nil
}

// generate draws the string: each category's minimum from that category,
// the rest from every allowed character, then a Fisher-Yates shuffle so
// that the categories' positions are uniform too. Every draw is unbiased.
// The result depends only on the bytes read from r.
func (sp *randomSpec) generate(r io.Reader) (string, error) {
	out := make([]byte, 0, sp.length)
	for _, set := range sp.sets {
		for range set.min {
			i, err := randIntn(r, len(set.chars))
			if err != nil {
				return "", err
			}
			out = append(out, set.chars[i])
		}
	}
	for len(out) < sp.length {
		i, err := randIntn(r, len(sp.pool))
		if err != nil {
			return "", err
		}
		out = append(out, sp.pool[i])
	}
	for i := len(out) - 1; i > 0; i-- {
		j, err := randIntn(r, i+1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

// errRandomStuck reports a random source that keeps producing rejected
// bytes.
var errRandomStuck = errors.New("the random source keeps returning the same bytes")

// randIntn returns a uniform integer in [0, n), 0 < n <= 256, from one
// byte of r at a time, rejecting the bytes that would bias the result. The
// retries are bounded so that a constant source cannot loop forever.
func randIntn(r io.Reader, n int) (int, error) {
	if n <= 1 {
		return 0, nil
	}
	limit := 256 - 256%n
	var b [1]byte
	for range 1024 {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, fmt.Errorf("reading the random source (%w)", err)
		}
		if int(b[0]) < limit {
			return int(b[0]) % n, nil
		}
	}
	return 0, errRandomStuck
}

// randomArgs converts RandomString's arguments, literal or evaluated; get
// reports false when an argument is not known yet (not a constant, at
// Compile time), and ok is then false: validation waits for evaluation.
func randomArgs(get func(int) (Value, bool)) (*randomSpec, bool, error) {
	var vals [5]int64
	for i := range vals {
		v, ok := get(i)
		if !ok {
			return nil, false, nil
		}
		n, err := toInt(i, v)
		if err != nil {
			return nil, true, err
		}
		vals[i] = n
	}
	avoid, ok := get(5)
	if !ok {
		return nil, false, nil
	}
	sp, err := newRandomSpec(vals[0], [4]int64(vals[1:5]), str(avoid))
	return sp, true, err
}

// raisedError is the error Error() raises: its text is the user's message,
// unchanged.
type raisedError struct{ msg string }

func (e *raisedError) Error() string { return e.msg }

func init() {
	register(
		&Func{
			Name:     "CBool",
			Category: "Conversion",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"expression"},
			Doc: `Converts a value to a boolean: booleans (such as the result of a comparison) as they are,
numbers and numeric strings to True when non-zero, and the strings True and False in any case (the whole
text: " True" with a space is not, as in VB's Conversions.ToBoolean).

Numeric strings are read as Visual Basic reads them (Conversions.ToDouble in the invariant culture): "&H10" and
"&O17" are hexadecimal and octal, "1,000" is a thousand, "1e3" has an exponent, white space around, a sign after
the number ("7-") and parentheses ("(8)", negative) are allowed; "1_000", "0x10", full-width digits and "&H10 "
(a space after hexadecimal digits) are not numbers.

Decisions: null (an absent attribute) is False, as .NET's ` + "`Convert.ToBoolean(null)`" + ` is. Any other string
(including "") and a multi-valued value are errors, as VBA's CBool raises a type mismatch.`,
			Impl: func(c *Call, args []Value) (Value, error) { return cbool(args[0]) },
			Examples: []Example{
				{Expr: `CBool([attribute1] = [attribute2])`, Input: map[string]any{"attribute1": "x", "attribute2": "x"}, Want: "True", Note: "the documented example: True when both attributes have the same value"},
				{Expr: `CBool(0)`, Want: "False"},
				{Expr: `CBool("-1")`, Want: "True"},
				{Expr: `CBool("false")`, Want: "False"},
			},
		},
		&Func{
			Name:     "CStr",
			Category: "Conversion",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"value"},
			Doc: `Converts a value to a string: numbers in the invariant culture, booleans as True or False, dates as
M/d/yyyy h:mm:ss tt (UTC), strings and references as they are.

Decisions: null is the empty string, as .NET's ` + "`Convert.ToString(null)`" + ` is. A multi-valued value is
returned unchanged (its values already are strings; joining them would lose where one ends).`,
			Impl: func(c *Call, args []Value) (Value, error) { return cstr(args[0]), nil },
			Examples: []Example{
				{Expr: `CStr([dn])`, Input: map[string]any{"dn": "cn=Joe,dc=contoso,dc=com"}, Want: "cn=Joe,dc=contoso,dc=com"},
				{Expr: `CStr(BitAnd(&HF, &HF7))`, Want: "7"},
				{Expr: `CStr([a] = "x")`, Input: map[string]any{"a": "x"}, Want: "True"},
			},
		},
		&Func{
			Name:     "BitAnd",
			Category: "Conversion",
			MinArgs:  2, MaxArgs: 2,
			Params: []string{"value1", "value2"},
			Doc: `Returns the bitwise AND of two integers. Hexadecimal literals are written as in VBA, ` + "`&HF7`" + `;
numeric strings (also "&HF7") are accepted, booleans are -1 and 0 as in VBA. Typical use:
` + "`BitAnd([userAccountControl], 2)`" + ` tests the ACCOUNTDISABLE flag.

Numeric strings are read as Visual Basic reads them (Conversions.ToDouble in the invariant culture): "&H10" and
"&O17" are hexadecimal and octal, "1,000" is a thousand, "1e3" has an exponent, white space around, a sign after
the number ("7-") and parentheses ("(8)", negative) are allowed; "1_000", "0x10", full-width digits and "&H10 "
(a space after hexadecimal digits) are not numbers.

Decisions: a null or non-integral argument is an error (there is no number to combine), also a numeric string
with a fraction such as "3.5", which VB's CLng would round half to even (to 4) before combining: a bit mask
with a fraction is a mistake to report, not to round; the
documentation's worked example writes the 8-bit &HF as 00000111, but &HF is 00001111, and the result, 7,
is the same either way.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				a, err := toInt(0, args[0])
				if err != nil {
					return nil, err
				}
				b, err := toInt(1, args[1])
				if err != nil {
					return nil, err
				}
				return Int(a & b), nil
			},
			Examples: []Example{
				{Expr: `BitAnd(&HF, &HF7)`, Want: "7"},
				{Expr: `BitAnd([userAccountControl], 2)`, Input: map[string]any{"userAccountControl": "514"}, Want: "2"},
			},
		},
		&Func{
			Name:     "ConvertToBase64",
			Category: "Conversion",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"source"},
			Doc: `Encodes a string as "Unicode" (UTF-16 little-endian, .NET's Encoding.Unicode) and returns the bytes in
base64.

Decisions: null stays null; a multi-valued value is converted value by value.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				return convertEach(args[0], func(s string) (string, error) { return toBase64Unicode(s), nil })
			},
			Examples: []Example{
				{Expr: `ConvertToBase64("Hello world!")`, Want: "SABlAGwAbABvACAAdwBvAHIAbABkACEA"},
			},
		},
		&Func{
			Name:     "ConvertFromBase64",
			Category: "Conversion",
			MinArgs:  1, MaxArgs: 2,
			Params: []string{"source", "encoding"},
			Doc: `Decodes a base64 string and reads the bytes as text in **encoding**: Unicode (UTF-16 little-endian, the
default), UTF8 or ASCII, written as a bare word or a string, in any case. From the cloud sync reference.

Decisions: white space in the base64 text is ignored and padding is required, as in .NET's
Convert.FromBase64String; text that is not base64 is an error. Bytes that do not decode become U+FFFD
(for ASCII, bytes above 127 become "?"), as .NET's replacement fallbacks do; for UTF8, one U+FFFD replaces
each maximal ill-formed subsequence, as .NET Core 3.0 and later decode (a truncated sequence E2 82 is one
U+FFFD; .NET Framework and Mono give other counts). Null stays null; a
multi-valued value is decoded value by value. A constant unknown encoding is a compile error.`,
			Check: func(ck *CheckContext) error {
				if v, ok := ck.Literal(1); ok {
					_, err := parseEncoding(v)
					return err
				}
				return nil
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				enc := encUnicode
				if len(args) > 1 {
					var err error
					if enc, err = parseEncoding(args[1]); err != nil {
						return nil, err
					}
				}
				return convertEach(args[0], func(s string) (string, error) { return fromBase64(s, enc) })
			},
			Examples: []Example{
				{Expr: `ConvertFromBase64("SABlAGwAbABvACAAdwBvAHIAbABkACEA")`, Want: "Hello world!"},
				{Expr: `ConvertFromBase64("YeKCYvCAgGM=", UTF8)`, Want: "a\uFFFDb\uFFFD\uFFFD\uFFFDc", Note: "E2 82 is one maximal subpart (one U+FFFD); F0 80 80 is three, as .NET Core decodes"},
				{Expr: `ConvertFromBase64("SGVsbG8gd29ybGQh", UTF8)`, Want: "Hello world!"},
			},
		},
		&Func{
			Name:     "ConvertToUTF8Hex",
			Category: "Conversion",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"source"},
			Doc: `Returns the UTF-8 bytes of a string in upper-case hexadecimal, the format Microsoft Entra ID uses for DN
attribute values.

Decisions: null stays null; a multi-valued value is converted value by value.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				return convertEach(args[0], func(s string) (string, error) { return utf8Hex(s), nil })
			},
			Examples: []Example{
				{Expr: `ConvertToUTF8Hex("Hello world!")`, Want: "48656C6C6F20776F726C6421"},
			},
		},
		&Func{
			Name:     "StringFromSID",
			Aliases:  []string{"StringFromSid"},
			Category: "Conversion",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"objectSID"},
			Doc: `Converts a binary security identifier (such as objectSid) to its string form, S-1-5-21-.... From the
cloud sync reference.

Decisions: attribute values are text here, so the binary value is given in base64 (as LDAP, Graph and
JSON exports carry binary attributes) or in hexadecimal; the two cannot be confused, since a SID's first
byte (its revision, 1) reads "01" in hexadecimal and starts with "A" in base64. A value already in string
form (S-1-...) is returned as it is. Bytes that are not a SID (a revision other than 1, more than 15
sub-authorities, fewer bytes than the count needs) are an error; bytes after the last sub-authority are
ignored, as .NET's SecurityIdentifier(byte[], 0) ignores them. An identifier authority of 2^32 or more is
printed in decimal, as SecurityIdentifier.ToString does (Windows' ConvertSidToStringSid would write it in
hexadecimal, 0x...; the service is a .NET program). Null stays null; a multi-valued value is converted
value by value.`,
			Impl: func(c *Call, args []Value) (Value, error) { return convertEach(args[0], sidString) },
			Examples: []Example{
				{Expr: `StringFromSID("AQUAAAAAAAUVAAAAoGXPfnhLm1/nfIdwUQQAAA==")`, Want: "S-1-5-21-2127521184-1604012920-1887927527-1105"},
				{Expr: `StringFromSID("01010000000000050A000000")`, Want: "S-1-5-10"},
				{Expr: `StringFromSID("01010001000000000A000000FFFF")`, Want: "S-1-4294967296-10", Note: "an authority of 2^32 is decimal, and the trailing bytes are ignored, as in .NET"},
			},
		},
		&Func{
			Name:     "Guid",
			Category: "Random",
			MinArgs:  0, MaxArgs: 0,
			Impure: true,
			Doc: `Generates a new random GUID (RFC 4122 version 4), in lower case with hyphens, as .NET's
Guid.NewGuid().ToString() does. The random bytes come from the evaluation's random source (WithRand),
so tests can fix them.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				g, err := newGUID(c.Rand())
				if err != nil {
					return nil, err
				}
				return String(g), nil
			},
			Examples: []Example{
				{Expr: `Guid()`, Want: "00010203-0405-4607-8809-0a0b0c0d0e0f", Note: "with the test random source, which returns the bytes 0, 1, 2, ..."},
			},
		},
		&Func{
			Name:     "RandomString",
			Category: "Random",
			MinArgs:  5, MaxArgs: 6,
			Params: []string{"Length", "MinimumNumbers", "MinimumSpecialCharacters", "MinimumCapital", "MinimumLowerCase", "CharactersToAvoid"},
			Impure: true,
			Doc: `Generates a random string of **Length** characters with at least the given numbers of digits, special
characters, capital and lower-case letters, leaving out **CharactersToAvoid** (case-sensitive). The
characters are those of the Windows password complexity requirements: A-Z, a-z, 0-9 and
` + "``~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/``" + `. The random bytes come from the evaluation's random source
(WithRand), so tests can fix them.

Decisions: Length is at most 256, as documented, and at least the sum of all four minimums (the
documentation names only three, but a string shorter than all four cannot satisfy them). The positions no
minimum claims are drawn from every allowed character, special ones included: a minimum of 0 does not
forbid a category; use CharactersToAvoid for that. Each character and the final shuffle (Fisher-Yates) are
drawn without bias. Arguments outside these bounds, or characters to avoid that empty a required category,
are errors (at Compile time when they are constants).`,
			Check: func(ck *CheckContext) error {
				sp, ok, err := randomArgs(func(i int) (Value, bool) {
					if i == 5 && !ck.Provided(5) {
						return Null, true
					}
					return ck.Literal(i)
				})
				if ok && err == nil {
					ck.SetData(sp)
				}
				return err
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				sp, _ := c.Data().(*randomSpec)
				if sp == nil {
					var err error
					sp, _, err = randomArgs(func(i int) (Value, bool) {
						if i < len(args) {
							return args[i], true
						}
						return Null, true
					})
					if err != nil {
						return nil, err
					}
				}
				s, err := sp.generate(c.Rand())
				if err != nil {
					return nil, err
				}
				return String(s), nil
			},
			Examples: []Example{
				{Expr: `RandomString(6, 3, 0, 0, 3)`, Want: "1edf20", Note: "the documentation shows 1a73qt; this output comes from the test random source, which returns the bytes 0, 1, 2, ..."},
				{Expr: `RandomString(10, 2, 2, 2, 1, "?,")`, Want: "1#F798gE@0", Note: "the documentation shows 1@!2BaRg53; this output comes from the test random source"},
			},
		},
		&Func{
			Name:     "Error",
			Category: "Flow",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"message"},
			Impure: true,
			Doc: `Fails the evaluation with **message**, so that the object is reported in error instead of being
provisioned with a wrong value. From the cloud sync reference; use it in the branch of IIF or Switch that
must not happen.

Decisions: Error is never evaluated at Compile time, even with a constant message, so it only fails when
the branch holding it is taken. A null or empty message gives a generic one.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				msg := str(args[0])
				if msg == "" {
					msg = "the expression raised an error"
				}
				return nil, &raisedError{msg: msg}
			},
			Examples: []Example{
				{Expr: `IIF(IsPresent([accountName]), [accountName], Error("AccountName is required"))`, Input: map[string]any{"accountName": "jdoe"}, Want: "jdoe"},
			},
		},
	)
}
