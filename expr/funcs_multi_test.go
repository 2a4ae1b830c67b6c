package expr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		v    Value
		want int
	}{
		{"null", Null, 0},
		{"empty string", String(""), 0},
		{"string", String("a"), 1},
		{"number", Int(3), 1},
		{"multi", Multi{"a", "", "b"}, 3},
		{"empty multi", Multi{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, count(tc.v)); diff != "" {
				t.Errorf("count(%s) (-want +got):\n%s", Display(tc.v), diff)
			}
		})
	}
}

func TestRemoveDuplicates(t *testing.T) {
	tests := []struct {
		name string
		in   Multi
		want Multi
	}{
		{"none", Multi{"a", "b"}, Multi{"a", "b"}},
		{"keeps first order", Multi{"b", "a", "b", "c", "a"}, Multi{"b", "a", "c"}},
		{"case-sensitive", Multi{"SMTP:a@x", "smtp:a@x"}, Multi{"SMTP:a@x", "smtp:a@x"}},
		{"empty values", Multi{"", "a", ""}, Multi{"", "a"}},
		{"empty", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append(Multi(nil), tc.in...)
			if diff := cmp.Diff(tc.want, removeDuplicates(in)); diff != "" {
				t.Errorf("removeDuplicates(%q) (-want +got):\n%s", tc.in, diff)
			}
			if diff := cmp.Diff(tc.in, in); diff != "" {
				t.Errorf("input modified (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContainsIndex(t *testing.T) {
	vals := []string{"x500:/o=contoso", "smtp:b@contoso.com", "SMTP:a@contoso.com"}
	tests := []struct {
		name   string
		search string
		fold   bool
		want   int
	}{
		{"case-sensitive", "SMTP:", false, 3},
		{"case-insensitive", "SMTP:", true, 2},
		{"substring", "contoso", false, 1},
		{"absent", "sip:", false, 0},
		{"empty search", "", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, containsIndex(vals, tc.search, tc.fold)); diff != "" {
				t.Errorf("containsIndex(%q, %v) (-want +got):\n%s", tc.search, tc.fold, diff)
			}
		})
	}
}

func TestMultiFuncs(t *testing.T) {
	proxies := map[string]any{"proxyAddresses": []any{"smtp:b@contoso.com", "SMTP:a@contoso.com", "smtp:b@contoso.com"}}
	runFamilyCases(t, []familyCase{
		{name: "Count", expr: `Count([proxyAddresses])`, input: proxies, want: "3"},
		{name: "Count null", expr: `Count([x])`, want: "0"},
		{name: "Count compares as number", expr: `IIF(Count([proxyAddresses]) > 2, "many", "few")`, input: proxies, want: "many"},
		{name: "Item first", expr: `Item([proxyAddresses], 1)`, input: proxies, want: "smtp:b@contoso.com"},
		{name: "Item string index", expr: `Item([proxyAddresses], "2")`, input: proxies, want: "SMTP:a@contoso.com"},
		{name: "Item single value", expr: `Item([mail], 1)`, input: map[string]any{"mail": "a@contoso.com"}, want: "a@contoso.com"},
		{name: "Item null", expr: `Item([x], 5)`, want: nil},
		{name: "Item zero", expr: `Item([proxyAddresses], 0)`, input: proxies, err: "invalid argument 2 (index) to Item: index out of range (expected 1 to 3, got 0)"},
		{name: "Item past end", expr: `Item([proxyAddresses], 4)`, input: proxies, err: "index out of range (expected 1 to 3, got 4)"},
		{name: "Item with Contains", expr: `Mid(Item([proxyAddresses], Contains([proxyAddresses], "SMTP:")), 6, 999)`, input: proxies, want: "a@contoso.com"},
		{name: "Contains case-insensitive", expr: `Contains([proxyAddresses], "SMTP:", "CaseInsensitive")`, input: proxies, want: "1"},
		{name: "Contains vbTextCompare", expr: `Contains([proxyAddresses], "SMTP:", vbTextCompare)`, input: proxies, want: "1"},
		{name: "Contains null", expr: `Contains([x], "a")`, want: "0"},
		{name: "Contains bad case type", expr: `Contains([proxyAddresses], "a", "Sometimes")`, input: proxies, err: `expected "CaseSensitive" or "CaseInsensitive" (got "Sometimes")`},
		{name: "RemoveDuplicates", expr: `RemoveDuplicates([proxyAddresses])`, input: proxies, want: []string{"smtp:b@contoso.com", "SMTP:a@contoso.com"}},
		{name: "RemoveDuplicates single", expr: `RemoveDuplicates([mail])`, input: map[string]any{"mail": "a"}, want: "a"},
		{name: "RemoveDuplicates null", expr: `RemoveDuplicates([x])`, want: nil},
		{name: "RemoveDuplicates of Split", expr: `RemoveDuplicates(Split("a,b,a", ","))`, want: []string{"a", "b"}},
	})
}
