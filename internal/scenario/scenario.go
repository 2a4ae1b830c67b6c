// Package scenario loads the sync scenarios of testdata/sync (a schema,
// source and target snapshots, an optional state and options): the one
// loader of the tests that plan them. Those are the planner's golden,
// fuzz and property tests (in package provision_test, since this package
// imports provision; they reach the in-package oracles through
// sync/provision/export_test.go), sync/scim's and the SCIM
// interoperability module's.
package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// Scenario is one directory of testdata/sync.
type Scenario struct {
	// Name is the directory's name.
	Name string
	// Dir is the directory.
	Dir            string
	Rules          []*mapping.CompiledObjectMapping
	Source, Target *provision.Snapshot
	// State is nil when the scenario has no state.json.
	State   *provision.State
	Options provision.Options
	// Explain lists the ids whose explanations the planner's golden test
	// keeps (options.json "explain").
	Explain []string
}

// options is options.json: the Options of the run, and the ids to explain.
type options struct {
	SyncAll                 bool     `json:"syncAll"`
	SkipOutOfScopeDeletions bool     `json:"skipOutOfScopeDeletions"`
	DeletionThreshold       int      `json:"deletionThreshold"`
	AllowDeletions          bool     `json:"allowDeletions"`
	Now                     string   `json:"now"`
	Explain                 []string `json:"explain"`
}

// Dirs returns the scenario directories under root (testdata/sync), sorted.
func Dirs(root string) ([]string, error) {
	dirs, err := filepath.Glob(filepath.Join(root, "*", "schema.json"))
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no scenarios under %s", root)
	}
	for i := range dirs {
		dirs[i] = filepath.Dir(dirs[i])
	}
	return dirs, nil
}

// All loads every scenario under root (testdata/sync), sorted by
// directory; a scenario that does not load fails t.
func All(t testing.TB, root string) []*Scenario {
	t.Helper()
	dirs, err := Dirs(root)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]*Scenario, len(dirs))
	for i, dir := range dirs {
		if all[i], err = Load(dir); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

// Load reads the scenario in dir. The clock is 2024-07-01T09:00:00Z
// unless options.json sets "now".
func Load(dir string) (*Scenario, error) {
	sc := &Scenario{Name: filepath.Base(dir), Dir: dir}
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	fail := func(file string, err error) (*Scenario, error) {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, file), err)
	}
	data, err := read("schema.json")
	if err != nil {
		return nil, err
	}
	schema, err := mapping.Decode(data)
	if err != nil {
		return fail("schema.json", err)
	}
	if sc.Rules, err = schema.CompileRule(""); err != nil {
		return fail("schema.json", err)
	}
	for _, f := range []struct {
		name string
		dst  **provision.Snapshot
	}{{"source.json", &sc.Source}, {"target.json", &sc.Target}} {
		data, err := read(f.name)
		if err != nil {
			return nil, err
		}
		if *f.dst, err = provision.DecodeSnapshot(data, provision.SnapshotOptions{}); err != nil {
			return fail(f.name, err)
		}
	}
	if data, err := read("state.json"); err == nil {
		sc.State = &provision.State{}
		if err := json.Unmarshal(data, sc.State); err != nil {
			return fail("state.json", err)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	sc.Options.Now = time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	if data, err := read("options.json"); err == nil {
		var o options
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return fail("options.json", err)
		}
		sc.Options.SyncAll, sc.Options.SkipOutOfScopeDeletions = o.SyncAll, o.SkipOutOfScopeDeletions
		sc.Options.DeletionThreshold, sc.Options.AllowDeletions = o.DeletionThreshold, o.AllowDeletions
		sc.Explain = o.Explain
		if o.Now != "" {
			if sc.Options.Now, err = time.Parse(time.RFC3339, o.Now); err != nil {
				return fail("options.json", err)
			}
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	return sc, nil
}

// Plan plans the scenario with a provision.Planner made for it.
func (sc *Scenario) Plan() (*provision.Plan, *provision.State, error) {
	p, err := provision.NewPlanner(sc.Rules, sc.Options)
	if err != nil {
		return nil, nil, err
	}
	return p.Plan(context.Background(), sc.Source, sc.Target, sc.State)
}

// ExplainObject explains what planning the scenario does to the object
// with id.
func (sc *Scenario) ExplainObject(id string) (*provision.Explanation, error) {
	p, err := provision.NewPlanner(sc.Rules, sc.Options)
	if err != nil {
		return nil, err
	}
	return p.Explain(context.Background(), sc.Source, sc.Target, sc.State, id)
}
