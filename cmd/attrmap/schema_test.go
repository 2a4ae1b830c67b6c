package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
)

const (
	schemasDir    = "../../testdata/schemas/"
	schemaCLIData = "../../testdata/cli/schema/"
)

func TestCmdSchema(t *testing.T) {
	g := golden.Open(t, schemaCLIData+"schema.golden")
	tests := []struct {
		name string
		args []string
	}{
		{"validate ok", []string{"validate", schemasDir + "graph-salesforce.json"}},
		{"validate problems", []string{"validate", schemaCLIData + "problems.json"}},
		{"validate strict rejects pasted JSON", []string{"validate", schemaCLIData + "pasted.json"}},
		{"validate lenient", []string{"validate", "--lenient", schemaCLIData + "pasted.json"}},
		{"fmt lenient", []string{"fmt", "--lenient", schemaCLIData + "pasted.json"}},
		{"export fills source trees", []string{"export", "--lenient", schemaCLIData + "pasted.json"}},
		{"export text salesforce", []string{"export", "--text", schemasDir + "graph-salesforce.json"}},
		{"export text scim", []string{"export", schemasDir + "scim-app.json", "--text"}},
		{"import listing", []string{"import", schemaCLIData + "edited.txt"}},
		{"usage", []string{"validate"}},
		{"unknown subcommand", []string{"lint", "x.json"}},
		{"missing file", []string{"validate", schemaCLIData + "nope.json"}},
		{"validate several files", []string{"validate", schemasDir + "graph-salesforce.json", schemaCLIData + "problems.json", schemaCLIData + "nope.json"}},
		{"validate json", []string{"validate", "--json", "--lenient", schemasDir + "graph-salesforce.json", schemaCLIData + "problems.json", schemaCLIData + "pasted.json"}},
		{"diff", []string{"diff", schemaCLIData + "diff-old.json", schemaCLIData + "diff-new.json"}},
		{"diff json", []string{"diff", "--json", schemaCLIData + "diff-old.json", schemaCLIData + "diff-new.json"}},
		{"diff same", []string{"diff", schemasDir + "scim-app.json", schemasDir + "scim-app.json"}},
		{"diff unreadable", []string{"diff", schemaCLIData + "diff-old.json", schemaCLIData + "nope.json"}},
		{"diff one file", []string{"diff", schemaCLIData + "diff-old.json"}},
		{"misspelled subcommand", []string{"valdate", "x.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := transcript(append([]string{"schema"}, tt.args...), "")
			got = strings.ReplaceAll(got, "open nope.json", "open "+"nope.json")
			g.Check(t, tt.name, got)
		})
	}
}

// TestCmdSchemaImportInto: export --text, then import --into the same file,
// gives the file back, for every shipped schema.
func TestCmdSchemaImportInto(t *testing.T) {
	files, _ := filepath.Glob(schemasDir + "*.json")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var listing, out, errb bytes.Buffer
			if code := call(cmdSchema, "schema", []string{"export", "--text", file}, nil, &listing, &errb); code != 0 {
				t.Fatalf("export: %d %s", code, errb.String())
			}
			if code := call(cmdSchema, "schema", []string{"import", "--into", file, "-"}, &listing, &out, &errb); code != 0 {
				t.Fatalf("import: %d %s", code, errb.String())
			}
			want, _ := os.ReadFile(file)
			if !bytes.Equal(want, out.Bytes()) {
				t.Errorf("import --into changed %s", file)
			}
		})
	}
}

func TestCmdSchemaFmtWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	os.WriteFile(path, []byte(`{"attributeMappings":[{"targetAttributeName":"a","source":{"name":"b"}}]}`), 0o644)
	var out, errb bytes.Buffer
	if code := call(cmdSchema, "schema", []string{"fmt", "-w", path}, nil, &out, &errb); code != 0 || out.Len() != 0 {
		t.Fatalf("fmt -w: %d %q %q", code, out.String(), errb.String())
	}
	got, _ := os.ReadFile(path)
	want := "{\n  \"attributeMappings\": [\n    {\n      \"source\": {\n        \"name\": \"b\"\n      },\n      \"targetAttributeName\": \"a\"\n    }\n  ]\n}\n"
	if string(got) != want {
		t.Errorf("fmt -w wrote\n%s\nwant\n%s", got, want)
	}
}
