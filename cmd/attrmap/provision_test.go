package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/sync/execute"
)

// The live runs are tested end to end in internal/interop (against a SCIM
// server); these are the command line's own checks.
func TestRunUsage(t *testing.T) {
	d := "../../testdata/sync/groups-membership/"
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"--schema", d + "schema.json", "--source", d + "source.json", "--state", filepath.Join(dir, "state.json")}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no scim", with("--token-file", token), 2, "missing --scim URL"},
		{"no state", []string{"--schema", d + "schema.json", "--source", d + "source.json", "--scim", "http://127.0.0.1:1"}, 2, "missing --state FILE"},
		{"two tokens", with("--scim", "http://127.0.0.1:1", "--token-file", token, "--token-env", "X"), 2, "not both"},
		{"bad schedule", with("--scim", "http://127.0.0.1:1", "--token-file", token, "--escrow-schedule", "weekly"), 2, `unknown --escrow-schedule "weekly"`},
		{"lookup and target", with("--scim", "http://127.0.0.1:1", "--token-file", token, "--lookup", "--target", d+"target.json"), 2, "cannot be combined"},
		{"no token", with("--scim", "http://127.0.0.1:1", "--token-env", "ATTRMAP_TEST_NO_SUCH_VARIABLE"), 2, "environment variable ATTRMAP_TEST_NO_SUCH_VARIABLE is not set"},
		{"credentials in the URL", with("--scim", "http://user:pw@127.0.0.1:1", "--token-file", token), 2, "must not hold credentials"},
		{"app down", with("--scim", "http://127.0.0.1:1", "--token-file", token, "--timeout", "1s"), 1, "reading the target"},
		{"negative threshold", with("--scim", "http://127.0.0.1:1", "--token-file", token, "--deletion-threshold", "-1"), 2, "--deletion-threshold must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := call(cmdRun, "run", tt.args, strings.NewReader(""), &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), tt.code, tt.want)
			}
		})
	}
}

// A dry run against a snapshot file needs no app and writes only logs.
func TestRunDryRunTarget(t *testing.T) {
	d := "../../testdata/sync/groups-membership/"
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	var out, errb bytes.Buffer
	code := call(cmdRun, "run", []string{"--schema", d + "schema.json", "--source", d + "source.json", "--target", d + "target.json",
		"--state", state, "--dry-run", "--now", "2024-07-01T09:00:00Z"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "to create") {
		t.Errorf("no summary: %s", out.String())
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote the state: %v", err)
	}
	logs, err := os.ReadFile(state + ".logs.jsonl")
	if err != nil || !bytes.Contains(logs, []byte(`"Dry run: the request was not sent"`)) {
		t.Errorf("dry-run logs: %v %.200s", err, logs)
	}
}

// TestRunProgressForced: --progress reports each finished stage even when
// standard error is not a terminal.
func TestRunProgressForced(t *testing.T) {
	d := "../../testdata/sync/groups-membership/"
	var out, errb bytes.Buffer
	code := call(cmdRun, "run", []string{"--schema", d + "schema.json", "--source", d + "source.json", "--target", d + "target.json",
		"--state", filepath.Join(t.TempDir(), "state.json"), "--dry-run", "--progress", "--now", "2024-07-01T09:00:00Z"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(errb.String(), "attrmap run: read target") {
		t.Errorf("exit %d, stderr %q; want the read target stage", code, errb.String())
	}
}

// TestRunProgressBar: run reports the requests it sends through the
// shared progress tracker, with the rate, the share of the total and the
// time left.
func TestRunProgressBar(t *testing.T) {
	tr := &tracker{label: "requests sent"}
	tr.set(10, 40)
	if got, want := tr.line(2*time.Second), "10 requests sent, 5/s, 25% of 40, ETA 6s"; got != want {
		t.Errorf("progress line %q, want %q", got, want)
	}
}

func TestKillHook(t *testing.T) {
	t.Setenv(killEnv, "")
	if killHook() != nil {
		t.Error("a hook without ATTRMAP_TEST_KILL")
	}
	for _, bad := range []string{"soon:1", "after:x", "after"} {
		t.Setenv(killEnv, bad)
		if killHook() != nil {
			t.Errorf("a hook for %q", bad)
		}
	}
	t.Setenv(killEnv, "after:2")
	h := killHook()
	if h == nil {
		t.Fatal("no hook for after:2")
	}
	h(execute.BeforeRequest, 2) // not the point: returns
	h(execute.AfterResponse, 1) // not the request: returns
}
