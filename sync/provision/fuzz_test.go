package provision

import (
	"os"
	"path/filepath"
	"testing"
)

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
