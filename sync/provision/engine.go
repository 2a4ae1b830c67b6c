package provision

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// engine is one object mapping's share of a cycle: the compiled mapping,
// its snapshots and their indexes. Everything in it is read-only once
// built (except claimed, see claimUnique), so workers share it.
type engine struct {
	*prepared
	opts Options

	*partIndex // the snapshots' and the state's share, and their indexes
	six, tix   *attrIndex

	tpos      []int         // per attribute: position in the target snapshot, -1 if absent
	slots     []int         // per attribute: ApplyOptions.Slots, the source position a bare [attr] copies
	uniqueAt  []*valueIndex // per attribute using SelectUniqueValue: the target's values
	anyUnique bool          // some attribute uses SelectUniqueValue
	matchIdx  []*valueIndex // per matching attribute: the target's values
	// refVals holds the evaluated reference attributes of every source
	// object, len(refs) per object at its position (source ids, resolved
	// once every rule has run); one allocation instead of one per object.
	refVals []expr.Value
	// claimed holds, per attribute using SelectUniqueValue, the values
	// given out earlier in the plan (normalised) and to whom. It is nil
	// while workers run and filled by claimUnique, sequentially.
	claimed []map[string]string
}

// found says how an in-scope object's target was found.
type found uint8

const (
	foundNone    found = iota // no target: a create
	foundLinked               // through the state's link
	foundMatched              // through a matching attribute
)

// linkAction says what becomes of an object's link in the new state.
type linkAction uint8

const (
	linkKeep linkAction = iota // as it was (or none)
	linkSet                    // to result.target, with result.prov
	linkDrop                   // removed
	linkNew                    // to the id given to a created object
)

// result is the outcome of one source object, decided by a worker.
type result struct {
	op      *Op // Create, Update, Disable, or a Skip
	err     *ObjectError
	target  int32 // linked or matched target, -1 if none
	inScope bool
	// hasRefs reports that engine.refVals holds the object's evaluated
	// reference attributes (an in-scope object with a target or a create).
	hasRefs bool
	how     found
	link    linkAction
	prov    bool // for linkSet: the new Provisioned
}

// newEngine indexes one object mapping's share of a cycle: the attribute
// tables and the values matching and SelectUniqueValue look up (the ids
// are indexed already, in pi).
func newEngine(p *prepared, pi *partIndex, opts Options) *engine {
	e := &engine{prepared: p, opts: opts, partIndex: pi}
	source, target := pi.src, pi.tgt
	e.six, e.tix = source.index(), target.index()
	n := len(e.attrs)
	e.tpos = make([]int, n)
	for k := range e.attrs {
		e.tpos[k] = e.tix.pos(e.attrs[k].Target)
	}
	e.slots = bareSlots(e.attrs, e.six)
	uniqueAttrs := e.unique
	e.matchIdx = make([]*valueIndex, len(e.match))

	// The indexes are independent: build them concurrently.
	var wg sync.WaitGroup
	par := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }
	for mi, k := range e.match {
		par(func() { e.matchIdx[mi] = indexTarget(target, e.tpos[k], e.caseExact[k], opts.workers()) })
	}
	uniq := make([]*valueIndex, len(uniqueAttrs))
	for u, k := range uniqueAttrs {
		par(func() { uniq[u] = indexTarget(target, e.tpos[k], e.caseExact[k], opts.workers()) })
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
// object's position, so the outcome does not depend on scheduling. When
// ctx is cancelled the workers stop at their next chunk of objects and
// the results are incomplete: the caller checks ctx.Err().
func (e *engine) run(ctx context.Context) []result {
	res := make([]result, len(e.src.Objects))
	if len(e.refs) > 0 {
		e.refVals = make([]expr.Value, len(res)*len(e.refs))
	}
	workers := e.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 512
	done := ctx.Done() // nil for a context that is never cancelled
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
				if done != nil {
					select {
					case <-done:
						return
					default:
					}
				}
				for i := lo; i < min(lo+chunk, len(res)); i++ {
					res[i] = e.object(w, i, noTrace{})
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() == nil {
		e.progress("evaluate", len(res))
	}
	return res
}

// worker holds what one goroutine reuses from object to object: the
// source object's Env, the options mapping.ApplyTo applies the mapping
// with, and its output.
type worker struct {
	env    objEnv
	target int32     // the target the object is evaluated against, -1 if none
	tenv   targetEnv // the current values of that target
	opts   mapping.ApplyOptions
	flows  []mapping.Explanation
	vals   []expr.Value // the flowed values, for matching
	how    string       // Op.Match of a matched or unmatched object
}

func (e *engine) newWorker() *worker {
	w := &worker{env: objEnv{ix: e.six}, target: -1, flows: make([]mapping.Explanation, len(e.attrs)), vals: make([]expr.Value, len(e.attrs))}
	w.tenv = targetEnv{e: e, w: w}
	// Every attribute flows, defaults included (OnCreate), so that one
	// evaluation serves the match, the create and the update; attrChange
	// drops what an update must not write.
	w.opts = mapping.ApplyOptions{
		OnCreate: true,
		Now:      e.opts.Now,
		Exists:   func(attr, v string) bool { return e.taken(e.uniqueIndex(attr), w.target, w.env.o.ID, v) },
		Rand:     func(attr string) io.Reader { return objectRand(w.env.o.ID, attr) },
		Slots:    e.slots,
	}
	return w
}

// bareSlots is ApplyOptions.Slots for a source snapshot: the position of
// each bare [attr] mapping's attribute, found once, so that evaluating it
// is copying the object's slot. Names objEnv computes (IsSoftDeleted, the
// user principal names) and attributes the snapshot lacks keep -1 and go
// through objEnv.Lookup. nil when no mapping can copy a slot.
func bareSlots(attrs []mapping.CompiledAttribute, ix *attrIndex) []int {
	var slots []int
	for k := range attrs {
		name, ok := attrs[k].BareAttribute()
		if !ok || lookupKind(name) != lookSlot {
			continue
		}
		pos := ix.pos(name)
		if pos < 0 {
			continue
		}
		if slots == nil {
			slots = make([]int, len(attrs))
			for j := range slots {
				slots[j] = -1
			}
		}
		slots[k] = pos
	}
	return slots
}

// targetEnv is the expr.Env of the target object a worker evaluates
// against: mapping reads the current values of SelectUniqueValue's
// attributes through it.
type targetEnv struct {
	e *engine
	w *worker
}

// Lookup implements expr.Env.
func (t *targetEnv) Lookup(name string) (expr.Value, bool) {
	return valueAt(&t.e.tgt.Objects[t.w.target], t.e.tix.pos(name))
}

// object decides what happens to source object i, stage by stage: the
// source's id, its link, scope (or deprovisioning), the mapping, the
// match, and the create or update.
func (e *engine) object(w *worker, i int, tr trace) result {
	o := &e.src.Objects[i]
	r := result{target: -1}
	if e.isDup(i) {
		r.err = &ObjectError{Key: o.ID, Stage: "source", Err: errDuplicateSource}
		tr.step("source", r.err.Err.Error())
		return r
	}
	link, linked := e.oldLinkAt(i)
	if linked {
		r.target = e.linkTgt[e.linkOf[i]]
	}
	w.env.o = o
	in, why, err := e.scope(&w.env)
	if err != nil {
		r.err = &ObjectError{Key: o.ID, Stage: "scope", Err: err}
		tr.step("scope", err.Error())
		return r
	}
	if !in {
		tr.outOfScope(why)
		return e.outOfScope(w, o, r, link, linked, why, tr)
	}
	r.inScope = true
	tr.inScope(e, &w.env)

	// Apply the mapping once; matching and the diff share the result.
	w.env.softDeleted = false
	if r.err = e.apply(w, r.target); r.err != nil {
		tr.mapped(e, w.flows, nil)
		return r
	}
	tr.mapped(e, w.flows, nil)
	if r = e.matchObject(w, r, link, linked, tr); r.err != nil {
		return r
	}
	if len(e.refs) > 0 {
		r.hasRefs = true
		for j, k := range e.refs {
			e.refVals[i*len(e.refs)+j] = w.flows[k].Value
		}
	}
	if r.target < 0 {
		return e.create(w, r)
	}
	return e.update(w, r, link)
}

// errDuplicateSource is the error of every source object that shares its
// id with another.
var errDuplicateSource = errors.New("the source snapshot holds more than one object with this id; none of them is synced")

// matchObject finds the target of an in-scope object: its link, or a
// match on the matching attributes. A matched object using
// SelectUniqueValue is evaluated again, now that its target is known.
func (e *engine) matchObject(w *worker, r result, link Link, linked bool, tr trace) result {
	w.how = ""
	if linked && r.target >= 0 {
		r.how = foundLinked
		tr.linked(link)
		return r
	}
	if linked {
		tr.relinking(link.Target)
	}
	for k := range w.flows {
		w.vals[k] = w.flows[k].Value
	}
	m := e.findTarget(w.vals, w.env.o.ID, tr.explaining())
	if m.err != nil {
		r.err = &ObjectError{Key: w.env.o.ID, Stage: "match", Err: m.err}
		tr.step("match", m.err.Error())
		r.link = linkKeep
		return r
	}
	r.target = m.target
	if m.target >= 0 {
		r.how = foundMatched
		if e.anyUnique {
			// SelectUniqueValue was evaluated before the match, so the
			// matched target's own values counted as taken; evaluate
			// again now that it is known.
			if r.err = e.apply(w, r.target); r.err != nil {
				return r
			}
		}
	}
	w.how = m.how
	tr.step("match", m.how)
	return r
}

// howFound is the Op.Match text of an object's result.
func (e *engine) howFound(w *worker, r *result, link Link) string {
	if r.how == foundLinked {
		return "linked by state to target " + link.Target
	}
	return w.how
}

// create plans the creation of an in-scope object that matched nothing.
func (e *engine) create(w *worker, r result) result {
	op := &Op{Kind: Create, Key: w.env.o.ID, Match: w.how, Reason: e.inScopeReason(&w.env), Changes: make([]AttrChange, 0, len(w.flows))}
	var c AttrChange
	for k := range w.flows {
		if e.isRef != nil && e.isRef[k] {
			continue // resolved later, through the links
		}
		if e.attrChange(k, &w.flows[k], nil, &c) {
			op.Changes = append(op.Changes, c)
		}
	}
	e.sortChanges(op.Changes)
	if !e.flows.Add {
		r.op = skipOp(op, "the object mapping's target object actions do not include Add")
		r.link, r.hasRefs = linkDrop, false
		return r
	}
	r.op, r.link = op, linkNew
	return r
}

// update plans the update of an in-scope object's linked or matched
// target, when some attribute differs.
func (e *engine) update(w *worker, r result, link Link) result {
	t := &e.tgt.Objects[r.target]
	var changes []AttrChange
	var c AttrChange
	for k := range w.flows {
		if e.isRef != nil && e.isRef[k] {
			continue
		}
		if e.attrChange(k, &w.flows[k], t, &c) {
			changes = append(changes, c)
		}
	}
	r.link, r.prov = linkSet, true
	if len(changes) == 0 {
		return r
	}
	e.sortChanges(changes)
	op := &Op{Kind: Update, Key: w.env.o.ID, Target: t.ID, Match: e.howFound(w, &r, link), Reason: e.inScopeReason(&w.env), Changes: changes}
	if !e.flows.Update {
		r.op = skipOp(op, "the object mapping's target object actions do not include Update")
		return r
	}
	r.op = op
	return r
}

// outOfScope decides the deprovisioning of an object that is not in
// scope: only a provisioned, linked one is disabled.
func (e *engine) outOfScope(w *worker, o *Object, r result, link Link, linked bool, why string, tr trace) result {
	if linked {
		tr.linkedOutOfScope(link)
	}
	switch {
	case !linked:
		tr.step("action", "none: never provisioned by this engine")
		return r
	case !link.Provisioned:
		tr.none("none: target ", link.Target, " was already deprovisioned and is no longer managed")
		return r
	case r.target < 0:
		tr.none("none: the linked target ", link.Target, " is gone from the target snapshot; the link is dropped")
		r.link = linkDrop
		return r
	}
	t := &e.tgt.Objects[r.target]
	op := &Op{Kind: Disable, Key: o.ID, Target: t.ID, Reason: why}
	switch {
	case len(e.soft) == 0:
		r.op = skipOp(op, "the mapping has no attribute mapped from IsSoftDeleted, so there is no way to disable")
		return r
	case e.opts.SkipOutOfScopeDeletions:
		r.op = skipOp(op, "SkipOutOfScopeDeletions is set")
		return r
	}
	w.env.softDeleted = true
	oe := e.apply(w, r.target)
	tr.mapped(e, w.flows, e.soft)
	for _, k := range e.soft {
		if f := &w.flows[k]; f.Outcome == mapping.Failed {
			// Failures of the mappings that do not read IsSoftDeleted do
			// not matter to a disable.
			if oe == nil || oe.Attribute != e.attrs[k].Target {
				oe = &ObjectError{Key: o.ID, Stage: "map", Attribute: e.attrs[k].Target, Err: f.Err, Escrow: isEscrow(f.Err)}
			}
			r.err = oe
			return r
		}
	}
	var changes []AttrChange
	var c AttrChange
	for _, k := range e.soft {
		if e.attrChange(k, &w.flows[k], t, &c) {
			changes = append(changes, c)
		}
	}
	r.link, r.prov = linkSet, false
	if len(changes) == 0 {
		tr.none("none: target ", t.ID, " is already disabled")
		return r
	}
	slices.SortFunc(changes, func(a, b AttrChange) int { return strings.Compare(a.Name, b.Name) })
	op.Changes = changes
	if !e.flows.Update {
		r.op = skipOp(op, "the object mapping's target object actions do not include Update, which disabling needs")
		r.link = linkKeep
		return r
	}
	r.op = op
	return r
}

// scope decides whether the object is in scope, and why not; the reason
// of an in-scope object is computed only when needed (inScopeReason). A
// scoping regular expression that used up its budget is an error: the
// object is neither in nor out of scope, so it is neither updated nor
// disabled.
func (e *engine) scope(env *objEnv) (bool, string, error) {
	o := env.o
	switch {
	case o.SoftDeleted:
		return false, "soft-deleted in the source", nil
	case o.Disabled:
		return false, "disabled in the source (accountEnabled is false)", nil
	case o.Unassigned && !e.opts.SyncAll:
		return false, "not assigned to the application", nil
	}
	env.softDeleted = false
	in, err := e.rule.MatchScope(env)
	if err != nil {
		return false, "", err
	}
	if !in {
		return false, "scoping filter: " + e.rule.Scope(env).Reason(), nil
	}
	return true, "", nil
}

// inScopeReason says why an in-scope object is in scope.
func (e *engine) inScopeReason(env *objEnv) string {
	assignment := "assigned"
	if e.opts.SyncAll {
		assignment = "all objects are synced"
	}
	return "in scope: " + assignment + "; " + e.rule.Scope(env).Reason()
}

// apply evaluates every attribute mapping of the worker's object against
// target (the linked or matched target object, -1 if none) into w.flows,
// with mapping's one implementation of the rules. It returns the first
// failure as the object's error.
func (e *engine) apply(w *worker, target int32) *ObjectError {
	w.target, w.opts.Current, w.opts.Values = target, nil, w.env.o.Values
	if target >= 0 {
		w.opts.Current = &w.tenv
	}
	failed := e.rule.ApplyTo(&w.env, w.opts, w.flows)
	if failed == 0 {
		return nil
	}
	k := slices.IndexFunc(w.flows, func(f mapping.Explanation) bool { return f.Outcome == mapping.Failed })
	err := w.flows[k].Err
	oe := &ObjectError{Key: w.env.o.ID, Stage: "map", Attribute: e.attrs[k].Target, Err: err, Escrow: isEscrow(err)}
	if failed > 1 {
		oe.Err = &moreFailures{err: err, more: failed - 1}
	}
	return oe
}

// softDeleteAttr is the virtual source attribute the service computes: true
// when the object is unassigned, out of scope, disabled or soft-deleted.
const softDeleteAttr = "IsSoftDeleted"

// objEnv is the expr.Env of one source object. One lives in each worker and
// is reused, so evaluating an object allocates nothing for the lookups.
type objEnv struct {
	ix          *attrIndex
	o           *Object
	softDeleted bool
	// seen holds the names looked up before, with how Lookup finds them:
	// the programs and the scoping filter ask for the same few names,
	// spelled by the same strings, object after object.
	seen []seenName
}

// seenName is one name objEnv.Lookup resolved: its kind, and for a
// snapshot attribute its position.
type seenName struct {
	name string
	kind uint8
	pos  int
}

// The kinds of names objEnv.Lookup answers.
const (
	lookSlot = iota // read from the snapshot
	lookSoft        // IsSoftDeleted, computed
	lookUPN         // a user principal name (b2b.go)
)

// maxSeen bounds objEnv.seen: a program reading more names than that looks
// the others up every time.
const maxSeen = 16

// lookupKind says how objEnv.Lookup answers name.
func lookupKind(name string) uint8 {
	switch {
	case len(name) == len(softDeleteAttr) && strings.EqualFold(name, softDeleteAttr):
		return lookSoft
	case len(name) == len(upnAttr) && strings.EqualFold(name, upnAttr),
		len(name) == len(originalUPNAttr) && strings.EqualFold(name, originalUPNAttr):
		return lookUPN
	}
	return lookSlot
}

// Lookup implements expr.Env: IsSoftDeleted is computed, a B2B guest's
// userPrincipalName stripped (b2b.go), everything else read from the
// snapshot.
func (env *objEnv) Lookup(name string) (expr.Value, bool) {
	s := env.resolve(name)
	switch s.kind {
	case lookSoft:
		return expr.Bool(env.softDeleted), true
	case lookUPN:
		v, ok, _ := env.lookupUPN(name)
		return v, ok
	}
	return valueAt(env.o, s.pos)
}

// resolve finds how Lookup answers name: from seen (names spelled by the
// same string compare by their length and address first), else from the
// attribute table, remembered for the next object.
func (env *objEnv) resolve(name string) seenName {
	for i := range env.seen {
		if env.seen[i].name == name {
			return env.seen[i]
		}
	}
	s := seenName{name: name, kind: lookupKind(name), pos: -1}
	if s.kind == lookSlot {
		s.pos = env.ix.pos(name)
	}
	if len(env.seen) < maxSeen {
		env.seen = append(env.seen, s)
	}
	return s
}

// Values implements scoping.Object, for the scoping matcher.
func (env *objEnv) Values(name string) ([]string, bool) {
	v, ok := env.Lookup(name)
	if !ok {
		return nil, false
	}
	return expr.Strings(v), true
}

// objectRand is the random source of Guid and RandomString for one
// attribute of one object: a stream seeded from the object's id and the
// attribute's name, so that a plan stays a pure function of its inputs
// (the same snapshots give the same generated values) while different
// objects and attributes still get different values.
func objectRand(id, attr string) io.Reader {
	seed := sha256.Sum256([]byte(id + "\x00" + attr))
	return rand.NewChaCha8(seed)
}
