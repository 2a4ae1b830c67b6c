package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progress reports long work on standard error: a line per finished stage
// with its count and rate, and, on a terminal, a live line for work in
// progress with its rate and, when the size is known, the percentage and
// the estimated time left. It is silent with --quiet, and when standard
// error is not a terminal unless forced (plan --progress, which prints the
// stage lines only).
type progress struct {
	w           io.Writer // nil: silent
	cmd         string
	live        bool // live lines allowed (a terminal)
	start, last time.Time

	mu      sync.Mutex
	showing bool // a live line is on the screen
}

// newProgress returns the progress of command cmd on stderr.
func newProgress(stderr io.Writer, cmd string, force, quiet bool) *progress {
	term := progressTerminal(stderr)
	if quiet || (!force && !term) {
		return &progress{}
	}
	now := time.Now()
	return &progress{w: stderr, cmd: cmd, live: term, start: now, last: now}
}

// stage reports a finished stage and how many items it handled.
func (p *progress) stage(name string, count int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	now := time.Now()
	d := now.Sub(p.last)
	p.last = now
	rate := ""
	if s := d.Seconds(); s > 0 && count > 0 {
		rate = fmt.Sprintf(", %s/s", humanCount(float64(count)/s))
	}
	fmt.Fprintf(p.w, "attrmap %s: %-12s %9d in %v%s (total %v)\n", p.cmd, name, count, d.Round(time.Millisecond), rate, now.Sub(p.start).Round(time.Millisecond))
}

// clear removes the live line; p.mu is held.
func (p *progress) clear() {
	if p.showing {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.showing = false
	}
}

// tracker follows one piece of work for the live line: the items done
// (rows, objects, requests), out of a known total or not, and the bytes
// read of an input of known size.
type tracker struct {
	p          *progress
	label      string // "rows of users.csv"
	size       int64  // bytes in the input, 0 if unknown
	items, pos atomic.Int64
	total      atomic.Int64 // items to do, 0 if unknown
	start      time.Time
	stop       chan struct{}
	wg         sync.WaitGroup
}

// liveDelay is how long work runs before its live line appears, so short
// work shows nothing; liveEvery is how often the line is redrawn.
const (
	liveDelay = 500 * time.Millisecond
	liveEvery = 200 * time.Millisecond
)

// track starts a live line for label; size is the input's size in bytes
// (0 if unknown). done must be called when the work ends.
func (p *progress) track(label string, size int64) *tracker {
	t := &tracker{p: p, label: label, size: size, start: time.Now(), stop: make(chan struct{})}
	if p.w == nil || !p.live {
		return t
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		timer := time.NewTimer(liveDelay)
		defer timer.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-timer.C:
				t.draw()
				timer.Reset(liveEvery)
			}
		}
	}()
	return t
}

// add counts n items done.
func (t *tracker) add(n int) { t.items.Add(int64(n)) }

// set reports done items out of total (0 if unknown), for work that
// reports its count rather than each item.
func (t *tracker) set(done, total int) {
	t.items.Store(int64(done))
	t.total.Store(int64(total))
}

// reader counts the bytes read from r, for the percentage and the ETA.
func (t *tracker) reader(r io.Reader) io.Reader { return &countingReader{r: r, n: &t.pos} }

// done stops the live line and removes it.
func (t *tracker) done() {
	select {
	case <-t.stop:
		return
	default:
		close(t.stop)
	}
	t.wg.Wait()
	if t.p.w != nil {
		t.p.mu.Lock()
		t.p.clear()
		t.p.mu.Unlock()
	}
}

func (t *tracker) draw() {
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	fmt.Fprintf(t.p.w, "\r\x1b[Kattrmap %s: %s", t.p.cmd, t.line(time.Since(t.start)))
	t.p.showing = true
}

// line is the text of the live line after elapsed time.
func (t *tracker) line(elapsed time.Duration) string {
	var parts []string
	items, pos := t.items.Load(), t.pos.Load()
	secs := elapsed.Seconds()
	if items > 0 {
		s := humanCount(float64(items)) + " " + t.label
		if secs > 0 {
			s += fmt.Sprintf(", %s/s", humanCount(float64(items)/secs))
		}
		parts = append(parts, s)
	} else {
		parts = append(parts, t.label)
	}
	if total := t.total.Load(); total > 0 && items > 0 {
		frac := min(float64(items)/float64(total), 1)
		parts = append(parts, fmt.Sprintf("%d%% of %s", int(frac*100), humanCount(float64(total)))+eta(secs, frac))
	} else if t.size > 0 && pos > 0 {
		frac := min(float64(pos)/float64(t.size), 1)
		s := fmt.Sprintf("%d%% of %s", int(frac*100), humanBytes(t.size))
		if secs > 0 {
			s += fmt.Sprintf(", %s/s", humanBytes(int64(float64(pos)/secs)))
		}
		parts = append(parts, s+eta(secs, frac))
	}
	return strings.Join(parts, ", ")
}

// eta is ", ETA 1m5s" for work a fraction frac done after secs seconds,
// or "" when it cannot be told.
func eta(secs, frac float64) string {
	if secs <= 0 || frac <= 0 || frac >= 1 {
		return ""
	}
	left := time.Duration(secs * (1 - frac) / frac * float64(time.Second))
	return ", ETA " + left.Round(time.Second).String()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Close closes the underlying reader if it can be closed.
func (c *countingReader) Close() error {
	if cl, ok := c.r.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

func humanCount(n float64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", n/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// progressTerminal reports whether w is a terminal that can show progress.
func progressTerminal(w io.Writer) bool {
	return isTerminal(w) && !strings.EqualFold(os.Getenv("TERM"), "dumb")
}

// inputSize is the size of a regular file at path, 0 for stdin or
// anything else.
func inputSize(path string) int64 {
	if path == "" || path == "-" {
		return 0
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}
