package provision_test

import (
	"context"
	"fmt"
	"os"

	"github.com/attrmap/attrmap/internal/examples"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// An incremental cycle: Bob was unassigned, Carol is new, Alice changed
// her title. The planner prepares the rules once; Plan and Explain use it
// for any number of cycles.
func ExampleNewPlanner() {
	rule := examples.Rule(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "active", "source": {"expression": "Not([IsSoftDeleted])"}},
	    {"targetAttributeName": "title", "source": {"expression": "[jobTitle]"}}
	  ]}`)
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "alice@contoso.com", "jobTitle": "Director"})
	source.Add("u2", map[string]any{"userPrincipalName": "bob@contoso.com", "jobTitle": "Engineer"}).Unassigned = true
	source.Add("u3", map[string]any{"userPrincipalName": "carol@contoso.com", "jobTitle": "Analyst"})
	target := &provision.Snapshot{}
	target.Add("t1", map[string]any{"userName": "alice@contoso.com", "active": true, "title": "Engineer"})
	target.Add("t2", map[string]any{"userName": "bob@contoso.com", "active": true, "title": "Engineer"})
	state := &provision.State{Links: []provision.Link{{Source: "u1", Target: "t1", Provisioned: true}, {Source: "u2", Target: "t2", Provisioned: true}}}

	planner, err := provision.NewPlanner([]*mapping.CompiledObjectMapping{rule}, provision.Options{})
	if err != nil {
		panic(err)
	}
	plan, next, err := planner.Plan(context.Background(), source, target, state)
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
	//     active = true
	//     title = "Analyst"
	//     userName = "carol@contoso.com"
	// ~ update User u1 -> t1
	//     why: in scope: assigned; no scoping filter
	//     match: linked by state to target t1
	//     title: "Engineer" -> "Director"
	// - disable User u2 -> t2
	//     why: not assigned to the application
	//     active: true -> false
	// [{User u1 t1 true} {User u2 t2 false} {User u3 u3 true}]
}

// A plan converges: once applied to the target, planning again with the
// new state finds nothing to do.
func ExamplePlan() {
	rule := examples.Rule(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "displayName", "source": {"expression": "Join(\" \", [givenName], [surname])"}}
	  ]}`)
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "zoe@contoso.com", "givenName": "Zoë", "surname": "Ng"})
	target := &provision.Snapshot{}
	target.Add("t9", map[string]any{"userName": "ZOE@contoso.com"})

	planner, err := provision.NewPlanner([]*mapping.CompiledObjectMapping{rule}, provision.Options{})
	if err != nil {
		panic(err)
	}
	plan, state, err := planner.Plan(context.Background(), source, target, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(plan.Summary())
	applied, _ := provision.Apply(target, plan)
	again, _, err := planner.Plan(context.Background(), source, applied, state)
	if err != nil {
		panic(err)
	}
	fmt.Println(again.IsEmpty(), again.Summary())
	// Output:
	// 0 to create, 1 to update, 0 to disable, 0 to delete; 0 unchanged, 0 skipped, 0 errors
	// true 0 to create, 0 to update, 0 to disable, 0 to delete; 1 unchanged, 0 skipped, 0 errors
}

// Users and groups in one cycle. Dana is new and so is her manager Carl,
// so her manager is set by a follow-up update after the creates. The new
// group gets Erin (provisioned earlier) at once and Dana after her create.
// Finn is not assigned: the references to him are reported, not invented.
// Objects without a type are users, the first mapping's type.
func ExamplePlanner_Plan() {
	rules := examples.Rules(`{
	  "directories": [{"name": "App", "objects": [
	    {"name": "User", "attributes": [{"name": "manager", "type": "Reference", "referencedObjects": [{"referencedObjectName": "User"}]}]},
	    {"name": "Group", "attributes": [{"name": "members", "type": "Reference", "multivalued": true, "referencedObjects": [{"referencedObjectName": "User"}]}]}]}],
	  "synchronizationRules": [{"name": "Users and groups", "targetDirectoryName": "App", "objectMappings": [
	    {"name": "Users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [
	      {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[upn]"}},
	      {"targetAttributeName": "manager", "source": {"expression": "[manager]"}}]},
	    {"name": "Groups", "enabled": true, "sourceObjectName": "Group", "targetObjectName": "Group", "attributeMappings": [
	      {"targetAttributeName": "displayName", "matchingPriority": 1, "source": {"expression": "[displayName]"}},
	      {"targetAttributeName": "members", "source": {"expression": "[members]"}}]}]}]}`)
	source := &provision.Snapshot{}
	source.Add("u-carl", map[string]any{"upn": "carl@contoso.com"})
	source.Add("u-dana", map[string]any{"upn": "dana@contoso.com", "manager": "u-carl"})
	source.Add("u-erin", map[string]any{"upn": "erin@contoso.com", "manager": "u-finn"})
	source.Add("u-finn", map[string]any{"upn": "finn@contoso.com"}).Unassigned = true
	source.Add("g-1", map[string]any{"displayName": "Sales", "members": []string{"u-dana", "u-erin", "u-finn"}}).Type = "Group"
	target := &provision.Snapshot{}
	target.Add("t-erin", map[string]any{"userName": "erin@contoso.com"})
	state := &provision.State{Links: []provision.Link{{Type: "User", Source: "u-erin", Target: "t-erin", Provisioned: true}}}

	planner, err := provision.NewPlanner(rules, provision.Options{})
	if err != nil {
		panic(err)
	}
	plan, _, err := planner.Plan(context.Background(), source, target, state)
	if err != nil {
		panic(err)
	}
	fmt.Print(plan)
	// Output:
	// plan for Users + Groups: 3 to create, 2 to update, 0 to disable, 0 to delete; 1 unchanged, 0 skipped, 0 errors, 2 unresolved references
	// + create User u-carl -> u-carl
	//     why: in scope: assigned; no scoping filter
	//     match: no target object has userName = "carl@contoso.com"
	//     userName = "carl@contoso.com"
	// + create User u-dana -> u-dana
	//     why: in scope: assigned; no scoping filter
	//     match: no target object has userName = "dana@contoso.com"
	//     userName = "dana@contoso.com"
	// + create Group g-1 -> g-1
	//     why: in scope: assigned; no scoping filter
	//     match: no target object has displayName = "Sales"
	//     displayName = "Sales"
	//     members = ["t-erin"]
	// ~ update User u-dana -> u-dana (follow-up)
	//     why: sets references to objects created earlier in this plan
	//     manager: <null> -> "u-carl"
	// ~ update Group g-1 -> g-1 (follow-up)
	//     why: sets references to objects created earlier in this plan
	//     members: +["u-dana"]
	//
	// unresolved references:
	//   ? User u-erin manager = "u-finn": the referenced object is out of scope
	//   ? Group g-1 members = "u-finn": the referenced object is out of scope
}

// Explain walks one object through the cycle, as provision-on-demand does.
func ExamplePlanner_Explain() {
	rule := examples.Rule(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "title", "source": {"expression": "[jobTitle]"}, "defaultValue": "Employee"}
	  ]}`)
	planner, err := provision.NewPlanner([]*mapping.CompiledObjectMapping{rule}, provision.Options{})
	if err != nil {
		panic(err)
	}
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "alice@contoso.com"})
	x, err := planner.Explain(context.Background(), source, nil, nil, "u1")
	if err != nil {
		panic(err)
	}
	fmt.Print(x)
	// Output:
	// object u1
	//   scope:  in scope: assigned; no scoping filter
	//   map:    title <- [jobTitle] = "Employee" (default)
	//   map:    userName <- [userPrincipalName] = "alice@contoso.com"
	//   match:  no target object has userName = "alice@contoso.com"
	//   result: create User u1 -> u1
	//           title = "Employee"
	//           userName = "alice@contoso.com"
}

// The next state, streamed to a writer in its JSON form (what
// MarshalJSON returns, without holding it): links sorted by source.
func ExampleState_WriteJSON() {
	st := &provision.State{Rule: "Users", Links: []provision.Link{
		{Source: "u2", Target: "t2", Provisioned: false},
		{Source: "u1", Target: "t1", Provisioned: true},
	}}
	if err := st.WriteJSON(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// {
	//   "version": 1,
	//   "rule": "Users",
	//   "links": [
	//     {"source": "u1", "target": "t1", "provisioned": true},
	//     {"source": "u2", "target": "t2", "provisioned": false}
	//   ]
	// }
}
