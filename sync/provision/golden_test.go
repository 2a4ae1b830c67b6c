package provision_test

// The tests of this file plan the scenarios of testdata/sync, read by
// internal/scenario. That package imports provision, so they live in the
// external test package; the in-package checks they run are lent by
// export_test.go.

import (
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
	"github.com/attrmap/attrmap/internal/scenario"
	"github.com/attrmap/attrmap/sync/provision"
)

// scenarios is testdata/sync.
var scenarios = filepath.Join("..", "..", "testdata", "sync")

func marshal(t *testing.T, v json.Marshaler) string {
	t.Helper()
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGolden runs every scenario of testdata/sync and compares the plan
// (readable and JSON), the new state and the explanations with
// plan.golden. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, sc := range scenario.All(t, scenarios) {
		t.Run(sc.Name, func(t *testing.T) {
			plan, next, err := sc.Plan()
			if err != nil {
				t.Fatal(err)
			}
			g := golden.Open(t, filepath.Join(sc.Dir, "plan.golden"))
			g.Check(t, "plan", plan.String())
			g.Check(t, "plan.json", marshal(t, plan))
			g.Check(t, "state.json", marshal(t, next))
			for _, id := range sc.Explain {
				x, err := sc.ExplainObject(id)
				if err != nil {
					t.Fatal(err)
				}
				g.Check(t, "explain "+id, x.String())
			}

			// Every scenario must converge: applying the plan and
			// planning again changes nothing (held deletions aside).
			applied, err := provision.Apply(sc.Target, plan)
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			next1 := *sc
			next1.Target, next1.State = applied, next
			again, _, err := next1.Plan()
			if err != nil {
				t.Fatal(err)
			}
			if !again.IsEmpty() && plan.Held == nil {
				t.Errorf("the plan does not converge; planning again gives:\n%s", again)
			}
		})
	}
}

// TestScenariosDeterministic shuffles the snapshots and the state of the
// golden scenarios and requires byte-identical plans and states, with one
// worker and with several (TestDiffDeterministic does the same with
// generated worlds).
func TestScenariosDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, sc := range scenario.All(t, scenarios) {
		t.Run(sc.Name, func(t *testing.T) {
			provision.CheckDeterministic(t, r, sc.Rules, sc.Source, sc.Target, sc.State, sc.Options)
		})
	}
}

// TestScenarioJSONUnchanged: the streaming writers write, byte for byte,
// what the reflection-based ones wrote, for every golden scenario's plan
// and state (TestPlanJSONUnchanged checks awkward and large plans).
func TestScenarioJSONUnchanged(t *testing.T) {
	all := scenario.All(t, scenarios)
	if len(all) < 17 {
		t.Fatalf("only %d scenarios: the scenarios were not found", len(all))
	}
	for _, sc := range all {
		p, next, err := sc.Plan()
		if err != nil {
			t.Fatal(err)
		}
		provision.CheckWriters(t, sc.Name, p, next)
	}
}

// FuzzPlanJSON feeds the plan decoder arbitrary input. Whatever it
// accepts must not panic when printed, re-encoded or applied, and must
// read back the same after a round trip (sync/scim fuzzes the SCIM rendering).
//
//	go test ./sync/provision -run '^$' -fuzz FuzzPlanJSON -fuzztime 30s
func FuzzPlanJSON(f *testing.F) {
	for _, dir := range []string{"groups-membership", "references-manager", "multivalued-sets", "attribute-flows"} {
		sc, err := scenario.Load(filepath.Join(scenarios, dir))
		if err != nil {
			f.Fatal(err)
		}
		p, _, err := sc.Plan()
		if err != nil {
			f.Fatal(err)
		}
		data, _ := p.MarshalJSON()
		f.Add(data)
	}
	f.Add([]byte(`{"version": 1, "ops": [{"kind": "update", "key": "a", "target": "t", "changes": [{"name": "x", "old": null, "new": ["a", "b"]}]}]}`))
	f.Add([]byte(`{"version": 2, "ops": [{"kind": "skip", "action": "bogus"}]}`))
	target := &provision.Snapshot{}
	target.Add("t", map[string]any{"members": []string{"a"}})
	f.Fuzz(func(t *testing.T, data []byte) {
		var p provision.Plan
		if err := p.UnmarshalJSON(data); err != nil {
			return
		}
		_ = p.String()
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back provision.Plan
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("a plan it wrote does not read back: %v\n%s", err, out)
		}
		again, _ := back.MarshalJSON()
		if string(again) != string(out) {
			t.Fatalf("the round trip is not stable:\n%s\n%s", out, again)
		}
		_, _ = provision.Apply(target, &p)
	})
}
