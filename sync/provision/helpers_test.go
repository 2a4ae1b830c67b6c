package provision

import (
	"context"

	"github.com/attrmap/attrmap/mapping"
)

// planOnce plans one cycle with a Planner made for it, as the CLI does.
func planOnce(rules []*mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options) (*Plan, *State, error) {
	p, err := NewPlanner(rules, opts)
	if err != nil {
		return nil, nil, err
	}
	return p.Plan(context.Background(), source, target, state)
}

// explainOnce explains one object of one cycle with a Planner made for it.
func explainOnce(rules []*mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options, id string) (*Explanation, error) {
	p, err := NewPlanner(rules, opts)
	if err != nil {
		return nil, err
	}
	return p.Explain(context.Background(), source, target, state, id)
}
