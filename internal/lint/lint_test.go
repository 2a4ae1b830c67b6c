package lint

import (
	"os"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
	"github.com/attrmap/attrmap/mapping"
	"github.com/google/go-cmp/cmp"
)

// brief is the part of a warning the rule tests compare.
type brief struct {
	Code, At, Fix string
}

func briefs(src string, ws []Warning) []brief {
	var out []brief
	for _, w := range ws {
		out = append(out, brief{Code: w.Code, At: src[w.Span.Start:w.Span.End], Fix: w.Fix})
	}
	return out
}

// TestRules has, for each rule, expressions that must warn (with where and
// the fix) and look-alikes that must not.
func TestRules(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []brief
	}{
		// AM001
		{"switch on IsPresent", `Switch(IsPresent([mail]), [upn], "True", [mail])`,
			[]brief{{"AM001", `Switch(IsPresent([mail]), [upn], "True", [mail])`, `Switch([mail], [mail], "", [upn])`}}},
		{"switch on IsNullOrEmpty", `Switch(IsNullOrEmpty([c]), "x", "True", "Other", "False", [c])`,
			[]brief{{"AM001", `Switch(IsNullOrEmpty([c]), "x", "True", "Other", "False", [c])`, `Switch([c], [c], "", "Other")`}}},
		{"switch on IsNull with attribute keys", `Switch(IsNull([a]), "x", [k], "y")`,
			[]brief{{"AM001", `IsNull([a])`, ""}}},
		{"switch with empty key", `Switch([statusFlag], "Default Value", "true", "1", "", "0")`, nil},
		// AM002
		{"iif IsPresent", `IIF(IsPresent([country]), [country], "Other")`,
			[]brief{{"AM002", `IIF(IsPresent([country]), [country], "Other")`, `Switch([country], [country], "", "Other")`}}},
		{"iif IsNullOrEmpty", `IIF(IsNullOrEmpty([country]), "Other", [country])`,
			[]brief{{"AM002", `IIF(IsNullOrEmpty([country]), "Other", [country])`, `Switch([country], [country], "", "Other")`}}},
		{"iif equals empty", `IIF([country]="","Other",[country])`,
			[]brief{{"AM002", `IIF([country]="","Other",[country])`, `Switch([country], [country], "", "Other")`}}},
		{"iif empty on the left", `IIF("" <> [c], [c], "none")`,
			[]brief{{"AM002", `IIF("" <> [c], [c], "none")`, `Switch([c], [c], "", "none")`}}},
		{"iif equals value", `IIF([country]="USA",[country],[department])`, nil},
		// AM003
		{"iif not equal", `IIF([country] <> "USA", "Other", "US")`,
			[]brief{{"AM003", `[country] <> "USA"`, ""}}},
		{"iif not equal attributes", `IIF([a] <> [b], "x", "y")`,
			[]brief{{"AM003", `[a] <> [b]`, ""}}},
		// AM004
		{"item 0", `Item([proxyAddresses], 0)`, []brief{{"AM004", `0`, `1`}}},
		{"item string 0", `Item([proxyAddresses], "0")`, []brief{{"AM004", `"0"`, `1`}}},
		{"item 1", `Item([proxyAddresses], 1)`, nil},
		// AM005, AM006
		{"mid 0", `Mid([givenName], 0, 1)`, []brief{{"AM005", `0`, `1`}}},
		{"mid length 0", `Mid([givenName], 1, 0)`, []brief{{"AM006", `0`, ""}}},
		{"left 0", `Left([givenName], 0)`, []brief{{"AM006", `0`, ""}}},
		{"left negative", `Left([givenName], -1)`, []brief{{"AM006", `Left([givenName], -1)`, `[givenName]`}}},
		{"word 0", `Word([displayName], 0, " ")`, []brief{{"AM006", `0`, `1`}}},
		{"left 3", `Left([givenName], 3)`, nil},
		// AM007, AM008
		{"switch case keys", `Switch([c], "x", "US", "1", "us", "2")`, []brief{{"AM007", `"us"`, ""}}},
		{"switch lower keys", `Switch(ToLower([c]), "x", "us", "1", "de", "2")`, nil},
		{"switch duplicate key", `Switch([c], "x", "US", "1", "US", "2")`, []brief{{"AM008", `"US"`, ""}}},
		// AM009 (lone expression: a Switch returning [manager])
		{"switch manager", `Switch([c], [manager], "US", [boss])`, []brief{{"AM009", `[manager]`, ""}}},
		{"switch key manager", `Switch([manager], "x", "a", "b")`, nil},
		// AM010
		{"join one literal", `Join("@", "a")`, []brief{{"AM010", `Join("@", "a")`, `"a"`}}},
		{"join one call", `Join(",", ToLower([a]))`, []brief{{"AM010", `Join(",", ToLower([a]))`, `ToLower([a])`}}},
		{"join one attribute", `Join(",", [proxyAddresses])`, nil},
		{"join split", `Join(";", Split([a], ","))`, nil},
		// AM011-AM013 need a schema; AM014
		{"unique without NormalizeDiacritics", `SelectUniqueValue(Join("@", [a], "x"), NormalizeDiacritics([b]))`,
			[]brief{{"AM014", `Join("@", [a], "x")`, `NormalizeDiacritics(Join("@", [a], "x"))`}}},
		{"unique normalized", `SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [f], [l]))), "contoso.com"), Join("@", NormalizeDiacritics([l]), "contoso.com"))`, nil},
		// AM015
		{"iif and attempt", `IIF([country]="USA" & [state]="CA", "True", "False")`,
			[]brief{{"AM015", `&`, ""}}},
		{"iif parenthesized and", `IIF(([a]="1") & ([b]="2"), "y", "n")`, []brief{{"AM015", `&`, ""}}},
		{"iif nested and", `IIF([country]="USA",IIF([state]="CA","True","False"),"False")`, nil},
		// several in one
		{"sorted by position", `Join("", Item([p], 0), Mid([g], 0, 2))`,
			[]brief{{"AM004", `0`, `1`}, {"AM005", `0`, `1`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := Lint(tt.src)
			if err != nil {
				t.Fatalf("Lint: %v", err)
			}
			if diff := cmp.Diff(tt.want, briefs(tt.src, ws)); diff != "" {
				t.Errorf("Lint(%s) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// TestRulesTable checks that codes are unique, ordered and documented.
func TestRulesTable(t *testing.T) {
	for i, r := range Rules() {
		if r.Code == "" || r.Name == "" || r.Summary == "" || r.Doc == "" {
			t.Errorf("rule %d (%s) is not fully documented", i, r.Code)
		}
		if i > 0 && Rules()[i-1].Code >= r.Code {
			t.Errorf("rule %s is out of order", r.Code)
		}
	}
}

// TestFixesCompile applies every fix of TestRules-like inputs and requires
// the result to compile.
func TestFixesCompile(t *testing.T) {
	for _, src := range []string{
		`Switch(IsPresent([mail]), [upn], "True", [mail])`,
		`IIF([country]="","Other",[country])`,
		`Join("@", Item([p], 0), Mid([g], 0, 2), Left([g], -1))`,
		`SelectUniqueValue(Join("@", [a], "x"), Join("@", [b], "x"))`,
	} {
		ws, err := Lint(src)
		if err != nil {
			t.Fatal(err)
		}
		fixed := Apply(src, ws)
		after, err := Lint(fixed)
		if err != nil {
			t.Errorf("fix of %s does not compile: %s: %v", src, fixed, err)
			continue
		}
		for _, w := range after {
			if w.Fix != "" {
				t.Errorf("fix of %s still has a fixable warning: %s", src, w)
			}
		}
	}
}

func TestCompileError(t *testing.T) {
	if _, err := Lint(`Jion("a")`); err == nil {
		t.Fatal("want a compile error")
	}
}

// TestSchema lints the schema of testdata/lint and compares the rendered
// warnings with the golden file.
func TestSchema(t *testing.T) {
	data, err := os.ReadFile("../../testdata/lint/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mapping.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, w := range LintSchema(s) {
		b.WriteString(w.Render())
		b.WriteString("\n")
	}
	golden.Open(t, "../../testdata/lint/schema.golden").Check(t, "schema.json", b.String())
}
