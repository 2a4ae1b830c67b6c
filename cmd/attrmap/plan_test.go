package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
)

const planCLIData = "../../testdata/cli/plan/"

func TestCmdPlan(t *testing.T) {
	g := golden.Open(t, planCLIData+"plan.golden")
	d := planCLIData
	base := []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--target", d + "target.json", "--state", d + "state.json", "--now", "2024-07-01T09:00:00Z"}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	tests := []struct {
		name  string
		args  []string
		stdin string
	}{
		{"summary", with(), ""},
		{"json", with("--json"), ""},
		{"explain an update", with("--explain", "u-carol"), ""},
		{"explain as JSON", with("--explain", "u-carol", "--json"), ""},
		{"explain a disable", with("--explain", "u-alice"), ""},
		{"explain a delete by target id", with("--explain", "t-2"), ""},
		{"explain an unassigned user", with("--explain", "u-dana"), ""},
		{"deletion threshold", with("--deletion-threshold", "2"), ""},
		{"skip out-of-scope deletions", with("--skip-out-of-scope-deletions"), ""},
		{"initial cycle from csv on stdin", []string{"--schema", d + "schema.json", "--source", "-", "--target", d + "target.json", "--now", "2024-07-01T09:00:00Z"}, mustReadFile(t, d+"source.csv")},
		{"unknown explain id", with("--explain", "nobody"), ""},
		{"missing target", []string{"--schema", d + "schema.json", "--source", d + "source.jsonl"}, ""},
		{"two inputs on stdin", []string{"--schema", "-", "--source", "-", "--target", d + "target.json"}, ""},
		{"bad snapshot", []string{"--schema", d + "schema.json", "--source", "-", "--target", d + "target.json"}, `{"id": "u1", "assigned": "maybe"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.Check(t, tt.name, transcript(append([]string{"plan"}, tt.args...), tt.stdin))
		})
	}
}

// TestCmdPlanApply runs a cycle through the commands: plan --json with
// --out-state, apply, then plan again, which must find nothing to do.
func TestCmdPlanApply(t *testing.T) {
	g := golden.Open(t, planCLIData+"apply.golden")
	dir := t.TempDir() + string(filepath.Separator)
	d := planCLIData
	var session strings.Builder
	run := func(args ...string) { session.WriteString(transcript(args, "", dir)) }
	common := []string{"--schema", d + "schema.json", "--source", d + "source.jsonl", "--now", "2024-07-01T09:00:00Z"}
	var out bytes.Buffer
	if code := call(cmdPlan, "plan", append(common, "--target", d+"target.json", "--state", d+"state.json", "--json", "--out-state", dir+"state.json"), nil, &out, os.Stderr); code != 0 {
		t.Fatalf("plan: exit %d", code)
	}
	if err := os.WriteFile(dir+"plan.json", out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run("apply", "--plan", dir+"plan.json", "--target", d+"target.json", "-o", dir+"target.json")
	session.WriteString("$ cat target.json\n" + mustReadFile(t, dir+"target.json"))
	session.WriteString("$ cat state.json\n" + mustReadFile(t, dir+"state.json"))
	run(append([]string{"plan"}, append(common, "--target", dir+"target.json", "--state", dir+"state.json")...)...)
	run("apply", "--plan", dir+"plan.json", "--target", dir+"target.json")
	run("apply", "--target", dir+"target.json")
	g.Check(t, "plan, apply, plan again", session.String())
	if !strings.Contains(session.String(), "0 to create, 0 to update, 0 to disable, 0 to delete") {
		t.Error("planning after apply should find nothing to do")
	}
}

func mustReadFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestCmdPlanGroups plans users and groups together, from the
// groups-membership scenario of testdata/sync: the text plan, the SCIM
// requests, an explanation of a new group and one mapping alone.
func TestCmdPlanGroups(t *testing.T) {
	g := golden.Open(t, planCLIData+"groups.golden")
	d := "../../testdata/sync/groups-membership/"
	base := []string{"--schema", d + "schema.json", "--source", d + "source.json", "--target", d + "target.json", "--state", d + "state.json", "--now", "2024-07-01T09:00:00Z"}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	tests := []struct {
		name string
		args []string
	}{
		{"users and groups", with()},
		{"scim", with("--format", "scim")},
		{"logs of a dry run", with("--format", "logs")},
		{"explain a new group", with("--explain", "g-eng")},
		{"users only", with("--object", "User")},
		{"unknown format", with("--format", "xml")},
		{"explain with a format", with("--format", "json", "--explain", "g-eng")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.Check(t, tt.name, transcript(append([]string{"plan"}, tt.args...), "", d))
		})
	}
}
