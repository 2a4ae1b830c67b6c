package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestReplScript drives "attrmap repl" through a pipe, the scripted mode:
// no prompts, errors on stderr, exit status 1 after an error.
func TestReplScript(t *testing.T) {
	runTranscripts(t, "repl/script", []cliCase{
		{name: "expression", args: []string{"repl"}, stdin: ":set givenName = \"Zoë\"\nJoin(\"@\", NormalizeDiacritics([givenName]),\n  \"contoso.com\")\n"},
		{name: "flags", args: []string{"repl", "--now", "2024-05-01T09:00:00Z", "-i", "testdata/cli/repl/user.json", "--schema", "testdata/cli/repl/schema.json"}, stdin: "Now()\n:scope\n"},
		{name: "error", args: []string{"repl"}, stdin: "Jion(\"a\", \"b\")\n:quit\nnot reached\n"},
		{name: "unfinished", args: []string{"repl"}, stdin: "Join(\"a\",\n"},
		{name: "bad flag value", args: []string{"repl", "--now", "soon"}},
	})
}

// TestReplTerminal builds the real binary and drives it in a
// pseudo-terminal: an expression, Tab completion of a function name and of
// an attribute, :help, then Ctrl-D; the history file must keep the lines.
func TestReplTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "attrmap")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	hist := filepath.Join(t.TempDir(), "history")
	cmd := exec.Command(bin, "repl", "--now", "2024-05-01T09:00:00Z", "--history", hist)
	cmd.Env = append(os.Environ(), "TERM=xterm")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 200})
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer cmd.Process.Kill()

	screen := newScreen(ptmx)
	screen.expect(t, "> ")
	// "NormalizeD" + Tab completes to "NormalizeDiacritics(".
	io.WriteString(ptmx, `:set givenName = "Zoë"`+"\r")
	screen.expect(t, `givenName = "Zoë"`)
	io.WriteString(ptmx, "NormalizeD\t")
	screen.expect(t, "NormalizeDiacritics(")
	// "[giv" + Tab completes the attribute of the current object.
	io.WriteString(ptmx, "[giv\t")
	screen.expect(t, "[givenName]")
	io.WriteString(ptmx, ")\r")
	screen.expect(t, `"Zoe"`)
	io.WriteString(ptmx, ":help mid\r")
	screen.expect(t, "Mid(source, start, length)")
	io.WriteString(ptmx, "Jion(\"a\", \"b\")\r")
	screen.expect(t, `hint: did you mean "Join"?`)
	// An entry over two lines is one history entry: Up recalls it whole.
	io.WriteString(ptmx, "Join(\"-\",\r")
	screen.expect(t, ".. ")
	io.WriteString(ptmx, "  [givenName], \"x\")\r")
	screen.expect(t, `"Zoë-x"`)
	io.WriteString(ptmx, "\x1b[A") // Up
	screen.expect(t, `Join("-", [givenName], "x")`)
	io.WriteString(ptmx, "\x03") // Ctrl-C: leave the recalled line
	io.WriteString(ptmx, "\x04") // Ctrl-D
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("repl exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("repl did not exit on Ctrl-D")
	}
	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	if !strings.Contains(string(data), "NormalizeDiacritics([givenName])") {
		t.Errorf("history misses the expression:\n%s", data)
	}
	if !strings.Contains(string(data), "\nJoin(\"-\", [givenName], \"x\")\n") {
		t.Errorf("history misses the two-line entry as one line:\n%s", data)
	}
}

func TestEntryLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"one line", []string{`Join("@", [a])`}, []string{`Join("@", [a])`}},
		{"two lines", []string{`Join("@",`, `   [a])`}, []string{`Join("@", [a])`}},
		{"blank line inside", []string{`Join("@",`, ``, `[a])`}, []string{`Join("@", [a])`}},
		{"line break inside a string", []string{`Join("a`, `b", [a])`}, []string{`Join("a`, `b", [a])`}},
		{"escaped quote", []string{`Join("a\"",`, `[a])`}, []string{`Join("a\"", [a])`}},
		{"quote in an attribute name", []string{`Join([a"b],`, `[c])`}, []string{`Join([a"b], [c])`}},
		{"blank", []string{"  "}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e entryLines
			var got []string
			for i, l := range tt.lines {
				got = append(got, e.add(l, i == len(tt.lines)-1)...)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("history %q, want %q", got, tt.want)
			}
		})
	}
}

// screen accumulates what the terminal shows, without escape sequences.
type screen struct {
	ch  chan string
	buf strings.Builder
}

func newScreen(r io.Reader) *screen {
	s := &screen{ch: make(chan string, 64)}
	go func() {
		br := bufio.NewReader(r)
		b := make([]byte, 4096)
		for {
			n, err := br.Read(b)
			if n > 0 {
				s.ch <- string(b[:n])
			}
			if err != nil {
				close(s.ch)
				return
			}
		}
	}()
	return s
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// expect waits until want appears in the output read since the last match.
func (s *screen) expect(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if text := ansi.ReplaceAllString(s.buf.String(), ""); strings.Contains(text, want) {
			s.buf.Reset()
			return
		}
		select {
		case chunk, ok := <-s.ch:
			if !ok {
				t.Fatalf("terminal closed before %q; screen:\n%s", want, s.buf.String())
			}
			s.buf.WriteString(chunk)
		case <-deadline:
			t.Fatalf("timed out waiting for %q; screen:\n%q", want, ansi.ReplaceAllString(s.buf.String(), ""))
		}
	}
}
