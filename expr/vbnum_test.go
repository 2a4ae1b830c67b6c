package expr

import (
	"testing"
)

// TestParseVBNumber pins VB's Conversions.ToDouble on numeric strings
// (answers checked with the oracle of internal/dotnet).
func TestParseVBNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for not a number
	}{
		{"10", "10"},
		{" 12 ", "12"},
		{"&H10", "16"},
		{"&h1F", "31"},
		{" &HFF", "255"},
		{"&HFFFFFFFFFFFFFFFF", "-1"},
		{"&O17", "15"},
		{"&H10 ", ""},
		{"&H", ""},
		{"&HG", ""},
		{"&X10", ""},
		{"1,000", "1000"},
		{"1,000,000.5", "1000000.5"},
		{",5", ""},
		{"1e3", "1000"},
		{"1E-2", "0.01"},
		{"1e", ""},
		{"7-", "-7"},
		{"+7", "7"},
		{"(8)", "-8"},
		{"(8", ""},
		{"¤5", "5"},
		{"$5", ""},
		{".5", "0.5"},
		{"1.", "1"},
		{"\t3\n", "3"},
		{"1_000", ""},
		{"0x10", ""},
		{"１２", ""},
		{"", ""},
		{" ", ""},
		{"Infinity", "Infinity"},
		{"-Infinity", "-Infinity"},
		{"1e400", "Infinity"}, // .NET Core 3.0+: infinite, not an overflow
		{"129699324000000000", "129699324000000000"},
	} {
		n, ok := parseVBNumber(tc.in)
		got := ""
		if ok {
			got = n.String()
		}
		if got != tc.want {
			t.Errorf("parseVBNumber(%q) = %q (ok %v), want %q", tc.in, got, ok, tc.want)
		}
	}
}
