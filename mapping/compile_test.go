package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// TestFindChoose checks that an ambiguous rule or object mapping is
// reported with an error callers can recognise, to say how to name one.
func TestFindChoose(t *testing.T) {
	twoRules := &Schema{SynchronizationRules: []SynchronizationRule{{Name: "a"}, {Name: "b"}}}
	twoObjects := &Schema{SynchronizationRules: []SynchronizationRule{{Name: "a", ObjectMappings: []ObjectMapping{{Name: "users", Enabled: true}, {Name: "groups", Enabled: true}}}}}
	tests := []struct {
		name   string
		s      *Schema
		rule   string
		object string
		want   error
		msg    string
	}{
		{"two rules", twoRules, "", "", ErrChooseRule, `the schema has 2 synchronization rules; choose one ("a", "b")`},
		{"two object mappings", twoObjects, "", "", ErrChooseObject, `rule "a" has 2 object mappings; choose one ("users", "groups")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tt.s.Find(tt.rule, tt.object)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Find: %v, want an error matching %v", err, tt.want)
			}
			if err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err.Error(), tt.msg)
			}
		})
	}
	if _, _, err := twoObjects.Find("", "users"); err != nil {
		t.Errorf("Find with the object named: %v", err)
	}
}

// TestSourceAttributeNames: the source attributes that name Graph
// properties come from the rule's source directory (the mapping's source
// object), else a directory named "Azure Active Directory".
func TestSourceAttributeNames(t *testing.T) {
	const doc = `{"directories": [
		{"name": "Azure Active Directory", "objects": [
			{"name": "User", "attributes": [{"name": "objectId"}, {"name": "costCenter"}]},
			{"name": "Group", "attributes": [{"name": "objectId"}, {"name": "members"}]}]},
		{"name": "App", "objects": [{"name": "User", "attributes": [{"name": "userName"}]}]}],
	  "synchronizationRules": [{"name": "r", "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "App",
		"objectMappings": [{"name": "users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User",
		  "attributeMappings": [{"targetAttributeName": "userName", "source": {"expression": "[costCenter]"}}]}]}]}`
	s, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"objectId", "costCenter", "members"}, s.SourceAttributeNames()); diff != "" {
		t.Errorf("Schema.SourceAttributeNames (-want +got):\n%s", diff)
	}
	cm, err := s.Compile("", "users")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"objectId", "costCenter"}, cm.SourceAttributeNames()); diff != "" {
		t.Errorf("CompiledObjectMapping.SourceAttributeNames (-want +got):\n%s", diff)
	}
	noRules, err := Decode([]byte(`{"directories": [{"name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [{"name": "mobile"}]}]}], "synchronizationRules": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"mobile"}, noRules.SourceAttributeNames()); diff != "" {
		t.Errorf("without rules (-want +got):\n%s", diff)
	}
	if got := (&Schema{}).SourceAttributeNames(); got != nil {
		t.Errorf("empty schema: %v", got)
	}
}
