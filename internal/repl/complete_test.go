package repl

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestComplete(t *testing.T) {
	s := newTestSession()
	for _, l := range []string{`:set givenName = "Zoë"`, `:set surname = "Müller"`, `:set GivenTitle = "Dr."`} {
		if _, _, err := s.Process(l); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		Head        string
		Completions []string
		Tail        string
	}
	tests := []struct {
		name string
		line string
		pos  int // -1: end of line
		want result
	}{
		{"function prefix", "jo", -1, result{"", []string{"Join("}, ""}},
		{"function ignoring case", "TOLO", -1, result{"", []string{"ToLower("}, ""}},
		{"nested function", `Join("@", Normal`, -1, result{`Join("@", `, []string{"NormalizeDiacritics("}, ""}},
		{"enum", `InStr([a], "b", 1, vbT`, -1, result{`InStr([a], "b", 1, `, []string{"vbTextCompare"}, ""}},
		{"attribute", `Join("@", [giv`, -1, result{`Join("@", `, []string{"[givenName]", "[GivenTitle]"}, ""}},
		{"attribute in middle", `Mid([su, 1, 1)`, 7, result{`Mid(`, []string{"[surname]"}, `, 1, 1)`}},
		{"no completion in strings", `Join("jo`, -1, result{`Join("jo`, nil, ""}},
		{"bracket in string", `Join("[gi`, -1, result{`Join("[gi`, nil, ""}},
		{"commands", ":", -1, result{"", []string{":set ", ":unset ", ":load ", ":show ", ":now ", ":existing ", ":trace ", ":fmt ", ":lint ", ":funcs ", ":help ", ":schema ", ":map ", ":scope ", ":quit "}, ""}},
		{"command prefix", ":s", -1, result{"", []string{":set ", ":show ", ":schema ", ":scope "}, ""}},
		{"help function", ":help swi", -1, result{":help ", []string{"Switch"}, ""}},
		{"help command", ":help :tr", -1, result{":help ", []string{":trace"}, ""}},
		{"unset attribute", ":unset sur", -1, result{":unset ", []string{"surname"}, ""}},
		{"trace expression", ":trace Join([gi", -1, result{":trace Join(", []string{"[givenName]", "[GivenTitle]"}, ""}},
		{"now off", ":now o", -1, result{":now ", []string{"off"}, ""}},
		{"load file", ":load us", -1, result{":load ", []string{"user.json", "users.csv"}, ""}},
		{"nothing", "", -1, result{"", nil, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pos := tt.pos
			if pos < 0 {
				pos = len(tt.line)
			}
			var got result
			got.Head, got.Completions, got.Tail = s.Complete(tt.line, pos)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Complete(%q, %d) mismatch (-want +got):\n%s", tt.line, pos, diff)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	tests := map[string]bool{
		`Join("a", [b])`:  false,
		`Join("a",`:       true,
		`Join("(", [b])`:  false,
		`"abc`:            true,
		`"a\"bc"`:         false,
		`[attr`:           true,
		`[a(b]`:           false,
		`Join("a", [b]))`: false,
	}
	for src, want := range tests {
		if got := open(src); got != want {
			t.Errorf("open(%q) = %v, want %v", src, got, want)
		}
	}
}
