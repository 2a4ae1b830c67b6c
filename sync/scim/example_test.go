package scim_test

import (
	"fmt"

	"github.com/attrmap/attrmap/internal/examples"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/attrmap/attrmap/sync/scim"
)

// The requests a SCIM target receives for a plan: Carol is created, Alice's
// title and department change, Bob is disabled. WriteJSON writes them as
// one bulk request; here they are printed one by one.
func ExampleBulk() {
	rule := examples.Rule(`{
	  "directories": [
	    {"name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [
	      {"name": "userPrincipalName"}, {"name": "givenName"}, {"name": "jobTitle"}, {"name": "department"}]}]},
	    {"name": "SCIM app", "objects": [{"name": "User", "attributes": [
	      {"name": "userName"}, {"name": "active", "type": "Boolean"}, {"name": "name.givenName"}, {"name": "title"},
	      {"name": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}]}]}],
	  "synchronizationRules": [{"name": "Users", "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "SCIM app",
	    "objectMappings": [{"name": "Users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User",
	      "attributeMappings": [
	        {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	        {"targetAttributeName": "active", "source": {"expression": "Not([IsSoftDeleted])"}},
	        {"targetAttributeName": "name.givenName", "source": {"expression": "[givenName]"}},
	        {"targetAttributeName": "title", "source": {"expression": "[jobTitle]"}},
	        {"targetAttributeName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "source": {"expression": "[department]"}}
	      ]}]}]}`)
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "alice@contoso.com", "givenName": "Alice", "jobTitle": "Director", "department": "Sales"})
	source.Add("u2", map[string]any{"userPrincipalName": "bob@contoso.com", "givenName": "Bob", "jobTitle": "Engineer"}).Unassigned = true
	source.Add("u3", map[string]any{"userPrincipalName": "carol@contoso.com", "givenName": "Carol", "jobTitle": "Analyst", "department": "Sales"})
	target := &provision.Snapshot{}
	target.Add("t1", map[string]any{"userName": "alice@contoso.com", "active": true, "name.givenName": "Alice", "title": "Engineer"})
	target.Add("t2", map[string]any{"userName": "bob@contoso.com", "active": true, "name.givenName": "Bob", "title": "Engineer"})
	state := &provision.State{Links: []provision.Link{{Source: "u1", Target: "t1", Provisioned: true}, {Source: "u2", Target: "t2", Provisioned: true}}}

	plan, _ := examples.Plan([]*mapping.CompiledObjectMapping{rule}, source, target, state)
	bulk, err := scim.Bulk(plan, rule)
	if err != nil {
		panic(err)
	}
	for _, r := range bulk.Operations {
		if r.BulkID != "" {
			fmt.Printf("%s %s (bulkId %s)\n", r.Method, r.Path, r.BulkID)
		} else {
			fmt.Println(r.Method, r.Path)
		}
		fmt.Printf("  %s\n", r.Body)
	}
	// Output:
	// POST /Users (bulkId u3)
	//   {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"active":true,"name":{"givenName":"Carol"},"title":"Analyst","userName":"carol@contoso.com","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}
	// PATCH /Users/t1
	//   {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Director"},{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Sales"}]}
	// PATCH /Users/t2
	//   {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}
}

// Requests sent one at a time: Ann and Ben are new and manage each other,
// so Ann's POST goes without her manager, Ben's POST names Ann by her
// bulkId, and a PATCH sets Ann's manager once both exist. Resolve puts
// the ids the server assigned in place of the bulkIds.
func ExampleRequests() {
	rules := examples.Rules(`{
	  "directories": [
	    {"name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [
	      {"name": "userPrincipalName"}, {"name": "manager", "type": "Reference", "referencedObjects": [{"referencedObjectName": "User"}]}]}]},
	    {"name": "SCIM app", "objects": [{"name": "User", "attributes": [
	      {"name": "userName"},
	      {"name": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "type": "Reference", "referencedObjects": [{"referencedObjectName": "User"}]}]}]}],
	  "synchronizationRules": [{"name": "Users", "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "SCIM app",
	    "objectMappings": [{"name": "Users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User",
	      "attributeMappings": [
	        {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	        {"targetAttributeName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "source": {"expression": "[manager]"}}
	      ]}]}]}`)
	source := &provision.Snapshot{}
	source.Add("ann", map[string]any{"userPrincipalName": "ann@contoso.com", "manager": "ben"})
	source.Add("ben", map[string]any{"userPrincipalName": "ben@contoso.com", "manager": "ann"})
	plan, _ := examples.Plan(rules, source, &provision.Snapshot{}, nil)
	reqs, err := scim.Requests(plan, rules...)
	if err != nil {
		panic(err)
	}
	ids := map[string]string{}
	for i, r := range reqs {
		r, err := r.Resolve(ids)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s (op %d, %s %s)\n  %s\n", r.Method, r.Path, r.Op, r.Type, r.Source, r.Body)
		if r.BulkID != "" {
			ids[r.BulkID] = fmt.Sprintf("id-%d", i+1) // the id in the server's 201 response
		}
	}
	// Output:
	// POST /Users (op 0, User ann)
	//   {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@contoso.com"}
	// POST /Users (op 1, User ben)
	//   {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"ben@contoso.com","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"id-1"}}}
	// PATCH /Users/id-1 (op 2, User ann)
	//   {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"id-2"}}]}
}
