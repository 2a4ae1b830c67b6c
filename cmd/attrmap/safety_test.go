package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fullDisk accepts n bytes, then fails as standard output on a full disk
// does.
type fullDisk struct {
	bytes.Buffer
	n int
}

var errNoSpace = errors.New("no space left on device")

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return f.Buffer.Write(p)
	}
	n, _ := f.Buffer.Write(p[:f.n])
	f.n = 0
	return n, errNoSpace
}

// TestStdoutFullDisk runs every command that prints a result with a
// standard output that fails midway: each must exit non-zero and say so.
func TestStdoutFullDisk(t *testing.T) {
	d := planCLIData
	plan := []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--target", d + "target.json", "--state", d + "state.json", "--now", "2024-07-01T09:00:00Z"}
	tests := []struct {
		name string
		fn   cmdFunc
		args []string
	}{
		{"plan", cmdPlan, plan},
		{"plan --json", cmdPlan, append(plan[:len(plan):len(plan)], "--json")},
		{"eval", cmdEval, []string{"-i", "../../testdata/cli/users.csv", `Join(" ", [givenName], [surname])`}},
		{"map", cmdMap, []string{"--schema", d + "schema.json", "-i", d + "source.jsonl"}},
		{"schema fmt", cmdSchema, []string{"fmt", "../../testdata/cli/schema/pasted.json", "--lenient"}},
		{"lint", cmdLint, []string{"../../testdata/cli/lint/exprs.txt"}},
		{"demo", cmdDemo, nil},
		{"funcs", cmdFuncs, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var full bytes.Buffer
			if code := call(tt.fn, tt.name, tt.args, strings.NewReader(""), &full, &bytes.Buffer{}); full.Len() < 20 {
				t.Skipf("prints only %d bytes (exit %d): nothing to cut", full.Len(), code)
			}
			out := &fullDisk{n: full.Len() / 2}
			var errb bytes.Buffer
			code := call(tt.fn, tt.name, tt.args, strings.NewReader(""), out, &errb)
			if code == 0 {
				t.Errorf("exit 0 with half the output lost; stderr %q", errb.String())
			}
			if !strings.Contains(errb.String(), "no space left on device") {
				t.Errorf("stderr %q does not report the failed write", errb.String())
			}
		})
	}
}

// TestPlanFailedWriteKeepsState: when the plan cannot be written, the
// state file keeps the previous cycle, so the next run plans the same
// changes again instead of forgetting them.
func TestPlanFailedWriteKeepsState(t *testing.T) {
	d := planCLIData
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	old := mustReadFile(t, d+"state.json")
	if err := os.WriteFile(state, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--target", d + "target.json", "--state", state, "--out-state", state, "--now", "2024-07-01T09:00:00Z"}
	var errb bytes.Buffer
	if code := call(cmdPlan, "plan", args, nil, &fullDisk{n: 100}, &errb); code == 0 {
		t.Fatal("exit 0 on a failed plan write")
	}
	if got := mustReadFile(t, state); got != old {
		t.Errorf("the state moved although the plan was not written:\n%s", got)
	}
	if !strings.Contains(errb.String(), "the state was not written") {
		t.Errorf("stderr %q", errb.String())
	}
	// With the plan written, the state moves.
	if code := call(cmdPlan, "plan", args, nil, &bytes.Buffer{}, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if got := mustReadFile(t, state); got == old {
		t.Error("the state did not move")
	}
}

// TestPlanRefusesEmptySource: a source export of 0 bytes or [] with a
// state full of links planned deleting everything, exit 0. It is refused
// now, naming the flag that allows it.
func TestPlanRefusesEmptySource(t *testing.T) {
	d := planCLIData
	for _, src := range []string{"", "[]"} {
		args := []string{"--schema", d + "schema.json", "--source", "-", "--target", d + "target.json", "--state", d + "state.json", "--now", "2024-07-01T09:00:00Z"}
		var out, errb bytes.Buffer
		code := call(cmdPlan, "plan", args, strings.NewReader(src), &out, &errb)
		if code == 0 || !strings.Contains(errb.String(), "--allow-source-loss") {
			t.Errorf("source %q: exit %d, stderr %q", src, code, errb.String())
		}
		if strings.Contains(out.String(), "to delete") {
			t.Errorf("source %q: a plan was printed:\n%s", src, out.String())
		}
		code = call(cmdPlan, "plan", append(args, "--allow-source-loss"), strings.NewReader(src), &out, &errb)
		if code != 0 {
			t.Errorf("source %q with --allow-source-loss: exit %d, stderr %q", src, code, errb.String())
		}
	}
}

// TestDeletionGuardOnByDefault: the CLI holds disables and deletes back
// over 500, as Entra Connect and cloud sync ship.
func TestDeletionGuardOnByDefault(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{nil, 500},
		{[]string{"--deletion-threshold", "0"}, 0},
	} {
		var f planFlags
		fs := newFlagSet("plan", planUsage, &bytes.Buffer{})
		f.inputFlags(fs, fileUsage{})
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		opts, err := f.options()
		if err != nil || opts.DeletionThreshold != tt.want {
			t.Errorf("%v: threshold %d, %v; want %d", tt.args, opts.DeletionThreshold, err, tt.want)
		}
	}
}
