package scoping

import (
	"testing"

	"github.com/attrmap/attrmap/internal/diag"
	"github.com/google/go-cmp/cmp"
)

func TestNormalizeOperator(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"EQUALS", "EQUALS"},
		{"NOT_EQUALS", "NOT EQUALS"},
		{"not equals", "NOT EQUALS"},
		{"  Not__Equals ", "NOT EQUALS"},
		{"Greater_Than_OR_EQUALS", "GREATER THAN OR EQUALS"},
		{"IS\tNOT  NULL", "IS NOT NULL"},
		{"&", "&"},
		{"!&", "!&"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normalizeOperator(tt.in); got != tt.want {
				t.Errorf("normalizeOperator(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLookupOperatorSpellings checks every spelling the service and the
// documentation use resolves to the right canonical operator.
func TestLookupOperatorSpellings(t *testing.T) {
	spellings := map[string][]string{
		"EQUALS":                 {"EQUALS", "Equals", "equals"},
		"NOT EQUALS":             {"NOT EQUALS", "NOT_EQUALS", "Not_Equals"},
		"IS TRUE":                {"IS TRUE", "IS_TRUE"},
		"IS FALSE":               {"IS FALSE", "IS_FALSE"},
		"IS NULL":                {"IS NULL", "IS_NULL"},
		"IS NOT NULL":            {"IS NOT NULL", "IS_NOT_NULL"},
		"REGEX MATCH":            {"REGEX MATCH", "REGEX_MATCH"},
		"NOT REGEX MATCH":        {"NOT REGEX MATCH", "NOT_REGEX_MATCH"},
		"Greater_Than":           {"Greater_Than", "GREATER_THAN", "GREATER THAN"},
		"Greater_Than_OR_EQUALS": {"Greater_Than_OR_EQUALS", "GREATER_THAN_OR_EQUALS"},
		"Less_Than":              {"Less_Than", "LESS_THAN"},
		"Less_Than_OR_EQUALS":    {"Less_Than_OR_EQUALS", "LESS THAN OR EQUALS"},
		"Includes":               {"Includes", "INCLUDES"},
		"ENDS_WITH":              {"ENDS_WITH", "ENDS WITH", "Ends_With"},
		"&":                      {"&"},
		"!&":                     {"!&"},
	}
	if len(spellings) != len(operators) {
		t.Fatalf("test covers %d operators, table has %d", len(spellings), len(operators))
	}
	for want, names := range spellings {
		for _, name := range names {
			op, ok := lookupOperator(name)
			if !ok || op.Name != want {
				t.Errorf("lookupOperator(%q) = %q, %v; want %q", name, op.Name, ok, want)
			}
		}
	}
	for _, name := range []string{"STARTS_WITH", "CONTAINS", "IsMemberOf", "==", ""} {
		if op, ok := lookupOperator(name); ok {
			t.Errorf("lookupOperator(%q) = %q, want not found", name, op.Name)
		}
	}
}

func TestOperatorTable(t *testing.T) {
	for _, op := range operators {
		if op.Doc == "" || op.Arity == 0 || op.kind == 0 {
			t.Errorf("operator %q is incomplete: %+v", op.Name, op)
		}
		if _, ok := verbs[op.kind]; !ok && op.kind != opIsNull && op.kind != opIsNotNull {
			t.Errorf("operator %q has no explanation verbs", op.Name)
		}
	}
}

func TestSuggestOperator(t *testing.T) {
	tests := map[string]string{
		"EQULAS":         "EQUALS",
		"NOT_EQUAL":      "NOT EQUALS",
		"IS NUL":         "IS NULL",
		"REGEXMATCH":     "REGEX MATCH",
		"Greater_Then":   "Greater_Than",
		"STARTS_WITH":    "",
		"something else": "",
	}
	for in, want := range tests {
		if got := suggestOperator(in); got != want {
			t.Errorf("suggestOperator(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"kitten", "sitting", 3}, {"ÉQUALS", "EQUALS", 1},
	}
	for _, tt := range tests {
		got := diag.Distance(tt.a, tt.b)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("levenshtein(%q, %q) (-want +got):\n%s", tt.a, tt.b, diff)
		}
	}
}

// lookupOperator finds an operator by any of its spellings ("NOT EQUALS",
// "NOT_EQUALS", "not equals", "Greater_Than_OR_EQUALS", ...).
func lookupOperator(name string) (opInfo, bool) {
	op, ok := byName[normalizeOperator(name)]
	if !ok {
		return opInfo{}, false
	}
	return *op, true
}
