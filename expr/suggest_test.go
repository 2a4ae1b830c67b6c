package expr

import "testing"

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"zoë", "zoe", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"Join", "Mid", "NormalizeDiacritics", "Left", "Word"}
	tests := map[string]string{
		"Jion":                "Join",
		"JOIN":                "Join", // differs only in case
		"NormaliseDiacritics": "NormalizeDiacritics",
		"Lfet":                "Left",
		"Replace":             "",
		"Wodr":                "Word",
	}
	for in, want := range tests {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	// Ties resolve in sorted order, whatever the candidates' order.
	if a, b := Suggest("Mad", []string{"Max", "Map"}), Suggest("Mad", []string{"Map", "Max"}); a != b || a != "Map" {
		t.Errorf("tie resolved as %q and %q, want Map both times", a, b)
	}
}
