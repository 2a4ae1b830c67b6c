package provision

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// TestApplyMatchesMapping keeps the engine's allocation-free apply in step
// with mapping's CompiledObjectMapping.Apply (OnCreate), attribute by
// attribute, and the engine's equal with CompiledObjectMapping.Equal, on
// generated objects and target values.
func TestApplyMatchesMapping(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 3))
		w, _ := randomWorld(t, r, seed%2 == 0)
		e := newEngine(w.rules[0], w.source, w.target, w.state, Options{})
		wk := e.newWorker()
		for i := range w.source.Objects {
			for _, soft := range []bool{false, true} {
				wk.env.o, wk.env.softDeleted = &w.source.Objects[i], soft
				oe := e.apply(&wk.env, -1, wk.out)
				want, err := w.rules[0].Apply(&wk.env, mapping.ApplyOptions{OnCreate: true})
				if (oe != nil) != (err != nil) {
					t.Fatalf("seed %d object %d: apply error %v, mapping.Apply error %v", seed, i, oe, err)
				}
				sameOutcome(t, fmt.Sprintf("seed %d object %d", seed, i), want, wk.out)
			}
		}
		// equal against Equal, on values drawn from the targets.
		var vals []expr.Value
		for _, o := range w.target.Objects {
			for _, v := range o.Values {
				if v != nil {
					vals = append(vals, v)
				}
			}
		}
		vals = append(vals, expr.Null, expr.String(""), expr.Bool(true), expr.String("TRUE"), expr.Multi{"a", "B"}, expr.Multi{"b", "A", "a"})
		for range 2000 {
			k := r.IntN(len(e.attrs))
			a, b := vals[r.IntN(len(vals))], vals[r.IntN(len(vals))]
			if r.IntN(3) == 0 {
				if s, ok := a.(expr.String); ok {
					b = expr.String(fmt.Sprintf("%s", []byte(string(s))))
				}
			}
			if got, want := e.equal(k, a, b), w.rules[0].Equal(e.attrs[k].Target, a, b); got != want {
				t.Fatalf("seed %d: equal(%s, %#v, %#v) = %t, mapping says %t", seed, e.attrs[k].Target, a, b, got, want)
			}
		}
	}
}

// sameOutcome compares the engine's apply with mapping.Apply's
// explanations, attribute by attribute.
func sameOutcome(t *testing.T, label string, want mapping.Target, out []flowed) {
	t.Helper()
	for k, ex := range want.Explain {
		got := out[k]
		if ex.Outcome == mapping.Failed {
			continue
		}
		if (ex.Outcome == mapping.Flowed) != (got.value != nil) {
			t.Fatalf("%s %s: mapping says %s, engine value %v", label, ex.Target, ex.Outcome, got.value)
		}
		if got.value == nil {
			continue
		}
		if g, w := fmt.Sprintf("%T %s %t %t", got.value, expr.Render(got.value), got.redacted, got.dflt),
			fmt.Sprintf("%T %s %t %t", ex.Value, expr.Render(ex.Value), ex.Redacted, ex.DefaultUsed); g != w {
			t.Fatalf("%s %s: engine %s, mapping %s", label, ex.Target, g, w)
		}
	}
}

// TestApplyMatchesMappingUnique does the same for linked objects whose
// user name comes from SelectUniqueValue: the engine's keepUnique and
// mapping.Apply with Current and Exists (what explanations use) must keep
// or replace the target's current value alike.
func TestApplyMatchesMappingUnique(t *testing.T) {
	checked := 0
	for seed := range uint64(60) {
		w, _ := randomRefWorld(t, rand.New(rand.NewPCG(seed, 5)))
		if w.state == nil {
			continue
		}
		users := w.rules[1] // refsSchema lists Groups first
		e := newEngine(users, w.source, w.target, w.state, Options{})
		wk := e.newWorker()
		for i := range w.source.Objects {
			o := &w.source.Objects[i]
			l, ok := w.state.Link(o.ID)
			tpos, there := e.targetByID[l.Target]
			if o.Type != "User" || !ok || !there {
				continue
			}
			wk.env.o, wk.env.softDeleted = o, false
			oe := e.apply(&wk.env, tpos, wk.out)
			want, err := users.Apply(&wk.env, e.traceOptions(tpos, o.ID))
			if (oe != nil) != (err != nil) {
				t.Fatalf("seed %d object %s: apply error %v, mapping.Apply error %v", seed, o.ID, oe, err)
			}
			sameOutcome(t, fmt.Sprintf("seed %d object %s", seed, o.ID), want, wk.out)
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d linked users checked", checked)
	}
}
