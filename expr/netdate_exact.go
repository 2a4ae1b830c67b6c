package expr

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
)

// Exact parsing: DateTime.ParseExact with the invariant culture, for
// FormatDateTime.

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
	} else if h := max(ps.hour, 0); (ps.timeMark == 0 && h >= 12) || (ps.timeMark == 1 && h < 12) {
		// An hour that was not parsed is 0 here, as in .NET's
		// DateTimeResult: PM without an hour field is an error, AM is not.
		if ps.hour < 0 {
			return time.Time{}, fmt.Errorf("%w: PM without an hour field", errDateMismatch)
		}
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
