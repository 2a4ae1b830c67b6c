package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzSession feeds fuzzed lines to a session, and the same text as a
// file to :load: no input panics, and the session stays usable.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"Join(\",\",\n\"a\",\n[b])",
		":set a = \"x\"\n[a]",
		":load nothing.json",
		"\"unterminated\n\n",
		":trace Replace([a], , \"(a|aa)+\", , \"\", , )",
		`{"givenName": "Zoë", "x": [1, {"y": null}]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		s := New()
		for line := range strings.SplitSeq(data, "\n") {
			if _, quit, _ := s.Process(line); quit {
				return
			}
		}
		path := filepath.Join(t.TempDir(), "object.json")
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		s.Reset()
		s.Process(":load " + path)
		if _, _, err := s.Process(`"still usable"`); err != nil {
			t.Fatalf("session unusable after the input: %v", err)
		}
	})
}
