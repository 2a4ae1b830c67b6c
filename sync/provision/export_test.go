package provision

import (
	"math/rand/v2"
	"testing"

	"github.com/attrmap/attrmap/mapping"
)

// This file lends the tests of package provision_test (golden_test.go),
// which read the scenarios of testdata/sync through internal/scenario, the
// in-package checks they run on them: internal/scenario imports provision,
// so the in-package tests cannot read the scenarios themselves.

// CheckDeterministic is checkDeterministic on one cycle's inputs: ten
// shuffled copies, planned with one to three workers, give byte-identical
// plans and states.
func CheckDeterministic(t *testing.T, r *rand.Rand, rules []*mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options) {
	t.Helper()
	checkDeterministic(t, r, &world{rules: rules, source: source, target: target, state: state}, opts, 10)
}

// CheckWriters is checkWriters: the plan's and the state's writers write
// what the reflection-based ones wrote.
func CheckWriters(t *testing.T, name string, plan *Plan, state *State) {
	t.Helper()
	checkWriters(t, name, plan, state)
}
