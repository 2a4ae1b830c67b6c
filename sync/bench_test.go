package sync

import (
	"testing"
)

// BenchmarkDiff plans an incremental cycle of a 20-mapping rule over n
// source users and about as many target users (see benchWorld). The 1M
// case runs only with -bench and not under -short:
//
//	go test ./sync -run '^$' -bench 'Diff/1M' -benchtime 1x -benchmem
func BenchmarkDiff(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			if c.n >= 1_000_000 && testing.Short() {
				b.Skip("1M users: not under -short")
			}
			w := benchWorld(b, c.n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p, _, err := w.diff(Options{})
				if err != nil {
					b.Fatal(err)
				}
				if p.Stats.Create == 0 || p.Stats.Update == 0 || p.Stats.Disable == 0 || p.Stats.Delete == 0 {
					b.Fatalf("the generated cycle should hold every kind of operation: %s", p.Summary())
				}
			}
			b.ReportMetric(float64(c.n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}
