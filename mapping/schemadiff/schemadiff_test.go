package schemadiff

import (
	"os"
	"testing"

	"github.com/attrmap/attrmap/mapping"
	"github.com/google/go-cmp/cmp"
)

func loadFile(t *testing.T, path string) *mapping.Schema {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mapping.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDiff(t *testing.T) {
	old := loadFile(t, "../../testdata/cli/schema/diff-old.json")
	new := loadFile(t, "../../testdata/cli/schema/diff-new.json")
	want := []string{
		`changed rule "USER_OUTBOUND_USER" object "Provision Users" flowTypes: Add, Update, Delete -> Add, Update`,
		`added rule "USER_OUTBOUND_USER" object "Provision Users" group "Sales" scope clause: accountEnabled IS TRUE`,
		`added rule "USER_OUTBOUND_USER" object "Provision Users" group "Support" scope group: department EQUALS "Support"`,
		`changed rule "USER_OUTBOUND_USER" object "Provision Users" attribute "userName" matchingPriority: 1 -> 2`,
		`added rule "USER_OUTBOUND_USER" object "Provision Users" attribute "externalId" attribute mapping: [objectId]`,
		`changed rule "USER_OUTBOUND_USER" object "Provision Users" attribute "emails[type eq \"work\"].value" expression: Join("@", [mailNickname], "contoso.com") -> Join("@", [mailNickname], "fabrikam.com")`,
		`changed rule "USER_OUTBOUND_USER" object "Provision Users" attribute "title" flowType: Always -> ObjectAddOnly`,
		`removed rule "USER_OUTBOUND_USER" object "Provision Users" attribute "phoneNumbers[type eq \"fax\"].value" attribute mapping: [facsimileTelephoneNumber]`,
		`changed rule "USER_OUTBOUND_USER" object "Provision Groups" enabled: true -> false`,
	}
	var got []string
	for _, c := range Diff(old, new) {
		got = append(got, c.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	// The reverse diff has as many changes, added and removed swapped.
	if n := len(Diff(new, old)); n != len(want) {
		t.Errorf("reverse diff: %d changes, want %d", n, len(want))
	}
}

// TestDiffSame checks that a schema equals itself, and that spacing, the
// case of function names and the order of elements are no change.
func TestDiffSame(t *testing.T) {
	for _, f := range []string{"scim-app.json", "workday-to-ad.json", "graph-salesforce.json"} {
		s := loadFile(t, "../../testdata/schemas/"+f)
		if d := Diff(s, s); len(d) != 0 {
			t.Errorf("%s: Diff with itself: %v", f, d)
		}
	}
	a := loadFile(t, "../../testdata/cli/schema/diff-old.json")
	b := loadFile(t, "../../testdata/cli/schema/diff-old.json")
	om := &b.SynchronizationRules[0].ObjectMappings[0]
	om.AttributeMappings[0], om.AttributeMappings[1] = om.AttributeMappings[1], om.AttributeMappings[0]
	om.FlowTypes = "delete,add ,Update"
	om.AttributeMappings[2].Source.Expression = `JOIN(" ", [givenName],
		[surname])`
	if d := Diff(a, b); len(d) != 0 {
		t.Errorf("reordered and respaced: %v", d)
	}
}
