package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// cancelWorld is a cycle of n creates whose userName mapping calls Tick,
// which counts its calls and runs stop at the call numbered at.
func cancelWorld(tb testing.TB, n int, at int64, stop func()) (*mapping.CompiledObjectMapping, *Snapshot, *atomic.Int64) {
	tb.Helper()
	calls := new(atomic.Int64)
	tick := &expr.Func{Name: "Tick", MinArgs: 1, MaxArgs: 1, Params: []string{"value"}, Impl: func(_ *expr.Call, args []expr.Value) (expr.Value, error) {
		if calls.Add(1) == at {
			stop()
		}
		return args[0], nil
	}}
	s, err := mapping.Decode([]byte(ruleJSON([][4]string{{"userName", "Tick([userPrincipalName])", "1", ""}}, "Add, Update, Delete", "null")))
	if err != nil {
		tb.Fatal(err)
	}
	rule, err := s.Compile("", "", mapping.WithExprOptions(expr.WithFunctions(tick)))
	if err != nil {
		tb.Fatal(err)
	}
	source := &Snapshot{}
	for i := range n {
		source.Add(fmt.Sprintf("u%06d", i), map[string]any{"userPrincipalName": fmt.Sprintf("u%06d@contoso.com", i)})
	}
	return rule, source, calls
}

// TestPlanCancelled cancels a plan of 100k objects after its 1000th
// evaluation: Plan stops with context.Canceled once each worker has
// finished the chunk of objects it holds, long before the last object,
// and reports no later stage. Explain stops the same way, and a context
// cancelled beforehand stops both before any work.
func TestPlanCancelled(t *testing.T) {
	const n, at, workers = 100_000, 1000, 4
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rule, source, calls := cancelWorld(t, n, at, cancel)
	var stages []string
	p, err := NewPlanner([]*mapping.CompiledObjectMapping{rule}, Options{Workers: workers, Progress: func(stage string, _ int) { stages = append(stages, stage) }})
	if err != nil {
		t.Fatal(err)
	}
	plan, next, err := p.Plan(ctx, source, nil, nil)
	if !errors.Is(err, context.Canceled) || plan != nil || next != nil {
		t.Fatalf("Plan = %v, %v, %v; want nil, nil, context.Canceled", plan, next, err)
	}
	// After the cancel, each worker ends the chunk it is in (512 objects).
	if got, most := calls.Load(), int64(at+workers*512); got > most {
		t.Errorf("%d objects evaluated after a cancel at the %dth, want at most %d", got, at, most)
	}
	if slices.Contains(stages, "evaluate") || slices.Contains(stages, "plan") {
		t.Errorf("stages reported after the cancel: %v", stages)
	}

	calls.Store(0)
	if _, err := p.Explain(ctx, source, nil, nil, "u000001"); !errors.Is(err, context.Canceled) {
		t.Errorf("Explain with a cancelled context = %v, want context.Canceled", err)
	}
	if _, _, err := p.Plan(ctx, source, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Plan with a cancelled context = %v, want context.Canceled", err)
	}
	if got := calls.Load(); got != 0 {
		t.Errorf("%d objects evaluated with a context cancelled beforehand, want 0", got)
	}
}

// TestPlanNotCancelled: the same plan with a context that is never
// cancelled evaluates every object and plans every create.
func TestPlanNotCancelled(t *testing.T) {
	const n = 5000
	rule, source, calls := cancelWorld(t, n, -1, func() {})
	p, err := NewPlanner([]*mapping.CompiledObjectMapping{rule}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	plan, _, err := p.Plan(ctx, source, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Stats.Create != n || calls.Load() != n {
		t.Errorf("%d creates from %d evaluations, want %d of each", plan.Stats.Create, calls.Load(), n)
	}
}
