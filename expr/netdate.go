package expr

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/attrmap/attrmap/internal/diag"
)

// This file reimplements the parts of .NET's date handling that the
// provisioning service exposes: custom and standard date and time format
// strings (DateTime.ToString and DateTime.ParseExact with the invariant
// culture), DateTimeStyles, and a lenient DateTime.Parse for CDate.
//
// .NET DateTime values carry a Kind (Unspecified, Utc, Local) that changes
// how the K and z specifiers format. We keep the instant in a time.Time and
// encode the kind in its location: time.UTC for Utc, localZone for Local and
// unspecifiedZone for Unspecified. The service runs in UTC, so "local time"
// is UTC: every zone below has offset zero and only its identity matters.

var (
	// localZone marks a DateTimeKind.Local value. Local time is UTC.
	localZone = time.FixedZone("Local", 0)
	// unspecifiedZone marks a DateTimeKind.Unspecified value.
	unspecifiedZone = time.FixedZone("Unspecified", 0)
)

// Invariant culture names.
var (
	monthNames    = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	monthAbbrevs  = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dayNames      = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	dayAbbrevs    = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	amDesignator  = "AM"
	pmDesignator  = "PM"
	eraName       = "A.D."
	eraAbbrevName = "AD"
)

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

// dateStyles is .NET's DateTimeStyles flags enumeration.
type dateStyles uint16

// The DateTimeStyles values, with .NET's numbers.
const (
	styleNone                 dateStyles = 0
	styleAllowLeadingWhite    dateStyles = 1
	styleAllowTrailingWhite   dateStyles = 2
	styleAllowInnerWhite      dateStyles = 4
	styleAllowWhiteSpaces     dateStyles = 7
	styleNoCurrentDateDefault dateStyles = 8
	styleAdjustToUniversal    dateStyles = 16
	styleAssumeLocal          dateStyles = 32
	styleAssumeUniversal      dateStyles = 64
	styleRoundtripKind        dateStyles = 128
)

// defaultDateStyles is what FormatDateTime uses when its dateTimeStyles
// argument is empty, per the functions reference.
const defaultDateStyles = styleRoundtripKind | styleAllowLeadingWhite | styleAllowTrailingWhite

var styleNames = []struct {
	name string
	v    dateStyles
}{
	{"None", styleNone},
	{"AllowLeadingWhite", styleAllowLeadingWhite},
	{"AllowTrailingWhite", styleAllowTrailingWhite},
	{"AllowInnerWhite", styleAllowInnerWhite},
	{"AllowWhiteSpaces", styleAllowWhiteSpaces},
	{"NoCurrentDateDefault", styleNoCurrentDateDefault},
	{"AdjustToUniversal", styleAdjustToUniversal},
	{"AssumeLocal", styleAssumeLocal},
	{"AssumeUniversal", styleAssumeUniversal},
	{"RoundtripKind", styleRoundtripKind},
}

// parseDateStyles parses a DateTimeStyles value the way Enum.Parse does:
// names separated by commas (we also accept "|" and "+"), case-insensitive,
// optionally prefixed with "DateTimeStyles.", or a number. An empty string
// is the FormatDateTime default. Invalid combinations are rejected as
// DateTime.ParseExact rejects them.
func parseDateStyles(s string) (dateStyles, error) {
	if strings.TrimSpace(s) == "" {
		return defaultDateStyles, nil
	}
	var st dateStyles
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' || r == '+' }) {
		part = strings.TrimSpace(part)
		if len(part) > len("DateTimeStyles.") && strings.EqualFold(part[:len("DateTimeStyles.")], "DateTimeStyles.") {
			part = part[len("DateTimeStyles."):]
		}
		if n, err := strconv.ParseUint(part, 10, 16); err == nil {
			if n&^0xFF != 0 {
				return 0, fmt.Errorf("invalid DateTimeStyles value %d", n)
			}
			st |= dateStyles(n)
			continue
		}
		found := false
		for _, sn := range styleNames {
			if strings.EqualFold(part, sn.name) {
				st |= sn.v
				found = true
				break
			}
		}
		if !found {
			names := make([]string, len(styleNames))
			for i, sn := range styleNames {
				names[i] = sn.name
			}
			msg := fmt.Sprintf("unknown DateTimeStyles %q (expected a comma-separated list of %s)", part, strings.Join(names, ", "))
			hint := diag.Suggest(part, names)
			for _, n := range names {
				if hint == "" && len(part) >= 3 && strings.HasPrefix(strings.ToLower(n), strings.ToLower(part)) {
					hint = n
				}
			}
			if hint != "" {
				return 0, &suggestError{msg: msg, hint: fmt.Sprintf("did you mean %q?", hint)}
			}
			return 0, errors.New(msg)
		}
	}
	if st&styleAssumeLocal != 0 && st&styleAssumeUniversal != 0 {
		return 0, errors.New("DateTimeStyles AssumeLocal and AssumeUniversal cannot be combined")
	}
	if st&styleRoundtripKind != 0 && st&(styleAssumeLocal|styleAssumeUniversal|styleAdjustToUniversal) != 0 {
		return 0, errors.New("DateTimeStyles RoundtripKind cannot be combined with AssumeLocal, AssumeUniversal or AdjustToUniversal")
	}
	return st, nil
}

// errDateMismatch is DateTime.ParseExact's FormatException for a string
// that does not match its format.
var errDateMismatch = errors.New("string does not match the date format")

// exactParser holds the state of one DateTime.ParseExact run.
type exactParser struct {
	s, f   []rune
	si     int // next unread rune of s
	styles dateStyles

	year, month, day, hour, minute, second int // -1 when not parsed
	fraction                               float64
	dayOfWeek                              int
	timeMark                               int // -1 unset, 0 AM, 1 PM
	hour12, twoDigitYear                   bool
	tzUsed, tzUTC                          bool
	offset                                 time.Duration
}

// parseNetDate parses s with layout as DateTime.ParseExact(s, layout,
// CultureInfo.InvariantCulture, styles) does, following the .NET runtime's
// DateTimeParse.DoStrictParse. now supplies the date when the layout has no
// date part. The result's location encodes the DateTimeKind (see
// localZone); local time is UTC.
func parseNetDate(s, layout string, styles dateStyles, now time.Time) (time.Time, error) {
	p, err := expandFormat(layout)
	if err != nil {
		return time.Time{}, err
	}
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty string", errDateMismatch)
	}
	ps := &exactParser{s: []rune(s), f: []rune(p), styles: styles,
		year: -1, month: -1, day: -1, hour: -1, minute: -1, second: -1, fraction: -1, dayOfWeek: -1, timeMark: -1}
	if len(layout) == 1 && layout[0] == 'U' {
		ps.tzUsed, ps.tzUTC = true, true
	}
	return ps.run(now)
}

func isDateSpace(r rune) bool { return unicode.IsSpace(r) }

func (ps *exactParser) run(now time.Time) (time.Time, error) {
	f := ps.f
	if ps.styles&styleAllowTrailingWhite != 0 {
		f = []rune(strings.TrimRightFunc(string(f), isDateSpace))
		// Spaces just inside a closing quote are trimmed as well.
		if n := len(f); n > 2 && (f[n-1] == '\'' || f[n-1] == '"') && isDateSpace(f[n-2]) {
			j := n - 2
			for j >= 1 && isDateSpace(f[j-1]) {
				j--
			}
			f = append(f[:j:j], f[n-1])
		}
		ps.s = []rune(strings.TrimRightFunc(string(ps.s), isDateSpace))
	}
	if ps.styles&styleAllowLeadingWhite != 0 {
		f = []rune(strings.TrimLeftFunc(string(f), isDateSpace))
		if len(f) > 2 && (f[0] == '\'' || f[0] == '"') && isDateSpace(f[1]) {
			j := 1
			for j < len(f) && isDateSpace(f[j]) {
				j++
			}
			f = append([]rune{f[0]}, f[j:]...)
		}
		for ps.si < len(ps.s) && isDateSpace(ps.s[ps.si]) {
			ps.si++
		}
	}
	ps.f = f
	for fi := 0; fi < len(ps.f); {
		if ps.styles&styleAllowInnerWhite != 0 {
			ps.skipSpaces()
		}
		next, err := ps.element(fi)
		if err != nil {
			return time.Time{}, err
		}
		fi = next
	}
	if ps.si < len(ps.s) {
		return time.Time{}, fmt.Errorf("%w: unexpected %q", errDateMismatch, string(ps.s[ps.si:]))
	}
	return ps.result(now)
}

func (ps *exactParser) skipSpaces() {
	for ps.si < len(ps.s) && isDateSpace(ps.s[ps.si]) {
		ps.si++
	}
}

// match consumes r if it is the next rune of s.
func (ps *exactParser) match(r rune) bool {
	if ps.si < len(ps.s) && ps.s[ps.si] == r {
		ps.si++
		return true
	}
	return false
}

// matchWord consumes w, compared case-insensitively, if s continues with it.
func (ps *exactParser) matchWord(w string) bool {
	rw := []rune(w)
	if ps.si+len(rw) > len(ps.s) || !strings.EqualFold(string(ps.s[ps.si:ps.si+len(rw)]), w) {
		return false
	}
	ps.si += len(rw)
	return true
}

// matchLongest consumes the longest of names (case-insensitive) and returns
// its index, or -1.
func (ps *exactParser) matchLongest(names []string) int {
	best, bestLen := -1, 0
	for i, n := range names {
		rn := []rune(n)
		if len(rn) > bestLen && ps.si+len(rn) <= len(ps.s) && strings.EqualFold(string(ps.s[ps.si:ps.si+len(rn)]), n) {
			best, bestLen = i, len(rn)
		}
	}
	ps.si += bestLen
	return best
}

// digits consumes between lo and hi ASCII digits. It consumes nothing and
// fails when fewer than lo are present.
func (ps *exactParser) digits(lo, hi int) (int, bool) {
	v, n := 0, 0
	for n < hi && ps.si+n < len(ps.s) && ps.s[ps.si+n] >= '0' && ps.s[ps.si+n] <= '9' {
		v = v*10 + int(ps.s[ps.si+n]-'0')
		n++
	}
	if n < lo {
		return 0, false
	}
	ps.si += n
	return v, true
}

// tokenDigits is .NET's ParseDigits(str, len): a one-letter token takes one
// or two digits, a longer one exactly as many digits as letters.
func (ps *exactParser) tokenDigits(n int) (int, bool) {
	if n == 1 {
		return ps.digits(1, 2)
	}
	return ps.digits(n, n)
}

func setOnce(cur *int, v int, spec rune) error {
	if *cur == -1 {
		*cur = v
		return nil
	}
	if *cur != v {
		return fmt.Errorf("%w: %c appears more than once with different values", errDateMismatch, spec)
	}
	return nil
}

func mismatch(spec string) error {
	return fmt.Errorf("%w: expected %s at this position", errDateMismatch, spec)
}

// element parses the format element at ps.f[fi] and returns the index of
// the next element.
func (ps *exactParser) element(fi int) (int, error) {
	f := ps.f
	ch := f[fi]
	n := 1
	switch ch {
	case 'y':
		// y and yy read a year of the century, completed by
		// fourDigitYear once parsing is done; yyyy needs four digits.
		n = repeatCount(f, fi)
		if n <= 2 {
			ps.twoDigitYear = true
		}
		v, ok := ps.tokenDigits(n)
		if !ok {
			return 0, mismatch(fmt.Sprintf("a %d-digit year", max(n, 2)))
		}
		if err := setOnce(&ps.year, v, ch); err != nil {
			return 0, err
		}
	case 'M':
		// Month names compare without case and the longest name wins,
		// as .NET's MatchMonthName does.
		n = repeatCount(f, fi)
		var v int
		switch {
		case n <= 2:
			d, ok := ps.tokenDigits(n)
			if !ok {
				return 0, mismatch("a month number")
			}
			v = d
		case n == 3:
			v = ps.matchLongest(monthAbbrevs[:]) + 1
		default:
			v = ps.matchLongest(monthNames[:]) + 1
		}
		if v == 0 {
			return 0, mismatch("a month name")
		}
		if err := setOnce(&ps.month, v, ch); err != nil {
			return 0, err
		}
	case 'd':
		n = repeatCount(f, fi)
		if n <= 2 {
			v, ok := ps.tokenDigits(n)
			if !ok {
				return 0, mismatch("a day number")
			}
			if err := setOnce(&ps.day, v, ch); err != nil {
				return 0, err
			}
			break
		}
		// A day name only checks the date: it must agree with the day
		// the other fields give.
		var v int
		if n == 3 {
			v = ps.matchLongest(dayAbbrevs[:])
		} else {
			v = ps.matchLongest(dayNames[:])
		}
		if v < 0 {
			return 0, mismatch("a day name")
		}
		if err := setOnce(&ps.dayOfWeek, v, ch); err != nil {
			return 0, err
		}
	case 'g':
		n = repeatCount(f, fi)
		if !ps.matchWord(eraName) && !ps.matchWord(eraAbbrevName) {
			return 0, mismatch("an era (A.D.)")
		}
	case 'h', 'H', 'm', 's':
		// One letter reads one or two digits, two or more letters exactly
		// two: ParseExact("3:00", "hh:mm") fails.
		n = repeatCount(f, fi)
		if ch == 'h' {
			ps.hour12 = true
		}
		v, ok := ps.tokenDigits(min(n, 2))
		if !ok {
			return 0, mismatch(map[rune]string{'h': "an hour", 'H': "an hour", 'm': "minutes", 's': "seconds"}[ch])
		}
		target := map[rune]*int{'h': &ps.hour, 'H': &ps.hour, 'm': &ps.minute, 's': &ps.second}[ch]
		if err := setOnce(target, v, ch); err != nil {
			return 0, err
		}
	case 'f', 'F':
		n = repeatCount(f, fi)
		if n > 7 {
			return 0, fmt.Errorf("%w: at most 7 %c specifiers", errBadFormat, ch)
		}
		// Up to n digits are consumed; f requires exactly n, F accepts
		// fewer (even none).
		start := ps.si
		v, _ := ps.digits(0, n)
		got := ps.si - start
		if ch == 'f' && got != n {
			return 0, mismatch(fmt.Sprintf("%d fraction digits", n))
		}
		frac := 0.0
		if got > 0 {
			frac = float64(v) / math.Pow10(got)
		}
		if ps.fraction < 0 {
			ps.fraction = frac
		} else if frac != ps.fraction {
			return 0, fmt.Errorf("%w: %c appears more than once with different values", errDateMismatch, ch)
		}
	case 't':
		// t compares one letter with case, tt the whole designator
		// without case, as .NET does.
		n = repeatCount(f, fi)
		tm := -1
		if n == 1 {
			if ps.si < len(ps.s) {
				switch ps.s[ps.si] {
				case rune(amDesignator[0]):
					tm = 0
				case rune(pmDesignator[0]):
					tm = 1
				}
				if tm >= 0 {
					ps.si++
				}
			}
		} else if ps.matchWord(amDesignator) {
			tm = 0
		} else if ps.matchWord(pmDesignator) {
			tm = 1
		}
		if tm < 0 {
			return 0, mismatch("AM or PM")
		}
		if err := setOnce(&ps.timeMark, tm, ch); err != nil {
			return 0, err
		}
	case 'z':
		n = repeatCount(f, fi)
		off, ok := ps.offsetDigits(n)
		if !ok {
			return 0, mismatch("a time zone offset")
		}
		if ps.tzUsed && off != ps.offset {
			return 0, fmt.Errorf("%w: z appears more than once with different values", errDateMismatch)
		}
		ps.offset, ps.tzUsed = off, true
	case 'Z':
		// An unquoted Z is not a formatting specifier, but ParseExact reads
		// it as "Z" or "GMT" and marks the value as UTC.
		if ps.tzUsed && ps.offset != 0 {
			return 0, fmt.Errorf("%w: Z appears more than once with different values", errDateMismatch)
		}
		if !ps.timeZoneName() {
			return 0, mismatch("Z or GMT")
		}
		ps.tzUsed, ps.tzUTC, ps.offset = true, true, 0
	case 'K':
		switch {
		case ps.match('Z'):
			if ps.tzUsed && ps.offset != 0 {
				return 0, fmt.Errorf("%w: K appears more than once with different values", errDateMismatch)
			}
			ps.tzUsed, ps.tzUTC, ps.offset = true, true, 0
		case ps.si < len(ps.s) && (ps.s[ps.si] == '+' || ps.s[ps.si] == '-'):
			off, ok := ps.offsetDigits(3)
			if !ok {
				return 0, mismatch("a time zone offset")
			}
			if ps.tzUsed && off != ps.offset {
				return 0, fmt.Errorf("%w: K appears more than once with different values", errDateMismatch)
			}
			ps.offset, ps.tzUsed = off, true
		}
	case ':', '/':
		// Separators must be present; inner white space is only skipped
		// with AllowInnerWhite.
		if !ps.match(ch) {
			return 0, mismatch(fmt.Sprintf("%q", ch))
		}
	case '\'', '"':
		lit, m, err := quotedLiteral(f, fi)
		if err != nil {
			return 0, err
		}
		n = m
		for _, r := range lit {
			if r == ' ' && ps.styles&styleAllowInnerWhite != 0 {
				ps.skipSpaces()
			} else if !ps.match(r) {
				return 0, mismatch(fmt.Sprintf("%q", lit))
			}
		}
	case '%':
		// The next element is read as usual on the next round.
		if fi+1 >= len(f) || f[fi+1] == '%' {
			return 0, fmt.Errorf("%w: %% must be followed by a specifier", errBadFormat)
		}
	case '\\':
		if fi+1 >= len(f) {
			return 0, fmt.Errorf("%w: trailing backslash", errBadFormat)
		}
		if !ps.match(f[fi+1]) {
			return 0, mismatch(fmt.Sprintf("%q", f[fi+1]))
		}
		n = 2
	case '.':
		if !ps.match('.') {
			// A missing '.' is allowed before optional fraction digits.
			// As in .NET, this needs at least two F ("ss.FF"): the
			// runtime looks one character past the first F.
			if fi+2 < len(f) && f[fi+1] == 'F' && f[fi+2] == 'F' {
				return fi + 1 + repeatCount(f, fi+1), nil
			}
			return 0, mismatch(`"."`)
		}
	default:
		switch {
		case ch == ' ':
			if ps.styles&styleAllowInnerWhite == 0 && !ps.match(' ') {
				// With AllowTrailingWhite, .NET lets the next element
				// have a go instead of the missing space.
				if ps.styles&styleAllowTrailingWhite != 0 && fi+1 < len(f) {
					return ps.element(fi + 1)
				}
				return 0, mismatch(`" "`)
			}
		case fi+3 <= len(f) && strings.EqualFold(string(f[fi:fi+3]), "GMT"):
			n = 3
			if !ps.matchWord("GMT") {
				return 0, mismatch(`"GMT"`)
			}
			ps.tzUsed, ps.offset = true, 0
		default:
			if !ps.match(ch) {
				return 0, mismatch(fmt.Sprintf("%q", ch))
			}
		}
	}
	return fi + n, nil
}

// timeZoneName consumes "GMT" or "Z" (any case) not followed by a letter.
func (ps *exactParser) timeZoneName() bool {
	for _, w := range []string{"GMT", "Z"} {
		end := ps.si + len(w)
		if end <= len(ps.s) && strings.EqualFold(string(ps.s[ps.si:end]), w) && (end == len(ps.s) || !unicode.IsLetter(ps.s[end])) {
			ps.si = end
			return true
		}
	}
	return false
}

// offsetDigits parses a signed offset as .NET's ParseTimeZoneOffset: z is
// one or two hour digits, zz exactly two, zzz hours then minutes with an
// optional colon.
func (ps *exactParser) offsetDigits(n int) (time.Duration, bool) {
	start := ps.si
	if ps.si >= len(ps.s) || (ps.s[ps.si] != '+' && ps.s[ps.si] != '-') {
		return 0, false
	}
	neg := ps.s[ps.si] == '-'
	ps.si++
	var h, m int
	var ok bool
	if n <= 2 {
		h, ok = ps.tokenDigits(n)
	} else {
		h, ok = ps.digits(1, 2)
		if ok {
			ps.match(':')
			m, ok = ps.digits(2, 2)
		}
	}
	if !ok || m >= 60 {
		ps.si = start
		return 0, false
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if neg {
		d = -d
	}
	return d, true
}

// result assembles the parsed fields as DoStrictParse and
// DetermineTimeZoneAdjustments do.
func (ps *exactParser) result(now time.Time) (time.Time, error) {
	if ps.twoDigitYear && ps.year >= 0 {
		ps.year = fourDigitYear(ps.year)
	}
	if ps.hour12 {
		if ps.timeMark == -1 {
			ps.timeMark = 0
		}
		if ps.hour > 12 {
			return time.Time{}, fmt.Errorf("%w: hour %d is not a 12-hour clock hour", errDateMismatch, ps.hour)
		}
		if ps.timeMark == 0 && ps.hour == 12 {
			ps.hour = 0
		} else if ps.timeMark == 1 && ps.hour != 12 && ps.hour >= 0 {
			ps.hour += 12
		}
	} else if (ps.timeMark == 0 && ps.hour >= 12) || (ps.timeMark == 1 && ps.hour >= 0 && ps.hour < 12) {
		return time.Time{}, fmt.Errorf("%w: AM/PM does not match hour %d", errDateMismatch, ps.hour)
	}
	// Missing date parts default as in CheckDefaultDateTime.
	if ps.year == -1 || ps.month == -1 || ps.day == -1 {
		if ps.month == -1 && ps.day == -1 {
			if ps.year == -1 {
				if ps.styles&styleNoCurrentDateDefault != 0 {
					ps.year, ps.month, ps.day = 1, 1, 1
				} else {
					ps.year, ps.month, ps.day = now.Year(), int(now.Month()), now.Day()
				}
			} else {
				ps.month, ps.day = 1, 1
			}
		} else {
			if ps.year == -1 {
				ps.year = now.Year()
			}
			if ps.month == -1 {
				ps.month = 1
			}
			if ps.day == -1 {
				ps.day = 1
			}
		}
	}
	ps.hour, ps.minute, ps.second = max(ps.hour, 0), max(ps.minute, 0), max(ps.second, 0)
	t, err := makeDate(ps.year, ps.month, ps.day, ps.hour, ps.minute, ps.second, max(ps.fraction, 0))
	if err != nil {
		return time.Time{}, err
	}
	if ps.dayOfWeek != -1 && ps.dayOfWeek != int(t.Weekday()) {
		return time.Time{}, fmt.Errorf("%w: the day of week is incorrect", errDateMismatch)
	}
	return ps.adjust(t)
}

// adjust applies the time zone and the styles, as .NET's
// DetermineTimeZoneAdjustments does, and sets the kind.
func (ps *exactParser) adjust(t time.Time) (time.Time, error) {
	if ps.offset < -14*time.Hour || ps.offset > 14*time.Hour {
		return time.Time{}, fmt.Errorf("%w: the time zone offset must be within plus or minus 14 hours", errDateMismatch)
	}
	st := ps.styles
	if !ps.tzUsed {
		switch {
		case st&styleAssumeLocal != 0:
			// Local time is UTC, so adjusting to universal changes only
			// the kind.
			if st&styleAdjustToUniversal == 0 {
				return t.In(localZone), nil
			}
			return t.UTC(), nil
		case st&styleAssumeUniversal != 0:
			if st&styleAdjustToUniversal != 0 {
				return t.UTC(), nil
			}
			// Converted from UTC to local time.
			return t.In(localZone), nil
		default:
			return t.In(unspecifiedZone), nil
		}
	}
	// With an offset the value is converted: to UTC when it was marked
	// UTC under RoundtripKind or AdjustToUniversal is set, otherwise to
	// local time (the same instant, with the Local kind).
	u := t.Add(-ps.offset)
	if err := checkDateRange(u); err != nil {
		return time.Time{}, err
	}
	if (st&styleRoundtripKind != 0 && ps.tzUTC) || st&styleAdjustToUniversal != 0 {
		return u.UTC(), nil
	}
	return u.In(localZone), nil
}

var (
	minDate = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
)

// checkDateRange fails for instants outside .NET's DateTime range.
func checkDateRange(t time.Time) error {
	if t.Before(minDate) || t.After(maxDate) {
		return errors.New("the date is outside the range 1/1/0001 to 12/31/9999")
	}
	return nil
}

// fourDigitYear is GregorianCalendar.ToFourDigitYear with the invariant
// TwoDigitYearMax of 2049: 00-49 are 2000-2049, 50-99 are 1950-1999.
func fourDigitYear(y int) int {
	if y >= 100 {
		return y
	}
	if y > 49 {
		return 1900 + y
	}
	return 2000 + y
}

// makeDate builds a UTC wall-clock time, validating every field as
// Calendar.TryToDateTime does. fraction is in seconds and is rounded to
// 100-nanosecond ticks.
func makeDate(year, month, day, hour, minute, second int, fraction float64) (time.Time, error) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) ||
		hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, fmt.Errorf("%w: %04d-%02d-%02d %02d:%02d:%02d is not a valid date and time", errDateMismatch, year, month, day, hour, minute, second)
	}
	// .NET parses the fraction as a double and rounds it to ticks.
	ticks := int(math.Round(fraction * 1e7))
	return time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC).Add(time.Duration(ticks) * 100), nil
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Lenient parsing, for CDate and date arguments given as strings.

const (
	looseTime = `(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(AM|PM))?)?`
	looseZone = `\s*(Z|GMT|UTC|[+-]\d{1,2}(?::?\d{2})?)?`
	looseDay  = `(?:(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*\.?,?\s+)?`
	looseMon  = `((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?)`
)

var (
	// 2021-08-24, 2009-06-15T01:45:30-07:00, 2020-03-16-07:00, 2021/8/24.
	reLooseISO = regexp.MustCompile(`(?i)^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})` + looseTime + looseZone + `$`)
	// 8/25/2021 5:41:18 PM (the invariant culture is month first).
	reLooseUS = regexp.MustCompile(`(?i)^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})` + looseTime + looseZone + `$`)
	// 20150123105347.1Z, LDAP generalized time; 20210824.
	reLooseCompact = regexp.MustCompile(`(?i)^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`)
	// Mon, 15 Jun 2009 20:45:30 GMT; 15 June 2009.
	reLooseDMY = regexp.MustCompile(`(?i)^` + looseDay + `(\d{1,2})\s+` + looseMon + `,?\s+(\d{4})` + looseTime + looseZone + `$`)
	// June 15, 2009 1:45 PM.
	reLooseMDY = regexp.MustCompile(`(?i)^` + looseDay + looseMon + `\s+(\d{1,2}),?\s+(\d{4})` + looseTime + looseZone + `$`)
)

// errNotDate is returned by parseLooseDate.
var errNotDate = errors.New("not a recognised date")

// parseLooseDate parses a date the way DateTime.Parse with the invariant
// culture does for the forms attribute values take in practice: ISO 8601
// (with T or a space, fractions, Z or an offset, and an offset directly
// after a date as Workday sends it: 2020-03-16-07:00), the invariant
// M/d/yyyy h:mm:ss tt, RFC 1123 and English month names. As an extension
// it also reads LDAP generalized time (20150123105347.0Z) and yyyyMMdd. A
// value with an offset or Z is converted to UTC; one without is taken as
// UTC (the service's local time). Strings without a year (a time alone,
// "June 15") are rejected rather than completed from the clock.
func parseLooseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, mo, d, timeAt int
	var m []string
	// Each form leaves its date fields in y, mo and d and the index of
	// its time groups (hour, minute, second, fraction, AM/PM, zone) in
	// timeAt.
	switch {
	case func() bool { m = reLooseISO.FindStringSubmatch(s); return m != nil }():
		// 2021-08/24 mixes separators, which DateTime.Parse rejects.
		if m[2] != m[4] {
			return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
		}
		y, mo, d = atoi(m[1]), atoi(m[3]), atoi(m[5])
		timeAt = 6
	case func() bool { m = reLooseUS.FindStringSubmatch(s); return m != nil }():
		mo, d, y = atoi(m[1]), atoi(m[2]), atoi(m[3])
		if len(m[3]) == 2 {
			y = fourDigitYear(y)
		}
		timeAt = 4
	case func() bool { m = reLooseDMY.FindStringSubmatch(s); return m != nil }():
		d, mo, y = atoi(m[1]), monthIndex(m[2]), atoi(m[3])
		timeAt = 4
	case func() bool { m = reLooseMDY.FindStringSubmatch(s); return m != nil }():
		mo, d, y = monthIndex(m[1]), atoi(m[2]), atoi(m[3])
		timeAt = 4
	case func() bool { m = reLooseCompact.FindStringSubmatch(s); return m != nil }():
		y, mo, d = atoi(m[1]), atoi(m[2]), atoi(m[3])
		t, err := makeDate(y, mo, d, atoi(m[4]), atoi(m[5]), atoi(m[6]), fractionOf(m[7]))
		if err != nil {
			return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
		}
		return applyZone(t, m[8], s)
	default:
		return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
	}
	if err := checkDayName(s, y, mo, d); err != nil {
		return time.Time{}, err
	}
	hour, minute, sec := atoi(m[timeAt]), atoi(m[timeAt+1]), atoi(m[timeAt+2])
	switch strings.ToUpper(m[timeAt+4]) {
	case "AM":
		if hour > 12 {
			return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
		}
		if hour == 12 {
			hour = 0
		}
	case "PM":
		if hour > 12 {
			return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
		}
		if hour < 12 {
			hour += 12
		}
	}
	t, err := makeDate(y, mo, d, hour, minute, sec, fractionOf(m[timeAt+3]))
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
	}
	return applyZone(t, m[timeAt+5], s)
}

// applyZone converts the wall-clock time t, read with zone text z, to UTC.
func applyZone(t time.Time, z, s string) (time.Time, error) {
	var off time.Duration
	switch strings.ToUpper(z) {
	case "", "Z", "GMT", "UTC":
	default:
		digits := strings.ReplaceAll(z[1:], ":", "")
		var h, m int
		switch len(digits) {
		case 1, 2:
			h = atoi(digits)
		case 3, 4:
			h, m = atoi(digits[:len(digits)-2]), atoi(digits[len(digits)-2:])
		}
		if m >= 60 {
			return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
		}
		off = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		if off > 14*time.Hour {
			return time.Time{}, fmt.Errorf("%w: %q (offset beyond 14 hours)", errNotDate, s)
		}
		if z[0] == '-' {
			off = -off
		}
	}
	u := t.Add(-off)
	if err := checkDateRange(u); err != nil {
		return time.Time{}, fmt.Errorf("%w: %q (%v)", errNotDate, s, err)
	}
	return u.UTC(), nil
}

// checkDayName rejects a leading day name that contradicts the date, as
// DateTime.Parse does.
func checkDayName(s string, y, mo, d int) error {
	if len(s) < 3 {
		return nil
	}
	for i, a := range dayAbbrevs {
		if strings.EqualFold(s[:3], a) {
			if mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, time.Month(mo)) &&
				time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).Weekday() != time.Weekday(i) {
				return fmt.Errorf("%w: %q (the day of week is incorrect)", errNotDate, s)
			}
		}
	}
	return nil
}

func monthIndex(s string) int {
	for i, a := range monthAbbrevs {
		if strings.EqualFold(s[:3], a) {
			// Only the abbreviation or the full name is a month.
			if len(s) == 3 || strings.EqualFold(strings.TrimSuffix(s, "."), monthNames[i]) || strings.EqualFold(s, a+".") {
				return i + 1
			}
		}
	}
	return 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func fractionOf(digits string) float64 {
	if digits == "" {
		return 0
	}
	f, _ := strconv.ParseFloat("0."+digits, 64)
	return f
}

// AD file times count 100-nanosecond intervals since 1601-01-01 UTC.
var fileTimeEpoch = time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)

// maxFileTime is DateTime.MaxValue as a file time.
const maxFileTime = 2650467743999999999

// dateFromFileTime is DateTime.FromFileTimeUtc.
func dateFromFileTime(ft int64) (time.Time, error) {
	if ft < 0 || ft > maxFileTime {
		return time.Time{}, fmt.Errorf("file time %d is outside the range 0 to %d", ft, int64(maxFileTime))
	}
	// Seconds since the Unix epoch, not a time.Duration: durations stop at
	// about 292 years.
	return time.Unix(fileTimeEpoch.Unix()+ft/1e7, ft%1e7*100).UTC(), nil
}

// fileTimeFromDate is DateTime.ToFileTimeUtc.
func fileTimeFromDate(t time.Time) (int64, error) {
	if t.Before(fileTimeEpoch) {
		return 0, fmt.Errorf("%s is before 1/1/1601, the start of AD file time", t.UTC().Format(DateTimeLayout))
	}
	return (t.Unix()-fileTimeEpoch.Unix())*1e7 + int64(t.Nanosecond()/100), nil
}
