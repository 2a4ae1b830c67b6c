package diag

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLineCol(t *testing.T) {
	const src = "ab\nZoë x\n\nend"
	for _, tt := range []struct {
		off, line, col int
	}{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1},
		{5, 2, 3}, // ë, two bytes
		{7, 2, 4}, // the space after it: column 4, not byte 5
		{8, 2, 5},
		{10, 3, 1}, // the empty line
		{-4, 1, 1}, {99, 4, 4},
	} {
		line, col := LineCol(src, tt.off)
		bl, bc := LineCol([]byte(src), tt.off)
		if line != tt.line || col != tt.col || bl != line || bc != col {
			t.Errorf("LineCol(%d) = %d:%d (bytes %d:%d), want %d:%d", tt.off, line, col, bl, bc, tt.line, tt.col)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"Join", "Jion", 2}, {"ë", "e", 1}, {"EQULAS", "EQUALS", 2},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"Join", "Left", "NormalizeDiacritics", "Mid"}
	for in, want := range map[string]string{
		"Jion": "Join", "JOIN": "Join", "NormaliseDiacritics": "NormalizeDiacritics", "Xyz": "", "": "",
	} {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if a, b := Suggest("Mad", []string{"Max", "Map"}), Suggest("Mad", []string{"Map", "Max"}); a != b || a != "Map" {
		t.Errorf("ties resolve in sorted order: %q, %q", a, b)
	}
}

func TestDecodeError(t *testing.T) {
	got := []string{
		(&DecodeError{Line: 3, Col: 5, Path: "groups[0]", Msg: "bad"}).Error(),
		(&DecodeError{Path: "groups[0]", Msg: "bad"}).Error(),
		(&DecodeError{Line: 1, Col: 2, Msg: "bad"}).Error(),
	}
	want := []string{"line 3, column 5: groups[0]: bad", "groups[0]: bad", "line 1, column 2: bad"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestJSONKind(t *testing.T) {
	for raw, want := range map[string]string{
		` {"a":1}`: "object", "[1]": "array", `"x"`: "string", "true": "boolean", "false": "boolean",
		"null": "null", "-1.5": "number", "  \n": "nothing", "": "nothing",
	} {
		if got := JSONKind([]byte(raw)); got != want {
			t.Errorf("JSONKind(%q) = %q, want %q", raw, got, want)
		}
	}
}
