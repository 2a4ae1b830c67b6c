package expr

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Lenient parsing, for CDate and date arguments given as strings.

const (
	looseTime = `(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*(AM|PM))?)?`
	looseZone = `\s*(Z|GMT|UTC|[+-]\d{1,2}(?::?\d{2})?)?`
	looseDay  = `(?:(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*\.?,?\s+)?`
	looseMon  = `((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?)`
)

var (
	// 2021-08-24, 2009-06-15T01:45:30-07:00, 2020-03-16-07:00, 2021/8/24.
	reLooseISO = regexp.MustCompile(`(?i)^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})` + looseTime + looseZone + `$`)
	// 8/25/2021 5:41:18 PM (the invariant culture is month first).
	reLooseUS = regexp.MustCompile(`(?i)^(\d{1,2})[/-](\d{1,2})[/-](\d{1,4})` + looseTime + looseZone + `$`)
	// 2021-08: a year and a month, the first of the month.
	reLooseYearMonth = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	// Jan 2021, January 2021: the first of the month.
	reLooseMonthYear = regexp.MustCompile(`(?i)^` + looseMon + `,?\s+(\d{4})$`)
	// 15:04:05 2021-08-24: a time before the date.
	reLooseTimeFirst = regexp.MustCompile(`(?i)^(\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:\s*(?:AM|PM))?)\s+([^:]+)$`)
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
// M/d/yyyy h:mm:ss tt (a year of one to four digits; two digits or fewer
// read with the invariant calendar's TwoDigitYearMax, 2049), RFC 1123,
// English month names, a year and a month alone (2021-08, Aug 2021: the
// first of the month) and a time before the date. The seconds fraction
// follows a point; a comma there is rejected, as the invariant culture's
// DateTime.Parse rejects it. As an extension it also reads LDAP
// generalized time (20150123105347.0Z, where X.680 allows a comma) and
// yyyyMMdd. A value with an offset or Z is converted to UTC; one without is
// taken as UTC (the service's local time). Strings without a year (a time
// alone, "June 15") are rejected rather than completed from the clock.
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
		if len(m[3]) <= 2 {
			y = fourDigitYear(y)
		}
		timeAt = 4
	case func() bool { m = reLooseYearMonth.FindStringSubmatch(s); return m != nil }():
		return firstOfMonth(atoi(m[1]), atoi(m[2]), s)
	case func() bool { m = reLooseMonthYear.FindStringSubmatch(s); return m != nil }():
		return firstOfMonth(atoi(m[2]), monthIndex(m[1]), s)
	case func() bool { m = reLooseTimeFirst.FindStringSubmatch(s); return m != nil }():
		return parseLooseDate(m[2] + " " + m[1])
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

// firstOfMonth is the date DateTime.Parse gives a year and a month alone.
func firstOfMonth(y, mo int, s string) (time.Time, error) {
	t, err := makeDate(y, mo, 1, 0, 0, 0, 0)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", errNotDate, s)
	}
	return t, nil
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
