package repl

import (
	"strings"
	"testing"
	"time"
)

// TestPendingLinear feeds a long multi-line entry one line at a time: each
// line is scanned once (re-joining the whole entry on every line was
// quadratic), and an entry past the length limit is dropped with an error.
func TestPendingLinear(t *testing.T) {
	s := New()
	if _, _, err := s.Process(`Join(",",`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	line := `"` + strings.Repeat("x", 10) + `",`
	n := 0
	var err error
	for ; n < 100000 && err == nil; n++ {
		_, _, err = s.Process(line)
	}
	if err == nil || !strings.Contains(err.Error(), "entry too long") {
		t.Fatalf("after %d lines: %v, want the entry dropped", n, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%d lines took %v", n, d)
	}
	if s.Prompt() != PromptReady {
		t.Error("the dropped entry is still pending")
	}
	// A normal multi-line entry still works.
	for _, l := range []string{`Join("-",`, `"a", "(b"`, `)`} {
		out, _, err := s.Process(l)
		if err != nil {
			t.Fatal(err)
		}
		if l == ")" && out != `"a-(b"` {
			t.Errorf("multi-line entry = %q", out)
		}
	}
}
