package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLint runs "attrmap lint" on expressions, files of expressions and a
// schema, against testdata/cli/lint/lint.golden.
func TestLint(t *testing.T) {
	runTranscripts(t, "lint/lint", []cliCase{
		{name: "expression", args: []string{"lint", `IIF([country]="","Other",[country])`}},
		{name: "clean", args: []string{"lint", `Join("@", [a], "b")`}},
		{name: "strict", args: []string{"lint", "--strict", `Mid([givenName], 0, 3)`}},
		{name: "compile error", args: []string{"lint", `Jion("@", [a])`}},
		{name: "file of expressions", args: []string{"lint", "testdata/cli/lint/exprs.txt"}},
		{name: "stdin", args: []string{"lint", "-"}, stdin: "Switch([c], \"x\", \"US\", \"1\", \"us\", \"2\")\n"},
		{name: "schema", args: []string{"lint", "testdata/lint/schema.json"}},
		{name: "json", args: []string{"lint", "--json", `Left([a], 0)`}},
		{name: "rules", args: []string{"lint", "--rules"}},
		{name: "no argument", args: []string{"lint"}},
		{name: "missing file", args: []string{"lint", "testdata/cli/lint/nothere.json"}},
		{name: "several files", args: []string{"lint", "testdata/cli/lint/exprs.txt", "testdata/lint/schema.json"}},
		{name: "several files, one missing", args: []string{"lint", "testdata/cli/lint/exprs.txt", "nothere.txt"}},
	})
}

// TestLintJSON decodes the --json output.
func TestLintJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"lint", "--json", `Item([p], 0)`}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got struct {
		Version  int
		Warnings []lintJSON
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := []lintJSON{{
		Code: "AM004", Rule: "item-index-zero", Line: 1, Column: 11, Offset: 10, End: 11,
		Message: "Item indexes start at 1: index 0 returns nothing", Hint: "Item([p], 1)", Fix: "1", Source: "Item([p], 0)",
	}}
	if got.Version != jsonVersion {
		t.Errorf("version %d, want %d", got.Version, jsonVersion)
	}
	if diff := cmp.Diff(want, got.Warnings); diff != "" {
		t.Errorf("lint --json mismatch (-want +got):\n%s", diff)
	}
}
