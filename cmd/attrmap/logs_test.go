package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/sync/execute"
	"github.com/google/go-cmp/cmp"
)

// TestAppendLogsAfterKill: a run killed while it appended its logs leaves
// an incomplete last line; the next run cuts it off, says so, and starts
// its entries on a line of their own, so every line is one JSON object.
func TestAppendLogsAfterKill(t *testing.T) {
	entry := func(id string) execute.LogEntry { return execute.LogEntry{ID: id, ProvisioningAction: "create"} }
	var whole bytes.Buffer
	if err := execute.WriteLogs(&whole, []execute.LogEntry{entry("1"), entry("2")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		before  string
		wantIDs []string
		warned  bool
	}{
		{"no file", "", []string{"3", "4"}, false},
		{"whole lines", whole.String(), []string{"1", "2", "3", "4"}, false},
		{"partial last line", whole.String() + `{"activityDateTime":"2024-01-01T00:00:00Z","chan`, []string{"1", "2", "3", "4"}, true},
		{"only a partial line", `{"activityDateTime":"20`, []string{"3", "4"}, true},
		{"partial line past a block", whole.String() + strings.Repeat("x", 10000), []string{"1", "2", "3", "4"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json.logs.jsonl")
			if tt.before != "" {
				if err := os.WriteFile(path, []byte(tt.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var warn bytes.Buffer
			if err := appendLogs(path, []execute.LogEntry{entry("3"), entry("4")}, &warn); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasSuffix(data, []byte("\n")) {
				t.Errorf("the file does not end with a newline")
			}
			var ids []string
			for line := range strings.Lines(string(data)) {
				var e execute.LogEntry
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("line %q is not a JSON object: %v", line, err)
				}
				ids = append(ids, e.ID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if got := strings.Contains(warn.String(), "removed an incomplete last line"); got != tt.warned {
				t.Errorf("warning = %q, want one: %v", warn.String(), tt.warned)
			}
		})
	}
}
