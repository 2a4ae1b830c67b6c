package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/creack/pty"
)

func TestPainter(t *testing.T) {
	on, off := painter{on: true}, painter{}
	if got := on.green("+"); got != "\x1b[32m+\x1b[0m" {
		t.Errorf("green on = %q", got)
	}
	if got := off.green("+"); got != "+" {
		t.Errorf("green off = %q", got)
	}
	if got := on.red(""); got != "" {
		t.Errorf("empty text gets escapes: %q", got)
	}
	if newPainter(&bytes.Buffer{}).on {
		t.Error("colour on a buffer, which is no terminal")
	}
}

// TestColorTerminal checks the decision on a real terminal: colour,
// unless NO_COLOR is set (even to "") or TERM is dumb.
func TestColorTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	t.Setenv("NO_COLOR", "restored after the test")
	os.Unsetenv("NO_COLOR")
	t.Setenv("TERM", "xterm")
	if !colorTerminal(tty) {
		t.Error("no colour on a terminal")
	}
	t.Setenv("NO_COLOR", "")
	if colorTerminal(tty) {
		t.Error("colour with NO_COLOR set to the empty string")
	}
	os.Unsetenv("NO_COLOR")
	t.Setenv("TERM", "dumb")
	if colorTerminal(tty) {
		t.Error("colour with TERM=dumb")
	}
}
