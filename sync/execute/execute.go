package execute

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/connect"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/attrmap/attrmap/sync/scim"
)

// Point is a moment of a request at which Options.Hook is called.
type Point int

// The hook points, in the order a request passes them.
const (
	// BeforeRequest: the begin record is in the journal, the request is
	// not sent.
	BeforeRequest Point = iota
	// AfterResponse: the answer came, the end record is not written.
	AfterResponse
	// AfterJournal: the end record is written.
	AfterJournal
)

// Options configures Execute.
type Options struct {
	// Clock is the run's clock: escrow times and log timestamps. It is
	// required; the library never reads the time itself.
	Clock func() time.Time
	// Schedule is the escrow retry schedule; zero is DocumentedSchedule.
	Schedule Schedule
	// RetryEscrowed tries escrowed objects now instead of waiting for
	// their next retry.
	RetryEscrowed bool
	// MaxOps stops after this many requests; 0 means no limit. The
	// requests not sent stay in the plan of the next run.
	MaxOps int
	// Log names the cycle and systems in the log entries.
	Log LogContext
	// Progress, if set, is called after each request with the requests
	// done and the total.
	Progress func(done, total int)
	// Hook, if set, is called at each point of each request (seq counts
	// requests from 1). It exists for fault-injection tests (killing the
	// process at a chosen point); leave it nil otherwise.
	Hook func(p Point, seq int)
}

// Input is one cycle to carry out.
type Input struct {
	// Plan, Requests and Next are the plan, its requests (scim.Requests)
	// and the state the planner computed for it.
	Plan     *provision.Plan
	Requests []scim.Request
	Next     *provision.State
	// State is the state the plan was made from.
	State *provision.State
	// Rules are the object mappings planned.
	Rules []*mapping.CompiledObjectMapping
	// Escrow is the job's escrow; Execute updates it in place.
	Escrow *Escrow
	// Journal, if set, records every request (see Journal).
	Journal *Journal
}

// Stats counts what a run did with its requests.
type Stats struct {
	Requests  int // requests of the plan
	Succeeded int
	Failed    int
	Deferred  int // escrowed objects not due, and requests waiting on them
	NotRun    int // left by --max-ops or a quarantine
}

// Result is what Execute did.
type Result struct {
	// State holds the links to keep: the planner's new state for the
	// objects whose operation succeeded (a created object linked to the
	// id the server returned), the old links for the others.
	State *provision.State
	// Logs has one entry per request, deferred ones included, then the
	// plan's skipped actions, held deletions and errors.
	Logs  []LogEntry
	Stats Stats
	// Quarantine is set when the run put the job in quarantine and
	// stopped.
	Quarantine *Quarantine
	// Stopped says why requests were left unsent ("" when all ran).
	Stopped string
}

// ErrDisabled is returned when the job stayed in quarantine for more than
// four weeks: the service disables it, and it runs again only once the
// quarantine is cleared.
var ErrDisabled = errors.New("the job was in quarantine for more than four weeks and is disabled; clear the quarantine to run it again")

// quarantineLimit is how long a job may stay in quarantine.
const quarantineLimit = 28 * 24 * time.Hour

// Execute carries out a plan's requests one at a time, in order, through
// c. Each request is journaled before it is sent and after its answer
// came; a request on an object created earlier in the run is resolved to
// the server's id first. A failed request escrows its object (Escrow)
// and the others go on; a refused credential or the documented escrow
// thresholds put the job in quarantine and stop the run. Objects
// escrowed earlier are sent only when their retry is due. ctx cancels
// the run between requests and the request in flight.
func Execute(ctx context.Context, c connect.Connector, in Input, opts Options) (*Result, error) {
	if opts.Clock == nil {
		return nil, errors.New("execute: Options.Clock is required")
	}
	if in.Plan == nil || in.Next == nil || in.Escrow == nil {
		return nil, errors.New("execute: Input needs Plan, Next and Escrow")
	}
	if opts.Schedule.Offsets == nil && opts.Schedule.Every == 0 {
		opts.Schedule = DocumentedSchedule
	}
	esc := in.Escrow
	start := opts.Clock()
	if q := esc.Quarantine; q != nil && start.Sub(q.Since) > quarantineLimit {
		return nil, ErrDisabled
	}
	tt := newTypes(in.Rules)
	old := linkMap(tt.normalize(in.State))
	next := linkMap(tt.normalize(in.Next))
	res := &Result{Stats: Stats{Requests: len(in.Requests)}}
	ids := map[string]string{}             // bulkId -> server id
	okOp := make([]bool, len(in.Plan.Ops)) // the op's request succeeded
	failedBefore := esc.Counters.Failed + esc.Counters.ReferenceFailed
	n := 0
	for i, r := range in.Requests {
		if r.Op < 0 || r.Op >= len(in.Plan.Ops) {
			return nil, fmt.Errorf("execute: request %d names operation %d of %d", i, r.Op, len(in.Plan.Ops))
		}
		if err := ctx.Err(); err != nil {
			// Interrupted between requests: nothing is in doubt; the
			// journal holds what was done.
			return nil, err
		}
		op := &in.Plan.Ops[r.Op]
		n++
		entry := opts.Log.opEntry(op, opts.Clock(), n)
		if why := notSent(res, esc, r, opts); why != "" {
			finish(&entry, "skipped", why, nil, nil)
			res.Logs = append(res.Logs, entry)
			continue
		}
		sent, err := r.Resolve(ids)
		if err != nil {
			res.Stats.Deferred++
			finish(&entry, "skipped", "Not sent: it refers to an object not created in this run: "+err.Error(), nil, nil)
			res.Logs = append(res.Logs, entry)
			continue
		}
		primary := !op.FollowUp
		begin := journalRecord{Seq: n, Phase: "begin", Type: r.Type, Key: r.Source, Action: op.Kind.String(), Method: sent.Method, Path: sent.Path, BulkID: r.BulkID, Primary: primary}
		if l, ok := next.get(tt.source(r.Type), r.Source); ok {
			begin.Link = &l
		} else if l, ok := old.get(tt.source(r.Type), r.Source); ok {
			begin.Link, begin.Drop = &l, true
		}
		if err := in.Journal.write(begin); err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		hook(opts, BeforeRequest, n)
		t0 := opts.Clock()
		created, err := send(ctx, c, sent)
		entry.DurationInMilliseconds = int(opts.Clock().Sub(t0) / time.Millisecond)
		hook(opts, AfterResponse, n)
		end := journalRecord{Seq: n, Phase: "end", At: opts.Clock()}
		reference := isReference(op)
		var se *connect.Error
		if err == nil {
			end.OK, end.ID = true, created
		} else {
			end.Error = err.Error()
			end.Code = "WebExceptionProtocolError"
			if errors.As(err, &se) {
				end.Status, end.Code = se.Status, se.Code()
			}
			end.Reference = reference
		}
		if ctx.Err() != nil && err != nil {
			// Cancelled: the request's outcome is unknown; its begin
			// record stays without an end, as after a kill.
			return nil, ctx.Err()
		}
		if err := in.Journal.write(end); err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		hook(opts, AfterJournal, n)
		details := map[string]string{"method": sent.Method, "path": sent.Path}
		if end.Status != 0 {
			details["status"] = fmt.Sprint(end.Status)
		}
		if err == nil {
			if r.BulkID != "" {
				ids[r.BulkID] = created
				entry.TargetIdentity.ID = created
				details["id"] = created
			}
			okOp[r.Op] = true
			esc.Succeed(r.Type, r.Source)
			res.Stats.Succeeded++
			finish(&entry, "success", fmt.Sprintf("%s %s '%s' in %s", pastTense(op.Kind), op.Object, entry.TargetIdentity.ID, entry.TargetSystem.DisplayName), details, nil)
		} else {
			recordFailure(res, esc, r, op, end, se, opts, &entry, details)
		}
		res.Logs = append(res.Logs, entry)
		if opts.Progress != nil {
			opts.Progress(i+1, len(in.Requests))
		}
	}
	res.State = &provision.State{Rule: in.Next.Rule, Links: finalLinks(in.Plan, tt, old, next, okOp, ids)}
	resolveEscrow(esc, in.Plan)
	updateQuarantine(esc, res, failedBefore)
	at := opts.Clock()
	for _, e := range PlanLogs(&provision.Plan{Held: in.Plan.Held, Skipped: in.Plan.Skipped, Errors: in.Plan.Errors}, opts.Log, at) {
		e.ID = fmt.Sprintf("%s-%05d", opts.Log.CycleID, n+1)
		e.ChangeID = e.ID
		n++
		res.Logs = append(res.Logs, e)
	}
	return res, nil
}

// recordFailure records a request that failed (end, and se when the app
// answered with a SCIM error) in res, the escrow and its log entry: a
// refusal of the credentials quarantines the job at once and stops the
// run; any other failure is escrowed for a retry, and quarantines the job
// when the escrow's counters call for it (Evaluate).
func recordFailure(res *Result, esc *Escrow, r scim.Request, op *provision.Op, end journalRecord, se *connect.Error, opts Options, entry *LogEntry, details map[string]string) {
	res.Stats.Failed++
	info := &ErrorInfo{ErrorCode: end.Code, ErrorCategory: "failure", Reason: end.Error}
	if se != nil {
		info.AdditionalDetails = strings.TrimSpace(se.SCIMType + " " + se.Detail)
	}
	if se != nil && se.Credentials() {
		res.Quarantine = &Quarantine{Reason: ReasonCredentials, Detail: end.Error, Since: opts.Clock()}
		res.Stopped = "the app refused the credentials (quarantine " + ReasonCredentials + ")"
	} else {
		en := esc.Fail(r.Type, r.Source, op.Kind.String(), end.Code, end.Error, end.Reference, end.At, opts.Schedule)
		if en.Expired {
			info.RecommendedAction = "the retries are spent; fix the cause and clear the escrow"
		} else {
			info.RecommendedAction = "retried at " + en.NextRetry.UTC().Format(time.RFC3339)
		}
		if reason, detail := Evaluate(esc.Counters); reason != "" {
			res.Quarantine = &Quarantine{Reason: reason, Detail: detail, Since: opts.Clock()}
			res.Stopped = "quarantine " + reason + ": " + detail
		}
	}
	if end.Reference {
		// A reference failure: the step that resolves references
		// failed; quarantine counts it apart.
		details["reference"] = "true"
		failStep(entry, "referenceResolution")
	}
	finish(entry, "failure", end.Error, details, info)
}

// notSent says why request r is not sent, counting it in res (not run or
// deferred); "" sends it. A run stops at quarantine or at opts.MaxOps;
// an escrowed object waits for its next retry unless opts.RetryEscrowed.
func notSent(res *Result, esc *Escrow, r scim.Request, opts Options) string {
	if res.Stopped != "" {
		res.Stats.NotRun++
		return "Not sent: " + res.Stopped
	}
	if opts.MaxOps > 0 && res.Stats.Succeeded+res.Stats.Failed >= opts.MaxOps {
		res.Stopped = fmt.Sprintf("the limit of %d requests was reached", opts.MaxOps)
		res.Stats.NotRun++
		return "Not sent: " + res.Stopped
	}
	if due, at := esc.Due(r.Type, r.Source, opts.Clock()); !due && !opts.RetryEscrowed {
		res.Stats.Deferred++
		if !at.IsZero() {
			return "escrowed: next retry at " + at.UTC().Format(time.RFC3339)
		}
		return "escrowed: the retries are spent (clear the escrow to try again)"
	}
	return ""
}

// finalLinks is the state's links after the run: the planner's (next),
// except for the operations that did not succeed (okOp false), which keep
// the old ones; a created object's link takes the id the app gave it
// (ids, by bulkId).
func finalLinks(plan *provision.Plan, tt types, old, next linkSet, okOp []bool, ids map[string]string) []provision.Link {
	links := next
	for i := range plan.Ops {
		op := &plan.Ops[i]
		if op.Kind == provision.Skip || op.FollowUp {
			continue
		}
		typ := tt.source(op.Object)
		if !okOp[i] {
			if l, ok := old.get(typ, op.Key); ok {
				links.set(l)
			} else {
				links.drop(typ, op.Key)
			}
			continue
		}
		if op.Kind == provision.Create {
			if l, ok := links.get(typ, op.Key); ok {
				l.Target = ids[op.Target]
				links.set(l)
			}
		}
	}
	return links.sorted()
}

// resolveEscrow drops the escrow entries of objects the plan no longer
// has an operation or an error for: they need nothing any more.
func resolveEscrow(esc *Escrow, plan *provision.Plan) {
	pending := map[string]bool{}
	for _, op := range plan.Ops {
		pending[escrowKey(op.Object, op.Key)] = true
	}
	for _, e := range plan.Errors {
		pending[escrowKey(e.Object, e.Key)] = true
	}
	kept := esc.Entries[:0]
	for _, en := range esc.Entries {
		if pending[escrowKey(en.Type, en.Key)] {
			kept = append(kept, en)
		}
	}
	esc.Entries = kept
}

// updateQuarantine records the run's quarantine in the escrow (keeping
// the time of one with the same reason), or takes the job out of
// quarantine after a cycle without failures (failedBefore is the
// escrow's failure count before the run).
func updateQuarantine(esc *Escrow, res *Result, failedBefore int) {
	switch {
	case res.Quarantine != nil:
		if esc.Quarantine == nil || esc.Quarantine.Reason != res.Quarantine.Reason {
			esc.Quarantine = res.Quarantine
		}
	case esc.Quarantine != nil && res.Stats.Failed == 0 && esc.Counters.Failed+esc.Counters.ReferenceFailed == failedBefore:
		esc.Quarantine = nil
	}
}

func hook(opts Options, p Point, seq int) {
	if opts.Hook != nil {
		opts.Hook(p, seq)
	}
}

// isReference reports an operation that only sets references (a
// follow-up), whose failure is a reference failure.
func isReference(op *provision.Op) bool {
	if op.FollowUp {
		return true
	}
	if op.Kind != provision.Update || len(op.Changes) == 0 {
		return false
	}
	for _, c := range op.Changes {
		if c.Ref == "" {
			return false
		}
	}
	return true
}

func pastTense(k provision.OpKind) string {
	switch k {
	case provision.Create:
		return "Created"
	case provision.Update:
		return "Updated"
	case provision.Disable:
		return "Disabled"
	case provision.Delete:
		return "Deleted"
	}
	return "Processed"
}

// send maps a request to the connector and returns the id of a created
// object.
func send(ctx context.Context, c connect.Connector, r scim.Request) (string, error) {
	typ, id, err := splitPath(r.Path)
	if err != nil {
		return "", err
	}
	switch r.Method {
	case http.MethodPost:
		res, err := c.Create(ctx, typ, r.Body)
		return res.ID, err
	case http.MethodPatch:
		_, err := c.Patch(ctx, typ, id, r.Body)
		return "", err
	case http.MethodPut:
		_, err := c.Replace(ctx, typ, id, r.Body)
		return "", err
	case http.MethodDelete:
		return "", c.Delete(ctx, typ, id)
	}
	return "", fmt.Errorf("%s %s: unsupported method", r.Method, r.Path)
}

// splitPath reads "/Users" or "/Users/<escaped id>".
func splitPath(p string) (typ, id string, err error) {
	rest, ok := strings.CutPrefix(p, "/")
	if !ok {
		return "", "", fmt.Errorf("request path %q does not begin with /", p)
	}
	typ, esc, _ := strings.Cut(rest, "/")
	if esc != "" {
		if id, err = url.PathUnescape(esc); err != nil {
			return "", "", fmt.Errorf("request path %q: %v", p, err)
		}
	}
	return typ, id, nil
}
