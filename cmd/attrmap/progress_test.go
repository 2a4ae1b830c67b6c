package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func TestTrackerLine(t *testing.T) {
	tests := []struct {
		name         string
		size         int64
		items, bytes int64
		elapsed      time.Duration
		want         string
	}{
		{"nothing yet", 0, 0, 0, time.Second, "rows"},
		{"rows of stdin", 0, 120000, 0, 2 * time.Second, "120.0k rows, 60.0k/s"},
		{"rows of a file", 200 << 20, 50000, 50 << 20, 5 * time.Second, "50.0k rows, 10.0k/s, 25% of 200.0 MiB, 10.0 MiB/s, ETA 15s"},
		{"all read", 1 << 20, 10, 1 << 20, time.Second, "10 rows, 10/s, 100% of 1.0 MiB, 1.0 MiB/s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &tracker{label: "rows", size: tt.size}
			tr.items.Store(tt.items)
			tr.pos.Store(tt.bytes)
			if got := tr.line(tt.elapsed); got != tt.want {
				t.Errorf("line = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestProgressSilent checks that nothing is printed when stderr is no
// terminal, or with --quiet, and that stage lines are printed when forced.
func TestProgressSilent(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, "plan", false, false)
	tr := p.track("rows", 100)
	r := tr.reader(strings.NewReader("abc"))
	io.ReadAll(r)
	tr.add(3)
	tr.done()
	p.stage("read source", 3)
	if b.Len() != 0 {
		t.Errorf("printed on a non-terminal: %q", b.String())
	}
	if tr.pos.Load() != 3 {
		t.Errorf("counted %d bytes, want 3", tr.pos.Load())
	}
	newProgress(&b, "plan", true, true).stage("read source", 3)
	if b.Len() != 0 {
		t.Errorf("printed with --quiet: %q", b.String())
	}
	newProgress(&b, "plan", true, false).stage("read source", 3)
	if !strings.HasPrefix(b.String(), "attrmap plan: read source") {
		t.Errorf("forced stage line: %q", b.String())
	}
}
