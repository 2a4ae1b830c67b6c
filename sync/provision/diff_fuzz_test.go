package provision

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/attrmap/attrmap/mapping"
)

// FuzzDiff plans fuzzed source and target snapshots (and a state linking
// part of them) with the benchmark mapping: Diff never panics, and a
// shuffled copy of the same snapshots gives the same plan, or the same
// refusal.
func FuzzDiff(f *testing.F) {
	f.Add([]byte(`[{"id": "u1", "userPrincipalName": "a@contoso.com", "mailNickname": "a", "displayName": "A"}]`),
		[]byte(`[{"id": "t1", "userName": "a@contoso.com"}]`), uint64(1))
	f.Add([]byte(`[{"id": "u1"}, {"id": "u1", "assigned": false}, {"id": "u2", "objectType": "Group"}]`),
		[]byte(`[{"id": "t1"}, {"id": "t1"}]`), uint64(2))
	f.Add([]byte(`id,userPrincipalName,mailNickname
u1,x@y,x
u2,x@y,x`), []byte(`[]`), uint64(3))
	rule := compileRule(f, ruleJSON(benchMappings, "Add, Update, Delete", "null"))
	f.Fuzz(func(t *testing.T, src, tgt []byte, seed uint64) {
		source, err := DecodeSnapshot(src, SnapshotOptions{})
		if err != nil {
			return
		}
		target, err := DecodeSnapshot(tgt, SnapshotOptions{})
		if err != nil {
			return
		}
		r := rand.New(rand.NewPCG(seed, 9))
		state := &State{}
		for i := range min(len(source.Objects), len(target.Objects)) {
			if r.IntN(2) == 0 {
				state.Links = append(state.Links, Link{Source: source.Objects[i].ID, Target: target.Objects[i].ID, Provisioned: r.IntN(3) > 0})
			}
		}
		sortLinks(state.Links)
		opts := Options{Now: time.Unix(0, 0), AllowSourceLoss: seed%2 == 0}
		w := &world{rules: rule1(rule), source: source, target: target, state: state}
		p1, s1, err1 := w.diff(opts)
		sh := shuffled(r, w)
		p2, s2, err2 := sh.diff(opts)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("shuffling changed the outcome: %v / %v", err1, err2)
		}
		if err1 != nil {
			if err1.Error() != err2.Error() {
				t.Fatalf("shuffling changed the refusal:\n%v\n%v", err1, err2)
			}
			return
		}
		if a, b := render(t, p1, s1), render(t, p2, s2); a != b {
			t.Fatalf("shuffling changed the plan:\n%s", firstDifference(a, b))
		}
	})
}

func rule1(r *mapping.CompiledObjectMapping) []*mapping.CompiledObjectMapping {
	return []*mapping.CompiledObjectMapping{r}
}
