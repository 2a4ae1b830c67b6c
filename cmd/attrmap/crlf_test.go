package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCRLF runs commands on copies of their inputs with Windows line ends
// (and, for JSON, a byte order mark as Notepad writes): the output must be
// the same as with the original files, paths aside. Paths are given in the
// platform's form (filepath.Join), so on Windows they hold backslashes.
func TestCRLF(t *testing.T) {
	t.Chdir("../..")
	dir := t.TempDir()
	crlf := func(src string, bom bool) string {
		data, err := os.ReadFile(filepath.FromSlash(src))
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
		if bom {
			data = append([]byte("\ufeff"), data...)
		}
		dst := filepath.Join(dir, filepath.Base(src))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	// The listing import reads what export --text wrote.
	var listing bytes.Buffer
	if code := run([]string{"schema", "export", "--text", "testdata/schemas/scim-app.json"}, nil, &listing, os.Stderr); code != exitOK {
		t.Fatal("export --text failed")
	}
	os.WriteFile(filepath.Join(dir, "listing.txt"), listing.Bytes(), 0o644)
	tests := []struct {
		name string
		args func(conv func(string, bool) string) []string
	}{
		{"eval table from csv", func(c func(string, bool) string) []string {
			return []string{"eval", "-i", c("testdata/cli/users.csv", false), "Left([surname], [employeeId])"}
		}},
		{"eval batch", func(c func(string, bool) string) []string {
			return []string{"eval", "--seed", "42", "--batch", c("testdata/cli/batch.jsonl", false)}
		}},
		{"eval existing", func(c func(string, bool) string) []string {
			return []string{"eval", "--existing", c("testdata/cli/existing.txt", false), `SelectUniqueValue("john.smith@contoso.com", "j.smith@contoso.com", "jo.smith@contoso.com")`}
		}},
		{"eval object", func(c func(string, bool) string) []string {
			return []string{"eval", "-i", c("testdata/cli/user.json", true), "[proxyAddresses]"}
		}},
		{"schema validate", func(c func(string, bool) string) []string {
			return []string{"schema", "validate", c("testdata/cli/schema/problems.json", true)}
		}},
		{"schema import", func(c func(string, bool) string) []string {
			return []string{"schema", "import", c(filepath.ToSlash(filepath.Join(dir, "listing.txt")), false)}
		}},
		{"schema diff", func(c func(string, bool) string) []string {
			return []string{"schema", "diff", c("testdata/cli/schema/diff-old.json", true), c("testdata/cli/schema/diff-new.json", false)}
		}},
		{"lint", func(c func(string, bool) string) []string {
			return []string{"lint", c("testdata/cli/lint/exprs.txt", false)}
		}},
		{"scope", func(c func(string, bool) string) []string {
			return []string{"scope", "--filter", c("testdata/scoping/filters/new-york-engineers.json", true), "-i", c("testdata/cli/scope/users.jsonl", false), "--explain"}
		}},
		{"map", func(c func(string, bool) string) []string {
			return []string{"map", "--schema", c("testdata/schemas/graph-salesforce.json", true), "-i", c("testdata/cli/map/users.csv", false), "--on-create"}
		}},
		{"plan", func(c func(string, bool) string) []string {
			d := "testdata/cli/plan/"
			return []string{"plan", "--schema", c(d+"schema.json", true), "--source", c(d+"source.jsonl", false), "--target", c(d+"target.json", false), "--state", c(d+"state.json", false), "--now", "2024-07-01T09:00:00Z"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := func(src string, _ bool) string { return filepath.FromSlash(src) }
			want, wantCode := runOutput(tt.args(plain))
			got, gotCode := runOutput(tt.args(crlf))
			// Messages name the files: compare with the names alone.
			norm := func(s string) string {
				s = strings.ReplaceAll(s, dir+string(filepath.Separator), "")
				for _, a := range tt.args(plain) {
					if strings.Contains(a, string(filepath.Separator)) {
						s = strings.ReplaceAll(s, a, filepath.Base(a))
					}
				}
				return s
			}
			if gotCode != wantCode || norm(got) != norm(want) {
				t.Errorf("with CRLF: exit %d, want %d\n--- got\n%s\n--- want\n%s", gotCode, wantCode, norm(got), norm(want))
			}
		})
	}
}

// runOutput runs attrmap and returns stdout and stderr together.
func runOutput(args []string) (string, int) {
	var out bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &out)
	return out.String(), code
}
