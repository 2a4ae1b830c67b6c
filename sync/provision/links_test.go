package provision

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMergeLinksMatchesSort: the new state's links merged in the state's
// order (mergeLinks) are those sorting every link gives (sortedLinks), on
// users-and-groups worlds with creates, relinks, drops, hard deletes kept
// by flow types, deletions held by the guard and duplicate source ids.
func TestMergeLinksMatchesSort(t *testing.T) {
	merged := 0
	for seed := range uint64(600) {
		r := rand.New(rand.NewPCG(seed, 21))
		w, opts := linkWorld(t, r, true)
		c, _, _ := planCycle(t, w, opts)
		if c == nil {
			continue
		}
		for _, pt := range c.parts {
			if pt.e.state != nil && !pt.e.stateSorted {
				continue
			}
			merged++
			if d := cmp.Diff(pt.sortedLinks(), pt.mergeLinks()); d != "" {
				t.Errorf("seed %d, %s: mergeLinks differs from sortedLinks (-sorted +merged):\n%s", seed, pt.e.name, d)
			}
		}
	}
	if merged < 300 {
		t.Errorf("only %d parts took the merge: the worlds do not test it", merged)
	}
}

// linkWorld is a users-and-groups world (randomRefWorld) for the tests
// of the new links: its state sorted with each source once when sorted
// is set, hard deletes (deleted, kept by the flow types or held), at
// times a source id twice, and the deletion guard.
func linkWorld(t *testing.T, r *rand.Rand, sorted bool) (*world, Options) {
	w, opts := randomRefWorld(t, r)
	if w.state != nil && sorted {
		w.state.Links = slices.Clone(w.state.Links)
		sortLinks(w.state.Links)
		w.state.Links = slices.CompactFunc(w.state.Links, func(a, b Link) bool { return a.Source == b.Source })
	}
	for range r.IntN(8) {
		if n := len(w.source.Objects); n > 1 {
			k := r.IntN(n)
			w.source.Objects = slices.Delete(slices.Clone(w.source.Objects), k, k+1)
		}
	}
	if r.IntN(3) == 0 && len(w.source.Objects) > 2 { // a source id twice
		w.source.Objects[0].ID = w.source.Objects[1].ID
	}
	opts.DeletionThreshold = min(r.IntN(4), 1)
	opts.AllowSourceLoss, opts.AllowOtherTypes = true, true
	return w, opts
}

// planCycle plans w's cycle and returns it with the plan and the new
// state, or a nil cycle when the input checks refuse the inputs.
func planCycle(t *testing.T, w *world, opts Options) (*cycle, *Plan, *State) {
	p, err := NewPlanner(w.rules, opts)
	if err != nil {
		t.Fatal(err)
	}
	in := p.newInputs(w.source, w.target, w.state)
	if err := p.check(in); err != nil {
		if ie := (*InputError)(nil); !errors.As(err, &ie) {
			t.Fatal(err)
		}
		return nil, nil, nil
	}
	c := newCycle(p, in, opts)
	pl, next, err := c.plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c, pl, next
}
