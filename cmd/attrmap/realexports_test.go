package main

import (
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
)

const exportsData = "../../testdata/objfile/"

// johns gives three John Smiths their mail, as the guide's
// SelectUniqueValue example does.
const johns = `SelectUniqueValue(Join("@", ToLower(Join(".", [givenName], [surname])), "contoso.com"), Join("@", ToLower(Join(".", Left([givenName], 1), [surname])), "contoso.com"), Join("@", ToLower(Join(".", [givenName], [surname], "2")), "contoso.com"))`

// TestRealExports runs the commands on the exports directories, SCIM apps
// and PowerShell really produce (testdata/objfile), one case per problem
// issue 17 listed: each used to be silently wrong or refused.
func TestRealExports(t *testing.T) {
	g := golden.Open(t, "../../testdata/cli/exports.golden")
	scim := schemasDir + "scim-app.json"
	tests := []struct {
		name  string
		cmd   string
		args  []string
		stdin string
	}{
		// A Graph GET /users/{id} body: nested objects, read by the names
		// mappings use.
		{"graph user", "eval", []string{"-i", exportsData + "graph-user.json", `Join("|", [objectId], [extensionAttribute1], [employeeOrgData.costCenter], [telephoneNumber], [physicalDeliveryOfficeName])`}, ""},
		{"graph user mapped", "map", []string{"--schema", scim, "--object", "User", "-i", exportsData + "graph-user.json"}, ""},
		// The schema's source directory names Graph properties where it
		// lists them (costCenter, not employeeOrgData.costCenter), for
		// eval -i --schema, map and plan alike; without --schema eval uses
		// the built-in table and warns that [costCenter] is absent.
		{"graph user with the schema's names", "eval", []string{"-i", exportsData + "graph-user.json", "--schema", exportsData + "graph-schema.json", `Join("|", [objectId], [costCenter], [extensionAttribute1], [telephoneNumber])`}, ""},
		{"graph user with the built-in names", "eval", []string{"-i", exportsData + "graph-user.json", `Join("|", [objectId], [costCenter], [extensionAttribute1], [telephoneNumber])`}, ""},
		{"graph user mapped with the schema's names", "map", []string{"--schema", exportsData + "graph-schema.json", "-i", exportsData + "graph-user.json", "--table"}, ""},
		{"graph user planned with the schema's names", "plan", []string{"--schema", exportsData + "graph-schema.json", "--source", exportsData + "graph-user.json", "--target", "-"}, "[]"},
		{"eval --schema needs -i", "eval", []string{"--schema", exportsData + "graph-schema.json", "[costCenter]"}, ""},
		// A Graph page used to be one object "#1" out of scope.
		{"graph pages scoped", "scope", []string{"--filter", "../../testdata/scoping/filters/sales.json", "-i", exportsData + "graph-pages"}, ""},
		{"graph page missing its next pages", "eval", []string{"-i", exportsData + "graph-pages/page-1.json", "[manager]"}, ""},
		// Windows PowerShell 5.1's Export-Csv: UTF-16 with a #TYPE line.
		{"powershell csv", "eval", []string{"-i", exportsData + "powershell-utf16.csv", `Join(" / ", [UserPrincipalName], [proxyAddresses])`}, ""},
		// Its Id column is the snapshot id plan needs (any case, or the
		// column --source-id names).
		{"powershell csv planned", "plan", []string{"--schema", exportsData + "graph-schema.json", "--source", exportsData + "powershell-utf16.csv", "--target", "-"}, "[]"},
		{"powershell csv planned by upn", "plan", []string{"--schema", exportsData + "graph-schema.json", "--source", exportsData + "powershell-utf16.csv", "--source-id", "userPrincipalName", "--target", "-"}, "[]"},
		{"semicolon csv", "eval", []string{"-i", exportsData + "semicolon.csv", "[displayName]"}, ""},
		// A misspelled attribute used to be null without a word.
		{"misspelled attribute", "eval", []string{"-i", "-", "[givenNmae]"}, `{"givenName": "John"}`},
		{"misspelled attribute in rows", "eval", []string{"-i", exportsData + "semicolon.csv", "[displayNme]"}, ""},
		// An expression text that does not compile beside a tree that does,
		// and a text that says something else than its tree: both used to
		// pass as "ok".
		{"schema validate text and tree", "schema", []string{"validate", "../../testdata/cli/exports-schema.json"}, ""},
		{"lint text and tree", "lint", []string{"../../testdata/cli/exports-schema.json"}, ""},
		// map and plan use the tree, as the service does, and say so.
		{"map text and tree", "map", []string{"--schema", "../../testdata/cli/exports-schema.json", "--object", "User"}, `{"userPrincipalName": "a@contoso.com", "jobTitle": "Buyer", "department": "Retail"}`},
		// eval -i gives SelectUniqueValue's candidates across rows, in
		// plan's order (by key), unless --independent.
		{"unique across rows", "eval", []string{"-i", "../../testdata/cli/johns.csv", johns}, ""},
		{"unique per row", "eval", []string{"-i", "../../testdata/cli/johns.csv", "--independent", johns}, ""},
		// map supplies IsSoftDeleted false, so SCIM's active flows True.
		{"scim active flows", "map", []string{"--schema", scim, "--object", "User", "--table"}, `{"objectId": "u1", "userPrincipalName": "a@contoso.com", "mail": "a@contoso.com", "givenName": "A", "surname": "B", "mailNickname": "a", "displayName": "A B", "jobTitle": "x", "preferredLanguage": "en-US", "physicalDeliveryOfficeName": "1", "streetAddress": "s", "city": "c", "state": "st", "postalCode": "p", "country": "US", "telephoneNumber": "t", "mobile": "m", "facsimileTelephoneNumber": "f", "employeeId": "e", "department": "d", "manager": "m1", "appRoleAssignments": ["User"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.Check(t, tt.name, transcript(append([]string{tt.cmd}, tt.args...), tt.stdin))
		})
	}
}
