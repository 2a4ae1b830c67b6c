//go:build unix

package provision

import (
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/attrmap/attrmap/mapping"
)

// TestScalePlan measures the planning and writing half of the cycle on
// TestScale's generated world, apart from reading: the files are read
// once, then each of ATTRMAP_SCALE_RUNS runs (default 3) plans the cycle
// (Planner.Plan, input checks included) and writes the plan and the next
// state as JSON (Plan.WriteJSON and State.WriteJSON, to io.Discard),
// logging the process's CPU time and the wall time of each half and what
// they allocated. It is skipped unless ATTRMAP_SCALE_PLAN gives the
// number of users:
//
//	ATTRMAP_SCALE_PLAN=100000 go test ./sync/provision -run '^TestScalePlan$' -v
//	ATTRMAP_SCALE_PLAN=1000000 ATTRMAP_SCALE_DIR=/tmp/scale go test ./sync/provision -run '^TestScalePlan$' -v -timeout 30m
func TestScalePlan(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ATTRMAP_SCALE_PLAN"))
	if n <= 0 || testing.Short() {
		t.Skip("set ATTRMAP_SCALE_PLAN=<users> to run")
	}
	runs, _ := strconv.Atoi(os.Getenv("ATTRMAP_SCALE_RUNS"))
	if runs <= 0 {
		runs = 3
	}
	dir := os.Getenv("ATTRMAP_SCALE_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	rule, srcPath, tgtPath, statePath := scaleFiles(t, dir, n)
	source, target, state := readScaleFile(t, srcPath), readScaleFile(t, tgtPath), readScaleState(t, statePath)
	p, err := NewPlanner([]*mapping.CompiledObjectMapping{rule}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for run := range runs {
		runtime.GC()
		var m0, m1, m2 runtime.MemStats
		runtime.ReadMemStats(&m0)
		c0, w0 := processCPU(), time.Now()
		plan, next, err := p.Plan(context.Background(), source, target, state)
		if err != nil {
			t.Fatal(err)
		}
		c1, w1 := processCPU(), time.Now()
		runtime.ReadMemStats(&m1)
		if err := plan.WriteJSON(io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := next.WriteJSON(io.Discard); err != nil {
			t.Fatal(err)
		}
		c2, w2 := processCPU(), time.Now()
		runtime.ReadMemStats(&m2)
		t.Logf("run %d: %d users: plan CPU %.2fs (wall %.2fs, %d MiB allocated), write CPU %.2fs (wall %.2fs, %d MiB allocated); %s",
			run+1, n, (c1 - c0).Seconds(), w1.Sub(w0).Seconds(), (m1.TotalAlloc-m0.TotalAlloc)>>20,
			(c2 - c1).Seconds(), w2.Sub(w1).Seconds(), (m2.TotalAlloc-m1.TotalAlloc)>>20, plan.Summary())
	}
}

// processCPU is the process's CPU time so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
