package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/fuzzmin"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/google/go-cmp/cmp"
)

// TestMain lets the tests run the real main in a child process (the test
// binary itself, with ATTRMAP_TEST_MAIN=1), to send it signals. Under
// go test -fuzz it bounds the minimisation of new inputs (internal/fuzzmin):
// a fuzz target here runs a whole command per call.
func TestMain(m *testing.M) {
	if os.Getenv("ATTRMAP_TEST_MAIN") == "1" {
		os.Args = append([]string{"attrmap"}, os.Args[1:]...)
		main()
	}
	os.Exit(fuzzmin.Main(m))
}

func TestReport(t *testing.T) {
	_, compileErr := expr.Compile(`Jion("a")`)
	tests := []struct {
		name   string
		err    error
		status int
		text   string
	}{
		{"nil", nil, exitOK, ""},
		{"plain", errors.New("boom"), exitFailure, "attrmap x: boom\n"},
		{"wrapped plain", fmt.Errorf("a.json: %w", io.ErrUnexpectedEOF), exitFailure, "attrmap x: a.json: unexpected EOF\n"},
		{"usage", usagef("missing --schema FILE"), exitUsage, "attrmap x: missing --schema FILE\nRun 'attrmap help x' for usage.\n"},
		{"usage reported", errUsageReported, exitUsage, ""},
		{"help shown", errHelpShown, exitOK, ""},
		{"reported", errReported, exitFailure, ""},
		{"in file", inFile("s.json", errors.New("3 problems")), exitFailure, "s.json: 3 problems\n"},
		{"expression", exprFailure(compileErr), exitFailure, "unknown function \"Jion\" (1:1)\n | Jion(\"a\")\n | ^\nhint: did you mean \"Join\"?\n"},
		{"canceled", context.Canceled, exitInterrupted, "attrmap x: interrupted\n"},
		{"canceled wrapped", fmt.Errorf("reading: %w", context.Canceled), exitInterrupted, "attrmap x: interrupted\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if got := report(&b, "x", tt.err); got != tt.status {
				t.Errorf("status = %d, want %d", got, tt.status)
			}
			if diff := cmp.Diff(tt.text, b.String()); diff != "" {
				t.Errorf("printed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCancelled runs long commands with a context that is already
// cancelled: each stops with status 130 and prints no result.
func TestCancelled(t *testing.T) {
	t.Chdir("../..")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var rows strings.Builder
	rows.WriteString("id\n")
	for i := range 5 * checkEvery {
		fmt.Fprintf(&rows, "u%d\n", i)
	}
	for _, tt := range []struct {
		args  []string
		stdin string
	}{
		{[]string{"demo"}, ""},
		{[]string{"eval", "-i", "-", "[id]"}, rows.String()},
		{[]string{"plan", "--schema", "testdata/cli/plan/schema.json", "--source", "testdata/cli/plan/source.jsonl", "--target", "testdata/cli/plan/target.json"}, ""},
		{[]string{"scope", "--filter", "testdata/scoping/filters/sales.json", "-i", "-"}, rows.String()},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := runContext(ctx, tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if status != exitInterrupted {
				t.Errorf("status = %d, want %d; stderr:\n%s", status, exitInterrupted, stderr.String())
			}
			if !strings.HasSuffix(stderr.String(), "interrupted\n") {
				t.Errorf("stderr = %q, want it to end in interrupted", stderr.String())
			}
			if strings.Contains(stdout.String(), "to create") {
				t.Errorf("a plan was printed after the interruption:\n%s", stdout.String())
			}
		})
	}
}

// TestPlanCancelledWhilePlanning cancels the context while the planner
// runs (at the end of its index stage, through the progress hook): the
// plan stops with context.Canceled, prints nothing and writes no state.
func TestPlanCancelledWhilePlanning(t *testing.T) {
	schema, err := mapping.Decode(demoSchema)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := schema.CompileRule("")
	if err != nil {
		t.Fatal(err)
	}
	source, err := provision.DecodeSnapshot(demoSource, provision.SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	target, err := provision.DecodeSnapshot(demoTarget, provision.SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := provision.Options{Progress: func(stage string, _ int) {
		if stage == "index" {
			cancel()
		}
	}}
	out := t.TempDir() + "/state.json"
	var stdout, stderr bytes.Buffer
	err = runPlan(ctx, rules, source, target, nil, opts, planFlags{outState: out}, &stdout, &stderr)
	if !errors.Is(err, context.Canceled) || exitStatus(err) != exitInterrupted {
		t.Errorf("runPlan = %v, want context.Canceled", err)
	}
	if stdout.Len()+stderr.Len() > 0 {
		t.Errorf("printed %q and %q after the cancel", stdout.String(), stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the state was written after the cancel (stat: %v)", err)
	}
}

// TestInterruptSignal starts attrmap plan reading its source from a pipe
// that never ends, sends it SIGINT, and checks that it stops at once with
// status 130 and writes no state.
func TestInterruptSignal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	dir := t.TempDir()
	d := "../../testdata/cli/plan/"
	cmd := exec.Command(os.Args[0], "plan", "--schema", d+"schema.json", "--source", "-", "--target", d+"target.json", "--out-state", dir+"/state.json")
	cmd.Env = append(os.Environ(), "ATTRMAP_TEST_MAIN=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// More than a pipe buffer (64 KiB): the write returns only once the
	// child reads, so its signal handler is installed by then, however
	// slowly a loaded machine starts it.
	var lines strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&lines, `{"id": "u%d", "userPrincipalName": "a%d@contoso.com"}`+"\n", i, i)
	}
	// stdin stays open: the child cannot finish, so whenever the signal
	// arrives it interrupts the read or the planning, and no sleep is
	// needed.
	io.WriteString(stdin, lines.String())
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Only a guard against a hang: the interruption is immediate, but a
	// loaded machine (go test -race ./... on two cores) can take seconds
	// to schedule the child.
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("attrmap plan did not stop within 2 minutes of SIGINT")
	}
	if got := cmd.ProcessState.ExitCode(); got != exitInterrupted {
		t.Errorf("exit status = %d, want %d; stderr:\n%s", got, exitInterrupted, stderr.String())
	}
	if want := "attrmap plan: interrupted\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
	if _, err := os.Stat(dir + "/state.json"); !os.IsNotExist(err) {
		t.Errorf("the state was written after the interruption (stat: %v)", err)
	}
}

// TestExitStatusPerCommand checks the exit-status table of the README for
// every command: each row is a command line and the status it must end
// with.
func TestExitStatusPerCommand(t *testing.T) {
	t.Chdir("../..")
	const (
		user    = "testdata/cli/user.json"
		schema  = "testdata/schemas/graph-salesforce.json"
		planDir = "testdata/cli/plan/"
	)
	plan := []string{"plan", "--schema", planDir + "schema.json", "--source", planDir + "source.jsonl", "--target", planDir + "target.json", "--now", "2024-07-01T09:00:00Z"}
	tests := []struct {
		args   []string
		stdin  string
		status int
	}{
		{[]string{"eval", "[a]"}, "", exitOK},
		{[]string{"eval", "Jion([a])"}, "", exitFailure},
		{[]string{"eval", "-i", "testdata/cli/users.csv", "Left([surname], [employeeId])"}, "", exitFailure},
		{[]string{"eval", "--batch", "-"}, `{"id": 1, "expression": "[a]"}`, exitOK},
		{[]string{"eval", "--batch", "-"}, `{"id": 1, "expression": "Jion([a])"}`, exitFailure},
		{[]string{"eval", "--jsn", "[a]"}, "", exitUsage},
		{[]string{"funcs", "Join"}, "", exitOK},
		{[]string{"funcs", "Jion"}, "", exitFailure},
		{[]string{"scope", "--filter", "testdata/scoping/filters/sales.json", "-i", "testdata/cli/scope/users.csv"}, "", exitOK},
		{[]string{"scope", "--batch", "-"}, `{"id": 1, "filter": null, "object": {}}`, exitOK},
		{[]string{"scope", "--batch", "-"}, `{"id": 1, "filter": null}`, exitFailure},
		{[]string{"scope"}, "", exitUsage},
		{[]string{"schema", "validate", schema}, "", exitOK},
		{[]string{"schema", "validate", "testdata/cli/schema/problems.json"}, "", exitFailure},
		{[]string{"schema", "diff", schema, schema}, "", exitOK},
		{[]string{"schema", "diff", "testdata/cli/schema/diff-old.json", "testdata/cli/schema/diff-new.json"}, "", exitFailure},
		{[]string{"schema", "diff", schema, "nope.json"}, "", exitUsage},
		{[]string{"map", "--schema", schema}, `{"userPrincipalName": "a@contoso.com"}`, exitOK},
		{[]string{"map", "--schema", "testdata/schemas/scim-app.json"}, `{}`, exitFailure},
		{[]string{"map"}, "", exitUsage},
		{append(plan, "--state", planDir+"state.json"), "", exitOK},
		{append(plan, "--explain", "u-carol"), "", exitOK},
		{append(plan, "--format", "yaml"), "", exitUsage},
		{[]string{"apply", "--plan", "nope.json", "--target", planDir + "target.json"}, "", exitFailure},
		{[]string{"lint", "Join([a], [b])"}, "", exitOK},
		{[]string{"lint", "Jion([a])"}, "", exitFailure},
		{[]string{"lint", "--strict", "Item([p], 0)"}, "", exitFailure},
		{[]string{"lint", "nothere.json"}, "", exitFailure},
		{[]string{"repl"}, "ToLower(\"A\")\n", exitOK},
		{[]string{"repl"}, "Jion(\"A\")\n", exitFailure},
		{[]string{"demo"}, "", exitOK},
		{[]string{"version"}, "", exitOK},
		{[]string{"completion", "bash"}, "", exitOK},
		{[]string{"completion", "tcsh"}, "", exitUsage},
		{[]string{"help", "eval"}, "", exitOK},
		{[]string{"evla"}, "", exitUsage},
		{nil, "", exitUsage},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr); got != tt.status {
				t.Errorf("attrmap %s: exit %d, want %d; stderr:\n%s", name, got, tt.status, stderr.String())
			}
		})
	}
}
