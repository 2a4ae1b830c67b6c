package provision

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

// TestChunkedStepsMatchOnePass: the steps after evaluation cut into many
// small chunks (filing the results, the new links) give byte for byte the
// plan and the state of one pass in order, on users-and-groups worlds with
// creates, relinks, drops, hard deletes, held deletions, duplicate ids and
// unsorted states, and on the benchmark's world; the merged links stay
// those of sorting every link.
func TestChunkedStepsMatchOnePass(t *testing.T) {
	defer func(m int) { minChunk = m }(minChunk)
	render := func(p *Plan, s *State) []byte {
		pj, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		sj, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		return append(pj, sj...)
	}
	plan := func(w *world, opts Options, chunk, workers int) ([]byte, *cycle) {
		minChunk, opts.Workers = chunk, workers
		c, pl, next := planCycle(t, w, opts)
		if c == nil {
			return nil, nil
		}
		return render(pl, next), c
	}
	chunked := 0
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 33))
		w, opts := linkWorld(t, r, seed%4 > 0)
		want, _ := plan(w, opts, 1<<30, 1)
		if want == nil {
			continue
		}
		for _, workers := range []int{2, 3, 5} {
			got, c := plan(w, opts, 1, workers)
			if !bytes.Equal(got, want) {
				t.Fatalf("seed %d, %d workers: the chunked plan differs (-one pass +chunked):\n%s", seed, workers, cmp.Diff(string(want), string(got)))
			}
			for _, pt := range c.parts {
				if len(chunkBounds(workers, len(pt.res))) > 2 {
					chunked++
				}
				if pt.e.state != nil && !pt.e.stateSorted {
					continue
				}
				if d := cmp.Diff(pt.sortedLinks(), pt.mergeLinks()); d != "" {
					t.Errorf("seed %d, %s, %d workers: mergeLinks differs from sortedLinks (-sorted +merged):\n%s", seed, pt.e.name, workers, d)
				}
			}
		}
	}
	if chunked < 300 {
		t.Errorf("only %d parts were cut into chunks: the worlds do not test it", chunked)
	}
	w := benchWorld(t, 3000)
	want, _ := plan(w, Options{}, 1<<30, 1)
	for _, chunk := range []int{1, 7, 500} {
		if got, _ := plan(w, Options{}, chunk, 4); !bytes.Equal(got, want) {
			t.Errorf("benchmark world, chunks of %d: the chunked plan differs", chunk)
		}
	}
}

// TestShardedIndexMatchesOne: a target attribute indexed in shards
// answers every lookup as one index does: single holders, values several
// objects share (within a shard and across shards, repeated within an
// object), multi-valued attributes and case variants.
func TestShardedIndexMatchesOne(t *testing.T) {
	defer func(m int) { minChunk = m }(minChunk)
	r := rand.New(rand.NewPCG(7, 7))
	word := func() string {
		return []string{"ann", "Ann", "bo", "cy", "dee", "", "ANN", "ed"}[r.IntN(8)] + string(rune('a'+r.IntN(3)))
	}
	s := &Snapshot{Attributes: []string{"v"}}
	for i := range 200 {
		var v expr.Value = expr.String(word())
		switch r.IntN(5) {
		case 0:
			v = expr.Multi{word(), word(), word()}
		case 1:
			v = nil
		case 2:
			v = expr.Bool(r.IntN(2) == 0)
		}
		s.Objects = append(s.Objects, Object{ID: fmt.Sprint(i), Values: []expr.Value{v}})
	}
	type answer struct {
		One int32
		All []int32
		N   int
	}
	for _, exact := range []bool{false, true} {
		minChunk = 1 << 30
		one := indexTarget(s, 0, exact, 1)
		minChunk = 1
		for _, workers := range []int{2, 3, 7} {
			sharded := indexTarget(s, 0, exact, workers)
			if len(sharded.shards) != workers {
				t.Fatalf("%d shards, want %d", len(sharded.shards), workers)
			}
			for _, probe := range []string{"anna", "Annb", "ANNc", "boa", "cyb", "dee", "a", "b", "True", "false", "eda"} {
				var want, got answer
				want.One, want.All, want.N = one.lookup(probe)
				got.One, got.All, got.N = sharded.lookup(probe)
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("caseExact=%t, %d shards, %q (-one +sharded):\n%s", exact, workers, probe, d)
				}
			}
		}
	}
}

// TestSortOpsMatchesComparison: sortOps, which groups the operations and
// sorts only the groups out of order, gives the order of sorting every
// operation by the plan's comparison, for lists shuffled, already sorted,
// grouped with keys in order, and of every kind, follow-ups and object
// mapping (an unknown one included).
func TestSortOpsMatchesComparison(t *testing.T) {
	c := &cycle{rank: map[string]int{"user": 0, "group": 1}}
	oracle := func(ops []Op) {
		slices.SortFunc(ops, func(a, b Op) int {
			if x := int(a.Kind) - int(b.Kind); x != 0 {
				return x
			}
			if a.FollowUp != b.FollowUp {
				if a.FollowUp {
					return 1
				}
				return -1
			}
			if x := c.rankOf(a.Object) - c.rankOf(b.Object); x != 0 {
				return x
			}
			return compareOps(&a, &b)
		})
	}
	r := rand.New(rand.NewPCG(3, 3))
	for round := range 300 {
		var ops []Op
		seen := map[string]bool{}
		for range r.IntN(60) {
			op := Op{Kind: []OpKind{Create, Update, Disable, Delete, Skip}[r.IntN(5)], Object: []string{"User", "Group", "Contact", ""}[r.IntN(4)],
				Key: fmt.Sprint(r.IntN(40)), FollowUp: r.IntN(5) == 0, Action: []OpKind{Create, Update}[r.IntN(2)]}
			id := fmt.Sprint(op.Kind, op.FollowUp, c.rankOf(op.Object), op.Key, op.Action)
			if seen[id] {
				continue // equal under the comparison: any order is the comparison's
			}
			seen[id] = true
			ops = append(ops, op)
		}
		switch round % 3 {
		case 1:
			oracle(ops)
		case 2: // grouped, with keys in order in some groups
			slices.SortStableFunc(ops, func(a, b Op) int { return int(a.Kind) - int(b.Kind) })
		}
		want := slices.Clone(ops)
		oracle(want)
		c.sortOps(ops)
		if d := cmp.Diff(want, ops); d != "" {
			t.Fatalf("round %d (-comparison +sortOps):\n%s", round, d)
		}
	}
}
