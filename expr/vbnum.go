package expr

import (
	"math"
	"strconv"
	"strings"
)

// Text to number, as Visual Basic converts it (Microsoft.VisualBasic's
// Conversions.ToDouble, ToLong and ToBoolean), which is what the service
// does where a function needs a number and gets text: CBool, BitAnd, the
// number of DateAdd, the positions of Mid and Left.

// parseVBNumber reads s as Conversions.ToDouble(String) does in the
// invariant culture:
//   - "&H" or "&O" after optional spaces starts a hexadecimal or octal
//     integer (Conversions.IsHexOrOctValue), read as Convert.ToInt64(s, 16)
//     does: 16 hexadecimal digits at most, wrapping to negative values
//     (&HFFFFFFFFFFFFFFFF is -1), nothing after the digits, not even a
//     space;
//   - anything else is Double.Parse with NumberStyles.Any: white space
//     around, a sign before or after the number, parentheses for a negative
//     number, the invariant currency sign ¤, commas as thousands separators
//     after the first digit, a decimal point, an exponent, and the words
//     Infinity and NaN (a magnitude beyond the double range is infinite, as
//     in .NET Core 3.0 and later).
//
// Integers that fit 64 bits stay exact (AD file times do not fit a
// double's mantissa).
func parseVBNumber(s string) (Number, bool) {
	if n, ok, isHex := parseVBHexOct(s); isHex {
		return Int(n), ok
	}
	return parseNETDouble(s)
}

// parseVBHexOct is Conversions.IsHexOrOctValue followed by
// Convert.ToInt64(digits, base): isHex reports whether s has the &H or &O
// form at all, ok whether its digits are valid.
func parseVBHexOct(s string) (n int64, ok, isHex bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || strings.HasPrefix(s[i:], "\u3000")) {
		if s[i] == ' ' {
			i++
		} else {
			i += len("\u3000")
		}
	}
	if i+2 >= len(s) || s[i] != '&' {
		return 0, false, false
	}
	base := 0
	switch s[i+1] {
	case 'h', 'H':
		base = 16
	case 'o', 'O':
		base = 8
	default:
		return 0, false, true // &X... is a FormatException in VB
	}
	digits := s[i+2:]
	if base == 16 && len(digits) > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') {
		digits = digits[2:] // Convert.ToInt64 accepts a 0x prefix
	}
	digits = strings.TrimPrefix(digits, "+")
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil || strings.ContainsAny(digits, "_") {
		return 0, false, true
	}
	return int64(u), true, true
}

// parseNETDouble is Double.Parse(s, NumberStyles.Any, InvariantCulture).
func parseNETDouble(s string) (Number, bool) {
	isWhite := func(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }
	t := strings.TrimFunc(s, func(r rune) bool { return r < 0x80 && isWhite(byte(r)) })
	if t == "" {
		return Number{}, false
	}
	neg, parens, sign, currency := false, false, false, false
	// leading sign, parenthesis and currency sign, each at most once
	for {
		switch {
		case !sign && !parens && (t[0] == '+' || t[0] == '-'):
			sign, neg = true, t[0] == '-'
			t = t[1:]
		case !parens && !sign && t[0] == '(':
			parens, neg = true, true
			t = t[1:]
		case !currency && strings.HasPrefix(t, "¤"):
			currency = true
			t = t[len("¤"):]
		default:
			goto number
		}
		t = strings.TrimLeftFunc(t, func(r rune) bool { return r < 0x80 && isWhite(byte(r)) })
		if t == "" {
			return Number{}, false
		}
	}
number:
	if strings.EqualFold(t, "Infinity") || strings.EqualFold(t, "NaN") {
		f := math.Inf(1)
		if strings.EqualFold(t, "NaN") {
			f = math.NaN()
		} else if neg {
			f = math.Inf(-1)
		}
		return Number{f: f, float: true}, !parens && !currency
	}
	var b strings.Builder
	i, digits, intDigits := 0, 0, 0
	for ; i < len(t); i++ {
		c := t[i]
		if c >= '0' && c <= '9' {
			b.WriteByte(c)
			digits++
			intDigits++
		} else if c == ',' && intDigits > 0 {
			continue
		} else {
			break
		}
	}
	if i < len(t) && t[i] == '.' {
		b.WriteByte('.')
		for i++; i < len(t) && t[i] >= '0' && t[i] <= '9'; i++ {
			b.WriteByte(t[i])
			digits++
		}
	}
	if digits == 0 {
		return Number{}, false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		j := i + 1
		if j < len(t) && (t[j] == '+' || t[j] == '-') {
			j++
		}
		k := j
		for k < len(t) && t[k] >= '0' && t[k] <= '9' {
			k++
		}
		if k > j { // an exponent needs digits; else the e is left over
			b.WriteString(t[i:k])
			i = k
		}
	}
	rest := t[i:]
	// trailing white space, sign, currency sign and parenthesis
	for rest != "" {
		switch {
		case isWhite(rest[0]):
			rest = rest[1:]
		case !sign && !parens && (rest[0] == '+' || rest[0] == '-'):
			sign, neg = true, rest[0] == '-'
			rest = rest[1:]
		case !currency && strings.HasPrefix(rest, "¤"):
			currency = true
			rest = rest[len("¤"):]
		case parens && rest[0] == ')':
			parens = false
			rest = rest[1:]
		default:
			return Number{}, false
		}
	}
	if parens {
		return Number{}, false // an unclosed parenthesis
	}
	text := b.String()
	if !strings.ContainsAny(text, ".eE") {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			if neg {
				n = -n
			}
			return Int(n), true
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		return Number{}, false
	}
	if neg {
		f = -f
	}
	return Float(f), true
}
