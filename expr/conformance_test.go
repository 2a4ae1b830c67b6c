package expr

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// conformanceDir holds the data-driven cases: every documented example of
// the reference pages, plus edge and must-fail cases.
const conformanceDir = "../testdata/expr"

// loadCases reads every *.jsonl file of the conformance directory.
func loadCases(t testing.TB) []testCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(conformanceDir, "*.jsonl"))
	// dotnet/ holds the sample of the differential test against .NET
	// (internal/dotnet), checked in so that it runs without Mono.
	more, _ := filepath.Glob(filepath.Join(conformanceDir, "dotnet", "*.jsonl"))
	files = append(files, more...)
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files in %s (%v)", conformanceDir, err)
	}
	var cases []testCase
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "//") {
				continue
			}
			var c testCase
			dec := json.NewDecoder(strings.NewReader(text))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				t.Fatalf("%s:%d: %v", f, line, err)
			}
			if c.ID == "" || c.Expr == "" && c.Error == "" {
				t.Fatalf("%s:%d: a case needs an id and an expr", f, line)
			}
			if prev, dup := seen[c.ID]; dup {
				t.Fatalf("%s:%d: duplicate id %q (also in %s)", f, line, c.ID, prev)
			}
			seen[c.ID] = filepath.Base(f)
			c.line = line
			cases = append(cases, c)
		}
	}
	return cases
}

// loadSkips reads skip.txt: "id  reason" per line, for cases knowingly not
// passing yet. Every skip needs a reason.
func loadSkips(t testing.TB) map[string]string {
	t.Helper()
	skips := map[string]string{}
	data, err := os.ReadFile(filepath.Join(conformanceDir, "skip.txt"))
	if os.IsNotExist(err) {
		return skips
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			t.Fatalf("skip.txt: %q has no reason", id)
		}
		skips[id] = strings.TrimSpace(reason)
	}
	return skips
}

func TestConformance(t *testing.T) {
	cases := loadCases(t)
	skips := loadSkips(t)
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			if reason, ok := skips[c.ID]; ok {
				t.Skip(reason)
			}
			c.run(t)
		})
	}
}
