package provision

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// Options configures Diff. The zero value is the service's default: only
// assigned objects are in scope, out-of-scope objects are disabled, and
// there is no accidental-deletion guard.
type Options struct {
	// SyncAll puts every source object in scope regardless of assignment
	// (the portal's "Sync all users and groups"); by default only
	// assigned objects are.
	SyncAll bool
	// SkipOutOfScopeDeletions leaves provisioned objects alone when their
	// source goes out of scope, is unassigned, disabled or soft-deleted
	// (the job secret of that name). Hard deletes still delete.
	SkipOutOfScopeDeletions bool
	// DeletionThreshold turns on the accidental-deletion guard: when the
	// plan holds more disables and deletes than this, they are held back
	// (Plan.Held). 0 turns the guard off.
	DeletionThreshold int
	// AllowDeletions lets a plan over the threshold through, as an admin's
	// "Allow deletes" does.
	AllowDeletions bool
	// Now is the clock of Now and the date functions. Zero keeps the
	// clock the mapping was compiled with; set it for reproducible plans.
	Now time.Time
	// NewTargetID gives the id of the target object a Create makes, from
	// the source object's id. nil uses the source id. When the id is
	// already taken in the target, "#2", "#3", ... is appended.
	NewTargetID func(sourceID string) string
	// Workers bounds the goroutines evaluating objects; 0 means GOMAXPROCS.
	Workers int
	// Progress, if set, is called at the end of each stage with the number
	// of items it handled. It is called from Diff's goroutine only.
	Progress func(stage string, count int)
}

// engine is one Diff: the compiled mapping, the snapshots and their
// indexes. Everything in it is read-only once built, so workers share it.
type engine struct {
	rule  *mapping.CompiledObjectMapping
	opts  Options
	attrs []mapping.CompiledAttribute
	flows mapping.ObjectFlows

	src, tgt *Snapshot
	six, tix *attrIndex
	state    *State

	tpos      []int         // per attribute: position in the target snapshot, -1 if absent
	caseExact []bool        // per attribute: compare exactly (caseExact and not Boolean)
	multi     []bool        // per attribute: multi-valued
	uniqueAt  []*valueIndex // per attribute using SelectUniqueValue: the target's values
	random    []bool        // per attribute: calls Guid or RandomString
	anyUnique bool          // some attribute uses SelectUniqueValue
	soft      int           // attribute mapped from IsSoftDeleted, -1 if none
	match     []int         // matching attributes, by priority
	matchIdx  []*valueIndex
	isRef     []bool // per attribute: a Reference, resolved after every rule ran
	refs      []int  // the reference attributes
	// refVals holds the evaluated reference attributes of every source
	// object, len(refs) per object at its position (source ids, resolved
	// once every rule has run); one allocation instead of one per object.
	refVals []expr.Value
	// claimed holds, per attribute using SelectUniqueValue, the values
	// given out earlier in the plan (normalised) and to whom. It is nil
	// while workers run and filled by claimUnique, sequentially.
	claimed []map[string]string

	srcByID      map[string]int32 // -1 marks a duplicate id
	targetByID   map[string]int32
	links        map[string]int32  // source id -> index into state.Links
	linkedTarget map[string]string // target id -> source id, from the state
}

// Outcome of one source object, decided by a worker.
type result struct {
	op      *Op // Create, Update, Disable, or a Skip
	err     *ObjectError
	target  int32 // linked or matched target, -1 if none
	inScope bool
	// hasRefs reports that engine.refVals holds the object's evaluated
	// reference attributes (an in-scope object with a target or a create).
	hasRefs bool
	how     uint8 // howLinked, howMatched or 0
	link    uint8 // what becomes of the object's link
	prov    bool  // for linkSet: the new Provisioned
}

const (
	howLinked = 1 + iota
	howMatched
)

const (
	linkKeep = iota // as it was (or none)
	linkSet         // to target, with prov
	linkDrop        // removed
	linkNew         // to the id given to a created object
)

// Diff computes the plan of one provisioning cycle and the state to keep
// for the next one. It is a pure function of its arguments: no I/O, no
// clock (see Options.Now), no globals, and the same plan for any order of
// the snapshots' objects. Errors on single objects are in Plan.Errors;
// the error result is for unusable arguments only.
//
// source holds the source objects with their flags; target the target
// objects; state the links of the previous cycle, or nil for an initial
// cycle.
func Diff(rule *mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options) (*Plan, *State, error) {
	if rule == nil {
		return nil, nil, errors.New("sync: no object mapping")
	}
	return DiffRules([]*mapping.CompiledObjectMapping{rule}, source, target, state, opts)
}

// newEngine indexes one object mapping's share of a cycle; newCycle has
// checked the mapping and replaced nil snapshots.
func newEngine(rule *mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options) *engine {
	e := &engine{rule: rule, opts: opts, attrs: rule.Attributes(), flows: rule.Flows(), src: source, tgt: target, state: state, soft: -1}
	e.six, e.tix = source.index(), target.index()
	n := len(e.attrs)
	e.tpos, e.caseExact, e.multi = make([]int, n), make([]bool, n), make([]bool, n)
	var uniqueAttrs []int
	for k := range e.attrs {
		a := &e.attrs[k]
		e.tpos[k] = e.tix.pos(a.Target)
		if d := a.Definition; d != nil {
			e.caseExact[k], e.multi[k] = d.CaseExact && d.Type != mapping.TypeBoolean, d.Multivalued
			if d.Type == mapping.TypeReference && a.Program != nil {
				if e.isRef == nil {
					e.isRef = make([]bool, n)
				}
				e.isRef[k] = true
				e.refs = append(e.refs, k)
			}
		}
		if a.Program != nil {
			fns := a.Program.Functions()
			if slices.Contains(fns, "SelectUniqueValue") {
				uniqueAttrs = append(uniqueAttrs, k)
			}
			if slices.Contains(fns, "Guid") || slices.Contains(fns, "RandomString") {
				if e.random == nil {
					e.random = make([]bool, n)
				}
				e.random[k] = true
			}
		}
	}
	if sd, ok := rule.SoftDelete(); ok {
		for k := range e.attrs {
			if e.attrs[k].Mapping == sd.Mapping {
				e.soft = k
			}
		}
	}
	for _, m := range rule.Matching() {
		for k := range e.attrs {
			if e.attrs[k].Mapping == m.Mapping {
				e.match = append(e.match, k)
			}
		}
	}
	e.matchIdx = make([]*valueIndex, len(e.match))

	// The indexes are independent: build them concurrently.
	var wg sync.WaitGroup
	par := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
	par(func() {
		e.targetByID = make(map[string]int32, len(target.Objects))
		for i := range target.Objects {
			e.targetByID[target.Objects[i].ID] = int32(i)
		}
	})
	par(func() {
		e.srcByID = make(map[string]int32, len(source.Objects))
		for i := range source.Objects {
			id := source.Objects[i].ID
			if _, dup := e.srcByID[id]; dup {
				e.srcByID[id] = -1
			} else {
				e.srcByID[id] = int32(i)
			}
		}
	})
	par(func() {
		if state == nil {
			return
		}
		e.links = make(map[string]int32, len(state.Links))
		e.linkedTarget = make(map[string]string, len(state.Links))
		for i, l := range state.Links {
			e.links[l.Source] = int32(i)
			e.linkedTarget[l.Target] = l.Source
		}
	})
	for mi, k := range e.match {
		par(func() { e.matchIdx[mi] = indexTarget(target, e.tpos[k], e.caseExact[k]) })
	}
	uniq := make([]*valueIndex, len(uniqueAttrs))
	for u, k := range uniqueAttrs {
		par(func() { uniq[u] = indexTarget(target, e.tpos[k], e.caseExact[k]) })
	}
	wg.Wait()
	e.anyUnique = len(uniqueAttrs) > 0
	e.uniqueAt = make([]*valueIndex, n)
	for u, k := range uniqueAttrs {
		e.uniqueAt[k] = uniq[u]
	}
	e.progress("index", len(source.Objects)+len(target.Objects))
	return e
}

func (e *engine) progress(stage string, n int) {
	if e.opts.Progress != nil {
		e.opts.Progress(stage, n)
	}
}

// run evaluates every source object, in parallel. Each result lands at its
// object's position, so the outcome does not depend on scheduling.
func (e *engine) run() []result {
	res := make([]result, len(e.src.Objects))
	if len(e.refs) > 0 {
		e.refVals = make([]expr.Value, len(res)*len(e.refs))
	}
	workers := e.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 512
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := e.newWorker()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(res) {
					return
				}
				for i := lo; i < min(lo+chunk, len(res)); i++ {
					res[i] = e.object(w, i, nil)
				}
			}
		}()
	}
	wg.Wait()
	e.progress("evaluate", len(res))
	return res
}

// worker holds what one goroutine reuses from object to object.
type worker struct {
	env  objEnv
	vals []expr.Value
	out  []flowed
}

func (e *engine) newWorker() *worker {
	return &worker{env: objEnv{ix: e.six}, vals: make([]expr.Value, len(e.attrs)), out: make([]flowed, len(e.attrs))}
}

// tracer collects the steps of one object for Explain; nil in bulk runs.
type tracer struct {
	steps []Step
}

func (tr *tracer) add(stage, format string, args ...any) {
	if tr != nil {
		tr.steps = append(tr.steps, Step{Stage: stage, Text: fmt.Sprintf(format, args...)})
	}
}

// object decides what happens to source object i.
func (e *engine) object(w *worker, i int, tr *tracer) result {
	o := &e.src.Objects[i]
	r := result{target: -1}
	if j := e.srcByID[o.ID]; j != int32(i) {
		r.err = &ObjectError{Key: o.ID, Stage: "source", Err: "the source snapshot holds more than one object with this id; none of them is synced"}
		tr.add("source", "%s", r.err.Err)
		return r
	}
	var link Link
	linked := false
	if e.links != nil {
		if li, ok := e.links[o.ID]; ok {
			link, linked = e.state.Links[li], true
			if t, ok := e.targetByID[link.Target]; ok {
				r.target = t
			}
		}
	}
	w.env.o = o

	in, why := e.scope(&w.env, tr != nil)
	r.inScope = in
	if !in {
		tr.add("scope", "out of scope: %s", why)
		return e.outOfScope(w, o, r, link, linked, why, tr)
	}
	if tr != nil {
		tr.add("scope", "in scope: %s", why)
	}

	// Apply the mapping once; matching and the diff share the result.
	w.env.softDeleted = false
	if tr != nil {
		t, _ := e.rule.Apply(&w.env, e.traceOptions(r.target, o.ID))
		for k := range t.Explain {
			tr.add("map", "%s", t.Explain[k].String())
		}
	}
	if oe := e.apply(&w.env, r.target, w.out); oe != nil {
		r.err = oe
		return r
	}
	for k := range w.out {
		w.vals[k] = w.out[k].value
	}

	var how string
	switch {
	case linked && r.target >= 0:
		r.how = howLinked // the text is built only when an operation needs it
	default:
		if linked {
			tr.add("match", "the linked target %s is gone from the target snapshot; matching again", link.Target)
		}
		m := e.findTarget(w.vals, o.ID, tr != nil)
		if m.err != "" {
			r.err = &ObjectError{Key: o.ID, Stage: "match", Err: m.err}
			tr.add("match", "%s", m.err)
			r.link = linkKeep
			return r
		}
		how = m.how
		r.target = m.target
		if m.target >= 0 {
			r.how = howMatched
			if e.anyUnique {
				// SelectUniqueValue was evaluated before the match, so the
				// matched target's own values counted as taken; evaluate
				// again now that it is known.
				if oe := e.apply(&w.env, r.target, w.out); oe != nil {
					r.err = oe
					return r
				}
			}
		}
	}
	if r.how == howLinked && tr != nil {
		how = "linked by state to target " + link.Target
	}
	if tr != nil {
		tr.add("match", "%s", how)
	}

	if len(e.refs) > 0 {
		r.hasRefs = true
		for j, k := range e.refs {
			e.refVals[i*len(e.refs)+j] = w.out[k].value
		}
	}
	if r.target < 0 {
		op := &Op{Kind: Create, Key: o.ID, Match: how, Reason: e.inScopeReason(&w.env, why, tr != nil), Changes: make([]AttrChange, 0, len(w.out))}
		for k := range w.out {
			if e.isRef != nil && e.isRef[k] {
				continue // resolved later, through the links
			}
			if c, ok := e.attrChange(k, &w.out[k], nil); ok {
				op.Changes = append(op.Changes, c)
			}
		}
		sortChangesIfNeeded(op.Changes)
		if !e.flows.Add {
			r.op = skipOp(op, "the object mapping's target object actions do not include Add")
			r.link, r.hasRefs = linkDrop, false
			return r
		}
		r.op, r.link = op, linkNew
		return r
	}

	t := &e.tgt.Objects[r.target]
	var changes []AttrChange
	for k := range w.out {
		if e.isRef != nil && e.isRef[k] {
			continue
		}
		if c, ok := e.attrChange(k, &w.out[k], t); ok {
			changes = append(changes, c)
		}
	}
	r.link, r.prov = linkSet, true
	if len(changes) == 0 {
		return r
	}
	sortChangesIfNeeded(changes)
	if how == "" && r.how == howLinked {
		how = "linked by state to target " + link.Target
	}
	op := &Op{Kind: Update, Key: o.ID, Target: t.ID, Match: how, Reason: e.inScopeReason(&w.env, why, tr != nil), Changes: changes}
	if !e.flows.Update {
		r.op = skipOp(op, "the object mapping's target object actions do not include Update")
		return r
	}
	r.op = op
	return r
}

// outOfScope decides the deprovisioning of an object that is not in
// scope: only a provisioned, linked one is disabled.
func (e *engine) outOfScope(w *worker, o *Object, r result, link Link, linked bool, why string, tr *tracer) result {
	if linked && tr != nil {
		tr.add("match", "linked by state to target %s (%s)", link.Target, provisionedWord(link.Provisioned))
	}
	switch {
	case !linked:
		tr.add("action", "none: never provisioned by this engine")
		return r
	case !link.Provisioned:
		tr.add("action", "none: target %s was already deprovisioned and is no longer managed", link.Target)
		return r
	case r.target < 0:
		tr.add("action", "none: the linked target %s is gone from the target snapshot; the link is dropped", link.Target)
		r.link = linkDrop
		return r
	}
	t := &e.tgt.Objects[r.target]
	op := &Op{Kind: Disable, Key: o.ID, Target: t.ID, Reason: why}
	switch {
	case e.soft < 0:
		r.op = skipOp(op, "the mapping has no attribute mapped from IsSoftDeleted, so there is no way to disable")
		return r
	case e.opts.SkipOutOfScopeDeletions:
		r.op = skipOp(op, "SkipOutOfScopeDeletions is set")
		return r
	}
	w.env.softDeleted = true
	if tr != nil {
		t, _ := e.rule.Apply(&w.env, e.traceOptions(r.target, o.ID))
		tr.add("map", "%s (IsSoftDeleted = True)", t.Explain[e.soft].String())
	}
	if oe := e.apply(&w.env, r.target, w.out); oe != nil && oe.Attribute == e.attrs[e.soft].Target {
		r.err = oe // failures of the other mappings do not matter to a disable
		return r
	}
	ex := &w.out[e.soft]
	c, ok := e.attrChange(e.soft, ex, t)
	r.link, r.prov = linkSet, false
	if !ok {
		tr.add("action", "none: target %s is already disabled", t.ID)
		return r
	}
	op.Changes = []AttrChange{c}
	if !e.flows.Update {
		r.op = skipOp(op, "the object mapping's target object actions do not include Update, which disabling needs")
		r.link = linkKeep
		return r
	}
	r.op = op
	return r
}

// scope decides whether the object is in scope and why. The reason of an
// in-scope object is computed only when explain is set (or later, by
// inScopeReason, for objects that get an operation).
func (e *engine) scope(env *objEnv, explain bool) (bool, string) {
	o := env.o
	switch {
	case o.SoftDeleted:
		return false, "soft-deleted in the source"
	case o.Disabled:
		return false, "disabled in the source (accountEnabled is false)"
	case o.Unassigned && !e.opts.SyncAll:
		return false, "not assigned to the application"
	}
	env.softDeleted = false
	if !e.rule.InScope(env) {
		return false, "scoping filter: " + e.rule.Scope(env).Reason()
	}
	if explain {
		return true, e.assignment() + "; " + e.rule.Scope(env).Reason()
	}
	return true, ""
}

func (e *engine) assignment() string {
	if e.opts.SyncAll {
		return "all objects are synced"
	}
	return "assigned"
}

func (e *engine) inScopeReason(env *objEnv, why string, explained bool) string {
	if explained {
		return "in scope: " + why
	}
	return "in scope: " + e.assignment() + "; " + e.rule.Scope(env).Reason()
}

// traceOptions are the options of the mapping.Apply that explains an
// object: the same uniqueness check, random streams and current target
// values as the engine's own evaluation.
func (e *engine) traceOptions(target int32, id string) mapping.ApplyOptions {
	opts := mapping.ApplyOptions{OnCreate: true, Now: e.opts.Now, Exists: e.existsByName(target, id), Rand: objectRands(id)}
	if target >= 0 {
		opts.Current = &objEnv{ix: e.tix, o: &e.tgt.Objects[target]}
	}
	return opts
}

// existsByName adapts existsFn to mapping.ApplyOptions.Exists, for
// explanations.
func (e *engine) existsByName(target int32, self string) func(attr, v string) bool {
	if !e.anyUnique {
		return nil
	}
	return func(attr, v string) bool {
		for k, vx := range e.uniqueAt {
			if vx != nil && e.attrs[k].Target == attr {
				return e.existsFn(k, target, self)(v)
			}
		}
		return false
	}
}

func provisionedWord(p bool) string {
	if p {
		return "provisioned"
	}
	return "deprovisioned earlier, no longer managed"
}

func skipOp(op *Op, why string) *Op {
	op.Action, op.Kind = op.Kind, Skip
	op.Reason = op.Reason + "; skipped: " + why
	return op
}

func sortChangesIfNeeded(cs []AttrChange) {
	if !slices.IsSortedFunc(cs, func(a, b AttrChange) int { return compareNames(a.Name, b.Name) }) {
		sortChanges(cs)
	}
}

func exprText(a *mapping.CompiledAttribute) string {
	if a.Program == nil {
		return "(no source)"
	}
	return a.Program.String()
}

func isRedacted(v expr.Value) bool {
	_, r := expr.Unwrap(v)
	return r
}

// part is one object mapping's share of a plan, between the per-object
// results and the cross-rule steps (ids, the deletion guard, references).
type part struct {
	e   *engine
	res []result
	// ops, skipped and errors are this rule's, unsorted.
	ops, skipped []Op
	errors       []ObjectError
	stats        Stats
	// goneLinks are the links of hard-deleted sources whose delete the
	// flow types withhold: kept as they were.
	goneLinks []Link
	// newIDs maps the source id of each created object to its new target
	// id, once assignIDs has run.
	newIDs map[string]string
	// links is the new state's share, once newLinks has run.
	links []Link
	// held names the sources whose disable or delete the guard held.
	held map[string]bool
	// managed maps the target ids of the part's links to whether the
	// engine manages them (see managedTarget); built on demand.
	managed map[string]bool
}

// collect turns the per-object results into operations, skips, errors
// and counts.
func (e *engine) collect(res []result) *part {
	pt := &part{e: e, res: res}
	st := &pt.stats
	st.Source, st.Target = len(e.src.Objects), len(e.tgt.Objects)

	// Two source objects matched to one target: neither gets it. This
	// is the only check that needs every result, hence here.
	claims := make([]uint8, len(e.tgt.Objects))
	for i := range res {
		if r := &res[i]; r.how == howMatched && r.err == nil {
			claims[r.target] = min(claims[r.target]+1, 2)
		}
	}
	var contested map[int32][]string
	for i := range res {
		if r := &res[i]; r.how == howMatched && r.err == nil && claims[r.target] > 1 {
			if contested == nil {
				contested = map[int32][]string{}
			}
			contested[r.target] = append(contested[r.target], e.src.Objects[i].ID)
		}
	}
	for i := range res {
		r := &res[i]
		if r.how != howMatched || r.err != nil || claims[r.target] < 2 {
			continue
		}
		others := slices.Clone(contested[r.target])
		sortStrings(others)
		r.err = &ObjectError{Key: e.src.Objects[i].ID, Stage: "match", Err: fmt.Sprintf("target %s is matched by %d source objects (%s); matching needs a unique value", e.tgt.Objects[r.target].ID, len(others), strings.Join(others, ", "))}
		r.op, r.link, r.hasRefs = nil, linkKeep, false
	}

	// Gone sources: linked in the state, absent from the snapshot.
	var gone []Op
	if e.state != nil {
		for _, l := range e.state.Links {
			if _, ok := e.srcByID[l.Source]; ok {
				continue
			}
			st.Gone++
			t, ok := e.targetByID[l.Target]
			if !l.Provisioned || !ok {
				continue // nothing to delete; the link goes
			}
			op := Op{Kind: Delete, Key: l.Source, Target: e.tgt.Objects[t].ID, Reason: "hard-deleted in the source (gone from the source snapshot)"}
			if !e.flows.Delete {
				op = *skipOp(&op, "the object mapping's target object actions do not include Delete")
				pt.goneLinks = append(pt.goneLinks, l)
			}
			gone = append(gone, op)
		}
	}

	for i := range res {
		r := &res[i]
		switch {
		case r.err != nil:
			pt.errors = append(pt.errors, *r.err)
		case r.op != nil && r.op.Kind == Skip:
			pt.skipped = append(pt.skipped, *r.op)
		case r.op != nil:
			pt.ops = append(pt.ops, *r.op)
		}
		if r.inScope {
			st.InScope++
			if r.err == nil {
				switch r.how {
				case howLinked:
					st.Linked++
				case howMatched:
					st.Matched++
				}
				if r.op == nil && r.target >= 0 {
					st.Unchanged++
				}
			}
		} else if r.err == nil || r.err.Stage != "source" {
			st.OutOfScope++
		}
	}
	for _, op := range gone {
		if op.Kind == Skip {
			pt.skipped = append(pt.skipped, op)
		} else {
			pt.ops = append(pt.ops, op)
		}
	}
	obj := e.rule.TargetObjectName()
	for i := range pt.ops {
		pt.ops[i].Object = obj
	}
	for i := range pt.skipped {
		pt.skipped[i].Object = obj
	}
	sortErrors(pt.errors)
	pt.errors = slices.Compact(pt.errors) // objects sharing an id report it once
	for i := range pt.errors {
		pt.errors[i].Object = obj
	}
	return pt
}

// assignIDs gives each created object its target id, unique in every
// target snapshot and among the plan's creates, in rule then key order.
func assignIDs(parts []*part, opts Options) {
	taken := map[string]bool{}
	for _, pt := range parts {
		var keys []string
		for i := range pt.ops {
			if pt.ops[i].Kind == Create {
				keys = append(keys, pt.ops[i].Key)
			}
		}
		if len(keys) == 0 {
			continue
		}
		sortStrings(keys)
		pt.newIDs = make(map[string]string, len(keys))
		for _, k := range keys {
			base := k
			if opts.NewTargetID != nil {
				base = opts.NewTargetID(k)
			}
			id := base
			for n := 2; taken[id] || hasTarget(parts, id); n++ {
				id = fmt.Sprintf("%s#%d", base, n)
			}
			taken[id] = true
			pt.newIDs[k] = id
		}
		for i := range pt.ops {
			if pt.ops[i].Kind == Create {
				pt.ops[i].Target = pt.newIDs[pt.ops[i].Key]
			}
		}
	}
}

func hasTarget(parts []*part, id string) bool {
	for _, pt := range parts {
		if pt.e.hasTarget(id) {
			return true
		}
	}
	return false
}

// linkAt returns the new link of source object i, if it has one; a
// duplicate id has none here (its old link is kept once by newLinks).
func (pt *part) linkAt(i int) (Link, bool) {
	e, r := pt.e, &pt.res[i]
	o := &e.src.Objects[i]
	if r.err != nil && r.err.Stage == "source" {
		return Link{}, false
	}
	action := r.link
	if pt.held[o.ID] {
		action = linkKeep
	}
	switch action {
	case linkKeep:
		return e.oldLink(o.ID)
	case linkSet:
		return Link{Type: e.rule.SourceObjectName(), Source: o.ID, Target: e.tgt.Objects[r.target].ID, Provisioned: r.prov}, true
	case linkNew:
		return Link{Type: e.rule.SourceObjectName(), Source: o.ID, Target: pt.newIDs[o.ID], Provisioned: true}, true
	}
	return Link{}, false
}

// newLinks computes the rule's share of the new state, once pt.held
// names the sources whose disable or delete the deletion guard held back.
func (pt *part) newLinks() {
	e, res := pt.e, pt.res
	typ := e.rule.SourceObjectName()
	links := make([]Link, 0, len(res))
	for i := range res {
		if l, ok := pt.linkAt(i); ok {
			links = append(links, l)
		}
	}
	if e.state != nil {
		for _, l := range e.state.Links {
			if j, ok := e.srcByID[l.Source]; ok && j >= 0 {
				continue
			}
			if ok := e.srcByID[l.Source] == -1; ok {
				links = append(links, l) // duplicate source id: keep as was
				continue
			}
			if pt.held[l.Source] {
				links = append(links, l)
			}
		}
		links = append(links, pt.goneLinks...)
	}
	for i := range links {
		links[i].Type = typ
	}
	sortLinks(links)
	pt.links = slices.CompactFunc(links, func(a, b Link) bool { return a.Source == b.Source })
}

func (e *engine) oldLink(source string) (Link, bool) {
	if e.links == nil {
		return Link{}, false
	}
	i, ok := e.links[source]
	if !ok {
		return Link{}, false
	}
	return e.state.Links[i], true
}

func (e *engine) hasTarget(id string) bool {
	_, ok := e.targetByID[id]
	return ok
}

func ruleName(c *mapping.CompiledObjectMapping) string {
	m := c.Mapping()
	if m.Name != "" {
		return m.Name
	}
	return m.SourceObjectName + " to " + m.TargetObjectName
}

func sortStrings(s []string) { slices.Sort(s) }
