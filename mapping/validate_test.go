package mapping

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validateDoc wraps an object mapping's members in a schema with a source
// directory (User: mail, givenName, userPrincipalName) and a target one
// (User: email, name, userName).
func validateDoc(objectMapping string) string {
	return fmt.Sprintf(`{
  "directories": [
    {"name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [{"name": "mail"}, {"name": "givenName"}, {"name": "userPrincipalName"}]}]},
    {"name": "app", "objects": [{"name": "User", "attributes": [{"name": "email"}, {"name": "name"}, {"name": "userName"}]}]}
  ],
  "synchronizationRules": [{"name": "r", "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "app",
    "objectMappings": [{"name": "users", "sourceObjectName": "User", "targetObjectName": "User", %s}]}]
}`, objectMapping)
}

const okMatch = `{"source": {"expression": "[userPrincipalName]"}, "targetAttributeName": "userName", "matchingPriority": 1}`

func TestValidate(t *testing.T) {
	const p = "synchronizationRules[0].objectMappings[0]."
	tests := []struct {
		name, mapping string
		want          []string
	}{
		{"valid", `"attributeMappings": [` + okMatch + `]`, nil},
		{
			"expression does not compile",
			`"attributeMappings": [` + okMatch + `, {"source": {"expression": "Jion(\",\", [mail])"}, "targetAttributeName": "email"}]`,
			[]string{p + `attributeMappings[1].source: expression "Jion(\",\", [mail])" does not compile: unknown function "Jion" (1:1); did you mean "Join"?`},
		},
		{
			"source attribute not defined",
			`"attributeMappings": [` + okMatch + `, {"source": {"name": "givenNme", "type": "Attribute"}, "targetAttributeName": "name"}]`,
			[]string{p + `attributeMappings[1].source: source attribute "givenNme" is not defined on User (did you mean "givenName"?)`},
		},
		{
			"target attribute not defined",
			`"attributeMappings": [` + okMatch + `, {"source": {"name": "mail"}, "targetAttributeName": "emails"}]`,
			[]string{p + `attributeMappings[1].targetAttributeName: target attribute "emails" is not defined on User (did you mean "email"?)`},
		},
		{
			"two mappings for one target",
			`"attributeMappings": [` + okMatch + `, {"source": {"name": "mail"}, "targetAttributeName": "email"}, {"source": {"name": "userPrincipalName"}, "targetAttributeName": "Email"}]`,
			[]string{p + `attributeMappings[2].targetAttributeName: more than one mapping for target attribute "Email" (also attributeMappings[1])`},
		},
		{
			"no matching attribute",
			`"attributeMappings": [{"source": {"name": "mail"}, "targetAttributeName": "email"}]`,
			[]string{p + `attributeMappings: no matching attribute (set matchingPriority 1 on the mapping that identifies objects in both directories)`},
		},
		{
			"duplicate matching priority",
			`"attributeMappings": [` + okMatch + `, {"source": {"name": "mail"}, "targetAttributeName": "email", "matchingPriority": 1}]`,
			[]string{p + `attributeMappings[1].matchingPriority: matching priority 1 is also used by attributeMappings[0]`},
		},
		{
			"scoping filter does not compile",
			`"attributeMappings": [` + okMatch + `], "scope": {"groups": [{"name": "g", "clauses": [{"sourceOperandName": "mail", "operatorName": "EQULAS", "targetOperand": {"values": ["x"]}}]}]}`,
			[]string{p + `scope.groups[0].clauses[0]: scoping filter does not compile: group "g": clause 1 (mail EQULAS "x"): unknown operator "EQULAS" (did you mean "EQUALS"?)`},
		},
		{
			"expression and tree disagree",
			`"attributeMappings": [` + okMatch + `, {"source": {"expression": "[mail]", "name": "givenName", "type": "Attribute"}, "targetAttributeName": "email"}]`,
			[]string{p + `attributeMappings[1].source.expression: expression "[mail]" and its tree "[givenName]" disagree; the service uses the tree`},
		},
		{
			"unreadable tree",
			`"attributeMappings": [` + okMatch + `, {"source": {"name": "Mid", "type": "Function", "parameters": [{"key": "begin", "value": {"name": "mail"}}]}, "targetAttributeName": "email"}]`,
			[]string{p + `attributeMappings[1].source.parameters[0].key: unknown parameter "begin" for Mid (expected one of source, start, length)`},
		},
		{
			"flow types and behaviours",
			`"flowTypes": "Add, Upsert", "attributeMappings": [` + okMatch + `, {"source": {"name": "mail"}, "targetAttributeName": "email", "flowType": "Sometimes", "flowBehavior": "Never"}]`,
			[]string{
				p + `attributeMappings[1].flowBehavior: unknown flow behavior "Never" (expected FlowWhenChanged or FlowAlways)`,
				p + `attributeMappings[1].flowType: unknown flow type "Sometimes" (expected Always, ObjectAddOnly, MultiValueAddOnly, ValueAddOnly or AttributeAddOnly)`,
				p + `flowTypes: unknown flow type "Upsert" (expected Add, Update and Delete, comma-separated)`,
			},
		},
		{
			"mapping without source or default",
			`"attributeMappings": [` + okMatch + `, {"source": null, "targetAttributeName": "email"}, {"targetAttributeName": ""}]`,
			[]string{
				p + `attributeMappings[1].source: mapping has neither a source nor a default value`,
				p + `attributeMappings[2].source: mapping has neither a source nor a default value`,
				p + `attributeMappings[2].targetAttributeName: mapping without a target attribute`,
			},
		},
		{
			"SelectUniqueValue",
			`"attributeMappings": [{"source": {"expression": "SelectUniqueValue([mail], [userPrincipalName])"}, "targetAttributeName": "userName", "matchingPriority": 1}, {"source": {"expression": "SelectUniqueValue([mail], [userPrincipalName])"}, "targetAttributeName": "email"}]`,
			[]string{
				p + `attributeMappings[0].source: matching attribute "userName" uses SelectUniqueValue, whose value differs from run to run`,
				p + `attributeMappings[1].flowType: SelectUniqueValue should only flow on create (set flowType ObjectAddOnly), or the value may change on every update`,
			},
		},
		{
			"sorted in document order",
			`"attributeMappings": [` + okMatch + `, {"source": {"name": "x"}, "targetAttributeName": "email"}, {"source": {"name": "x"}, "targetAttributeName": "name"}, {"source": {"name": "x"}, "targetAttributeName": "a3"}, {"source": {"name": "x"}, "targetAttributeName": "a4"}, {"source": {"name": "x"}, "targetAttributeName": "a5"}, {"source": {"name": "x"}, "targetAttributeName": "a6"}, {"source": {"name": "x"}, "targetAttributeName": "a7"}, {"source": {"name": "x"}, "targetAttributeName": "a8"}, {"source": {"name": "x"}, "targetAttributeName": "a9"}, {"source": {"name": "mail"}, "targetAttributeName": "a10"}]`,
			nil, // checked below
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Decode([]byte(validateDoc(tt.mapping)))
			if err != nil {
				t.Fatal(err)
			}
			got := errorStrings(s.Validate())
			if tt.name == "sorted in document order" {
				last := got[len(got)-1]
				if !strings.Contains(last, "attributeMappings[10].targetAttributeName") {
					t.Errorf("last problem %q, want the one of attributeMappings[10]", last)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateDirectories(t *testing.T) {
	doc := `{"directories": [{"name": "d", "objects": [{"name": "User", "attributes": [{"name": "a", "type": "Text"}, {"name": "A"}]}, {"name": "user"}]}],
	"synchronizationRules": [{"sourceDirectoryName": "d", "targetDirectoryName": "nowhere", "objectMappings": [{"sourceObjectName": "Group", "attributeMappings": []}]}]}`
	s, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`directories[0].objects[0].attributes[0].type: unknown attribute type "Text" (expected String, Integer, Reference, Binary, Boolean or DateTime)`,
		`directories[0].objects[0].attributes[1].name: attribute "A" is defined twice (also attributes[0])`,
		`directories[0].objects[1].name: object "user" is defined twice (also objects[0])`,
		`synchronizationRules[0].objectMappings[0].sourceObjectName: object "Group" is not defined in directory "d"`,
		`synchronizationRules[0].targetDirectoryName: directory "nowhere" is not defined in directories`,
	}
	if diff := cmp.Diff(want, errorStrings(s.Validate())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestComparePaths(t *testing.T) {
	paths := []string{"a[10].b", "a[2].c", "a[2].b", "a", "b[0]", "a[1]"}
	want := []string{"a", "a[1]", "a[2].b", "a[2].c", "a[10].b", "b[0]"}
	got := append([]string(nil), paths...)
	for i := range got {
		for j := i + 1; j < len(got); j++ {
			if comparePaths(got[j], got[i]) < 0 {
				got[i], got[j] = got[j], got[i]
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
