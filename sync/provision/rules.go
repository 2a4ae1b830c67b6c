package provision

import (
	"errors"
	"slices"
	"strings"

	"github.com/attrmap/attrmap/mapping"
)

// DiffRules is Diff for every object mapping of a synchronization rule at
// once, such as users and groups (mapping.Schema.CompileRule compiles
// them). The snapshots hold the objects of every type, told apart by
// Object.Type; the state holds the links of every type, told apart by
// Link.Type. Each object mapping plans its own objects as Diff does; then
// the steps that need all of them run: ids for created objects, the
// accidental-deletion guard over the whole plan, and references (manager,
// group members), which resolve through the links of the object mapping
// they point to.
//
// The plan lists the operations of an object mapping before those of the
// mappings that reference it (users before the groups that contain them),
// within each kind.
func DiffRules(rules []*mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options) (*Plan, *State, error) {
	c, err := newCycle(rules, source, target, state, opts)
	if err != nil {
		return nil, nil, err
	}
	plan, next := c.plan()
	return plan, next, nil
}

// cycle is one DiffRules: an engine per object mapping, in dependency
// order.
type cycle struct {
	opts    Options
	initial bool
	engines []*engine
	parts   []*part
	rank    map[string]int // target object name -> position in the plan order
}

func newCycle(rules []*mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options) (*cycle, error) {
	if len(rules) == 0 {
		return nil, errors.New("sync: no object mapping")
	}
	for _, r := range rules {
		if r == nil {
			return nil, errors.New("sync: nil object mapping")
		}
	}
	if source == nil {
		source = &Snapshot{}
	}
	if target == nil {
		target = &Snapshot{}
	}
	srcNames, tgtNames := make([]string, len(rules)), make([]string, len(rules))
	for i, r := range rules {
		srcNames[i], tgtNames[i] = r.SourceObjectName(), r.TargetObjectName()
	}
	srcParts := partition(source, srcNames)
	tgtParts := partition(target, tgtNames)
	states := partitionState(state, srcNames)
	// Objects and links without a type belong to the first mapping as
	// given; the engines run, and their operations are listed, in
	// dependency order.
	c := &cycle{opts: opts, initial: state == nil, rank: map[string]int{}}
	for pos, i := range dependencyOrder(rules) {
		c.engines = append(c.engines, newEngine(rules[i], srcParts[i], tgtParts[i], states[i], opts))
		for _, n := range []string{tgtNames[i], strings.ToLower(tgtNames[i])} {
			if _, dup := c.rank[n]; !dup {
				c.rank[n] = pos
			}
		}
	}
	return c, nil
}

// dependencyOrder returns the positions of the object mappings, each after
// the ones its reference attributes point to (ignoring references to itself), keeping the
// schema's order otherwise; a cycle is broken in schema order.
func dependencyOrder(rules []*mapping.CompiledObjectMapping) []int {
	deps := make([][]int, len(rules))
	for i, r := range rules {
		for _, a := range r.Attributes() {
			d := a.Definition
			if d == nil || d.Type != mapping.TypeReference {
				continue
			}
			for _, ro := range d.ReferencedObjects {
				for j, other := range rules {
					if j != i && strings.EqualFold(other.TargetObjectName(), ro.ReferencedObjectName) && !slices.Contains(deps[i], j) {
						deps[i] = append(deps[i], j)
					}
				}
			}
		}
	}
	placed := make([]bool, len(rules))
	out := make([]int, 0, len(rules))
	for len(out) < len(rules) {
		pick := -1
		for i := range rules {
			if placed[i] {
				continue
			}
			ready := true
			for _, j := range deps[i] {
				ready = ready && placed[j]
			}
			if ready {
				pick = i
				break
			}
		}
		if pick < 0 { // a cycle: take the first left
			pick = slices.Index(placed, false)
		}
		placed[pick] = true
		out = append(out, pick)
	}
	return out
}

// partition splits a snapshot by object type: names[i] is the type of
// part i, and an object without a type belongs to part 0. Objects of a
// type no part has are left out. When every object belongs to part 0, the
// snapshot itself is part 0 (no copy); otherwise each part holds copies
// of its Object headers, sharing their values and the attribute table.
func partition(s *Snapshot, names []string) []*Snapshot {
	out := make([]*Snapshot, len(names))
	ix := s.index()
	for i := range out {
		out[i] = &Snapshot{Attributes: s.Attributes, ix: ix}
	}
	partOf := func(typ string) int {
		if typ == "" {
			return 0
		}
		for i, n := range names {
			if strings.EqualFold(n, typ) {
				return i
			}
		}
		return -1
	}
	all0 := true
	for i := range s.Objects {
		if t := s.Objects[i].Type; t != "" && partOf(t) != 0 {
			all0 = false
			break
		}
	}
	if all0 {
		out[0] = s
		return out
	}
	for i := range s.Objects {
		if p := partOf(s.Objects[i].Type); p >= 0 {
			out[p].Objects = append(out[p].Objects, s.Objects[i])
		}
	}
	return out
}

// partitionState splits the links by source object type, as partition
// does. A nil state stays nil (an initial cycle).
func partitionState(s *State, names []string) []*State {
	out := make([]*State, len(names))
	if s == nil {
		return out
	}
	for i := range out {
		out[i] = &State{Rule: s.Rule}
	}
	if !slices.ContainsFunc(s.Links, func(l Link) bool { return l.Type != "" && !strings.EqualFold(l.Type, names[0]) }) {
		out[0] = s // one type: no copy
		return out
	}
	for _, l := range s.Links {
		p := 0
		if l.Type != "" {
			p = -1
			for i, n := range names {
				if strings.EqualFold(n, l.Type) {
					p = i
					break
				}
			}
		}
		if p >= 0 {
			out[p].Links = append(out[p].Links, l)
		}
	}
	return out
}

// plan runs every engine and assembles the plan and the new state, in
// stages: evaluate each object mapping's objects, give created objects
// their ids, hold deletions back, compute the new links, resolve
// references, then gather and count the operations.
func (c *cycle) plan() (*Plan, *State) {
	for _, e := range c.engines {
		res := e.run()
		e.claimUnique(res)
		c.parts = append(c.parts, e.collect(res))
	}
	assignIDs(c.parts, c.opts)
	names := make([]string, len(c.engines))
	for i, e := range c.engines {
		names[i] = ruleName(e.rule)
	}
	p := &Plan{Rule: strings.Join(names, " + "), Initial: c.initial}
	c.holdDeletions(p)
	for _, pt := range c.parts {
		pt.newLinks()
	}
	c.resolveReferences(p)
	c.gather(p)
	c.engines[0].progress("plan", len(p.Ops))
	next := c.nextState(p.Rule)
	c.engines[0].progress("state", len(next.Links))
	return p, next
}

// holdDeletions is the accidental-deletion guard: when the whole plan
// holds more disables and deletes than the threshold, they move to
// Plan.Held, unless deletions are allowed.
func (c *cycle) holdDeletions(p *Plan) {
	nDel := 0
	for _, pt := range c.parts {
		for i := range pt.ops {
			if k := pt.ops[i].Kind; k == Disable || k == Delete {
				nDel++
			}
		}
	}
	t := c.opts.DeletionThreshold
	if t <= 0 || nDel <= t || c.opts.AllowDeletions {
		return
	}
	p.Held = &HeldDeletions{Threshold: t}
	for _, pt := range c.parts {
		pt.held = map[string]bool{}
		kept := pt.ops[:0]
		for _, op := range pt.ops {
			if op.Kind == Disable || op.Kind == Delete {
				p.Held.Ops = append(p.Held.Ops, op)
				pt.held[op.Key] = true
			} else {
				kept = append(kept, op)
			}
		}
		pt.ops = kept
	}
}

// gather puts every part's operations, skips and errors in the plan, in
// plan order, and counts them.
func (c *cycle) gather(p *Plan) {
	for _, pt := range c.parts {
		st := &pt.stats
		p.Stats.Source += st.Source
		p.Stats.Target += st.Target
		p.Stats.InScope += st.InScope
		p.Stats.OutOfScope += st.OutOfScope
		p.Stats.Gone += st.Gone
		p.Stats.Linked += st.Linked
		p.Stats.Matched += st.Matched
		p.Stats.Unchanged += st.Unchanged
		p.Ops = append(p.Ops, pt.ops...)
		p.Skipped = append(p.Skipped, pt.skipped...)
		p.Errors = append(p.Errors, pt.errors...)
	}
	c.sortOps(p.Ops)
	c.sortSkipped(p.Skipped)
	if p.Held != nil {
		c.sortOps(p.Held.Ops)
		p.Stats.Held = len(p.Held.Ops)
	}
	p.Stats.Create, p.Stats.Update, p.Stats.Disable, p.Stats.Delete = p.Counts()
	p.Stats.Skipped, p.Stats.Errors, p.Stats.Unresolved = len(p.Skipped), len(p.Errors), len(p.Unresolved)
}

// nextState is the state to keep for the next cycle: every part's links.
func (c *cycle) nextState(rule string) *State {
	next := &State{Rule: rule}
	n := 0
	for _, pt := range c.parts {
		n += len(pt.links)
	}
	next.Links = make([]Link, 0, n)
	for _, pt := range c.parts {
		next.Links = append(next.Links, pt.links...)
	}
	if len(c.parts) > 1 {
		sortLinks(next.Links)
	}
	return next
}

// claimUnique makes SelectUniqueValue see the values given out earlier in
// the same plan. Workers evaluate objects independently, each against the
// target snapshot only; then, in source id order, each create or update
// that writes an attribute using SelectUniqueValue claims its values, and
// an object whose value another object claimed first is evaluated again,
// now seeing the claims, so it takes the next candidate, or is escrowed
// when every candidate is taken. The outcome depends only on the ids, not
// on scheduling.
func (e *engine) claimUnique(res []result) {
	byName := map[string]int{}
	for k, vx := range e.uniqueAt {
		if vx != nil {
			byName[strings.ToLower(e.attrs[k].Target)] = k
		}
	}
	if len(byName) == 0 {
		return
	}
	var order []int
	for i := range res {
		if op := res[i].op; op != nil && (op.Kind == Create || op.Kind == Update) && writesAny(op, byName) {
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(e.src.Objects[a].ID, e.src.Objects[b].ID) })
	e.claimed = make([]map[string]string, len(e.attrs))
	for _, k := range byName {
		e.claimed[k] = map[string]string{}
	}
	var w *worker
	for _, i := range order {
		id := e.src.Objects[i].ID
		if e.conflicts(res[i].op, byName, id) {
			if w == nil {
				w = e.newWorker()
				w.sit.ExistsIn = "the target or was given to an object earlier in this plan"
			}
			res[i] = e.object(w, i, noTrace{})
		}
		if op := res[i].op; op != nil && (op.Kind == Create || op.Kind == Update) {
			for _, ch := range op.Changes {
				k, ok := byName[strings.ToLower(ch.Name)]
				if !ok {
					continue
				}
				for _, v := range changeValues(&ch) {
					e.claimed[k][e.claimKey(k, v)] = id
				}
			}
		}
	}
}

func writesAny(op *Op, byName map[string]int) bool {
	for _, ch := range op.Changes {
		if _, ok := byName[strings.ToLower(ch.Name)]; ok {
			return true
		}
	}
	return false
}

func (e *engine) conflicts(op *Op, byName map[string]int, self string) bool {
	for _, ch := range op.Changes {
		k, ok := byName[strings.ToLower(ch.Name)]
		if !ok {
			continue
		}
		for _, v := range changeValues(&ch) {
			if owner, ok := e.claimed[k][e.claimKey(k, v)]; ok && owner != self {
				return true
			}
		}
	}
	return false
}

func (e *engine) claimKey(k int, v string) string {
	if e.caseExact[k] {
		return v
	}
	return strings.ToLower(v)
}

// changeValues returns the values a change writes.
func changeValues(c *AttrChange) []string {
	if c.IsSet() {
		return c.Add
	}
	if c.New == nil {
		return nil
	}
	return exprStrings(c.New)
}
