package sync_test

import (
	"fmt"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync"
)

// An incremental cycle: Bob was unassigned, Carol is new, Alice changed
// her title.
func ExampleDiff() {
	schema, err := mapping.Decode([]byte(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "active", "source": {"expression": "Not([IsSoftDeleted])"}},
	    {"targetAttributeName": "title", "source": {"expression": "[jobTitle]"}}
	  ]}`))
	if err != nil {
		panic(err)
	}
	rule, err := schema.Compile("", "")
	if err != nil {
		panic(err)
	}
	source := &sync.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "alice@contoso.com", "jobTitle": "Director"})
	source.Add("u2", map[string]any{"userPrincipalName": "bob@contoso.com", "jobTitle": "Engineer"}).Unassigned = true
	source.Add("u3", map[string]any{"userPrincipalName": "carol@contoso.com", "jobTitle": "Analyst"})
	target := &sync.Snapshot{}
	target.Add("t1", map[string]any{"userName": "alice@contoso.com", "active": true, "title": "Engineer"})
	target.Add("t2", map[string]any{"userName": "bob@contoso.com", "active": true, "title": "Engineer"})
	state := &sync.State{Links: []sync.Link{{Source: "u1", Target: "t1", Provisioned: true}, {Source: "u2", Target: "t2", Provisioned: true}}}

	plan, next, err := sync.Diff(rule, source, target, state, sync.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Print(plan)
	fmt.Println(next.Links)
	// Output:
	// plan for Users: 1 to create, 1 to update, 1 to disable, 0 to delete; 0 unchanged, 0 skipped, 0 errors
	// + create User u3 -> u3
	//     why: in scope: assigned; no scoping filter
	//     match: no target object has userName = "carol@contoso.com"
	//     active = True
	//     title = "Analyst"
	//     userName = "carol@contoso.com"
	// ~ update User u1 -> t1
	//     why: in scope: assigned; no scoping filter
	//     match: linked by state to target t1
	//     title: "Engineer" -> "Director"
	// - disable User u2 -> t2
	//     why: not assigned to the application
	//     active: True -> False
	// [{User u1 t1 true} {User u2 t2 false} {User u3 u3 true}]
}

// A plan converges: once applied to the target, planning again with the
// new state finds nothing to do.
func ExamplePlan() {
	schema, err := mapping.Decode([]byte(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "displayName", "source": {"expression": "Join(\" \", [givenName], [surname])"}}
	  ]}`))
	if err != nil {
		panic(err)
	}
	rule, err := schema.Compile("", "")
	if err != nil {
		panic(err)
	}
	source := &sync.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "zoe@contoso.com", "givenName": "Zoë", "surname": "Ng"})
	target := &sync.Snapshot{}
	target.Add("t9", map[string]any{"userName": "ZOE@contoso.com"})

	plan, state, _ := sync.Diff(rule, source, target, nil, sync.Options{})
	fmt.Println(plan.Summary())
	applied, _ := sync.Apply(target, plan)
	again, _, _ := sync.Diff(rule, source, applied, state, sync.Options{})
	fmt.Println(again.IsEmpty(), again.Summary())
	// Output:
	// 0 to create, 1 to update, 0 to disable, 0 to delete; 0 unchanged, 0 skipped, 0 errors
	// true 0 to create, 0 to update, 0 to disable, 0 to delete; 1 unchanged, 0 skipped, 0 errors
}
