package provision

import (
	"sync"
	"testing"
	"time"
)

// TestConcurrentDiffSharedSnapshot runs Diffs at the same time on
// snapshots filled directly, whose name index is built lazily by the first
// Diff that needs it: run with -race. Every Diff gives the same plan.
func TestConcurrentDiffSharedSnapshot(t *testing.T) {
	w := benchWorld(t, 200)
	// Fresh snapshots: no index built yet.
	src := &Snapshot{Attributes: w.source.Attributes, Objects: w.source.Objects}
	tgt := &Snapshot{Attributes: w.target.Attributes, Objects: w.target.Objects}
	opts := Options{Now: time.Unix(0, 0)}
	const n = 4
	got := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p, st, err := planOnce(w.rules, src, tgt, w.state, opts)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = render(t, p, st)
		})
	}
	wg.Wait()
	for i := 1; i < n; i++ {
		if got[i] != got[0] {
			t.Fatalf("Diff %d gives another plan:\n%s", i, firstDifference(got[0], got[i]))
		}
	}
}
