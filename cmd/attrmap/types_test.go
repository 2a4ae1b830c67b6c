package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlanApplyKeepsTypes runs plan --json and apply on the typed-values
// scenario, as a user would, and checks the JSON types of apply's output:
// booleans the plan writes are JSON booleans, integers numbers, and the
// values apply does not touch keep the type they were read with (issue 17:
// apply used to rewrite untouched booleans as "True").
func TestPlanApplyKeepsTypes(t *testing.T) {
	d := "../../testdata/sync/typed-values/"
	dir := t.TempDir()
	var plan, stderr bytes.Buffer
	args := []string{"--schema", d + "schema.json", "--source", d + "source.json", "--target", d + "target.json", "--state", d + "state.json", "--now", "2024-07-01T09:00:00Z", "--json"}
	if code := call(cmdPlan, "plan", args, nil, &plan, &stderr); code != exitOK {
		t.Fatalf("plan: exit %d: %s", code, stderr.String())
	}
	planFile := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(planFile, plan.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := call(cmdApply, "apply", []string{"--plan", planFile, "--target", d + "target.json"}, nil, &out, &stderr); code != exitOK {
		t.Fatalf("apply: exit %d: %s", code, stderr.String())
	}
	var objects []map[string]any
	dec := json.NewDecoder(&out)
	dec.UseNumber()
	if err := dec.Decode(&objects); err != nil {
		t.Fatal(err)
	}
	const level = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:level"
	got := map[string][2]any{}
	for _, o := range objects {
		got[o["id"].(string)] = [2]any{o["active"], o[level]}
	}
	want := map[string][2]any{
		"t-1": {true, json.Number("3")},  // untouched
		"t-2": {"true", "4"},             // untouched strings stay strings
		"t-3": {true, json.Number("5")},  // updated from false and 2
		"t-5": {false, json.Number("2")}, // disabled
		"u-4": {true, json.Number("7")},  // created
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("apply output (-want +got):\n%s", diff)
	}
}
