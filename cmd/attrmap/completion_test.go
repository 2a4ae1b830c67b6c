package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// completionScript returns the script attrmap prints for shell.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"completion", shell}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("completion %s: exit %d: %s", shell, code, stderr.String())
	}
	return stdout.String()
}

// TestCompletionCoversCommands checks that every script names every
// command and every flag of every command.
func TestCompletionCoversCommands(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		script := completionScript(t, shell)
		for _, c := range commands {
			if !strings.Contains(script, c.name) {
				t.Errorf("%s: command %s missing", shell, c.name)
			}
			for _, f := range commandFlags(c) {
				want := flagSpelling(f.Name)
				if shell == "fish" {
					want = "-l " + f.Name
					if len(f.Name) == 1 {
						want = "-s " + f.Name
					}
				}
				if !strings.Contains(script, want) {
					t.Errorf("%s: flag %s of %s missing", shell, want, c.name)
				}
			}
		}
	}
}

func TestCommandFlags(t *testing.T) {
	c, _ := lookupCommand("lint")
	var names []string
	for _, f := range commandFlags(c) {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "json rules strict"; got != want {
		t.Errorf("lint flags %q, want %q", got, want)
	}
	if probe != nil {
		t.Error("commandFlags left the probe set")
	}
}

// TestCompletionBash loads the bash script into bash and completes a few
// command lines.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "attrmap.bash")
	if err := os.WriteFile(script, []byte(completionScript(t, "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "schema.json"), []byte("{}"), 0o644)
	tests := []struct {
		words string // the command line, the last word being completed
		want  string // COMPREPLY, space-separated
	}{
		{"attrmap ev", "eval"},
		{"attrmap eval --js", "--json"},
		{"attrmap plan --sk", "--skip-out-of-scope-deletions"},
		{"attrmap schema va", "validate"},
		{"attrmap schema diff sch", "schema.json"},
		{"attrmap completion f", "fish"},
		{"attrmap help sc", "scope schema"},
		{"attrmap map --schema sch", "schema.json"},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.words)
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _attrmap; echo "${COMPREPLY[*]}"`, "bash", script)
		cmd.Args = append(cmd.Args, words...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.words, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("%s<TAB>: got %q, want %q", tt.words, got, tt.want)
		}
	}
}

// TestCompletionSyntax checks the zsh and fish scripts with the shells'
// own syntax check, where they are installed.
func TestCompletionSyntax(t *testing.T) {
	for _, sh := range []struct{ shell, bin string }{{"zsh", "zsh"}, {"fish", "fish"}, {"bash", "bash"}} {
		t.Run(sh.shell, func(t *testing.T) {
			bin, err := exec.LookPath(sh.bin)
			if err != nil {
				t.Skipf("no %s", sh.bin)
			}
			f := filepath.Join(t.TempDir(), "script")
			os.WriteFile(f, []byte(completionScript(t, sh.shell)), 0o644)
			if out, err := exec.Command(bin, "-n", f).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", sh.bin, err, out)
			}
		})
	}
}

func TestCompletionUsage(t *testing.T) {
	runTranscripts(t, "completion", []cliCase{
		{name: "no shell", args: []string{"completion"}},
		{name: "misspelled shell", args: []string{"completion", "zhs"}},
	})
}

// TestCompletionFish loads the fish script into fish and asks it for
// completions.
func TestCompletionFish(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	script := filepath.Join(t.TempDir(), "attrmap.fish")
	if err := os.WriteFile(script, []byte(completionScript(t, "fish")), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ line, want string }{
		{"attrmap ev", "eval\tevaluate an expression against one object, a file of objects, or a batch of cases"},
		{"attrmap eval --js", "--json\tprint JSON instead of text"},
		{"attrmap schema va", "validate"},
		{"attrmap completion po", "powershell"},
	}
	for _, tt := range tests {
		out, err := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tt.line).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.line, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("%s<TAB>: got %q, want %q", tt.line, got, tt.want)
		}
	}
}
