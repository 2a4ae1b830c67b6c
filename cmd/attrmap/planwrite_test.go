package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/sync/provision"
)

// TestPlanStateWrittenBesideThePlan: the state, written while the plan is
// printed, is exactly State.MarshalJSON's text once the plan is out; when
// the plan cannot be written, no temporary file is left beside the old
// state; and a state that cannot be created is an error after the plan.
func TestPlanStateWrittenBesideThePlan(t *testing.T) {
	d := planCLIData
	for _, format := range []string{"json", "text", "scim"} {
		dir := t.TempDir()
		state := filepath.Join(dir, "state.json")
		args := []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--target", d + "target.json", "--state", d + "state.json",
			"--out-state", state, "--now", "2024-07-01T09:00:00Z", "--format", format}
		var out, errb bytes.Buffer
		if code := call(cmdPlan, "plan", args, nil, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		f, err := os.Open(state)
		if err != nil {
			t.Fatal(err)
		}
		st, err := provision.ReadState(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: the state written does not read back: %v", format, err)
		}
		want, _ := st.MarshalJSON()
		if got := mustReadFile(t, state); got != string(want) {
			t.Errorf("%s: the state file is not State.MarshalJSON's text:\n%s", format, got)
		}

		// The plan fails: the old state stays, alone.
		if code := call(cmdPlan, "plan", args, nil, &fullDisk{n: 50}, &errb); code == 0 {
			t.Fatalf("%s: exit 0 on a failed plan write", format)
		}
		if got := mustReadFile(t, state); got != string(want) {
			t.Errorf("%s: the state moved although the plan was not written", format)
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, []string{"state.json"}) {
			t.Errorf("%s: after a failed plan the directory holds %v, want only state.json", format, names)
		}
	}
	args := []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--target", d + "target.json", "--state", d + "state.json",
		"--out-state", filepath.Join(t.TempDir(), "missing", "state.json"), "--now", "2024-07-01T09:00:00Z", "--json"}
	var out, errb bytes.Buffer
	if code := call(cmdPlan, "plan", args, nil, &out, &errb); code == 0 || !strings.Contains(errb.String(), "missing") {
		t.Errorf("a state that cannot be created: exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), `"version": 2`) {
		t.Errorf("the plan was not printed before the state's error:\n%s", out.String())
	}
}
