package expr

import (
	"bytes"
	"sync"
	"testing"
)

// TestWithRandShared evaluates Guid from many goroutines of one Program
// whose random source is not safe for concurrent use: run with -race.
func TestWithRandShared(t *testing.T) {
	p, err := Compile(`Guid()`, WithRand(bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 4096))))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, err := p.Eval(MapEnv{}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
