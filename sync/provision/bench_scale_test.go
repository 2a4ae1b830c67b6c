package provision

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// TestScale measures what reading (and, with ATTRMAP_SCALE_DIFF=1,
// planning) costs at directory scale. It is skipped unless ATTRMAP_SCALE
// gives the number of users, so that go test ./... stays fast:
//
//	ATTRMAP_SCALE=1000000 go test ./sync/provision -run '^TestScale$' -v -timeout 30m
//	ATTRMAP_SCALE=3000000 ATTRMAP_SCALE_DIFF=1 go test ./sync/provision -run '^TestScale$' -v -timeout 30m
//
// It writes a generated source snapshot (JSON lines, 20 attributes per
// user), the matching target snapshot and the state into a temporary
// directory (ATTRMAP_SCALE_DIR keeps and reuses them), then reads them as
// the CLI does and logs the time, the heap the snapshots hold after a
// collection, what was allocated on the way, and the process's peak RSS
// since the files were written (VmHWM, reset through clear_refs).
// ATTRMAP_SCALE_READ=whole reads each file into memory and decodes it with
// DecodeSnapshot instead of streaming it, for comparison.
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ATTRMAP_SCALE"))
	if n <= 0 || testing.Short() {
		t.Skip("set ATTRMAP_SCALE=<users> to run")
	}
	dir := os.Getenv("ATTRMAP_SCALE_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	rule, srcPath, tgtPath, statePath := scaleFiles(t, dir, n)
	for _, p := range []string{srcPath, tgtPath} {
		if fi, err := os.Stat(p); err == nil {
			t.Logf("%s: %.1f MiB", filepath.Base(p), float64(fi.Size())/(1<<20))
		}
	}
	resetPeakRSS(t)

	m := measure()
	source := readScaleFile(t, srcPath)
	m.log(t, "read source", len(source.Objects))

	if os.Getenv("ATTRMAP_SCALE_DIFF") == "" {
		runtime.KeepAlive(source)
		return
	}
	m = measure()
	target := readScaleFile(t, tgtPath)
	m.log(t, "read target", len(target.Objects))

	m = measure()
	state := readScaleState(t, statePath)
	m.log(t, "read state", len(state.Links))

	m = measure()
	plan, next, err := planOnce([]*mapping.CompiledObjectMapping{rule}, source, target, state, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m.log(t, "diff", len(source.Objects))
	t.Logf("plan: %s", plan.Summary())
	if plan.Stats.Create == 0 || plan.Stats.Update == 0 || plan.Stats.Delete == 0 {
		t.Errorf("the generated cycle should create, update and delete: %s", plan.Summary())
	}
	runtime.KeepAlive(source)
	runtime.KeepAlive(target)
	runtime.KeepAlive(next)
}

// scaleFiles returns the generated world's rule and files of n users in
// dir, generating them unless the state is there.
func scaleFiles(t *testing.T, dir string, n int) (rule *mapping.CompiledObjectMapping, srcPath, tgtPath, statePath string) {
	t.Helper()
	rule = compileRule(t, ruleJSON(benchMappings, "Add, Update, Delete", "null"))
	srcPath = filepath.Join(dir, fmt.Sprintf("source-%d.jsonl", n))
	tgtPath = filepath.Join(dir, fmt.Sprintf("target-%d.jsonl", n))
	statePath = filepath.Join(dir, fmt.Sprintf("state-%d.json", n))
	if _, err := os.Stat(statePath); err != nil {
		start := time.Now()
		writeScaleWorld(t, rule, n, srcPath, tgtPath, statePath)
		t.Logf("generated %d users in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return rule, srcPath, tgtPath, statePath
}

func readScaleState(t *testing.T, path string) *State {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	state, err := ReadState(f)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func readScaleFile(t *testing.T, path string) *Snapshot {
	t.Helper()
	if os.Getenv("ATTRMAP_SCALE_READ") == "whole" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := DecodeSnapshot(data, SnapshotOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadSnapshot(f, SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// measurement is the heap and the clock at the start of a stage.
type measurement struct {
	start time.Time
	mem   runtime.MemStats
}

func measure() measurement {
	var m measurement
	runtime.GC()
	runtime.ReadMemStats(&m.mem)
	m.start = time.Now()
	return m
}

// log reports a stage: time, heap still held after a collection (what the
// stage's result keeps), bytes allocated on the way, and peak RSS so far.
func (m measurement) log(t *testing.T, stage string, n int) {
	t.Helper()
	elapsed := time.Since(m.start)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(m.mem.HeapAlloc)
	total := after.TotalAlloc - m.mem.TotalAlloc
	per := func(b int64) int64 {
		if n == 0 {
			return 0
		}
		return b / int64(n)
	}
	t.Logf("%-12s %8d objects in %7.2fs: holds %7.1f MiB (%4d B/object), allocated %7.1f MiB (%5d B/object), %d mallocs/object; heap %7.1f MiB, peak RSS %s",
		stage, n, elapsed.Seconds(), float64(held)/(1<<20), per(held), float64(total)/(1<<20), per(int64(total)),
		per(int64(after.Mallocs-m.mem.Mallocs)), float64(after.HeapAlloc)/(1<<20), peakRSS())
}

// resetPeakRSS resets VmHWM so that the peak measured excludes generating
// the files.
func resetPeakRSS(t *testing.T) {
	runtime.GC()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Logf("cannot reset the peak RSS (%v); it includes generating the files", err)
	}
}

// peakRSS returns the process's VmHWM, or "?" off Linux.
func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return fmt.Sprintf("%.2f GiB", float64(kb)/(1<<20))
		}
	}
	return "?"
}

// scaleAttrs are the 20 attributes of a generated source user, in the
// order the generator writes them.
var scaleAttrs = []string{"objectId", "userPrincipalName", "mailNickname", "displayName", "givenName", "surname", "mail",
	"jobTitle", "department", "city", "country", "employeeId", "companyName", "mobile", "physicalDeliveryOfficeName",
	"postalCode", "state", "streetAddress", "accountEnabled", "manager"}

// writeScaleWorld writes an incremental cycle over n users, one user at a
// time so that generating holds nothing per user: the source snapshot
// (JSON lines), the target snapshot (JSON lines, what the rule gives, 5%
// drifted) and the state. As benchWorld: 90% of the users are linked, 5%
// new, 3% unassigned, 2% hard-deleted, plus 1% target objects nobody
// linked.
func writeScaleWorld(t *testing.T, rule *mapping.CompiledObjectMapping, n int, srcPath, tgtPath, statePath string) {
	t.Helper()
	r := rand.New(rand.NewPCG(2, uint64(n)))
	open := func(path string) (*os.File, *bufio.Writer) {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		return f, bufio.NewWriterSize(f, 1<<20)
	}
	sf, sw := open(srcPath)
	tf, tw := open(tgtPath)
	links := make([]Link, 0, n)
	vals := make([]expr.Value, len(scaleAttrs))
	env := make(expr.MapEnv, len(scaleAttrs))
	var line []byte
	for i := range n {
		scaleUser(r, i, vals)
		id := expr.Render(vals[0])
		kind := r.IntN(100)
		tid := fmt.Sprintf("t%07d", i)
		if kind >= 98 { // hard-deleted: linked, provisioned, gone from the source
			links = append(links, Link{Source: id, Target: tid, Provisioned: true})
			line = append(line[:0], `{"id": `...)
			line = strconv.AppendQuote(line, tid)
			line = append(line, `, "userName": `...)
			line = strconv.AppendQuote(line, "gone"+id)
			line = append(line, "}\n"...)
			tw.Write(line)
			continue
		}
		line = append(line[:0], '{')
		if kind >= 95 {
			line = append(line, `"assigned": false, `...)
		}
		for a, v := range vals {
			if v == nil {
				continue
			}
			if a > 0 {
				line = append(line, ", "...)
			}
			line = appendScaleMember(line, scaleAttrs[a], v)
		}
		line = append(line, "}\n"...)
		sw.Write(line)
		if kind >= 90 && kind < 95 {
			continue // new: no target, no link
		}
		clear(env)
		for a, v := range vals {
			if v != nil {
				env[scaleAttrs[a]] = v
			}
		}
		env[softDeleteAttr] = expr.Bool(false) // as the engine evaluates an in-scope object
		tgt, err := rule.Apply(env, mapping.ApplyOptions{OnCreate: true})
		if err != nil {
			t.Fatal(err)
		}
		line = append(line[:0], `{"id": `...)
		line = strconv.AppendQuote(line, tid)
		for _, a := range tgt.Attrs {
			v := a.Value
			if a.Name == "title" && r.IntN(20) == 0 {
				v = expr.String("Drifted title")
			}
			line = append(line, ", "...)
			line = appendScaleMember(line, a.Name, v)
		}
		line = append(line, "}\n"...)
		tw.Write(line)
		links = append(links, Link{Source: id, Target: tid, Provisioned: true})
	}
	for i := range n / 100 { // objects this engine never linked
		fmt.Fprintf(tw, "{\"id\": \"x%07d\", \"userName\": \"svc%d@contoso.com\"}\n", i, i)
	}
	for _, c := range []struct {
		f *os.File
		w *bufio.Writer
	}{{sf, sw}, {tf, tw}} {
		if err := c.w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := c.f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := (&State{Rule: "Users", Links: links}).MarshalJSON() // the job: the object mapping
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// appendScaleMember appends "name": value. strconv's quoting is valid JSON
// for the generator's strings, which are all printable.
func appendScaleMember(b []byte, name string, v expr.Value) []byte {
	b = strconv.AppendQuote(b, name)
	b = append(b, ": "...)
	switch v := v.(type) {
	case expr.Bool:
		return strconv.AppendBool(b, bool(v))
	case expr.Multi:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = strconv.AppendQuote(b, s)
		}
		return append(b, ']')
	}
	return strconv.AppendQuote(b, expr.Render(v))
}

// scaleUser fills the values of generated user n, in scaleAttrs order: the
// benchmarks' user (genUser) with a GUID-like id and a manager, another
// user's id.
func scaleUser(r *rand.Rand, n int, vals []expr.Value) {
	clear(vals)
	genUser(r, n, vals)
	vals[0] = expr.String(scaleID(n)) // ids spread like GUIDs
	if n > 0 {
		vals[19] = expr.String(scaleID(n / 8)) // a tree of managers, eight reports each
	}
	for i, v := range vals { // an empty pool entry is an attribute the user does not have
		if v != nil && expr.Render(v) == "" {
			vals[i] = nil
		}
	}
}

// scaleID is user n's objectId, shaped like a GUID.
func scaleID(n int) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(n)*2654435761, n&0xffff, n&0xfff, (n>>12)&0xfff, n)
}
