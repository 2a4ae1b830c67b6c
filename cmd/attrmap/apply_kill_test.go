package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestApplyKilledInPlace kills attrmap apply -o, writing onto its own
// input, at varied moments and just before the rename (SIGKILL, no
// cleanup): the file is then always either the whole old target or the
// whole new one, never a truncated mix (a kill used to leave it at 0 bytes).
// The command runs as a real process: the test binary running main.
func TestApplyKilledInPlace(t *testing.T) {
	d := planCLIData
	dir := t.TempDir()
	var planOut bytes.Buffer
	if code := call(cmdPlan, "plan", []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--now", "2024-07-01T09:00:00Z",
		"--target", d + "target.json", "--state", d + "state.json", "--json"}, nil, &planOut, os.Stderr); code != 0 {
		t.Fatalf("plan: exit %d", code)
	}
	plan := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(plan, planOut.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// The sample target and objects the plan does not touch, so that
	// apply takes long enough to be killed while it reads, applies and
	// writes.
	var objs []map[string]any
	if err := json.Unmarshal([]byte(mustReadFile(t, d+"target.json")), &objs); err != nil {
		t.Fatal(err)
	}
	for i := range 20000 {
		objs = append(objs, map[string]any{"id": fmt.Sprintf("f-%d", i), "userName": fmt.Sprintf("filler%d@contoso.com", i), "active": true})
	}
	oldData, err := json.MarshalIndent(objs, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target.json")
	// The new content: the same apply, not killed, into another file.
	if err := os.WriteFile(target, oldData, 0o644); err != nil {
		t.Fatal(err)
	}
	expected := filepath.Join(dir, "expected.json")
	if code := call(cmdApply, "apply", []string{"--plan", plan, "--target", target, "-o", expected}, nil, os.Stdout, os.Stderr); code != 0 {
		t.Fatalf("apply: exit %d", code)
	}
	newData := []byte(mustReadFile(t, expected))
	if bytes.Equal(oldData, newData) {
		t.Fatal("the plan changes nothing: the test would prove nothing")
	}
	classify := func(data []byte) string {
		switch {
		case bytes.Equal(data, oldData):
			return "old"
		case bytes.Equal(data, newData):
			return "new"
		}
		return fmt.Sprintf("neither (%d bytes; old %d, new %d)", len(data), len(oldData), len(newData))
	}

	// start runs apply -o in place on a fresh copy of the old target, with
	// the test-only kill hook spec (see killEnv) when it is not empty.
	start := func(t *testing.T, spec string) *exec.Cmd {
		t.Helper()
		if err := os.WriteFile(target, oldData, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "apply", "--plan", plan, "--target", target, "-o", target)
		cmd.Env = append(os.Environ(), "ATTRMAP_TEST_MAIN=1", killEnv+"="+spec)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	killed := func(cmd *exec.Cmd) bool {
		return cmd.ProcessState != nil && !cmd.ProcessState.Exited()
	}

	t.Run("just before the rename", func(t *testing.T) {
		cmd := start(t, "rename")
		cmd.Wait()
		if !killed(cmd) {
			t.Fatalf("apply was not killed: %v", cmd.ProcessState)
		}
		if got := classify([]byte(mustReadFile(t, target))); got != "old" {
			t.Errorf("after a kill before the rename the target is %s, want the old content", got)
		}
		// The kill came with the new content complete and synced in the
		// temporary file, a moment before it would have replaced the
		// target.
		tmps, _ := filepath.Glob(filepath.Join(dir, ".target.json.tmp-*"))
		if len(tmps) != 1 {
			t.Fatalf("temporary files %v, want one", tmps)
		}
		if got := classify([]byte(mustReadFile(t, tmps[0]))); got != "new" {
			t.Errorf("the temporary file is %s, want the new content", got)
		}
		os.Remove(tmps[0])
	})

	t.Run("varied moments", func(t *testing.T) {
		seen := map[string]int{}
		for _, delay := range []time.Duration{0, 1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000} {
			cmd := start(t, "")
			time.Sleep(delay * time.Millisecond)
			cmd.Process.Kill()
			cmd.Wait()
			got := classify([]byte(mustReadFile(t, target)))
			if got != "old" && got != "new" {
				t.Errorf("killed after %d ms: the target is %s", delay, got)
			}
			if killed(cmd) {
				seen["killed, "+got]++
			} else {
				seen["finished, "+got]++
			}
		}
		// Which moments a kill hits depends on the machine; the log shows
		// what this run covered.
		t.Logf("outcomes: %v", seen)
	})

	t.Run("not killed", func(t *testing.T) {
		cmd := start(t, "")
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
		if got := classify([]byte(mustReadFile(t, target))); got != "new" {
			t.Errorf("the target is %s, want the new content", got)
		}
	})
}
