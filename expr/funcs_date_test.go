package expr

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDateDiff(t *testing.T) {
	// The reference's DateDiff table, plus boundary cases that separate
	// elapsed units from calendar boundaries.
	d := func(s string) time.Time {
		v, err := parseLooseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		iv   string
		a, b string
		want int64
	}{
		{"doc positive days", "d", "2021-08-18+08:00", "2021-08-31+08:00", 13},
		{"doc negative days", "d", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -3449},
		{"doc weeks", "ww", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -493},
		{"doc months", "m", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -113},
		{"doc years", "yyyy", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -9},
		{"doc same", "d", "2021-08-31+08:00", "2021-08-31+08:00", 0},
		{"doc hours", "h", "2021-08-24", "2021-08-25", 24},
		{"doc minutes", "n", "2021-08-24", "2021-08-25", 1440},
		{"doc seconds", "s", "2021-08-24", "2021-08-25", 86400},
		{"whole weeks", "w", "8/25/2021 5:41:18 PM", "2012-03-16-07:00", -492},
		{"day of year", "y", "2021-08-24", "2021-08-26", 2},
		{"days are elapsed, not calendar", "d", "2021-08-24T23:00:00Z", "2021-08-25T01:00:00Z", 0},
		{"negative days truncate towards zero", "d", "2021-08-25T12:00:00Z", "2021-08-24T00:00:00Z", -1},
		{"years are calendar", "yyyy", "2020-12-31T23:59:59Z", "2021-01-01T00:00:00Z", 1},
		{"months are calendar", "m", "2021-01-31", "2021-02-01", 1},
		{"quarters", "q", "2021-03-31", "2021-04-01", 1},
		{"quarters back", "q", "2022-01-01", "2021-12-31", -1},
		{"same week", "ww", "2021-08-22", "2021-08-28", 0},
		{"Saturday to Sunday", "ww", "2021-08-28", "2021-08-29", 1},
		{"hours truncate", "h", "2021-08-24T00:00:00Z", "2021-08-24T01:59:59Z", 1},
		{"seconds ignore fractions", "s", "2021-08-24T00:00:00.9Z", "2021-08-24T00:00:01.8Z", 0},
		{"full range", "s", "0001-01-01", "9999-12-31T23:59:59Z", 315537897599},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv, err := parseInterval(tt.iv)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, dateDiff(iv, d(tt.a), d(tt.b))); diff != "" {
				t.Errorf("dateDiff(%q, %s, %s) (-want +got):\n%s", tt.iv, tt.a, tt.b, diff)
			}
		})
	}
}

func TestDateAdd(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	hire := utc(2012, 3, 16, 7, 0, 0)
	tests := []struct {
		name string
		iv   string
		n    float64
		t    time.Time
		want time.Time
	}{
		{"doc 7 days", "d", 7, hire, utc(2012, 3, 23, 7, 0, 0)},
		{"doc minus 10 days", "d", -10, hire, utc(2012, 3, 6, 7, 0, 0)},
		{"doc two weeks", "ww", 2, hire, utc(2012, 3, 30, 7, 0, 0)},
		{"doc ten months", "m", 10, hire, utc(2013, 1, 16, 7, 0, 0)},
		{"doc two years", "yyyy", 2, hire, utc(2014, 3, 16, 7, 0, 0)},
		{"month end clamps", "m", 1, utc(2020, 1, 31, 0, 0, 0), utc(2020, 2, 29, 0, 0, 0)},
		{"leap day plus a year", "yyyy", 1, utc(2020, 2, 29, 0, 0, 0), utc(2021, 2, 28, 0, 0, 0)},
		{"quarter clamps", "q", 1, utc(2021, 11, 30, 0, 0, 0), utc(2022, 2, 28, 0, 0, 0)},
		{"negative months across a year", "m", -3, utc(2021, 2, 15, 0, 0, 0), utc(2020, 11, 15, 0, 0, 0)},
		{"fraction truncates", "d", 1.9, hire, utc(2012, 3, 17, 7, 0, 0)},
		{"negative fraction truncates", "d", -1.9, hire, utc(2012, 3, 15, 7, 0, 0)},
		{"y adds days", "y", 3, hire, utc(2012, 3, 19, 7, 0, 0)},
		{"w adds days", "w", 3, hire, utc(2012, 3, 19, 7, 0, 0)},
		{"hours", "h", 25, hire, utc(2012, 3, 17, 8, 0, 0)},
		{"minutes", "n", -61, hire, utc(2012, 3, 16, 5, 59, 0)},
		{"seconds", "s", 3600, hire, utc(2012, 3, 16, 8, 0, 0)},
		{"centuries of hours", "h", 24 * 365 * 400, utc(1601, 1, 1, 0, 0, 0), utc(2000, 9, 26, 0, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iv, err := parseInterval(tt.iv)
			if err != nil {
				t.Fatal(err)
			}
			got, err := dateAdd(iv, tt.n, tt.t)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("dateAdd(%q, %v, %v) = %v, want %v", tt.iv, tt.n, tt.t, got, tt.want)
			}
		})
	}
}

func TestDateAddOutOfRange(t *testing.T) {
	tests := []struct {
		name string
		iv   dateInterval
		n    float64
		t    time.Time
	}{
		{"year 10000", ivYear, 10000, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"before year 1", ivSecond, -1, minDate},
		{"after 9999", ivDay, 1, maxDate},
		{"huge", ivDay, 1e300, minDate},
		{"not finite", ivHour, math.NaN(), minDate},
		{"int32 overflow", ivMonth, 1 << 40, minDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := dateAdd(tt.iv, tt.n, tt.t); err == nil {
				t.Errorf("dateAdd = %v, want an error", got)
			}
		})
	}
}

func TestParseInterval(t *testing.T) {
	tests := []struct {
		in      string
		want    dateInterval
		wantErr string
	}{
		{"yyyy", ivYear, ""},
		{"YYYY", ivYear, ""},
		{" d ", ivDay, ""},
		{"WW", ivWeekOfYear, ""},
		{"n", ivMinute, ""},
		{"mm", 0, `did you mean "m" for months or "n"?`},
		{"week", 0, `did you mean "ww"?`},
		{"dd", 0, `did you mean "d"?`},
		{"x", 0, "unknown interval"},
		{"", 0, "unknown interval"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseInterval(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseInterval(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseInterval(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestToDate(t *testing.T) {
	want := time.Date(2021, 8, 24, 0, 0, 0, 0, time.UTC)
	for name, v := range map[string]Value{
		"datetime":     DateTime(want),
		"string":       String("2021-08-24"),
		"single multi": Multi{"2021-08-24"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := toDate(0, v)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(want) {
				t.Errorf("toDate(%s) = %v, want %v", Display(v), got, want)
			}
		})
	}
	for name, tc := range map[string]struct {
		v    Value
		want string
	}{
		"null":   {Null, "expected a date (got null)"},
		"number": {Int(129699324000000000), "use DateFromNum"},
		"bool":   {Bool(true), "expected a date (got boolean)"},
		"multi":  {Multi{"2021-08-24", "2021-08-25"}, "expected a single date"},
		"text":   {String("soon"), `expected a date (got "soon")`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := toDate(2, tc.v)
			ae, ok := err.(*ArgError)
			if !ok || ae.Index != 2 || !strings.Contains(ae.Msg, tc.want) {
				t.Errorf("toDate(%s) error = %v, want an ArgError on argument 2 containing %q", Display(tc.v), err, tc.want)
			}
		})
	}
}

// TestDateFunctionsCompile checks the Compile-time validation of literal
// arguments and the errors of evaluation.
func TestDateFunctionsCompile(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string
	}{
		{"bad interval", `DateAdd("mm", 1, Now())`, `did you mean "m" for months or "n"?`},
		{"bad DateDiff interval", `DateDiff("days", Now(), Now())`, `did you mean "d"?`},
		{"bad styles", `FormatDateTime([a], "Roundtrip", "yyyy", "yyyy")`, `did you mean "RoundtripKind"?`},
		{"conflicting styles", `FormatDateTime([a], "RoundtripKind, AssumeLocal", "yyyy", "yyyy")`, "cannot be combined"},
		{"bad input format", `FormatDateTime([a], , "yyyy'", "yyyy")`, "unterminated quote"},
		{"bad output format", `FormatDateTime([a], "yyyy", "Q")`, "not a standard format"},
		{"bad CDate literal", `CDate("someday")`, `expected a date (got "someday")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Compile(%s) error = %v, want %q", tt.src, err, tt.wantErr)
			}
		})
	}
}

func TestDateFunctionsEval(t *testing.T) {
	now := time.Date(2025, 7, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		src     string
		input   map[string]any
		want    any
		wantErr string
	}{
		{"FormatDateTime null", `FormatDateTime([a], , "yyyy-MM-dd", "yyyy")`, nil, nil, ""},
		{"FormatDateTime multi", `FormatDateTime([a], "yyyy-MM-dd", "MM/dd")`, map[string]any{"a": []any{"2021-08-24", "2021-12-01"}}, []string{"08/24", "12/01"}, ""},
		{"FormatDateTime DateTime source", `FormatDateTime(Now(), , "yyyy-MM-dd", "yyyyMMddHHmmss.0Z")`, nil, "20250730120000.0Z", ""},
		{"FormatDateTime number source", `FormatDateTime(20210824, "yyyyMMdd", "yyyy-MM-dd")`, nil, "2021-08-24", ""},
		{"FormatDateTime styles from attribute", `FormatDateTime(" 2021-08-24", [st], "yyyy-MM-dd", "dd")`, map[string]any{"st": "None"}, nil, "does not match the input format"},
		{"FormatDateTime mismatch", `FormatDateTime([a], "yyyy-MM-dd", "dd")`, map[string]any{"a": "8/24/2021"}, nil, `"8/24/2021" does not match the input format "yyyy-MM-dd"`},
		{"FormatDateTime K keeps UTC", `FormatDateTime("2021-08-24T10:00:00Z", , "yyyy-MM-ddTHH:mm:ssK", "HH:mm K")`, nil, "10:00 Z", ""},
		{"FormatDateTime offset becomes local", `FormatDateTime("2021-08-24T10:00:00-07:00", , "yyyy-MM-ddTHH:mm:ssK", "HH:mm K")`, nil, "17:00 +00:00", ""},
		{"DateAdd numeric string", `DateAdd("d", "10", Now())`, nil, "8/9/2025 12:00:00 PM", ""},
		{"DateAdd string date", `DateAdd("h", 1, "2021-08-24")`, nil, "8/24/2021 1:00:00 AM", ""},
		{"DateAdd null date", `DateAdd("d", 1, [a])`, nil, nil, "expected a date (got null)"},
		{"DateAdd null value", `DateAdd("d", [a], Now())`, nil, nil, "expected a number (got null)"},
		{"DateAdd interval from attribute", `DateAdd([iv], 1, Now())`, map[string]any{"iv": "fortnight"}, nil, "unknown interval"},
		{"DateAdd overflow", `DateAdd("yyyy", 8000, Now())`, nil, nil, "outside the range"},
		{"DateDiff strings", `DateDiff("d", "2021-08-24", "2021-08-31")`, nil, "7", ""},
		{"DateFromNum never", `DateFromNum(9223372036854775807)`, nil, nil, `AD's "never"`},
		{"DateFromNum negative", `DateFromNum(-1)`, nil, nil, "outside the range"},
		{"DateFromNum text", `DateFromNum("soon")`, nil, nil, `expected an AD file time (got "soon")`},
		{"DateFromNum fraction", `DateFromNum(1.5)`, nil, nil, "integral"},
		{"NumFromDate before 1601", `NumFromDate("1600-12-31")`, nil, nil, "before 1/1/1601"},
		{"NumFromDate past 9999", `NumFromDate("9999-12-31T23:59:59-04:00")`, nil, nil, "expected a date"},
		{"NumFromDate DateTime", `NumFromDate(Now())`, nil, "133983504000000000", ""},
		{"CDate DateTime", `CDate(Now())`, nil, "7/30/2025 12:00:00 PM", ""},
		{"Now", `Now()`, nil, "7/30/2025 12:00:00 PM", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Constant calls are folded at Compile, so their errors can
			// come from either step.
			p, err := Compile(tt.src, WithNow(now))
			var v Value
			if err == nil {
				v, err = p.Eval(NewEnv(tt.input))
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("%s: error = %v, want %q", tt.src, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ToGo(v)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}
