package expr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// This file reimplements the parts of .NET's date handling that the
// provisioning service exposes: custom and standard date and time format
// strings (DateTime.ToString and DateTime.ParseExact with the invariant
// culture), DateTimeStyles, and a lenient DateTime.Parse for CDate. It is
// split along those seams:
//
//   - netdate.go: the DateTime model (kinds, invariant names, range, file
//     times) shared by the others;
//   - netdate_format.go: DateTime.ToString with custom and standard formats;
//   - netdate_styles.go: DateTimeStyles;
//   - netdate_exact.go: DateTime.ParseExact (FormatDateTime);
//   - netdate_loose.go: DateTime.Parse (CDate and date arguments).
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
