package provision

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// randomWorld generates a small cycle with everything the engine must
// handle: every flag, case variations, missing and shared matching values,
// brownfield targets, drifted and missing targets, stale and unmanaged
// links, random flow types, scoping filters and options. redact adds a
// Redact mapping (whose real value only the in-memory plan holds).
func randomWorld(t testing.TB, r *rand.Rand, redact bool) (*world, Options) {
	rows := slices.Clone(benchMappings[:12])
	rows = append(rows,
		[4]string{"proxyAddresses", "[proxyAddresses]", "", "ValueAddOnly"},
		[4]string{"organization", "", "", ""}, // None with a default
		[4]string{"title2", "[jobTitle]", "", "AttributeAddOnly"},
	)
	if redact {
		rows = append(rows, [4]string{"nickName", "Redact([mailNickname])", "", ""})
	}
	flows := []string{"Add, Update, Delete", "Add", "Add, Update", "Update, Delete", ""}[r.IntN(5)]
	scope := []string{"null", `{"groups": [{"name": "not HR", "clauses": [{"operatorName": "NOT EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["HR"]}}]}]}`}[r.IntN(2)]
	w := &world{rules: []*mapping.CompiledObjectMapping{compileRule(t, ruleJSON(rows, flows, scope))}}
	w.source = &Snapshot{}
	w.target = &Snapshot{}
	n := 5 + r.IntN(40)
	vals := make([]expr.Value, len(sourceAttrs))
	var links []Link
	for i := range n {
		genUser(r, r.IntN(n+5), vals) // ids and names collide now and then
		attrs := map[string]any{}
		for k, a := range sourceAttrs {
			if vals[k] != nil {
				attrs[a] = vals[k]
			}
		}
		if r.IntN(10) == 0 {
			delete(attrs, "userPrincipalName")
			if r.IntN(2) == 0 {
				delete(attrs, "mailNickname")
			}
		}
		if r.IntN(8) == 0 {
			attrs["userPrincipalName"] = strings.ToUpper(expr.Render(vals[1]))
		}
		if r.IntN(3) == 0 {
			attrs["proxyAddresses"] = []string{"SMTP:" + expr.Render(vals[1]), fmt.Sprintf("smtp:alias%d@contoso.com", r.IntN(4))}
		}
		id := fmt.Sprintf("s%03d", i)
		if r.IntN(25) == 0 && i > 0 {
			id = fmt.Sprintf("s%03d", i-1) // a duplicate id
		}
		o := w.source.Add(id, attrs)
		o.Unassigned = r.IntN(7) == 0
		o.Disabled = r.IntN(10) == 0
		o.SoftDeleted = r.IntN(20) == 0

		// The target side of this user.
		env := &objEnv{ix: w.source.index(), o: o}
		tgt, _ := w.rules[0].Apply(env, mappingCreate())
		tattrs := map[string]any{}
		for _, a := range tgt.Attrs {
			tattrs[a.Name] = a.Value
			if r.IntN(6) == 0 {
				tattrs[a.Name] = "drift" // a changed value
			}
			if r.IntN(8) == 0 {
				delete(tattrs, a.Name)
			}
			if s, ok := a.Value.(expr.String); ok && r.IntN(6) == 0 {
				tattrs[a.Name] = strings.ToUpper(string(s)) // a case change
			}
		}
		tid := fmt.Sprintf("t%03d", i)
		switch k := r.IntN(10); {
		case k < 4: // provisioned earlier, linked
			w.target.Add(tid, tattrs)
			links = append(links, Link{Source: id, Target: tid, Provisioned: r.IntN(5) > 0})
		case k < 6: // brownfield: exists, not linked
			w.target.Add(tid, tattrs)
			if r.IntN(6) == 0 {
				w.target.Add(tid+"b", tattrs) // and a duplicate: ambiguous
			}
		case k < 7: // linked, but the target is gone
			links = append(links, Link{Source: id, Target: tid, Provisioned: true})
		}
	}
	// Sources gone since the last cycle, and targets nobody linked.
	for i := range r.IntN(6) {
		tid := fmt.Sprintf("g%03d", i)
		w.target.Add(tid, map[string]any{"userName": tid + "@gone.example", "externalId": tid})
		links = append(links, Link{Source: fmt.Sprintf("gone%03d", i), Target: tid, Provisioned: r.IntN(4) > 0})
	}
	for i := range r.IntN(4) {
		w.target.Add(fmt.Sprintf("x%03d", i), map[string]any{"userName": fmt.Sprintf("svc%d@contoso.com", i)})
	}
	if r.IntN(4) > 0 { // else an initial cycle
		sortLinks(links)
		links = slices.CompactFunc(links, func(a, b Link) bool { return a.Source == b.Source })
		w.state = &State{Links: links}
	}
	var opts Options
	opts.SyncAll = r.IntN(5) == 0
	opts.SkipOutOfScopeDeletions = r.IntN(5) == 0
	if r.IntN(4) == 0 {
		opts.DeletionThreshold = 1 + r.IntN(3)
		opts.AllowDeletions = r.IntN(2) == 0
	}
	return w, opts
}

// shuffled returns copies of the snapshots and state with their objects
// and links in a random order.
func shuffled(r *rand.Rand, w *world) *world {
	s := &world{rules: w.rules, source: &Snapshot{Attributes: w.source.Attributes, Objects: slices.Clone(w.source.Objects)},
		target: &Snapshot{Attributes: w.target.Attributes, Objects: slices.Clone(w.target.Objects)}}
	r.Shuffle(len(s.source.Objects), func(i, j int) { s.source.Objects[i], s.source.Objects[j] = s.source.Objects[j], s.source.Objects[i] })
	r.Shuffle(len(s.target.Objects), func(i, j int) { s.target.Objects[i], s.target.Objects[j] = s.target.Objects[j], s.target.Objects[i] })
	if w.state != nil {
		s.state = &State{Links: slices.Clone(w.state.Links)}
		r.Shuffle(len(s.state.Links), func(i, j int) { s.state.Links[i], s.state.Links[j] = s.state.Links[j], s.state.Links[i] })
	}
	return s
}

func render(t testing.TB, p *Plan, st *State) string {
	t.Helper()
	pj, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	sj, err := st.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return p.String() + string(pj) + string(sj)
}

// TestDiffDeterministic shuffles the snapshots and the state of generated
// worlds and requires byte-identical plans and states, with one worker
// and with several (TestScenariosDeterministic does the same with the
// golden scenarios).
func TestDiffDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	check := func(t *testing.T, w *world, opts Options) { checkDeterministic(t, r, w, opts, 10) }
	for seed := range uint64(30) {
		t.Run(fmt.Sprintf("generated-%d", seed), func(t *testing.T) {
			w, opts := randomWorld(t, rand.New(rand.NewPCG(seed, 99)), true)
			check(t, w, opts)
		})
	}
}

// TestConvergence is the property that makes plans trustworthy: applying a
// plan to the target and planning again (with the new state) yields no
// operation, on generated worlds. The plan also goes through its JSON
// form, as "attrmap plan --json | attrmap apply" does.
func TestConvergence(t *testing.T) {
	seeds := uint64(300)
	if testing.Short() {
		seeds = 50
	}
	for seed := range seeds {
		redact := seed%2 == 0
		w, opts := randomWorld(t, rand.New(rand.NewPCG(seed, 1)), redact)
		p, st, err := w.diff(opts)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, seed, w, p)
		if p.Held != nil {
			// Held deletions wait for an admin; allowing them must converge.
			opts.AllowDeletions = true
			if p, st, err = w.diff(opts); err != nil {
				t.Fatal(err)
			}
		}
		applied, err := Apply(w.target, p)
		if err != nil {
			t.Fatalf("seed %d: apply: %v", seed, err)
		}
		again, st2, err := planOnce(w.rules, w.source, applied, st, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !again.IsEmpty() {
			t.Fatalf("seed %d: no convergence; first plan:\n%s\nsecond plan:\n%s", seed, p, again)
		}
		if diff := cmp.Diff(st.Links, st2.Links); diff != "" && len(again.Errors) == 0 {
			t.Errorf("seed %d: the state moved on a plan without operations (-first +second):\n%s", seed, diff)
		}
		if redact {
			continue // the JSON form does not hold redacted values
		}
		convergesThroughJSON(t, seed, w, p, st, opts)
	}
}

// convergesThroughJSON applies the plan as read back from its JSON form,
// as "attrmap plan --json | attrmap apply" does, and requires that planning
// again with the state st finds nothing to do.
func convergesThroughJSON(t *testing.T, seed uint64, w *world, p *Plan, st *State, opts Options) {
	t.Helper()
	data, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	applied, err := Apply(w.target, &back)
	if err != nil {
		t.Fatalf("seed %d: apply from JSON: %v", seed, err)
	}
	if again, _, _ := planOnce(w.rules, w.source, applied, st, opts); !again.IsEmpty() {
		t.Fatalf("seed %d: no convergence through JSON; second plan:\n%s", seed, again)
	}
}

// checkDeterministic plans the world, then shuffled copies of it with 1 to
// 3 workers, and requires byte-identical plans and states.
func checkDeterministic(t *testing.T, r *rand.Rand, w *world, opts Options, shuffles int) {
	t.Helper()
	p, st, err := w.diff(opts)
	if err != nil {
		t.Fatal(err)
	}
	want := render(t, p, st)
	for i := range shuffles {
		s := shuffled(r, w)
		o := opts
		o.Workers = 1 + i%3
		p, st, err := s.diff(o)
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, p, st); got != want {
			t.Fatalf("shuffle %d gives another plan (-want +got):\n%s", i, cmp.Diff(want, got))
		}
	}
}

// checkInvariants checks what every plan must satisfy: each key once,
// sorted output, and no target touched that the engine did not link or
// match.
func checkInvariants(t *testing.T, seed uint64, w *world, p *Plan) {
	t.Helper()
	seen := map[string]string{}
	note := func(key, what string) {
		if prev, dup := seen[key]; dup {
			t.Errorf("seed %d: key %s appears twice (%s, %s)", seed, key, prev, what)
		}
		seen[key] = what
	}
	all := slices.Concat(p.Ops, p.Skipped)
	if p.Held != nil {
		all = append(all, p.Held.Ops...)
	}
	for _, op := range all {
		note(op.Key, op.Kind.String())
	}
	for _, e := range p.Errors {
		note(e.Key, "error")
	}
	if !slices.IsSortedFunc(p.Ops, func(a, b Op) int { return compareOps(&a, &b) }) {
		t.Errorf("seed %d: ops are not sorted", seed)
	}
	for _, op := range all {
		k := op.Kind
		if k == Skip {
			k = op.Action
		}
		if k != Disable && k != Delete {
			continue
		}
		l, ok := linkOf(w.state, op.Key)
		if !ok || l.Target != op.Target || !l.Provisioned {
			t.Errorf("seed %d: %s of %s -> %s, which this engine did not provision", seed, k, op.Key, op.Target)
		}
	}
}
