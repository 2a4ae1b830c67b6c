package expr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Formatting: .NET custom and standard date and time format strings, as
// DateTime.ToString(format, CultureInfo.InvariantCulture) writes them.

// standardFormats expands the single-character standard format strings of
// the invariant culture.
var standardFormats = map[byte]string{
	'd': "MM/dd/yyyy",
	'D': "dddd, dd MMMM yyyy",
	'f': "dddd, dd MMMM yyyy HH:mm",
	'F': "dddd, dd MMMM yyyy HH:mm:ss",
	'g': "MM/dd/yyyy HH:mm",
	'G': "MM/dd/yyyy HH:mm:ss",
	'm': "MMMM dd",
	'M': "MMMM dd",
	'o': "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK",
	'O': "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK",
	'r': "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
	'R': "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
	's': "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
	't': "HH:mm",
	'T': "HH:mm:ss",
	'u': "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
	'U': "dddd, dd MMMM yyyy HH:mm:ss",
	'y': "yyyy MMMM",
	'Y': "yyyy MMMM",
}

// errBadFormat is .NET's FormatException for an invalid format string.
var errBadFormat = errors.New("invalid date format string")

// expandFormat returns the custom pattern for layout: a one-character
// layout is a standard format (as in .NET, "d" is the short date, "%d" the
// day), anything longer is custom.
func expandFormat(layout string) (string, error) {
	if layout == "" {
		return "", fmt.Errorf("%w: empty", errBadFormat)
	}
	if len(layout) != 1 {
		return layout, nil
	}
	p, ok := standardFormats[layout[0]]
	if !ok {
		return "", fmt.Errorf("%w: %q is not a standard format (prefix a single custom specifier with %%, as in \"%%%s\")", errBadFormat, layout, layout)
	}
	return p, nil
}

// repeatCount counts how many times f[i] repeats from i.
func repeatCount(f []rune, i int) int {
	n := 1
	for i+n < len(f) && f[i+n] == f[i] {
		n++
	}
	return n
}

// quotedLiteral reads the quoted string starting at f[i] (a ' or "), with
// backslash escapes, and returns its text and the number of runes consumed.
func quotedLiteral(f []rune, i int) (string, int, error) {
	q := f[i]
	var b strings.Builder
	for j := i + 1; j < len(f); j++ {
		switch f[j] {
		case q:
			return b.String(), j - i + 1, nil
		case '\\':
			j++
			if j >= len(f) {
				return "", 0, fmt.Errorf("%w: unterminated quote %c", errBadFormat, q)
			}
			b.WriteRune(f[j])
		default:
			b.WriteRune(f[j])
		}
	}
	return "", 0, fmt.Errorf("%w: unterminated quote %c", errBadFormat, q)
}

// validateNetDateFormat reports whether layout is a format .NET accepts,
// without formatting anything; Check uses it on literal formats.
func validateNetDateFormat(layout string) error {
	_, err := formatNetDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), layout)
	return err
}

// formatNetDate formats t as DateTime.ToString(layout,
// CultureInfo.InvariantCulture) does. The kind of t (see localZone) decides
// the K specifier: "Z" for UTC, "+00:00" for local, nothing for
// unspecified.
func formatNetDate(t time.Time, layout string) (string, error) {
	p, err := expandFormat(layout)
	if err != nil {
		return "", err
	}
	if len(layout) == 1 && strings.ContainsRune("rRuU", rune(layout[0])) {
		// These standard formats convert to universal time first.
		t = t.UTC()
	}
	var b strings.Builder
	if err := formatCustom(&b, t, []rune(p)); err != nil {
		return "", err
	}
	return b.String(), nil
}

func formatCustom(b *strings.Builder, t time.Time, f []rune) error {
	for i := 0; i < len(f); {
		ch := f[i]
		n := 1
		switch ch {
		case 'g':
			// Any number of g's writes the era once; the Gregorian
			// calendar of the invariant culture has only A.D.
			n = repeatCount(f, i)
			b.WriteString(eraName)
		case 'h':
			// Hours, minutes and seconds write at most two digits however
			// many letters are given (.NET caps the length at 2).
			n = repeatCount(f, i)
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			writeDigits(b, h, min(n, 2))
		case 'H':
			n = repeatCount(f, i)
			writeDigits(b, t.Hour(), min(n, 2))
		case 'm':
			n = repeatCount(f, i)
			writeDigits(b, t.Minute(), min(n, 2))
		case 's':
			n = repeatCount(f, i)
			writeDigits(b, t.Second(), min(n, 2))
		case 'f', 'F':
			n = repeatCount(f, i)
			if n > 7 {
				return fmt.Errorf("%w: at most 7 %c specifiers", errBadFormat, ch)
			}
			// .NET truncates the fraction to n digits; it never rounds.
			ticks := t.Nanosecond() / 100
			frac := ticks / int(math.Pow10(7-n))
			if ch == 'f' {
				writeDigits(b, frac, n)
				break
			}
			digits := n
			for digits > 0 && frac%10 == 0 {
				frac /= 10
				digits--
			}
			if digits > 0 {
				writeDigits(b, frac, digits)
			} else if s := b.String(); strings.HasSuffix(s, ".") {
				// .NET drops the decimal point before an empty F fraction.
				b.Reset()
				b.WriteString(s[:len(s)-1])
			}
		case 't':
			// t is the first letter of the designator, tt and more the
			// whole designator.
			n = repeatCount(f, i)
			d := amDesignator
			if t.Hour() >= 12 {
				d = pmDesignator
			}
			if n == 1 {
				d = d[:1]
			}
			b.WriteString(d)
		case 'd':
			n = repeatCount(f, i)
			switch {
			case n <= 2:
				writeDigits(b, t.Day(), n)
			case n == 3:
				b.WriteString(dayAbbrevs[t.Weekday()])
			default:
				b.WriteString(dayNames[t.Weekday()])
			}
		case 'M':
			n = repeatCount(f, i)
			switch {
			case n <= 2:
				writeDigits(b, int(t.Month()), n)
			case n == 3:
				b.WriteString(monthAbbrevs[t.Month()-1])
			default:
				b.WriteString(monthNames[t.Month()-1])
			}
		case 'y':
			// y and yy are the year of the century; from yyy on, the full
			// year padded to as many digits as letters.
			n = repeatCount(f, i)
			if n <= 2 {
				writeDigits(b, t.Year()%100, n)
			} else {
				writeDigits(b, t.Year(), n)
			}
		case 'z':
			n = repeatCount(f, i)
			// Every kind has offset zero here: UTC, or local time, which
			// is UTC on the service.
			switch {
			case n == 1:
				b.WriteString("+0")
			case n == 2:
				b.WriteString("+00")
			default:
				b.WriteString("+00:00")
			}
		case 'K':
			// K is the only specifier that shows the kind, and it is
			// one letter long: KK writes it twice.
			switch t.Location() {
			case time.UTC:
				b.WriteByte('Z')
			case localZone:
				b.WriteString("+00:00")
			}
		case ':', '/':
			// The culture's separators, which are : and / in the
			// invariant culture.
			b.WriteRune(ch)
		case '\'', '"':
			lit, m, err := quotedLiteral(f, i)
			if err != nil {
				return err
			}
			b.WriteString(lit)
			n = m
		case '%':
			// %x formats x as a one-letter custom format, so that "%d" is
			// the day rather than the standard short date.
			if i+1 >= len(f) || f[i+1] == '%' {
				return fmt.Errorf("%w: %% must be followed by a specifier", errBadFormat)
			}
			if err := formatCustom(b, t, f[i+1:i+2]); err != nil {
				return err
			}
			n = 2
		case '\\':
			if i+1 >= len(f) {
				return fmt.Errorf("%w: trailing backslash", errBadFormat)
			}
			b.WriteRune(f[i+1])
			n = 2
		default:
			b.WriteRune(ch)
		}
		i += n
	}
	return nil
}

// writeDigits writes v zero-padded to at least n digits.
func writeDigits(b *strings.Builder, v, n int) {
	s := strconv.Itoa(v)
	for i := len(s); i < n; i++ {
		b.WriteByte('0')
	}
	b.WriteString(s)
}
