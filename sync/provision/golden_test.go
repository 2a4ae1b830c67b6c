package provision

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/internal/golden"
	"github.com/attrmap/attrmap/mapping"
)

// scenario is one directory of testdata/sync: a schema, two snapshots, an
// optional state and optional options, and the golden plan.
type scenario struct {
	name           string
	rules          []*mapping.CompiledObjectMapping
	source, target *Snapshot
	state          *State
	opts           Options
	explain        []string
}

// scenarioOptions is options.json: the Options of the run, and the ids to
// explain in the golden file.
type scenarioOptions struct {
	SyncAll                 bool     `json:"syncAll"`
	SkipOutOfScopeDeletions bool     `json:"skipOutOfScopeDeletions"`
	DeletionThreshold       int      `json:"deletionThreshold"`
	AllowDeletions          bool     `json:"allowDeletions"`
	Now                     string   `json:"now"`
	Explain                 []string `json:"explain"`
}

func loadScenario(t testing.TB, dir string) *scenario {
	t.Helper()
	sc := &scenario{name: filepath.Base(dir)}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	schema, err := mapping.Decode(read("schema.json"))
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	if sc.rules, err = schema.CompileRule(""); err != nil {
		t.Fatalf("schema: %v", err)
	}
	if sc.source, err = DecodeSnapshot(read("source.json"), SnapshotOptions{}); err != nil {
		t.Fatalf("source: %v", err)
	}
	if sc.target, err = DecodeSnapshot(read("target.json"), SnapshotOptions{}); err != nil {
		t.Fatalf("target: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "state.json")); err == nil {
		sc.state = &State{}
		if err := json.Unmarshal(read("state.json"), sc.state); err != nil {
			t.Fatalf("state: %v", err)
		}
	}
	sc.opts.Now = time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	if _, err := os.Stat(filepath.Join(dir, "options.json")); err == nil {
		var o scenarioOptions
		dec := json.NewDecoder(strings.NewReader(string(read("options.json"))))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("options: %v", err)
		}
		sc.opts.SyncAll, sc.opts.SkipOutOfScopeDeletions = o.SyncAll, o.SkipOutOfScopeDeletions
		sc.opts.DeletionThreshold, sc.opts.AllowDeletions = o.DeletionThreshold, o.AllowDeletions
		if o.Now != "" {
			if sc.opts.Now, err = time.Parse(time.RFC3339, o.Now); err != nil {
				t.Fatalf("options: %v", err)
			}
		}
		sc.explain = o.Explain
	}
	return sc
}

func scenarioDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "sync", "*", "schema.json"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for i := range dirs {
		dirs[i] = filepath.Dir(dirs[i])
	}
	return dirs
}

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
	for _, dir := range scenarioDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			sc := loadScenario(t, dir)
			plan, next, err := planOnce(sc.rules, sc.source, sc.target, sc.state, sc.opts)
			if err != nil {
				t.Fatal(err)
			}
			g := golden.Open(t, filepath.Join(dir, "plan.golden"))
			g.Check(t, "plan", plan.String())
			g.Check(t, "plan.json", marshal(t, plan))
			g.Check(t, "state.json", marshal(t, next))
			for _, id := range sc.explain {
				x, err := explainOnce(sc.rules, sc.source, sc.target, sc.state, sc.opts, id)
				if err != nil {
					t.Fatal(err)
				}
				g.Check(t, "explain "+id, x.String())
			}

			// Every scenario must converge: applying the plan and
			// planning again changes nothing (held deletions aside).
			applied, err := Apply(sc.target, plan)
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			again, _, err := planOnce(sc.rules, sc.source, applied, next, sc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !again.IsEmpty() && plan.Held == nil {
				t.Errorf("the plan does not converge; planning again gives:\n%s", again)
			}
		})
	}
}
