package expr

import (
	"math"
	"testing"
)

// TestFormatDouble pins .NET Core 3.0+'s Double.ToString() in the invariant
// culture (values checked with the oracle of internal/dotnet).
func TestFormatDouble(t *testing.T) {
	point1, point2 := 0.1, 0.2
	point3 := point1 + point2
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{1234567.5, "1234567.5"},
		{point3, "0.30000000000000004"},
		{1e15, "1E+15"},
		{123456789012345, "123456789012345"},
		{999999999999999.9, "999999999999999.9"},
		{1.2345678901234568e20, "1.2345678901234568E+20"},
		{0.0001, "0.0001"},
		{0.00001, "1E-05"},
		{-0.00008915557934214805, "-8.915557934214805E-05"},
		{13526120576138.3125, "13526120576138.312"}, // a tie: half to even, as Dragon4
		{1e-300, "1E-300"},
		{5e-324, "5E-324"},
		{math.MaxFloat64, "1.7976931348623157E+308"},
		{-2.5, "-2.5"},
		{math.Copysign(0, -1), "-0"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{math.NaN(), "NaN"},
	} {
		if got := formatDouble(tc.f); got != tc.want {
			t.Errorf("formatDouble(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	// CStr, Join and Append all render through Number.String.
	for _, src := range []string{`CStr(1234567.5)`, `Join("", 1234567.5)`, `Append("", 1234567.5)`} {
		v, err := Eval(src, NewEnv(nil))
		if err != nil || Render(v) != "1234567.5" {
			t.Errorf("%s = %v, %v; want 1234567.5", src, v, err)
		}
	}
}
