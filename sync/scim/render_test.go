package scim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/golden"
	"github.com/attrmap/attrmap/internal/scenario"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// scimSchema defines a SCIM app with users and groups: the attribute
// types the rendering reads (Boolean, Integer, Reference, multi-valued).
const scimSchema = `{
  "directories": [
    {"id": "AAD", "name": "Azure Active Directory", "objects": [
      {"name": "User", "attributes": [{"name": "objectId", "type": "String"}]},
      {"name": "Group", "attributes": [{"name": "objectId", "type": "String"}]}
    ]},
    {"id": "customappsso", "name": "SCIM app", "objects": [
      {"name": "User", "attributes": [
        {"name": "userName", "type": "String"},
        {"name": "active", "type": "Boolean"},
        {"name": "displayName", "type": "String"},
        {"name": "title", "type": "String"},
        {"name": "name.givenName", "type": "String"},
        {"name": "name.familyName", "type": "String"},
        {"name": "emails[type eq \"work\"].value", "type": "String"},
        {"name": "phoneNumbers[type eq \"mobile\"].value", "type": "String"},
        {"name": "addresses[type eq \"work\"].formatted", "type": "String"},
        {"name": "roles[primary eq \"True\"].value", "type": "String"},
        {"name": "proxyAddresses", "type": "String", "multivalued": true},
        {"name": "password", "type": "String"},
        {"name": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "type": "String"},
        {"name": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "type": "Reference",
         "referencedObjects": [{"referencedObjectName": "User"}]},
        {"name": "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:level", "type": "Integer"}
      ]},
      {"name": "Group", "attributes": [
        {"name": "displayName", "type": "String"},
        {"name": "members", "type": "Reference", "multivalued": true,
         "referencedObjects": [{"referencedObjectName": "User"}, {"referencedObjectName": "Group"}]}
      ]}
    ]}
  ],
  "synchronizationRules": [{
    "id": "AzureToSCIM", "name": "SCIM", "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "SCIM app",
    "objectMappings": [
      {"name": "Users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [
        {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[objectId]"}}
      ]},
      {"name": "Groups", "enabled": true, "sourceObjectName": "Group", "targetObjectName": "Group", "attributeMappings": [
        {"targetAttributeName": "displayName", "matchingPriority": 1, "source": {"expression": "[objectId]"}}
      ]}
    ]
  }]
}`

func scimRules(t testing.TB) []*mapping.CompiledObjectMapping {
	t.Helper()
	schema, err := mapping.Decode([]byte(scimSchema))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := schema.CompileRule("")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 {
		t.Fatalf("got %d rules, want 2", len(rules))
	}
	return rules
}

// Short constructors for hand-built plans.

const (
	scimEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
	scimCustom     = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:"
)

func scimSet(name string, v expr.Value) provision.AttrChange {
	return provision.AttrChange{Name: name, Old: expr.Null, New: v}
}

func scimChange(name string, old, new expr.Value) provision.AttrChange {
	return provision.AttrChange{Name: name, Old: old, New: new}
}

func scimStr(s string) expr.Value { return expr.String(s) }

// scimNormJSON re-indents JSON text, so that a hand-written want compares
// with WriteJSON's output line by line, member order included.
func scimNormJSON(t *testing.T, s string) string {
	t.Helper()
	var c, out bytes.Buffer
	if err := json.Compact(&c, []byte(s)); err != nil {
		t.Fatalf("want is not JSON: %v\n%s", err, s)
	}
	if err := json.Indent(&out, c.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	return out.String() + "\n"
}

// renderSCIM renders the plan's Requests, written as a bulk request.
func renderSCIM(t *testing.T, p *provision.Plan, rules []*mapping.CompiledObjectMapping) string {
	t.Helper()
	reqs, err := Requests(p, rules...)
	if err != nil {
		t.Fatalf("SCIM: %v", err)
	}
	var out bytes.Buffer
	if err := (&BulkRequest{Operations: reqs}).WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSCIM(t *testing.T) {
	rules := scimRules(t)
	tests := []struct {
		name  string
		ops   []provision.Op
		rules []*mapping.CompiledObjectMapping // nil: the rules above
		noDef bool                             // render without rules
		want  string                           // the Operations array
	}{{
		name: "create user: nested, filtered, extension, boolean, integer, reference, multi-valued",
		ops: []provision.Op{{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
			scimSet("active", scimStr("True")),
			scimSet("addresses[type eq \"work\"].formatted", scimStr("1 Main St")),
			scimSet("displayName", scimStr("Alice <Wong> & co")),
			scimSet("emails[type eq \"work\"].value", scimStr("alice@contoso.com")),
			scimSet("name.familyName", scimStr("Wong")),
			scimSet("name.givenName", scimStr("Alice")),
			scimSet("phoneNumbers[type eq \"mobile\"].value", scimStr("+1 555")),
			scimSet("proxyAddresses", expr.Multi{"SMTP:alice@contoso.com", "smtp:a@contoso.com"}),
			scimSet("roles[primary eq \"True\"].value", scimStr("Admin")),
			scimSet("title", expr.Null),
			scimSet(scimCustom+"level", scimStr("3")),
			scimSet(scimEnterprise+"department", scimStr("Sales")),
			{Name: scimEnterprise + "manager", Old: expr.Null, New: scimStr("t-9"), Ref: "User"},
			scimSet("userName", scimStr("alice@contoso.com")),
		}}},
		want: `[{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {
			"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
			            "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User",
			            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
			"active": true,
			"addresses": [{"formatted": "1 Main St", "type": "work"}],
			"displayName": "Alice <Wong> & co",
			"emails": [{"type": "work", "value": "alice@contoso.com"}],
			"name": {"familyName": "Wong", "givenName": "Alice"},
			"phoneNumbers": [{"type": "mobile", "value": "+1 555"}],
			"proxyAddresses": ["SMTP:alice@contoso.com", "smtp:a@contoso.com"],
			"roles": [{"primary": true, "value": "Admin"}],
			"userName": "alice@contoso.com",
			"urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": {"level": 3},
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales", "manager": {"value": "t-9"}}
		}}]`,
	}, {
		name: "create group with members, one created in the plan",
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{scimSet("userName", scimStr("a"))}},
			{Kind: provision.Create, Object: "Group", Key: "g1", Target: "g1", Changes: []provision.AttrChange{
				scimSet("displayName", scimStr("Sales")),
				{Name: "members", Old: expr.Null, New: expr.Multi{"t-1", "u1"}, Ref: "User"},
			}},
		},
		want: `[
			{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a"}},
			{"method": "POST", "bulkId": "g1", "path": "/Groups", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
				"displayName": "Sales", "members": [{"value": "t-1"}, {"value": "bulkId:u1"}]}}
		]`,
	}, {
		name: "update: add, replace, remove, filtered add, boolean, reference",
		ops: []provision.Op{{Kind: provision.Update, Object: "User", Key: "u2", Target: "t-2", Changes: []provision.AttrChange{
			scimChange("active", scimStr("False"), scimStr("True")),
			scimChange("displayName", scimStr("Bob"), scimStr("Bob Kumar")),
			scimChange("emails[type eq \"work\"].value", expr.Null, scimStr("bob@contoso.com")),
			scimChange("name.givenName", scimStr("Rob"), scimStr("Bob")),
			scimChange("phoneNumbers[type eq \"mobile\"].value", scimStr("+1 555"), expr.Null),
			scimChange("proxyAddresses", expr.Multi{"SMTP:b@contoso.com"}, expr.Multi{"SMTP:b@contoso.com", "smtp:bob@contoso.com"}),
			scimChange("title", expr.Null, scimStr("Engineer")),
			scimChange(scimCustom+"level", scimStr("2"), scimStr("3")),
			scimChange(scimEnterprise+"department", scimStr("Sales"), expr.Null),
			{Name: scimEnterprise + "manager", Old: scimStr("t-3"), New: scimStr("t-4"), Ref: "User"},
		}}},
		want: `[{"method": "PATCH", "path": "/Users/t-2", "data": {
			"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
			"Operations": [
				{"op": "replace", "path": "active", "value": true},
				{"op": "replace", "path": "displayName", "value": "Bob Kumar"},
				{"op": "add", "path": "emails[type eq \"work\"].value", "value": "bob@contoso.com"},
				{"op": "replace", "path": "name.givenName", "value": "Bob"},
				{"op": "remove", "path": "phoneNumbers[type eq \"mobile\"].value"},
				{"op": "replace", "path": "proxyAddresses", "value": ["SMTP:b@contoso.com", "smtp:bob@contoso.com"]},
				{"op": "add", "path": "title", "value": "Engineer"},
				{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:level", "value": 3},
				{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"},
				{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": {"value": "t-4"}}
			]}}]`,
	}, {
		name: "set changes: members added and removed, proxyAddresses",
		ops: []provision.Op{
			{Kind: provision.Update, Object: "Group", Key: "g1", Target: "tg-1", Changes: []provision.AttrChange{
				{Name: "members", Add: []string{"t-1", "t-3"}, Remove: []string{"t-2", `t"4`}, Ref: "User"},
			}},
			{Kind: provision.Update, Object: "User", Key: "u1", Target: "t-1", Changes: []provision.AttrChange{
				{Name: "proxyAddresses", Remove: []string{"smtp:old@contoso.com"}},
			}},
		},
		want: `[
			{"method": "PATCH", "path": "/Groups/tg-1", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "add", "path": "members", "value": [{"value": "t-1"}, {"value": "t-3"}]},
				{"op": "remove", "path": "members", "value": [{"value": "t-2"}, {"value": "t\"4"}]}
			]}},
			{"method": "PATCH", "path": "/Users/t-1", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "remove", "path": "proxyAddresses", "value": ["smtp:old@contoso.com"]}
			]}}
		]`,
	}, {
		name: "follow-ups are folded into the POST, creates ordered by reference",
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{scimSet("userName", scimStr("a"))}},
			{Kind: provision.Create, Object: "User", Key: "u2", Target: "u2", Changes: []provision.AttrChange{scimSet("userName", scimStr("b"))}},
			{Kind: provision.Create, Object: "Group", Key: "g1", Target: "g1", Changes: []provision.AttrChange{
				scimSet("displayName", scimStr("Sales")),
				{Name: "members", Old: expr.Null, New: expr.Multi{"t-7"}, Ref: "User,Group"},
			}},
			{Kind: provision.Update, Object: "User", Key: "u9", Target: "t-9", Changes: []provision.AttrChange{
				{Name: "members", Add: []string{"u2"}, Ref: "User"},
			}},
			// An existing group whose target id equals a created user's:
			// only the user is a bulkId.
			{Kind: provision.Update, Object: "Group", Key: "g2", Target: "u2", Changes: []provision.AttrChange{
				{Name: "members", Add: []string{"u2"}, Ref: "User"},
			}},
			// u1's manager is u2, created after it: u2's POST goes first.
			{Kind: provision.Update, Object: "User", Key: "u1", Target: "u1", FollowUp: true, Changes: []provision.AttrChange{
				{Name: scimEnterprise + "manager", Old: expr.Null, New: scimStr("u2"), Ref: "User"},
			}},
			{Kind: provision.Update, Object: "Group", Key: "g1", Target: "g1", FollowUp: true, Changes: []provision.AttrChange{
				{Name: "members", Add: []string{"u1", "g1"}, Ref: "User,Group"},
			}},
		},
		want: `[
			{"method": "POST", "bulkId": "u2", "path": "/Users", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "b"}},
			{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {
				"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
				"userName": "a",
				"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "bulkId:u2"}}}},
			{"method": "POST", "bulkId": "g1", "path": "/Groups", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
				"displayName": "Sales", "members": [{"value": "t-7"}, {"value": "bulkId:u1"}]}},
			{"method": "PATCH", "path": "/Groups/bulkId:g1", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "add", "path": "members", "value": [{"value": "bulkId:g1"}]}
			]}},
			{"method": "PATCH", "path": "/Users/t-9", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "add", "path": "members", "value": [{"value": "bulkId:u2"}]}
			]}},
			{"method": "PATCH", "path": "/Groups/u2", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "add", "path": "members", "value": [{"value": "bulkId:u2"}]}
			]}}
		]`,
	}, {
		name: "a manager cycle: the first user's POST leaves the manager to a PATCH after both exist",
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{scimSet("userName", scimStr("a"))}},
			{Kind: provision.Create, Object: "User", Key: "u2", Target: "u2", Changes: []provision.AttrChange{scimSet("userName", scimStr("b"))}},
			{Kind: provision.Update, Object: "User", Key: "u1", Target: "u1", FollowUp: true, Changes: []provision.AttrChange{
				{Name: scimEnterprise + "manager", Old: expr.Null, New: scimStr("u2"), Ref: "User"},
			}},
			{Kind: provision.Update, Object: "User", Key: "u2", Target: "u2", FollowUp: true, Changes: []provision.AttrChange{
				{Name: scimEnterprise + "manager", Old: expr.Null, New: scimStr("u1"), Ref: "User"},
			}},
		},
		want: `[
			{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a"}},
			{"method": "POST", "bulkId": "u2", "path": "/Users", "data": {
				"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
				"userName": "b",
				"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "bulkId:u1"}}}},
			{"method": "PATCH", "path": "/Users/bulkId:u1", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": {"value": "bulkId:u2"}}
			]}}
		]`,
	}, {
		name: "complex values: roles as objects, typed filter literals, sub-attributes of an existing value",
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
				scimSet("roles", expr.Multi{"Engineer", "Lead"}),
				scimSet("userName", scimStr("a")),
			}},
			{Kind: provision.Update, Object: "User", Key: "u2", Target: "t-2", Changes: []provision.AttrChange{
				scimChange(`addresses[type eq "work"].postalCode`, expr.Null, scimStr("98052")),
				scimChange(`roles[primary eq "True"].value`, scimStr("Admin"), scimStr("Owner")),
				{Name: "roles", Add: []string{"Lead"}, Remove: []string{"Engineer"}},
			}},
		},
		want: `[
			{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
				"roles": [{"value": "Engineer"}, {"value": "Lead"}], "userName": "a"}},
			{"method": "PATCH", "path": "/Users/t-2", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "add", "path": "addresses[type eq \"work\"].postalCode", "value": "98052"},
				{"op": "replace", "path": "roles[primary eq true].value", "value": "Owner"},
				{"op": "add", "path": "roles", "value": [{"value": "Lead"}]},
				{"op": "remove", "path": "roles", "value": [{"value": "Engineer"}]}
			]}}
		]`,
	}, {
		name: "disable and delete",
		ops: []provision.Op{
			{Kind: provision.Disable, Object: "User", Key: "u3", Target: "t-3", Changes: []provision.AttrChange{scimChange("active", expr.Bool(true), scimStr("False"))}},
			{Kind: provision.Delete, Object: "User", Key: "u4", Target: "t 4/x"},
			{Kind: provision.Delete, Object: "Group", Key: "g4", Target: "tg-4"},
			{Kind: provision.Delete, Object: "Device", Key: "d1", Target: "td-1"},
		},
		want: `[
			{"method": "PATCH", "path": "/Users/t-3", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "replace", "path": "active", "value": false}
			]}},
			{"method": "DELETE", "path": "/Users/t%204%2Fx"},
			{"method": "DELETE", "path": "/Groups/tg-4"},
			{"method": "DELETE", "path": "/Devices/td-1"}
		]`,
	}, {
		name: "redacted values are sent as they are",
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
				{Name: "password", Old: expr.Null, New: expr.Redacted{V: scimStr("s3cret!")}, Redacted: true},
				scimSet("userName", scimStr("a")),
			}},
			{Kind: provision.Update, Object: "User", Key: "u2", Target: "t-2", Changes: []provision.AttrChange{
				{Name: "password", Old: expr.Redacted{V: scimStr("old")}, New: expr.Redacted{V: scimStr("new")}, Redacted: true},
			}},
		},
		want: `[
			{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "password": "s3cret!", "userName": "a"}},
			{"method": "PATCH", "path": "/Users/t-2", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "replace", "path": "password", "value": "new"}
			]}}
		]`,
	}, {
		name:  "without rules a value keeps its kind",
		noDef: true,
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
				scimSet("active", scimStr("True")),
				scimSet("enabled", expr.Bool(true)),
				scimSet("hireDate", expr.DateTime(time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC))),
				scimSet("level", expr.Int(3)),
				{Name: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", Old: expr.Null, New: scimStr("t-1"), Ref: "User"},
			}},
			{Kind: provision.Disable, Object: "User", Key: "u3", Target: "t-3", Changes: []provision.AttrChange{scimChange("active", scimStr("True"), scimStr("False"))}},
		},
		want: `[
			{"method": "POST", "bulkId": "u1", "path": "/Users", "data": {
				"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
				"active": "True", "enabled": true, "hireDate": "2024-07-01T09:00:00Z", "level": 3,
				"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "t-1"}}}},
			{"method": "PATCH", "path": "/Users/t-3", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
				{"op": "replace", "path": "active", "value": "False"}
			]}}
		]`,
	}, {
		name: "empty plan",
		want: `[]`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules
			if tt.noDef {
				r = nil
			}
			p := &provision.Plan{Ops: tt.ops}
			got := renderSCIM(t, p, r)
			want := scimNormJSON(t, `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": `+tt.want+`}`)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SCIM (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSCIMRedactedFromJSON: a plan read back from JSON holds only the
// [Redact] placeholder, which must never be sent.
func TestSCIMRedactedFromJSON(t *testing.T) {
	p := &provision.Plan{Ops: []provision.Op{
		{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
			{Name: "password", Old: expr.Null, New: expr.Redacted{V: scimStr("s3cret!")}, Redacted: true},
			scimSet("userName", scimStr("a")),
		}},
		{Kind: provision.Update, Object: "User", Key: "u2", Target: "t-2", Changes: []provision.AttrChange{
			{Name: "nickName", Old: expr.Redacted{V: scimStr("old")}, New: expr.Redacted{V: scimStr("new")}, Redacted: true},
			scimChange("title", scimStr("a"), scimStr("b")),
		}},
		{Kind: provision.Update, Object: "Group", Key: "g1", Target: "tg-1", Changes: []provision.AttrChange{
			{Name: "members", Add: []string{"t-1"}, Ref: "User", Redacted: true},
		}},
	}}
	data, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back provision.Plan
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	b, err := Bulk(&back, scimRules(t)...)
	if err == nil {
		t.Fatalf("SCIM of a plan read from JSON succeeded:\n%s", scimJSON(t, b))
	}
	for _, want := range []string{"create User u1: password: the value is redacted", "update User u2: nickName: the value is redacted", "update Group g1: members: the value is redacted"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error reveals the value: %v", err)
	}
}

func scimJSON(t *testing.T, b *BulkRequest) string {
	t.Helper()
	var out bytes.Buffer
	if err := b.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSCIMErrors(t *testing.T) {
	tests := []struct {
		name string
		ops  []provision.Op
		want string
	}{{
		name: "two creates with one id",
		ops: []provision.Op{
			{Kind: provision.Create, Object: "User", Key: "x", Target: "x", Changes: []provision.AttrChange{scimSet("userName", scimStr("a"))}},
			{Kind: provision.Create, Object: "Group", Key: "x", Target: "x", Changes: []provision.AttrChange{scimSet("displayName", scimStr("b"))}},
		},
		want: `scim: create Group x: bulkId "x" is already the id of a created user`,
	}, {
		name: "not a boolean",
		ops:  []provision.Op{{Kind: provision.Update, Object: "User", Key: "u1", Target: "t-1", Changes: []provision.AttrChange{scimChange("active", scimStr("True"), scimStr("yes"))}}},
		want: `scim: update User u1: the result "yes" cannot be converted to the Boolean target attribute "active" (expected true or false)`,
	}, {
		name: "not an integer",
		ops:  []provision.Op{{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{scimSet(scimCustom+"level", scimStr("high"))}}},
		want: `scim: create User u1: the result "high" cannot be converted to the Integer target attribute "` + scimCustom + `level" (expected a whole number)`,
	}, {
		name: "update without changes",
		ops:  []provision.Op{{Kind: provision.Update, Object: "User", Key: "u1", Target: "t-1"}},
		want: `scim: update User u1: no changes to send`,
	}, {
		name: "no target id",
		ops:  []provision.Op{{Kind: provision.Delete, Object: "User", Key: "u1"}},
		want: `scim: delete User u1: the operation has no target id`,
	}, {
		name: "path written twice",
		ops: []provision.Op{{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
			scimSet("name", scimStr("x")), scimSet("name.givenName", scimStr("y")),
		}}},
		want: `scim: create User u1: name.givenName: name is both a value and an object`,
	}, {
		name: "a list and a filtered path into it",
		ops: []provision.Op{{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{
			scimSet("proxyAddresses", expr.Multi{"smtp:a@contoso.com"}), scimSet(`proxyAddresses[type eq "work"].value`, scimStr("b@contoso.com")),
		}}},
		want: `scim: create User u1: proxyAddresses[type eq "work"].value: proxyAddresses holds values that are not objects`,
	}, {
		name: "a value a server would take for a reference",
		ops:  []provision.Op{{Kind: provision.Update, Object: "User", Key: "u1", Target: "t-1", Changes: []provision.AttrChange{scimChange("title", scimStr("a"), scimStr("bulkId:x"))}}},
		want: `scim: update User u1: title: the value "bulkId:x" begins with "bulkId:", which a SCIM server reads as a reference to an object created in the same request list (RFC 7644 §3.7.2)`,
	}}
	rules := scimRules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Bulk(&provision.Plan{Ops: tt.ops}, rules...)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSCIMAttr(t *testing.T) {
	tests := map[string]scimAttr{
		"userName":                               {attr: "userName"},
		"name.givenName":                         {attr: "name", sub: "givenName", hasSub: true},
		`emails[type eq "work"].value`:           {attr: "emails", filterAttr: "type", filterValue: "work", hasFilter: true, sub: "value", hasSub: true},
		`roles[primary eq "True"].value`:         {attr: "roles", filterAttr: "primary", filterValue: true, hasFilter: true, sub: "value", hasSub: true},
		`emails[primary eq true]`:                {attr: "emails", filterAttr: "primary", filterValue: true, hasFilter: true},
		scimEnterprise + "department":            {schema: strings.TrimSuffix(scimEnterprise, ":"), attr: "department"},
		scimEnterprise + "manager.value":         {schema: strings.TrimSuffix(scimEnterprise, ":"), attr: "manager", sub: "value", hasSub: true},
		scimCustom + `tags[type eq "a:b"].value`: {schema: strings.TrimSuffix(scimCustom, ":"), attr: "tags", filterAttr: "type", filterValue: "a:b", hasFilter: true, sub: "value", hasSub: true},
		// Not a filter this renderer reads: a plain attribute.
		`emails[type co "w"].value`: {attr: `emails[type co "w"].value`},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			got := parseSCIMAttr(name)
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(scimAttr{})); diff != "" {
				t.Errorf("parseSCIMAttr(%q) (-want +got):\n%s", name, diff)
			}
		})
	}
}

// TestSCIMBulkRequest checks the output is an RFC 7644 §3.7 BulkRequest:
// JSON with the BulkRequest schema, an Operations array, a bulkId on each
// POST, data on each POST and PATCH and none on DELETE.
func TestSCIMBulkRequest(t *testing.T) {
	p := &provision.Plan{Ops: []provision.Op{
		{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: []provision.AttrChange{scimSet("userName", scimStr("a"))}},
		{Kind: provision.Update, Object: "User", Key: "u2", Target: "t-2", Changes: []provision.AttrChange{scimChange("title", scimStr("a"), scimStr("b"))}},
		{Kind: provision.Disable, Object: "User", Key: "u3", Target: "t-3", Changes: []provision.AttrChange{scimChange("active", scimStr("True"), scimStr("False"))}},
		{Kind: provision.Delete, Object: "User", Key: "u4", Target: "t-4"},
	}, Skipped: []provision.Op{{Kind: provision.Skip, Action: provision.Delete, Object: "User", Key: "u5", Target: "t-5"}}}
	out := renderSCIM(t, p, scimRules(t))
	var doc struct {
		Schemas    []string `json:"schemas"`
		Operations []struct {
			Method string          `json:"method"`
			BulkID *string         `json:"bulkId"`
			Path   string          `json:"path"`
			Data   json.RawMessage `json:"data"`
		} `json:"Operations"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not a bulk request: %v\n%s", err, out)
	}
	if diff := cmp.Diff([]string{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}, doc.Schemas); diff != "" {
		t.Errorf("schemas (-want +got):\n%s", diff)
	}
	var methods []string
	for _, o := range doc.Operations {
		methods = append(methods, o.Method)
		if (o.Method == "POST") != (o.BulkID != nil) {
			t.Errorf("%s %s: bulkId %v", o.Method, o.Path, o.BulkID)
		}
		if (o.Method == "DELETE") != (o.Data == nil) {
			t.Errorf("%s %s: data %s", o.Method, o.Path, o.Data)
		}
	}
	if diff := cmp.Diff([]string{"POST", "PATCH", "PATCH", "DELETE"}, methods); diff != "" {
		t.Errorf("methods (-want +got):\n%s", diff)
	}
}

// TestBulkCycle: in a bulk request a reference cycle stays in the POSTs
// (RFC 7644 §3.7.1), and no path holds a bulkId.
func TestBulkCycle(t *testing.T) {
	p := &provision.Plan{Ops: []provision.Op{
		create("a"), create("b"),
		followUp("a", manager("b")), followUp("b", manager("a")),
	}}
	b, err := Bulk(p, scimRules(t)...)
	if err != nil {
		t.Fatal(err)
	}
	want := []reqLine{
		{"POST", "/Users", "a", 0, "User", "a", withManager + `a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:b"}}}`},
		{"POST", "/Users", "b", 1, "User", "b", withManager + `b","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:a"}}}`},
	}
	if diff := cmp.Diff(want, lines(t, b.Operations)); diff != "" {
		t.Errorf("Bulk (-want +got):\n%s", diff)
	}
}

// TestSCIMDeterministic renders the same plan many times, with many
// members in the maps the rendering builds, and requires the same bytes.
func TestSCIMDeterministic(t *testing.T) {
	var changes []provision.AttrChange
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		changes = append(changes,
			scimSet("name."+n, scimStr(n)),
			scimSet(scimEnterprise+n, scimStr(n)),
			scimSet(scimCustom+n, scimStr(n)),
			scimSet(`emails[type eq "`+n+`"].value`, scimStr(n)),
		)
	}
	p := &provision.Plan{Ops: []provision.Op{{Kind: provision.Create, Object: "User", Key: "u1", Target: "u1", Changes: changes}}}
	rules := scimRules(t)
	first := renderSCIM(t, p, rules)
	for range 20 {
		if got := renderSCIM(t, p, rules); got != first {
			t.Fatalf("output differs between runs:\n%s", cmp.Diff(first, got))
		}
	}
}

// TestSCIMGolden renders the plan of every scenario of testdata/sync, as
// the bulk request of plan --format scim and as the single requests of
// Requests (one line each), and compares them with scim.golden. Run with
// -update to rewrite them.
func TestSCIMGolden(t *testing.T) {
	for _, sc := range scenario.All(t, filepath.Join("..", "..", "testdata", "sync")) {
		t.Run(sc.Name, func(t *testing.T) {
			plan, _, err := sc.Plan()
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if b, err := Bulk(plan, sc.Rules...); err != nil {
				got = "error: " + err.Error() + "\n"
			} else {
				got = scimJSON(t, b)
			}
			g := golden.Open(t, filepath.Join(sc.Dir, "scim.golden"))
			g.Check(t, "scim", got)
			g.Check(t, "requests", requestLines(plan, sc))
		})
	}
}

// requestLines writes the single requests one per line: method, path,
// bulkId, the op carried out, and the body.
func requestLines(p *provision.Plan, sc *scenario.Scenario) string {
	reqs, err := Requests(p, sc.Rules...)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, r := range reqs {
		fmt.Fprintf(&b, "%s %s", r.Method, r.Path)
		if r.BulkID != "" {
			fmt.Fprintf(&b, " bulkId=%s", r.BulkID)
		}
		fmt.Fprintf(&b, " (op %d: %s %s)\n", r.Op, r.Type, r.Source)
		if r.Body != nil {
			fmt.Fprintf(&b, "  %s\n", r.Body)
		}
	}
	if len(reqs) == 0 {
		b.WriteString("(none)\n")
	}
	return b.String()
}

// TestSCIMTypesFromJSON: a plan read back from JSON (as "attrmap run
// --plan" gets it) sends a Boolean attribute as a JSON boolean and an
// Integer one as a number, whether the plan holds them typed (false, 3) or
// as the strings older plans wrote ("False", "3").
func TestSCIMTypesFromJSON(t *testing.T) {
	for _, tc := range []struct {
		name         string
		active, levl expr.Value
	}{
		{"typed", expr.Bool(false), expr.Int(3)},
		{"strings of older plans", scimStr("False"), scimStr("3")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &provision.Plan{Ops: []provision.Op{
				{Kind: provision.Disable, Object: "User", Key: "u1", Target: "t-1", Changes: []provision.AttrChange{
					scimChange("active", expr.Bool(true), tc.active),
					scimChange(scimCustom+"level", expr.Int(2), tc.levl),
				}},
			}}
			data, err := p.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var back provision.Plan
			if err := back.UnmarshalJSON(data); err != nil {
				t.Fatal(err)
			}
			got := renderSCIM(t, &back, scimRules(t))
			want := scimNormJSON(t, `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
				{"method": "PATCH", "path": "/Users/t-1", "data": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
					{"op": "replace", "path": "active", "value": false},
					{"op": "replace", "path": "`+scimCustom+`level", "value": 3}
				]}}
			]}`)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SCIM (-want +got):\n%s", diff)
			}
		})
	}
}
