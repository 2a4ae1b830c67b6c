package expr

import "testing"

// TestCompileAllocs keeps the shape of the grammar from sliding back:
// compiling the UPN expression took 477 allocations with a participle
// node per argument, operand and operator, and takes about 222 with the
// Parseable productions (grammar.go). The bound leaves room for the
// evaluation closures that Compile also builds.
func TestCompileAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := Compile(benchUPN); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 260 {
		t.Errorf("compiling the UPN expression allocates %.0f times, want at most 260", allocs)
	}
}
