package provision

import (
	"context"
	"slices"
	"strings"

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

// linkOf returns the link of a source object in a state sorted by source.
func linkOf(s *State, source string) (Link, bool) {
	if s == nil {
		return Link{}, false
	}
	i, ok := slices.BinarySearchFunc(s.Links, source, func(l Link, k string) int { return strings.Compare(l.Source, k) })
	if !ok {
		return Link{}, false
	}
	return s.Links[i], true
}
