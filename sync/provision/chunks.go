package provision

import (
	"runtime"
	"sync"
)

// The steps after evaluation (filing the results, the new links) walk a
// million results or links; they run in consecutive chunks on every core,
// and the chunks' outputs are put together in chunk order, so the outcome
// is the same as one pass in order, whatever the scheduling.

// minChunk is the smallest chunk worth a goroutine (a variable for the
// tests, which cut small inputs into many chunks).
var minChunk = 16 << 10

// workers is the number of goroutines a stage may use: Options.Workers,
// or GOMAXPROCS.
func (o *Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// chunkBounds cuts [0, n) into consecutive chunks for inChunks: up to
// two per worker, none smaller than minChunk. It returns their first
// indexes, then n; a small n, or one worker, is one chunk.
func chunkBounds(workers, n int) []int {
	k := min(2*workers, n/minChunk)
	if k <= 1 || workers <= 1 {
		return []int{0, n}
	}
	b := make([]int, k+1)
	for c := range b {
		b[c] = c * n / k
	}
	return b
}

// inChunks runs f on each chunk of b (from chunkBounds), one goroutine per
// chunk, and returns the chunks' results in chunk order. One chunk runs
// on the caller's goroutine.
func inChunks[T any](b []int, f func(c, lo, hi int) T) []T {
	out := make([]T, len(b)-1)
	if len(out) == 1 {
		out[0] = f(0, b[0], b[1])
		return out
	}
	var wg sync.WaitGroup
	for c := range out {
		wg.Go(func() { out[c] = f(c, b[c], b[c+1]) })
	}
	wg.Wait()
	return out
}
