package provision

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzPlanJSON feeds the plan decoder arbitrary input. Whatever it
// accepts must not panic when printed, re-encoded or applied, and must
// read back the same after a round trip (sync/scim fuzzes the SCIM rendering).
//
//	go test ./sync/provision -run '^$' -fuzz FuzzPlanJSON -fuzztime 30s
func FuzzPlanJSON(f *testing.F) {
	for _, dir := range []string{"groups-membership", "references-manager", "multivalued-sets", "attribute-flows"} {
		s := loadScenario(f, filepath.Join("..", "..", "testdata", "sync", dir))
		p, _, err := planOnce(s.rules, s.source, s.target, s.state, s.opts)
		if err != nil {
			f.Fatal(err)
		}
		data, _ := p.MarshalJSON()
		f.Add(data)
	}
	f.Add([]byte(`{"version": 1, "ops": [{"kind": "update", "key": "a", "target": "t", "changes": [{"name": "x", "old": null, "new": ["a", "b"]}]}]}`))
	f.Add([]byte(`{"version": 2, "ops": [{"kind": "skip", "action": "bogus"}]}`))
	target := &Snapshot{}
	target.Add("t", map[string]any{"members": []string{"a"}})
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Plan
		if err := p.UnmarshalJSON(data); err != nil {
			return
		}
		_ = p.String()
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Plan
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("a plan it wrote does not read back: %v\n%s", err, out)
		}
		again, _ := back.MarshalJSON()
		if string(again) != string(out) {
			t.Fatalf("the round trip is not stable:\n%s\n%s", out, again)
		}
		_, _ = Apply(target, &p)
	})
}

// FuzzStateJSON: the state decoder never panics, and what it accepts
// writes and reads back the same.
func FuzzStateJSON(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sync", "groups-membership", "state.json")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"version": 1, "rule": "r", "links": [{"source": "a", "target": "b", "provisioned": true}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s State
		if err := s.UnmarshalJSON(data); err != nil {
			return
		}
		out, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back State
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("a state it wrote does not read back: %v\n%s", err, out)
		}
		if again, _ := back.MarshalJSON(); string(again) != string(out) {
			t.Fatalf("the round trip is not stable:\n%s\n%s", out, again)
		}
	})
}
