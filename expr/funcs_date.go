package expr

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// toDate converts argument i to an instant. DateTime values are used as
// they are; strings go through parseLooseDate (DateTime.Parse with the
// invariant culture, UTC when no offset is given); a multi-valued value
// with a single element is that element. Numbers are rejected rather than
// guessed at: a number could be an AD file time (DateFromNum) or an OLE
// Automation date (VBA's CDate), and the service documents neither.
func toDate(i int, v Value) (time.Time, error) {
	switch v := v.(type) {
	case DateTime:
		return v.Time(), nil
	case String:
		t, err := parseLooseDate(string(v))
		if err != nil {
			return time.Time{}, argErrorf(i, "expected a date (got %s)", quoteShort(string(v)))
		}
		return t, nil
	case Multi:
		if len(v) == 1 {
			return toDate(i, String(v[0]))
		}
		return time.Time{}, argErrorf(i, "expected a single date (got a multi-valued value with %d values)", len(v))
	case Number:
		return time.Time{}, argErrorf(i, "expected a date (got number %s; use DateFromNum for AD file times)", v.String())
	}
	if IsNull(v) {
		return time.Time{}, argErrorf(i, "expected a date (got null)")
	}
	return time.Time{}, argErrorf(i, "expected a date (got %s)", v.Kind())
}

// dateInterval is an interval of DateAdd and DateDiff, as VBA's
// DateInterval.
type dateInterval uint8

const (
	ivYear dateInterval = iota
	ivQuarter
	ivMonth
	ivDayOfYear
	ivDay
	ivWeekday
	ivWeekOfYear
	ivHour
	ivMinute
	ivSecond
)

// intervalNames are VBA's interval strings, in VBA's documentation order.
var intervalNames = []struct {
	name string
	iv   dateInterval
}{
	{"yyyy", ivYear}, {"q", ivQuarter}, {"m", ivMonth}, {"y", ivDayOfYear}, {"d", ivDay},
	{"w", ivWeekday}, {"ww", ivWeekOfYear}, {"h", ivHour}, {"n", ivMinute}, {"s", ivSecond},
}

// intervalHints maps common mistakes to the interval meant.
var intervalHints = map[string]string{
	"yy": "yyyy", "yyy": "yyyy", "year": "yyyy", "years": "yyyy",
	"qq": "q", "quarter": "q",
	"mm": `m" for months or "n`, "mo": "m", "month": "m", "months": "m",
	"mi": "n", "min": "n", "minute": "n", "minutes": "n",
	"dd": "d", "day": "d", "days": "d",
	"wk": "ww", "week": "ww", "weeks": "ww",
	"hh": "h", "hour": "h", "hours": "h",
	"ss": "s", "sec": "s", "second": "s", "seconds": "s",
}

// parseInterval reads an interval string, ignoring case and surrounding
// spaces as VBA does.
func parseInterval(s string) (dateInterval, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, in := range intervalNames {
		if k == in.name {
			return in.iv, nil
		}
	}
	msg := fmt.Sprintf("unknown interval %s (expected yyyy, q, m, y, d, w, ww, h, n or s)", quoteShort(s))
	if h, ok := intervalHints[k]; ok {
		return 0, &suggestError{msg: msg, hint: fmt.Sprintf(`did you mean "%s"?`, h)}
	}
	return 0, errors.New(msg)
}

// checkInterval validates a literal interval argument at Compile time.
func checkInterval(ck *CheckContext) error {
	if v, ok := ck.Literal(0); ok {
		if _, err := parseInterval(str(v)); err != nil {
			return argError(0, err)
		}
	}
	return nil
}

// intervalArg reads argument 0 as an interval.
func intervalArg(v Value) (dateInterval, error) {
	if IsNull(v) {
		return 0, argErrorf(0, "expected an interval (got null)")
	}
	iv, err := parseInterval(str(v))
	if err != nil {
		return 0, argError(0, err)
	}
	return iv, nil
}

// addMonths is .NET's DateTime.AddMonths: the day is clamped to the end of
// the target month (January 31 plus one month is February 28 or 29).
func addMonths(t time.Time, months int64) (time.Time, error) {
	total := int64(t.Year())*12 + int64(t.Month()) - 1 + months
	y, m := total/12, time.Month(total%12+1)
	if total < 12 || y > 9999 {
		return time.Time{}, fmt.Errorf("the result is outside the range 1/1/0001 to 12/31/9999")
	}
	d := min(t.Day(), daysIn(int(y), m))
	return time.Date(int(y), m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), nil
}

// dateAdd adds n intervals to t as VBA's DateAdd (Microsoft.VisualBasic
// DateAndTime.DateAdd) does: n is truncated towards zero; years, quarters
// and months keep the day where the target month has it and clamp it
// otherwise; weeks are seven days.
func dateAdd(iv dateInterval, n float64, t time.Time) (time.Time, error) {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return time.Time{}, fmt.Errorf("the number to add must be finite")
	}
	k := math.Trunc(n)
	// VB converts the count with CInt for the calendar units (years,
	// quarters, months, weeks), where anything beyond int32 overflows; the
	// other units go to DateTime.AddDays, AddHours... as a double, and
	// anything too large is out of range anyway.
	if math.Abs(k) > math.MaxInt32 && (iv == ivYear || iv == ivQuarter || iv == ivMonth || iv == ivWeekOfYear) ||
		math.Abs(k) > 1e15 {
		return time.Time{}, fmt.Errorf("the result is outside the range 1/1/0001 to 12/31/9999")
	}
	ki := int64(k)
	var r time.Time
	var err error
	switch iv {
	case ivYear:
		r, err = addMonths(t, ki*12)
	case ivQuarter:
		r, err = addMonths(t, ki*3)
	case ivMonth:
		r, err = addMonths(t, ki)
	case ivDayOfYear, ivDay, ivWeekday:
		r = addSeconds(t, ki*86400)
	case ivWeekOfYear:
		r = addSeconds(t, ki*7*86400)
	case ivHour:
		r = addSeconds(t, ki*3600)
	case ivMinute:
		r = addSeconds(t, ki*60)
	case ivSecond:
		r = addSeconds(t, ki)
	}
	if err != nil {
		return time.Time{}, err
	}
	if err := checkDateRange(r); err != nil {
		return time.Time{}, fmt.Errorf("the result is outside the range 1/1/0001 to 12/31/9999")
	}
	return r, nil
}

// addSeconds adds whole seconds without time.Duration, whose range (about
// 292 years) is smaller than DateTime's.
func addSeconds(t time.Time, s int64) time.Time {
	return time.Unix(t.Unix()+s, int64(t.Nanosecond())).UTC()
}

// ticksBetween returns b - a in 100-nanosecond ticks, .NET's TimeSpan unit.
func ticksBetween(a, b time.Time) int64 {
	return (b.Unix()-a.Unix())*1e7 + int64(b.Nanosecond()-a.Nanosecond())/100
}

// dateDiff is Microsoft.VisualBasic's DateAndTime.DateDiff, with Sunday as
// the first day of the week. Days, hours, minutes, seconds and "w" weeks
// count whole elapsed units, truncated towards zero (not calendar
// boundaries: from 23:00 to 01:00 the next day is 0 days). Years,
// quarters and months compare calendar fields, so they count boundaries
// crossed. "ww" moves each date back to the start of its week (Sunday),
// keeping its time of day, and counts the whole weeks between them.
func dateDiff(iv dateInterval, a, b time.Time) int64 {
	const ticksPerDay = 864_000_000_000
	a, b = a.UTC(), b.UTC()
	switch iv {
	case ivYear:
		return int64(b.Year() - a.Year())
	case ivQuarter:
		return int64((b.Year()-a.Year())*4 + (int(b.Month())-1)/3 - (int(a.Month())-1)/3)
	case ivMonth:
		return int64((b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month()))
	case ivWeekday:
		return ticksBetween(a, b) / (7 * ticksPerDay)
	case ivWeekOfYear:
		// DateAndTime.DateDiff: Date.AddDays(-GetDayOfWeek(Date)) for both
		// dates, then Fix(TotalDays) \ 7; the time of day is kept.
		weekStart := func(t time.Time) time.Time { return addSeconds(t, -int64(t.Weekday())*86400) }
		return ticksBetween(weekStart(a), weekStart(b)) / ticksPerDay / 7
	case ivHour:
		return ticksBetween(a, b) / 36_000_000_000
	case ivMinute:
		return ticksBetween(a, b) / 600_000_000
	case ivSecond:
		return ticksBetween(a, b) / 10_000_000
	}
	// ivDay and ivDayOfYear.
	return ticksBetween(a, b) / ticksPerDay
}

// dateFromNum converts an AD file time (a Number or a numeric string, as
// lastLogonTimestamp arrives) to a DateTime.
func dateFromNum(v Value) (Value, error) {
	if m, ok := v.(Multi); ok && len(m) == 1 {
		v = String(m[0])
	}
	n, err := toNumber(0, v)
	if err != nil {
		return nil, argErrorf(0, "expected an AD file time (got %s)", describeArg(v))
	}
	if !n.IsInt() {
		return nil, argErrorf(0, "expected an integral AD file time (got %s)", n.String())
	}
	t, err := dateFromFileTime(n.Int64())
	if err != nil {
		if n.Int64() == math.MaxInt64 {
			return nil, argErrorf(0, "%v (9223372036854775807 is AD's \"never\", which has no date)", err)
		}
		return nil, argErrorf(0, "%v", err)
	}
	return DateTime(t), nil
}

// describeArg names a value for an error message.
func describeArg(v Value) string {
	switch v := v.(type) {
	case String:
		return quoteShort(string(v))
	case Number:
		return v.String()
	}
	if IsNull(v) {
		return "null"
	}
	return v.Kind().String()
}

// numFromDate converts a date to an AD file time.
func numFromDate(v Value) (Value, error) {
	t, err := toDate(0, v)
	if err != nil {
		return nil, err
	}
	ft, err := fileTimeFromDate(t)
	if err != nil {
		return nil, argErrorf(0, "%v", err)
	}
	return Int(ft), nil
}

// formatDateTimeArgs locates FormatDateTime's arguments: with four, the
// second is dateTimeStyles; with three (the cloud sync form, and what the
// SuccessFactors guide writes), there is none.
func formatDateTimeArgs(n int) (styles, in, out int) {
	if n == 4 {
		return 1, 2, 3
	}
	return -1, 1, 2
}

// formatDateTimeCheck validates literal styles and formats at Compile time.
func formatDateTimeCheck(ck *CheckContext) error {
	si, in, out := formatDateTimeArgs(len(ck.Call.Args))
	if si >= 0 {
		if v, ok := ck.Literal(si); ok && !IsNull(v) {
			if _, err := parseDateStyles(str(v)); err != nil {
				return argError(si, err)
			}
		}
	}
	for _, i := range []int{in, out} {
		if v, ok := ck.Literal(i); ok {
			if err := validateNetDateFormat(str(v)); err != nil {
				return ck.ArgErrorf(i, "%v", err)
			}
		}
	}
	return nil
}

// formatDateTime converts source from inputFormat to outputFormat.
func formatDateTime(now time.Time, args []Value) (Value, error) {
	si, in, out := formatDateTimeArgs(len(args))
	styles := defaultDateStyles
	if si >= 0 && !IsNull(args[si]) {
		st, err := parseDateStyles(str(args[si]))
		if err != nil {
			return nil, argError(si, err)
		}
		styles = st
	}
	for _, i := range []int{in, out} {
		if IsNull(args[i]) {
			return nil, argErrorf(i, "expected a date format (got null)")
		}
		if err := validateNetDateFormat(str(args[i])); err != nil {
			return nil, argErrorf(i, "%v", err)
		}
	}
	inFmt, outFmt := str(args[in]), str(args[out])
	one := func(src Value) (string, error) {
		var t time.Time
		if d, ok := src.(DateTime); ok {
			// A DateTime (from CDate, DateAdd, Now) needs no parsing: it is
			// used as a UTC value whatever the input format says.
			t = d.Time()
		} else {
			s := str(src)
			var err error
			t, err = parseNetDate(s, inFmt, styles, now)
			if err != nil {
				return "", argErrorf(0, "%s does not match the input format %s (%v)", quoteShort(s), quoteShort(inFmt), err)
			}
		}
		r, err := formatNetDate(t, outFmt)
		if err != nil {
			return "", argErrorf(out, "%v", err)
		}
		return r, nil
	}
	switch v := args[0].(type) {
	case Multi:
		res := make(Multi, len(v))
		for i, s := range v {
			r, err := one(String(s))
			if err != nil {
				return nil, err
			}
			res[i] = r
		}
		return res, nil
	}
	if IsNull(args[0]) {
		return Null, nil
	}
	r, err := one(args[0])
	if err != nil {
		return nil, err
	}
	return String(r), nil
}

// checkCDate rejects a literal string that is not a date at Compile time.
func checkCDate(ck *CheckContext) error {
	if v, ok := ck.Literal(0); ok {
		if s, isStr := v.(String); isStr {
			if _, err := parseLooseDate(string(s)); err != nil {
				return ck.ArgErrorf(0, "expected a date (got %s)", quoteShort(string(s)))
			}
		}
	}
	return nil
}

const dateArgDoc = `Date arguments may be DateTime values (from CDate, DateAdd, DateFromNum, Now) or strings,
which are read as CDate reads them.`

const docNow = "2021-08-25T17:41:18Z"

func init() {
	register(
		&Func{
			Name:     "CDate",
			Category: "Date",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"expression"},
			Check:  checkCDate,
			Doc: `Returns a UTC DateTime from a string; it renders as M/d/yyyy h:mm:ss tt.

The string is read as .NET's ` + "`DateTime.Parse`" + ` with the invariant culture reads it, for the forms
attribute values take: ISO 8601 (` + "`2021-08-24`, `2009-06-15T01:45:30-07:00`, `2009-06-15 01:45:30.5Z`" + `), a date
followed directly by an offset as Workday sends it (` + "`2020-03-16-07:00`" + `), the invariant
` + "`M/d/yyyy h:mm:ss tt`" + ` (` + "`8/25/2021 5:41:18 PM`" + `, month first, a year of one to four digits), RFC 1123
(` + "`Mon, 15 Jun 2009 20:45:30 GMT`" + `), English month names (` + "`June 15, 2009`, `15 Jun 2009`" + `), a year and a
month alone (` + "`2021-08`, `Aug 2021`" + `: the first of the month, as DateTime.Parse completes them) and a time
before the date (` + "`15:04:05 2021-08-24`" + `). The seconds fraction follows a point: ` + "`22:05:22,461`" + ` is rejected,
as the invariant culture's DateTime.Parse rejects it. A value with an offset or Z is converted to UTC.

Decisions:
- A date without an offset is taken as UTC: .NET reads it as local time and the service runs in
  UTC.
- LDAP generalized time (` + "`20150123105347.0Z`" + `) and ` + "`yyyyMMdd`" + ` are also accepted (an extension:
  DateTime.Parse rejects them, but AD and LDAP sources use them).
- Two-digit years (and one-digit ones) are read with the invariant calendar's TwoDigitYearMax of modern .NET,
  2049: 00-49 are 2000-2049, 50-99 are 1950-1999. The service is a .NET program on a supported runtime, and
  .NET Core 3.0 and later fix 2049 for the invariant culture (CalendarData.Invariant), as Windows 10 and later
  do by default; .NET Framework's and Mono's invariant calendar stop at 2029 (` + "`7/3/40`" + ` is 1940 there), which
  the differential test marks.
- Strings without a year (a time alone, ` + "`June 15`" + `) are rejected rather than completed from the
  clock as .NET would.
- Null is an error (there is no date to convert); so are numbers (use DateFromNum for AD file
  times), booleans, and multi-valued values with more than one value. A DateTime is returned as
  is.
- A literal string that is not a date is reported at Compile time.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				t, err := toDate(0, args[0])
				if err != nil {
					return nil, err
				}
				return DateTime(t), nil
			},
			Examples: []Example{
				{Expr: `CDate([StatusHireDate])`, Input: map[string]any{"StatusHireDate": "2020-03-16-07:00"}, Want: "3/16/2020 7:00:00 AM"},
				{Expr: `CDate("2021-06-30+08:00")`, Want: "6/29/2021 4:00:00 PM"},
				{Expr: `CDate("2009-06-15T01:45:30-07:00")`, Want: "6/15/2009 8:45:30 AM"},
				{Expr: `CDate("8/25/2021 5:41:18 PM")`, Want: "8/25/2021 5:41:18 PM"},
				{Expr: `CDate("2021-08-24")`, Want: "8/24/2021 12:00:00 AM", Note: "no offset: taken as UTC"},
			},
		},
		&Func{
			Name:     "DateAdd",
			Category: "Date",
			MinArgs:  3, MaxArgs: 3,
			Params: []string{"interval", "value", "dateTime"},
			Check:  checkInterval,
			Doc: `Returns the DateTime dateTime plus value intervals (value may be negative); it renders as
M/d/yyyy h:mm:ss tt in UTC.

The interval is one of VBA's: ` + "`yyyy`" + ` year, ` + "`q`" + ` quarter, ` + "`m`" + ` month, ` + "`y`" + ` day of year, ` + "`d`" + ` day,
` + "`w`" + ` weekday, ` + "`ww`" + ` week, ` + "`h`" + ` hour, ` + "`n`" + ` minute, ` + "`s`" + ` second. The reference lists yyyy, m, d, ww, h, n
and s; q, y and w are VBA's other intervals and behave as in VBA (y and w add days, as VBA's
DateAdd does). Intervals ignore case and surrounding spaces. ` + dateArgDoc + `

Decisions, following Microsoft.VisualBasic's DateAndTime.DateAdd:
- value is truncated towards zero (` + "`DateAdd(\"d\", 1.9, ...)`" + ` adds one day); a numeric string such as "10"
  is accepted, as the SuccessFactors guide writes ` + "`DateAdd(\"d\", \"10\", Now())`" + `, and read as VB reads numeric
  strings ("&H10", "1,000", "1e3", " 12 ", "7-"; see CBool).
- Adding months, quarters or years keeps the day of the month and clamps it to the end of a shorter
  month (January 31 plus one month is February 28 or 29; February 29 plus one year is February 28).
- A result outside 1/1/0001 to 12/31/9999 is an error, as is a null dateTime or value.
- A literal interval is checked at Compile time, with a suggestion for common mistakes (` + "`mm`" + `,
  ` + "`dd`" + `, ` + "`week`" + `...).`,
			Impl: func(c *Call, args []Value) (Value, error) {
				iv, err := intervalArg(args[0])
				if err != nil {
					return nil, err
				}
				n, err := toNumber(1, args[1])
				if err != nil {
					return nil, err
				}
				t, err := toDate(2, args[2])
				if err != nil {
					return nil, err
				}
				r, err := dateAdd(iv, n.Float64(), t)
				if err != nil {
					return nil, argErrorf(1, "%v", err)
				}
				return DateTime(r), nil
			},
			Examples: []Example{
				{Expr: `DateAdd("d", 7, CDate([StatusHireDate]))`, Input: map[string]any{"StatusHireDate": "2012-03-16-07:00"}, Want: "3/23/2012 7:00:00 AM"},
				{Expr: `DateAdd("d", -10, CDate([StatusHireDate]))`, Input: map[string]any{"StatusHireDate": "2012-03-16-07:00"}, Want: "3/6/2012 7:00:00 AM"},
				{Expr: `DateAdd("ww", 2, CDate([StatusHireDate]))`, Input: map[string]any{"StatusHireDate": "2012-03-16-07:00"}, Want: "3/30/2012 7:00:00 AM"},
				{Expr: `DateAdd("m", 10, CDate([StatusHireDate]))`, Input: map[string]any{"StatusHireDate": "2012-03-16-07:00"}, Want: "1/16/2013 7:00:00 AM"},
				{Expr: `DateAdd("yyyy", 2, CDate([StatusHireDate]))`, Input: map[string]any{"StatusHireDate": "2012-03-16-07:00"}, Want: "3/16/2014 7:00:00 AM"},
				{Expr: `DateAdd("m", 1, CDate("2021-01-31"))`, Want: "2/28/2021 12:00:00 AM", Note: "the day is clamped to the end of February"},
				{Expr: `DateAdd("d", "10", Now())`, Now: docNow, Want: "9/4/2021 5:41:18 PM"},
			},
		},
		&Func{
			Name:     "DateDiff",
			Category: "Date",
			MinArgs:  3, MaxArgs: 3,
			Params: []string{"interval", "date1", "date2"},
			Check:  checkInterval,
			Doc: `Returns the number of intervals from date1 to date2: positive when date2 is later, negative when
it is earlier, 0 when they are equal. The intervals are DateAdd's. ` + dateArgDoc + `

Decisions, following Microsoft.VisualBasic's DateAndTime.DateDiff (which reproduces every row of
the reference's table; both dates are compared in UTC):
- ` + "`d`" + ` and ` + "`y`" + ` count whole elapsed days, truncated towards zero, not calendar days: from 11 PM to 1 AM
  the next day is 0. So are ` + "`h`, `n`, `s`" + ` and ` + "`w`" + ` (whole weeks of seven days). The Workday and
  SuccessFactors guides' examples depend on this: with the clock at noon on 2025-07-30,
  ` + "`DateDiff(\"d\", Now(), CDate(\"2025-07-31\"))`" + ` is 0.
- ` + "`yyyy`, `q`" + ` and ` + "`m`" + ` count calendar boundaries crossed: from December 31 to January 1 is one year.
- ` + "`ww`" + ` moves both dates back to the Sunday that starts their week, keeping the time of day, and
  counts the whole weeks between them, truncated towards zero: from Sunday 5 PM to the next Sunday 7 AM is 0,
  from Saturday to the next day, Sunday, at the same time is 1, and
  ` + "`DateDiff(\"ww\", \"8/25/2021 5:41:18 PM\", \"2012-03-16-07:00\")`" + ` is -493, where whole weeks give -492.
- The first day of the week is Sunday, VB's default (the function has no argument to change it), and the
  counts are the same in both directions: swapping the dates negates every interval's result.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				iv, err := intervalArg(args[0])
				if err != nil {
					return nil, err
				}
				a, err := toDate(1, args[1])
				if err != nil {
					return nil, err
				}
				b, err := toDate(2, args[2])
				if err != nil {
					return nil, err
				}
				return Int(dateDiff(iv, a, b)), nil
			},
			Examples: []Example{
				{Expr: `DateDiff("d", CDate("2021-08-18+08:00"), CDate("2021-08-31+08:00"))`, Want: "13"},
				{Expr: `DateDiff("d", CDate("8/25/2021 5:41:18 PM"), CDate("2012-03-16-07:00"))`, Want: "-3449"},
				{Expr: `DateDiff("ww", CDate("8/25/2021 5:41:18 PM"), CDate("2012-03-16-07:00"))`, Want: "-493"},
				{Expr: `DateDiff("ww", CDate("2021-08-22T17:00:00Z"), CDate("2021-08-29T07:00:00Z"))`, Want: "0", Note: "Sunday 5 PM to the next Sunday 7 AM: the time of day is kept, as in VB"},
				{Expr: `DateDiff("ww", CDate("2021-08-28T07:00:00Z"), CDate("2021-08-29T07:00:00Z"))`, Want: "1", Note: "Saturday to Sunday: a new week"},
				{Expr: `DateDiff("m", CDate("8/25/2021 5:41:18 PM"), CDate("2012-03-16-07:00"))`, Want: "-113"},
				{Expr: `DateDiff("yyyy", CDate("8/25/2021 5:41:18 PM"), CDate("2012-03-16-07:00"))`, Want: "-9"},
				{Expr: `DateDiff("d", CDate("2021-08-31+08:00"), CDate("2021-08-31+08:00"))`, Want: "0"},
				{Expr: `DateDiff("h", CDate("2021-08-24"), CDate("2021-08-25"))`, Want: "24"},
				{Expr: `DateDiff("n", CDate("2021-08-24"), CDate("2021-08-25"))`, Want: "1440"},
				{Expr: `DateDiff("s", CDate("2021-08-24"), CDate("2021-08-25"))`, Want: "86400"},
				{Expr: `DateDiff("d", Now(), CDate([StatusHireDate]))`, Now: docNow, Input: map[string]any{"StatusHireDate": "2021-08-31-07:00"}, Want: "5"},
			},
		},
		&Func{
			Name:     "DateFromNum",
			Category: "Date",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"value"},
			Doc: `Converts an AD date (a file time: 100-nanosecond intervals since 1/1/1601 UTC, as in
lastLogonTimestamp, pwdLastSet or accountExpires) to a DateTime, as .NET's
` + "`DateTime.FromFileTimeUtc`" + ` does. The value may be a number or a numeric string.

Decisions:
- The result is UTC (the service runs in UTC, so FromFileTime and FromFileTimeUtc agree).
- 0 is 1/1/1601 12:00:00 AM. Values beyond 12/31/9999, such as 9223372036854775807 (AD's "never"
  for accountExpires), and negative values are errors, as FromFileTimeUtc throws; test for
  "never" with Switch before converting.
- Null and non-numeric strings are errors.`,
			Impl: func(c *Call, args []Value) (Value, error) { return dateFromNum(args[0]) },
			Examples: []Example{
				{Expr: `DateFromNum(129699324000000000)`, Want: "1/1/2012 11:00:00 PM"},
				{Expr: `DateFromNum([lastLogonTimestamp])`, Input: map[string]any{"lastLogonTimestamp": "129699324000000000"}, Want: "1/1/2012 11:00:00 PM"},
				{Expr: `DateFromNum(0)`, Want: "1/1/1601 12:00:00 AM"},
			},
		},
		&Func{
			Name:     "NumFromDate",
			Category: "Date",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"value"},
			Doc: `Converts a date to AD's format (a file time, as .NET's ` + "`DateTime.ToFileTimeUtc`" + `), for attributes
such as accountExpires. The value is a DateTime or a string read as CDate reads it: ISO 8601 such as
` + "`2025-12-31T23:59:59-08:00`" + ` or, as the reference's examples build it, ` + "`2025-12-31 23:59:59-08:00`" + `.

Decisions:
- The result is a Number (an exact 64-bit integer).
- A date without an offset is taken as UTC.
- Dates before 1/1/1601 are errors, as ToFileTimeUtc throws; so are null and strings that are not
  dates. A date whose offset pushes it past 12/31/9999 (such as ` + "`9999-12-31T23:59:59-04:00`" + `) is not
  a date.
- The guides' stated outputs for NumFromDate are all wrong (for example 133835135990000000 for
  2025-12-31 23:59:59-05:00, which is 2/8/2025 6:39:59 PM UTC); the conformance cases give the
  right numbers.`,
			Impl: func(c *Call, args []Value) (Value, error) { return numFromDate(args[0]) },
			Examples: []Example{
				{Expr: `NumFromDate("2025-12-31T23:59:59-05:00")`, Want: "134117171990000000"},
				{Expr: `NumFromDate(Join("", FormatDateTime([ContractEndDate], , "yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))`, Input: map[string]any{"ContractEndDate": "2020-12-31-08:00"}, Want: "132539615990000000"},
				{Expr: `NumFromDate(DateFromNum(129699324000000000))`, Want: "129699324000000000"},
			},
		},
		&Func{
			Name:     "FormatDateTime",
			Category: "Date",
			MinArgs:  3, MaxArgs: 4,
			Params: []string{"source", "dateTimeStyles", "inputFormat", "outputFormat"},
			Check:  formatDateTimeCheck,
			Doc: `Reads source with inputFormat and writes it with outputFormat: .NET's
` + "`DateTime.ParseExact(source, inputFormat, InvariantCulture, dateTimeStyles).ToString(outputFormat, InvariantCulture)`" + `.

Formats are .NET custom date and time format strings: ` + "`d dd ddd dddd`" + `, ` + "`M MM MMM MMMM`" + `, ` + "`y yy yyy yyyy`" + `,
` + "`h hh H HH m mm s ss`" + `, ` + "`f`" + `…` + "`fffffff`" + `, ` + "`F`" + `…` + "`FFFFFFF`" + `, ` + "`t tt`" + `, ` + "`z zz zzz`" + `, ` + "`K`" + `, ` + "`g`" + `, ` + "`:`" + ` and ` + "`/`" + `, quoted
literals, ` + "`\\`" + ` escapes and ` + "`%`" + ` before a single specifier, with the invariant culture's names. A
one-character format is a standard format (` + "`o`, `s`, `u`, `d`, `G`" + `...). Parsing is exact: ` + "`dd`, `MM`, `HH`, `hh`" + `
need two digits, ` + "`yyyy`" + ` four, ` + "`f`" + ` exactly as many digits as letters.

dateTimeStyles is a comma-separated list of .NET DateTimeStyles names (None, AllowLeadingWhite,
AllowTrailingWhite, AllowInnerWhite, AllowWhiteSpaces, NoCurrentDateDefault, AdjustToUniversal,
AssumeLocal, AssumeUniversal, RoundtripKind), in any case; empty means RoundtripKind,
AllowLeadingWhite, AllowTrailingWhite.

Decisions:
- Arity tells the forms apart: with three arguments the call is the cloud sync form
  ` + "`FormatDateTime(source, inputFormat, outputFormat)`" + ` (which the SuccessFactors guide also uses); with four,
  the second is dateTimeStyles.
- Local time is UTC (the service runs in UTC). An offset in the source (` + "`zzz`, `K`" + `) converts the value
  to UTC before formatting, so ` + "`2021-06-30+08:00`" + ` with ` + "`yyyy-MM-ddzzz`" + ` formats as 2021-06-29.
- An unquoted ` + "`Z`" + ` in the input format is not a literal: .NET's ParseExact reads "Z" or "GMT" there and
  marks the value UTC (under RoundtripKind, K then writes Z); in the output format it is a literal Z.
- A DateTime source (CDate, DateAdd, Now, DateFromNum) is formatted as is, whatever inputFormat says.
  The service renders it as M/d/yyyy h:mm:ss tt and parses that, which gives the same result when
  inputFormat matches and fails otherwise; the Workday guide's
  ` + "`FormatDateTime(DateAdd(...), , \"yyyy-MM-dd\", \"yyyy-MM-dd\")`" + ` relies on the lenient behaviour.
- A null source gives null. A multi-valued source is converted value by value.
- Literal styles and formats are checked at Compile time; a source that does not match is an error.
- As in .NET's ParseExact, ` + "`tt`" + ` without an hour field reads PM as an error (the hour is taken as 0, which PM
  contradicts) and AM as midnight; two-digit years ` + "`yy`" + ` read up to 2049, as CDate's.`,
			Impl: func(c *Call, args []Value) (Value, error) { return formatDateTime(c.Now(), args) },
			Examples: []Example{
				{Expr: `FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`, Input: map[string]any{"extensionAttribute1": "20150123105347.1Z"}, Want: "2015-01-23"},
				{Expr: `FormatDateTime([endDate], "M/d/yyyy hh:mm:ss tt", "yyyy-MM-dd")`, Input: map[string]any{"endDate": "12/31/2025 12:00:00 AM"}, Want: "2025-12-31", Note: "the three-argument form"},
				{Expr: `FormatDateTime("2021-06-30+08:00", , "yyyy-MM-ddzzz", "yyyy-MM-dd HH:mm")`, Want: "2021-06-29 16:00"},
				{Expr: `FormatDateTime("2009-06-15T13:45:30Z", , "yyyy-MM-ddTHH:mm:ssK", "o")`, Want: "2009-06-15T13:45:30.0000000Z", Note: "under RoundtripKind the Z keeps the value UTC, so K writes Z"},
			},
		},
		&Func{
			Name:     "Now",
			Category: "Date",
			MinArgs:  0, MaxArgs: 0,
			Impure: true,
			Doc: `Returns the current UTC date and time as a DateTime, rendered M/d/yyyy h:mm:ss tt. The clock is
the one the evaluation was given (` + "`WithClock`, `WithNow`" + `), so results are reproducible in tests.`,
			Impl: func(c *Call, args []Value) (Value, error) { return DateTime(c.Now()), nil },
			Examples: []Example{
				{Expr: `Now()`, Now: "2021-07-02T15:33:38Z", Want: "7/2/2021 3:33:38 PM"},
			},
		},
	)
}
