package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The readers of the command line, fuzzed through the commands as a user
// runs them: whatever the input, a command reports an error or succeeds;
// it never panics.

func fuzzCommand(t *testing.T, fn cmdFunc, name string, args []string, stdin []byte) {
	t.Helper()
	var out, errb bytes.Buffer
	call(fn, name, args, bytes.NewReader(stdin), &out, &errb)
}

func seedFiles(f *testing.F, globs ...string) {
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 8<<10 {
				f.Add(data)
			}
		}
	}
}

// FuzzEvalInput fuzzes the objects of eval -i (JSON, JSON lines, CSV).
func FuzzEvalInput(f *testing.F) {
	seedFiles(f, "../../testdata/cli/*.json", "../../testdata/cli/*.csv")
	f.Add([]byte("givenName,surname\nJohn,\"Doe\"\"\n"))
	f.Add([]byte(`{"givenName": ["a", {"b": 1}], "n": 1e999}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCommand(t, cmdEval, "eval", []string{"-i", "-", `Join(" ", [givenName], [surname])`}, data)
		fuzzCommand(t, cmdEval, "eval", []string{"-i", "-", "--json", `Replace([mail], , "(?<u>[^@]+)@", , "${u}.", , )`}, data)
	})
}

// FuzzEvalBatch fuzzes the JSON-lines cases of eval --batch.
func FuzzEvalBatch(f *testing.F) {
	seedFiles(f, "../../testdata/cli/batch.jsonl")
	f.Add([]byte(`{"id": "1", "expression": "Join(\"@\", [a])", "input": {"a": "x"}, "existing_values": ["x"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCommand(t, cmdEval, "eval", []string{"--batch", "-"}, data)
	})
}

// FuzzEvalExisting fuzzes the --existing file of SelectUniqueValue.
func FuzzEvalExisting(f *testing.F) {
	seedFiles(f, "../../testdata/cli/existing.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "existing.txt")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		fuzzCommand(t, cmdEval, "eval", []string{"--existing", path, `SelectUniqueValue([a], Join("", [a], "2"))`}, nil)
	})
}

// FuzzScopeObjects fuzzes the objects scope reads, and its --batch lines.
func FuzzScopeObjects(f *testing.F) {
	seedFiles(f, "../../testdata/cli/scope/*.json*", "../../testdata/cli/scope/*.csv")
	f.Add([]byte(`{"id": "1", "filter": [{"clauses": []}], "object": {"a": 1}}`))
	filter := filepath.Join(f.TempDir(), "filter.json")
	os.WriteFile(filter, []byte(`[{"name": "g", "clauses": [{"operatorName": "REGEX MATCH", "sourceOperandName": "mail", "targetOperand": {"values": ["@contoso\\.com$"]}}]}]`), 0o600)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCommand(t, cmdScope, "scope", []string{"--filter", filter, "--explain"}, data)
		fuzzCommand(t, cmdScope, "scope", []string{"--batch", "-"}, data)
	})
}

// FuzzLint fuzzes lint on a file of expressions.
func FuzzLint(f *testing.F) {
	seedFiles(f, "../../testdata/cli/lint/*.txt")
	f.Add([]byte(`IIF([country]="","Other",[country])`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "exprs.txt")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		fuzzCommand(t, cmdLint, "lint", []string{path}, nil)
		if line, _, _ := strings.Cut(string(data), "\n"); line != "" && !strings.HasPrefix(line, "-") {
			fuzzCommand(t, cmdLint, "lint", []string{line}, nil)
		}
	})
}

// FuzzSchemaImport fuzzes schema import of a pasted document.
func FuzzSchemaImport(f *testing.F) {
	seedFiles(f, "../../testdata/cli/schema/*.json", "../../testdata/cli/schema/*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCommand(t, cmdSchema, "schema", []string{"import", "-"}, data)
	})
}
