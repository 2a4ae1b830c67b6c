// Package examples holds the setup that the Example functions of
// sync/connect, sync/provision and sync/scim share, so that each example
// shows its own point rather than the same preparation: a mapping
// compiled from its JSON, and a cycle planned with a Planner made for it.
// Each helper is the public calls it names, and panics on an error, as
// the examples did.
package examples

import (
	"context"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// Rule is mapping.Decode of schema, then Compile of its only object
// mapping.
func Rule(schema string) *mapping.CompiledObjectMapping {
	s, err := mapping.Decode([]byte(schema))
	if err != nil {
		panic(err)
	}
	rule, err := s.Compile("", "")
	if err != nil {
		panic(err)
	}
	return rule
}

// Rules is mapping.Decode of schema, then CompileRule of its only
// synchronization rule: every object mapping, in order.
func Rules(schema string) []*mapping.CompiledObjectMapping {
	s, err := mapping.Decode([]byte(schema))
	if err != nil {
		panic(err)
	}
	rules, err := s.CompileRule("")
	if err != nil {
		panic(err)
	}
	return rules
}

// Plan is provision.NewPlanner of rules (default options), then
// Planner.Plan of one cycle.
func Plan(rules []*mapping.CompiledObjectMapping, source, target *provision.Snapshot, state *provision.State) (*provision.Plan, *provision.State) {
	planner, err := provision.NewPlanner(rules, provision.Options{})
	if err != nil {
		panic(err)
	}
	plan, next, err := planner.Plan(context.Background(), source, target, state)
	if err != nil {
		panic(err)
	}
	return plan, next
}
