package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
	"github.com/google/go-cmp/cmp"
)

// call runs one command as run would and returns its exit status.
func call(fn cmdFunc, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return invoke(context.Background(), name, fn, args, stdin, stdout, stderr)
}

// cliCase is one command of a transcript.
type cliCase struct {
	name  string // block name in the golden file, unique per file
	args  []string
	stdin string
}

// runTranscripts runs each case from the repository root (so paths read as
// in the README) and compares its transcript with the block of the same
// name in testdata/cli/<file>.golden. Regenerate with -update.
func runTranscripts(t *testing.T, file string, cases []cliCase) {
	t.Chdir("../..")
	g := golden.Open(t, "testdata/cli/"+file+".golden")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g.Check(t, c.name, transcript(c.args, c.stdin))
		})
	}
}

// transcript runs attrmap with args and renders what a terminal would
// show: the command line (with its stdin as a here-document), stdout, then
// stderr and the exit status when there are any. It is the one transcript
// of the command's golden files. The directories in strip (temporary
// ones) and the test data directories of the tests that run from
// cmd/attrmap are taken out of the command line and the output, so that
// the transcript reads as in the README.
func transcript(args []string, stdin string, strip ...string) string {
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	unpath := func(s string) string {
		for _, d := range append(strip, planCLIData, schemasDir, schemaCLIData, mapCLIData) {
			s = strings.ReplaceAll(s, d, "")
		}
		return s
	}
	var b strings.Builder
	b.WriteString("$ attrmap")
	for _, a := range args {
		b.WriteString(" " + shellQuote(unpath(a)))
	}
	if stdin != "" {
		// Golden files keep lines, not line ends: a CRLF input is shown
		// with LF ends (the command still reads the CRs).
		b.WriteString(" <<'EOF'\n" + strings.ReplaceAll(stdin, "\r\n", "\n"))
		if !strings.HasSuffix(stdin, "\n") {
			b.WriteString("\n")
		}
		b.WriteString("EOF")
	}
	b.WriteString("\n")
	b.WriteString(unpath(stdout.String()))
	if stderr.Len() > 0 {
		b.WriteString("[stderr]\n" + unpath(stderr.String()))
	}
	if code != exitOK {
		fmt.Fprintf(&b, "[exit %d]\n", code)
	}
	return b.String()
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./=:@%+,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func TestUsage(t *testing.T) {
	runTranscripts(t, "usage", []cliCase{
		{name: "no arguments", args: nil},
		{name: "help", args: []string{"help"}},
		{name: "-h", args: []string{"-h"}},
		{name: "help eval", args: []string{"help", "eval"}},
		{name: "help unknown", args: []string{"help", "evl"}},
		{name: "unknown command", args: []string{"evl"}},
		{name: "unknown command far from any", args: []string{"deploy"}},
		{name: "flag before command", args: []string{"--json", "eval"}},
	})
}

func TestSuggest(t *testing.T) {
	names := []string{"eval", "funcs", "scope", "demo", "help"}
	tests := map[string]string{
		"evl":    "eval",
		"EVAL":   "eval",
		"func":   "funcs",
		"scopes": "scope",
		"deploy": "",
		"":       "",
	}
	for in, want := range tests {
		if got := suggest(in, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFlagsInterspersed(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantPos  []string
		wantJSON bool
	}{
		{name: "flags first", args: []string{"--json", "x"}, wantPos: []string{"x"}, wantJSON: true},
		{name: "flags last", args: []string{"x", "--json"}, wantPos: []string{"x"}, wantJSON: true},
		{name: "double dash", args: []string{"--", "--json"}, wantPos: []string{"--json"}},
		{name: "none", args: nil, wantPos: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			fs := newFlagSet("test", "usage: test\n", &stderr)
			j := fs.Bool("json", false, "")
			pos, err := parseFlags(fs, tt.args, &stdout, &stderr)
			if err != nil {
				t.Fatalf("parseFlags failed: %s", stderr.String())
			}
			if diff := cmp.Diff(tt.wantPos, pos); diff != "" {
				t.Errorf("positional (-want +got):\n%s", diff)
			}
			if *j != tt.wantJSON {
				t.Errorf("json = %v, want %v", *j, tt.wantJSON)
			}
		})
	}
}
