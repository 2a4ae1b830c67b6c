package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/attrmap/attrmap/internal/safeio"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/execute"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/attrmap/attrmap/sync/scim"
)

const planUsage = `usage: attrmap plan --schema FILE [--rule NAME] [--object NAME] --source FILE --target FILE
                    [--state FILE] [--out-state FILE] [--format text|json|scim|logs] [--explain ID] [options]

Plan computes one provisioning cycle offline: which target objects to
create, update, disable and delete, and why, from a schema, a snapshot of
the source objects, a snapshot of the target objects and the state of the
previous cycle (without --state, an initial cycle).

Every enabled object mapping of the rule is planned together (users, then
the groups that contain them), unless --object picks one. Snapshots hold
the objects of every type; "objectType" ("Group") tells them apart, and an
object without it has the first mapping's type. References (manager, group
members) resolve through the links to target ids; one to an object created
in the same plan is set by a follow-up update, one to an object that is not
provisioned is listed as unresolved.

Snapshots are JSON arrays, JSON lines or CSV with a header row. An object
is flat, {"id": "u1", "assigned": true, "mail": "..."}, or nested,
{"id": "u1", "assigned": false, "attributes": {...}}. "assigned" (default
true) and "isSoftDeleted" are flags; accountEnabled false disables the
object. The id is "id", else "objectId" (--source-id, --target-id).

The plan prints as a summary (counts per action, then each operation with
its reason and changes), as JSON with --format json (or --json), or with
--format scim as the SCIM 2.0 requests a target would receive (an RFC 7644
bulk request; objects created in the plan are referred to as bulkId:ID), or
with --format logs as the provisioning log entries of a dry run (JSON lines in
Graph's provisioningObjectSummary shape). --out-state writes the
links to keep for the next cycle. --explain ID walks one object (source id,
or the target id it is linked to) through scope, mapping, match and action,
like the portal's provision on demand; with --json as {"version", "key",
"steps", "ops", "held", "error"}.

Progress goes to standard error when it is a terminal: a line per stage
with its count and rate, and while a snapshot is read, a live line with
the rate, the percentage and the time left. --progress prints the stage
lines even when standard error is no terminal; --quiet prints nothing.

Exit status: 0 the plan was computed (whatever it holds), 1 bad schema,
snapshot or state, 2 usage error, 130 interrupted (nothing is printed and
no state is written).
`

// planFlags are the flags plan shares with demo.
type planFlags struct {
	schema, rule, object    string
	source, target, state   string
	outState, explain       string
	sourceID, targetID, now string
	format                  string
	json, lenient, progress bool
	quiet                   bool
	syncAll, skipOutOfScope bool
	deletionThreshold       int
	allowDeletions          bool
	allowSourceLoss         bool
	allowOtherTypes         bool
}

// defaultDeletionThreshold is the accidental-deletion guard of the CLI,
// on by default at 500 as Entra Connect and cloud sync ship it.
const defaultDeletionThreshold = 500

// fileUsage is what a command says of its --source, --target and --state
// files (plan reads them all from files; run creates the state and reads
// the target from the app unless --target is given).
type fileUsage struct{ source, target, state string }

// inputFlags declares the flags plan and run share: the rule to plan, the
// three input files, how to read the source, the planner's options and
// the guards.
func (f *planFlags) inputFlags(fs *flagSet, files fileUsage) {
	fs.StringVar(&f.source, "source", "", files.source)
	fs.StringVar(&f.target, "target", "", files.target)
	fs.StringVar(&f.state, "state", "", files.state)
	fs.StringVar(&f.schema, "schema", "", "the synchronization schema, rule or object mapping `FILE` (JSON)")
	fs.StringVar(&f.rule, "rule", "", "the synchronization rule or object mapping `NAME` (when the schema has several)")
	fs.StringVar(&f.object, "object", "", "the object mapping `NAME` within the rule (when it has several)")
	fs.StringVar(&f.sourceID, "source-id", "", "the source id `ATTRIBUTE` (default id, else objectId)")
	fs.BoolVar(&f.lenient, "lenient", false, "repair schemas copied from web pages (comments, trailing commas, ...)")
	fs.BoolVar(&f.syncAll, "sync-all", false, "sync all source objects, not only assigned ones")
	fs.BoolVar(&f.skipOutOfScope, "skip-out-of-scope-deletions", false, "do not disable objects that go out of scope (SkipOutOfScopeDeletions)")
	fs.IntVar(&f.deletionThreshold, "deletion-threshold", defaultDeletionThreshold, "hold disables and deletes when there are more than `N` (0 turns the guard off)")
	fs.BoolVar(&f.allowDeletions, "allow-deletions", false, "apply disables and deletes over the threshold")
	fs.BoolVar(&f.allowSourceLoss, "allow-source-loss", false, "plan although the source lost most of (or all) the objects the state links, deleting their targets")
	fs.BoolVar(&f.allowOtherTypes, "allow-other-types", false, "leave out objects and links of types no object mapping plans, instead of refusing (implied by --object)")
}

// parseInputs parses the command line and checks what plan and run
// share: no positional argument, a schema and a source, a guard threshold
// that is not negative.
func (f *planFlags) parseInputs(fs *flagSet, args []string, stdout, stderr io.Writer) error {
	if err := parseNoArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	switch {
	case f.schema == "":
		return usagef("missing --schema FILE")
	case f.source == "":
		return usagef("missing --source FILE")
	case f.deletionThreshold < 0:
		return usagef("--deletion-threshold must not be negative")
	}
	return nil
}

// cmdPlan implements "attrmap plan".
func cmdPlan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("plan", planUsage, stderr)
	var f planFlags
	f.inputFlags(fs, fileUsage{
		source: "the source snapshot `FILE` (\"-\" for standard input)",
		target: "the target snapshot `FILE` (\"-\" for standard input)",
		state:  "the state `FILE` of the previous cycle (omit for an initial cycle)",
	})
	fs.StringVar(&f.outState, "out-state", "", "write the new state to `FILE`")
	fs.BoolVar(&f.json, "json", false, "print the plan as JSON (--format json)")
	fs.StringVar(&f.format, "format", "text", "print the plan as `FORMAT`: text, json, scim (the SCIM 2.0 requests, as an RFC 7644 bulk request), or logs (provisioning log entries of a dry run, JSON lines)")
	fs.StringVar(&f.explain, "explain", "", "explain what happens to the object with this `ID`")
	fs.StringVar(&f.targetID, "target-id", "", "the target id `ATTRIBUTE` (default id, else objectId)")
	fs.StringVar(&f.now, "now", "", "freeze the clock of date functions at `TIME` (RFC 3339)")
	fs.BoolVar(&f.progress, "progress", false, "report progress on standard error even when it is not a terminal")
	fs.BoolVar(&f.quiet, "quiet", false, "do not report progress")
	if err := f.parseInputs(fs, args, stdout, stderr); err != nil {
		return err
	}
	switch {
	case f.target == "":
		return usagef("missing --target FILE")
	case countStdin(f.schema, f.source, f.target, f.state) > 1:
		return usagef("only one input can come from standard input")
	case f.format != "text" && f.format != "json" && f.format != "scim" && f.format != "logs":
		return usagef("unknown --format %q (want text, json, scim or logs)", f.format)
	case f.json && (f.format == "scim" || f.format == "logs"):
		return usagef("--json and --format %s cannot be combined", f.format)
	case f.format != "text" && f.explain != "":
		return usagef("--explain prints text, or JSON with --json; it cannot be combined with --format")
	}
	if f.json && f.explain == "" {
		f.format = "json"
	}
	opts, err := f.options()
	if err != nil {
		return usagef("%v", err)
	}
	prog := newProgress(stderr, "plan", f.progress, f.quiet)
	opts.Progress = prog.stage

	var (
		rules          []*mapping.CompiledObjectMapping
		source, target *provision.Snapshot
		state          *provision.State
	)
	// Reading a million objects takes seconds: Ctrl-C stops it.
	err = interruptible(ctx, func() error {
		var err error
		if rules, err = compileRules(f.schema, f.rule, f.object, f.lenient, stdin, stderr); err != nil {
			return err
		}
		// The source, the target and the state are read side by side (on
		// two cores that halves the wait); an error is reported as reading
		// them one after the other would: the first in that order.
		defer gcWhileReading()()
		var wg sync.WaitGroup
		var errs [3]error
		wg.Go(func() {
			source, errs[0] = readSourceSnapshot(f.source, f.sourceID, sourceAttributes(rules), stdin, prog)
		})
		wg.Go(func() { target, errs[1] = readSnapshot(f.target, f.targetID, stdin, prog) })
		if f.state != "" {
			wg.Go(func() { state, errs[2] = readState(f.state, stdin) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		prog.stage("read source", len(source.Objects))
		prog.stage("read target", len(target.Objects))
		if state != nil {
			prog.stage("read state", len(state.Links))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return runPlan(ctx, rules, source, target, state, opts, f, stdout, stderr)
}

// runPlan computes and prints the plan; demo shares it. Ctrl-C stops the
// planning: nothing is printed and no state is written.
func runPlan(ctx context.Context, rules []*mapping.CompiledObjectMapping, source, target *provision.Snapshot, state *provision.State, opts provision.Options, f planFlags, stdout, stderr io.Writer) error {
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	planner, err := provision.NewPlanner(rules, opts)
	if err != nil {
		return err
	}
	if f.explain != "" {
		x, err := planner.Explain(ctx, source, target, state, f.explain)
		if err != nil {
			return err
		}
		if f.json {
			data, _ := x.MarshalJSON()
			w.Write(data)
			return nil
		}
		fmt.Fprint(w, x)
		return nil
	}
	plan, next, err := planner.Plan(ctx, source, target, state)
	if err != nil {
		return err
	}
	// The state is written while the plan is printed, into its temporary
	// file; it replaces the old state only once the plan is out.
	var st *stateWriter
	if f.outState != "" {
		st = startState(f.outState, next)
		defer st.abort()
	}
	switch f.format {
	case "json":
		// Streamed: a million-user plan is not held as text beside itself.
		if err := plan.WriteJSON(w); err != nil {
			return fmt.Errorf("writing the plan: %w (the state was not written)", err)
		}
	case "scim":
		bulk, err := scim.Bulk(plan, rules...)
		if err != nil {
			return err
		}
		if err := bulk.WriteJSON(w); err != nil {
			return err
		}
	case "logs":
		// A dry run's provisioning logs (see attrmap run).
		logs := execute.PlanLogs(plan, execute.LogContext{CycleID: "dry-run", JobID: plan.Rule}, opts.Now)
		if err := execute.WriteLogs(w, logs); err != nil {
			return err
		}
	default:
		fmt.Fprint(w, plan)
	}
	// The plan is complete on standard output before the state moves: a
	// plan that could not be written must not advance the state.
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing the plan: %w (the state was not written)", err)
	}
	if st != nil {
		if err := st.commit(); err != nil {
			return err
		}
	}
	if plan.Held != nil && len(plan.Held.Ops) > 0 {
		fmt.Fprintf(stderr, "attrmap plan: %d disables and deletes held back by --deletion-threshold %d; rerun with --allow-deletions to apply them\n", len(plan.Held.Ops), plan.Held.Threshold)
	}
	return nil
}

// stateWriter writes the next state to its file atomically, streamed
// link by link, on a goroutine of its own: until commit, the file keeps
// the previous cycle's state.
type stateWriter struct {
	f    *safeio.File
	err  error      // of Create
	done chan error // the writing's outcome
}

func startState(path string, next *provision.State) *stateWriter {
	st := &stateWriter{done: make(chan error, 1)}
	if st.f, st.err = safeio.Create(path, 0o644); st.err != nil {
		return st
	}
	go func() {
		w := bufio.NewWriterSize(st.f, 256<<10)
		err := next.WriteJSON(w)
		if err == nil {
			err = w.Flush()
		}
		st.done <- err
	}()
	return st
}

// commit waits for the state to be written, then moves it into place.
func (st *stateWriter) commit() error {
	if st.err != nil {
		return st.err
	}
	err := <-st.done
	st.done <- err // for abort, which drops the file after a failure
	if err != nil {
		return err
	}
	return st.f.Commit()
}

// abort waits for the writing and drops the file, unless commit moved it
// into place (then it does nothing).
func (st *stateWriter) abort() {
	if st.err == nil {
		<-st.done
		st.f.Abort()
	}
}

func (f *planFlags) options() (provision.Options, error) {
	opts := provision.Options{
		SyncAll:                 f.syncAll,
		SkipOutOfScopeDeletions: f.skipOutOfScope,
		DeletionThreshold:       f.deletionThreshold,
		AllowDeletions:          f.allowDeletions,
		AllowSourceLoss:         f.allowSourceLoss,
		// Planning one object mapping of several leaves the other types
		// out, as asked.
		AllowOtherTypes: f.allowOtherTypes || f.object != "",
		Now:             time.Now().UTC(), // the CLI reads the clock; sync does not
	}
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return opts, fmt.Errorf("--now: %v", err)
		}
		opts.Now = t
	}
	return opts, nil
}

func countStdin(paths ...string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	return n
}

func readPlanInput(path string, stdin io.Reader) ([]byte, error) {
	r, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// readSnapshot reads a snapshot file; errors name the file.
func readSnapshot(path, idAttr string, stdin io.Reader, prog *progress) (*provision.Snapshot, error) {
	return readSourceSnapshot(path, idAttr, nil, stdin, prog)
}

// sourceAttributes are the source attribute names of the rules' schema,
// which name the flattened properties of a Graph export.
func sourceAttributes(rules []*mapping.CompiledObjectMapping) []string {
	var names []string
	for _, r := range rules {
		for _, n := range r.SourceAttributeNames() {
			if !slices.ContainsFunc(names, func(m string) bool { return strings.EqualFold(m, n) }) {
				names = append(names, n)
			}
		}
	}
	return names
}

// readSourceSnapshot is readSnapshot for a source snapshot: sources (the
// schema's source attribute names) name flattened Graph properties, as
// they do for eval -i and map.
func readSourceSnapshot(path, idAttr string, sources []string, stdin io.Reader, prog *progress) (*provision.Snapshot, error) {
	// Streamed, not read whole: a snapshot of millions of objects would
	// otherwise be in memory twice, as text and as objects. A directory
	// is read as the pages of one export.
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return provision.ReadSnapshotFile(path, stdin, provision.SnapshotOptions{IDAttribute: idAttr, SourceAttributes: sources})
	}
	r, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	name := displayPath(path)
	t := prog.track("reading "+name, inputSize(path))
	defer t.done()
	// Errors name the file and the position.
	return provision.ReadSnapshot(t.reader(r), provision.SnapshotOptions{IDAttribute: idAttr, Name: name, SourceAttributes: sources})
}

func readState(path string, stdin io.Reader) (*provision.State, error) {
	in, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	s, err := provision.ReadState(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

// The sample cycle of "attrmap demo": a SCIM app's schema, the sample
// users, the app's users and the links of the previous cycle. Between
// them they hold one of each action.
var (
	//go:embed demodata/schema.json
	demoSchema []byte
	//go:embed demodata/source.json
	demoSource []byte
	//go:embed demodata/target.json
	demoTarget []byte
	//go:embed demodata/state.json
	demoState []byte
)

// demoPlan prints the plan of the sample cycle, with the clock frozen at
// now.
func demoPlan(ctx context.Context, now time.Time, stdout, stderr io.Writer) error {
	schema, err := mapping.Decode(demoSchema)
	if err != nil {
		panic("demo: embedded schema: " + err.Error()) // a broken build, not bad input
	}
	rules, err := schema.CompileRule("")
	if err != nil {
		panic("demo: embedded schema: " + err.Error())
	}
	source, err := provision.DecodeSnapshot(demoSource, provision.SnapshotOptions{})
	if err != nil {
		panic("demo: embedded source: " + err.Error())
	}
	target, err := provision.DecodeSnapshot(demoTarget, provision.SnapshotOptions{})
	if err != nil {
		panic("demo: embedded target: " + err.Error())
	}
	var state provision.State
	if err := json.Unmarshal(demoState, &state); err != nil {
		panic("demo: embedded state: " + err.Error())
	}
	fmt.Fprintf(stdout, "\nSync plan: %d sample source users and groups against %d objects of a SCIM app, with the links of the\nprevious cycle (attrmap plan on cmd/attrmap/demodata; try --explain on any id, or --format scim):\n\n", len(source.Objects), len(target.Objects))
	return runPlan(ctx, rules, source, target, &state, provision.Options{Now: now}, planFlags{}, stdout, stderr)
}
