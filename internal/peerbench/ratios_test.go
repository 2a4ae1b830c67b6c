package peerbench

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestRatios measures each workload on the three engines in interleaved
// rounds and reports the median, over the rounds, of attrmap's and
// cel-go's cost relative to expr-lang's. Cost is the process's CPU time
// (user and system, collector included) per operation, which a machine
// shared with other work disturbs far less than wall time; interleaving
// puts the three engines under the same load within a round. It is skipped
// unless PEERBENCH_ROUNDS gives the number of rounds:
//
//	PEERBENCH_ROUNDS=15 go test -run TestRatios -v
//
// PEERBENCH_SLICE sets the CPU time of one measurement (default 40ms).
func TestRatios(t *testing.T) {
	rounds, _ := strconv.Atoi(os.Getenv("PEERBENCH_ROUNDS"))
	if rounds <= 0 {
		t.Skip("set PEERBENCH_ROUNDS=<rounds> to run")
	}
	slice := 40 * time.Millisecond
	if d, err := time.ParseDuration(os.Getenv("PEERBENCH_SLICE")); err == nil {
		slice = d
	}
	// Two phases: the single shapes and compile first, then the objects.
	// The 100,000 objects are a live heap that only the
	// objects workload reads (80 MB); built beforehand, every collection during
	// the other workloads would have to mark it, and whichever engine's
	// slice a collection falls into would be charged for it (compile, the
	// workload that allocates most, measured 0.8 or 4.5 from one process
	// to the next).
	names, all, err := workloads(nil)
	if err != nil {
		t.Fatal(err)
	}
	perOp := map[string]map[string][]float64{} // workload -> engine -> ns/op per round
	ratios := map[string]map[string][]float64{}
	measure(t, names, all, rounds, slice, perOp, ratios)
	objs, err := objectEngines(objects(100_000))
	if err != nil {
		t.Fatal(err)
	}
	measure(t, []string{"objects-map-input"}, map[string]map[string]engine{"objects-map-input": objs}, rounds, slice, perOp, ratios)
	names = append(names[:len(shapes)], "objects-map-input", "compile-upn")
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("%d rounds of %v per engine and workload; GOMAXPROCS %d; load average %s", rounds, slice, runtime.GOMAXPROCS(0), load)
	t.Logf("%-18s %12s %12s %12s %16s %16s", "workload", "attrmap", "expr-lang", "cel-go", "attrmap/expr-lang", "cel-go/expr-lang")
	for _, w := range names {
		t.Logf("%-18s %12s %12s %12s %16s %16s", w,
			fmtNs(median(perOp[w]["attrmap"])), fmtNs(median(perOp[w]["exprlang"])), fmtNs(median(perOp[w]["celgo"])),
			fmtRatio(ratios[w]["attrmap"]), fmtRatio(ratios[w]["celgo"]))
	}
}

// measure calibrates the workloads, runs them in interleaved rounds and
// adds each round's cost per operation and ratios to perOp and ratios.
func measure(t *testing.T, names []string, all map[string]map[string]engine, rounds int, slice time.Duration, perOp, ratios map[string]map[string][]float64) {
	t.Helper()
	// Calibrate: how many operations fill a slice.
	iters := map[string]map[string]int{}
	for _, w := range names {
		iters[w] = map[string]int{}
		for _, e := range engineNames {
			n := 1
			for {
				d, err := cpuTime(all[w][e], n)
				if err != nil {
					t.Fatalf("%s/%s: %v", w, e, err)
				}
				if d >= slice/4 {
					iters[w][e] = max(1, int(float64(n)*float64(slice)/float64(d)))
					break
				}
				n *= 4
			}
		}
	}
	for _, w := range names {
		perOp[w] = map[string][]float64{}
		ratios[w] = map[string][]float64{}
	}
	for r := range rounds {
		for _, w := range names {
			ns := map[string]float64{}
			// Rotate the order so that no engine always runs first.
			for i := range engineNames {
				e := engineNames[(i+r)%len(engineNames)]
				d, err := cpuTime(all[w][e], iters[w][e])
				if err != nil {
					t.Fatal(err)
				}
				ns[e] = float64(d.Nanoseconds()) / float64(iters[w][e])
				perOp[w][e] = append(perOp[w][e], ns[e])
			}
			ratios[w]["attrmap"] = append(ratios[w]["attrmap"], ns["attrmap"]/ns["exprlang"])
			ratios[w]["celgo"] = append(ratios[w]["celgo"], ns["celgo"]/ns["exprlang"])
		}
	}
}

// cpuTime runs f(n) after a collection and returns the process CPU time it
// took.
func cpuTime(f engine, n int) (time.Duration, error) {
	runtime.GC()
	before := processCPU()
	err := f(n)
	return processCPU() - before, err
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fmtRatio gives the median and the interquartile range.
func fmtRatio(xs []float64) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) float64 { return s[int(p*float64(len(s)-1)+0.5)] }
	return fmt.Sprintf("%.2f (%.2f–%.2f)", median(s), q(0.25), q(0.75))
}

func fmtNs(ns float64) string {
	if ns >= 1e4 {
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}
