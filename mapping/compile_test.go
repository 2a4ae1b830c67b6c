package mapping

import (
	"slices"
	"strings"
	"testing"
)

func TestCompileRule(t *testing.T) {
	doc := `{"synchronizationRules": [{"name": "r", "objectMappings": [
	  {"name": "Users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [{"targetAttributeName": "userName", "source": {"expression": "[upn]"}}]},
	  {"name": "Contacts", "enabled": false, "sourceObjectName": "Contact", "targetObjectName": "Contact", "attributeMappings": []},
	  {"name": "Groups", "enabled": true, "sourceObjectName": "Group", "targetObjectName": "Group", "attributeMappings": [{"targetAttributeName": "displayName", "source": {"expression": "[displayName]"}}]}]}]}`
	s, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	names := func(rules []*CompiledObjectMapping) []string {
		var out []string
		for _, r := range rules {
			out = append(out, r.Mapping().Name)
		}
		return out
	}
	for _, tt := range []struct {
		rule string
		want []string
	}{
		{"", []string{"Users", "Groups"}}, // enabled ones, in order
		{"r", []string{"Users", "Groups"}},
		{"Groups", []string{"Groups"}}, // an object mapping by name
	} {
		rules, err := s.CompileRule(tt.rule)
		if err != nil {
			t.Fatalf("%q: %v", tt.rule, err)
		}
		if got := names(rules); !slices.Equal(got, tt.want) {
			t.Errorf("CompileRule(%q) = %v, want %v", tt.rule, got, tt.want)
		}
	}
	if _, err := s.CompileRule("nope"); err == nil || !strings.Contains(err.Error(), `no synchronization rule or object mapping named "nope"`) {
		t.Errorf("unknown rule: %v", err)
	}
}
