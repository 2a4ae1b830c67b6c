//go:build unix

package provision

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScaleCLI measures the whole cycle through the command, as a user
// runs it: attrmap plan reads the schema, the source and target snapshots
// and the state, plans, and writes the plan (JSON) and the next state. It
// is skipped unless ATTRMAP_SCALE_CLI gives the number of users:
//
//	ATTRMAP_SCALE_CLI=100000 go test ./sync/provision -run '^TestScaleCLI$' -v -timeout 30m
//	ATTRMAP_SCALE_CLI=1000000 ATTRMAP_SCALE_DIR=/tmp/scale go test ./sync/provision -run '^TestScaleCLI$' -v -timeout 30m
//
// The world is TestScale's (20 attributes per user, 90% linked, 5% new, 3%
// unassigned, 2% deleted); ATTRMAP_SCALE_DIR keeps and reuses the files.
// It builds the command, runs it ATTRMAP_SCALE_RUNS times (default 1) and
// logs for each run the wall time, the CPU time (user and system) and the
// peak RSS the kernel reports for the process, with the load average.
func TestScaleCLI(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ATTRMAP_SCALE_CLI"))
	if n <= 0 || testing.Short() {
		t.Skip("set ATTRMAP_SCALE_CLI=<users> to run")
	}
	runs, _ := strconv.Atoi(os.Getenv("ATTRMAP_SCALE_RUNS"))
	runs = max(runs, 1)
	dir := os.Getenv("ATTRMAP_SCALE_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	doc := ruleJSON(benchMappings, "Add, Update, Delete", "null")
	rule := compileRule(t, doc)
	schemaPath := filepath.Join(dir, "schema.json")
	srcPath := filepath.Join(dir, fmt.Sprintf("source-%d.jsonl", n))
	tgtPath := filepath.Join(dir, fmt.Sprintf("target-%d.jsonl", n))
	statePath := filepath.Join(dir, fmt.Sprintf("state-%d.json", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(schemaPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(statePath); err != nil || !strings.Contains(string(data[:min(len(data), 200)]), `"Users"`) {
		start := time.Now()
		writeScaleWorld(t, rule, n, srcPath, tgtPath, statePath)
		t.Logf("generated %d users in %v", n, time.Since(start).Round(time.Millisecond))
	}
	bin := filepath.Join(t.TempDir(), "attrmap")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/attrmap").CombinedOutput(); err != nil {
		t.Fatalf("building the command: %v\n%s", err, out)
	}
	planPath := filepath.Join(t.TempDir(), "plan.json")
	nextPath := filepath.Join(t.TempDir(), "next-state.json")
	for run := range runs {
		cmd := exec.Command(bin, "plan", "--schema", schemaPath, "--source", srcPath, "--target", tgtPath,
			"--state", statePath, "--out-state", nextPath, "--format", "json", "--quiet",
			"--deletion-threshold", "0") // the world deletes 2% of the users, on purpose
		out, err := os.Create(planPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		load, _ := os.ReadFile("/proc/loadavg")
		start := time.Now()
		err = cmd.Run()
		wall := time.Since(start)
		out.Close()
		if err != nil {
			t.Fatalf("attrmap plan: %v", err)
		}
		ps := cmd.ProcessState
		ru, _ := ps.SysUsage().(*syscall.Rusage)
		rss := "?"
		if ru != nil {
			rss = fmt.Sprintf("%.2f GiB", float64(ru.Maxrss)/(1<<20)) // KiB on Linux
		}
		fi, _ := os.Stat(planPath)
		t.Logf("run %d: %d users: wall %.2fs, CPU %.2fs (user %.2fs, system %.2fs), peak RSS %s, plan %.1f MiB; load before %s",
			run+1, n, wall.Seconds(), (ps.UserTime() + ps.SystemTime()).Seconds(), ps.UserTime().Seconds(), ps.SystemTime().Seconds(),
			rss, float64(fi.Size())/(1<<20), load)
	}
}
