package provision

import (
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// References.
//
// A Reference attribute (manager, members) holds ids of other objects. Its
// mapping evaluates to source ids; the plan writes target ids, found
// through the links of the object mapping the attribute's definition
// points to (referencedObjects; every mapping of the cycle when it names
// none). So references are resolved after every object mapping has run,
// from the new state: a referenced object
//
//   - linked and provisioned resolves to its target id, including an
//     object created in this plan (its new id);
//   - linked but deprovisioned (disabled earlier) is left alone: not
//     added, not removed, not reported (the service keeps a disabled
//     user's group memberships for when it comes back);
//   - not linked (out of scope, unassigned, failed, or absent from the
//     source snapshot) is unresolved: left out and listed in
//     Plan.Unresolved, never invented.
//
// A create writes the references that resolve to existing target objects;
// those to objects created in the same plan go to a follow-up update after
// every create, as the service does ("more updates on the target system
// to create and link the referenced objects"). A multi-valued reference
// (group members) is a set: values are added and removed one by one, and
// only members the engine manages (linked and provisioned, or being
// deleted) are ever removed, so members added in the target by other
// means stay.

// refStatus is what a referenced source id resolves to.
type refStatus uint8

const (
	refResolved refStatus = iota
	refKeep               // linked but deprovisioned: leave alone
	refUnresolved
)

// resolveReferences adds the reference changes to the parts' operations:
// into the create or update of each object, into a new update for an
// object that needed none, or into a follow-up update after the creates.
func (c *cycle) resolveReferences(p *Plan) {
	for _, pt := range c.parts {
		e := pt.e
		if len(e.refs) == 0 {
			continue
		}
		cands := make([][]*part, len(e.refs))
		refNames := make([]string, len(e.refs))
		for j, k := range e.refs {
			cands[j], refNames[j] = c.referenced(e.attrs[k].Definition)
		}
		opIdx := map[string]int{}
		for i := range pt.ops {
			if k := pt.ops[i].Kind; k == Create || k == Update {
				opIdx[pt.ops[i].Key] = i
			}
		}
		obj := e.rule.TargetObjectName()
		for i := range pt.res {
			r := &pt.res[i]
			if !r.hasRefs || r.err != nil {
				continue
			}
			o := &e.src.Objects[i]
			opi, hasOp := opIdx[o.ID]
			creating := hasOp && pt.ops[opi].Kind == Create
			var t *Object
			switch {
			case creating:
			case r.target < 0 || !e.flows.Update:
				continue
			default:
				t = &e.tgt.Objects[r.target]
			}
			var now, later []AttrChange
			for j, k := range e.refs {
				n, l := c.refChange(p, pt, j, k, o, t, e.refVals[i*len(e.refs)+j], cands[j], refNames[j])
				now, later = append(now, n...), append(later, l...)
			}
			if len(now) > 0 {
				if hasOp {
					pt.ops[opi].Changes = append(pt.ops[opi].Changes, now...)
					sortChanges(pt.ops[opi].Changes)
				} else {
					env := &objEnv{ix: e.six, o: o}
					sortChanges(now)
					pt.ops = append(pt.ops, Op{Kind: Update, Object: obj, Key: o.ID, Target: t.ID, Reason: e.inScopeReason(env) + "; references changed", Changes: now})
					if r.op == nil {
						pt.stats.Unchanged--
					}
				}
			}
			if len(later) > 0 {
				sortChanges(later)
				pt.ops = append(pt.ops, Op{Kind: Update, Object: obj, Key: o.ID, Target: pt.newIDs[o.ID], FollowUp: true,
					Reason: "sets references to objects created earlier in this plan", Changes: later})
			}
		}
	}
	c.sortUnresolved(p.Unresolved)
}

// referenced returns the parts a reference attribute points to, and their
// target object names joined for AttrChange.Ref.
func (c *cycle) referenced(d *mapping.AttributeDefinition) ([]*part, string) {
	var out []*part
	for _, ro := range d.ReferencedObjects {
		for _, pt := range c.parts {
			if strings.EqualFold(pt.e.rule.TargetObjectName(), ro.ReferencedObjectName) && !slices.Contains(out, pt) {
				out = append(out, pt)
			}
		}
	}
	if len(out) == 0 {
		out = c.parts
	}
	names := make([]string, len(out))
	for i, pt := range out {
		names[i] = pt.e.rule.TargetObjectName()
	}
	return out, strings.Join(names, ",")
}

// refChange computes the change of reference attribute k (the j-th) of
// source object o: now goes into the object's create or update, later
// into its follow-up. t is the target object, nil for a create.
func (c *cycle) refChange(p *Plan, pt *part, j, k int, o *Object, t *Object, v expr.Value, cands []*part, refName string) (now, later []AttrChange) {
	e := pt.e
	a := &e.attrs[k]
	if v == nil {
		return nil, nil // null or ignored: nothing flows
	}
	cur := expr.Value(expr.Null)
	if t != nil {
		if a.FlowType == mapping.ObjectAddOnly {
			return nil, nil
		}
		if x, ok := valueAt(t, e.tpos[k]); ok {
			cur = x
		}
		if a.FlowType == mapping.AttributeAddOnly && !expr.IsNullOrEmpty(cur) {
			return nil, nil
		}
	}
	var resolved, created []string
	for _, s := range exprStrings(v) {
		if s == "" {
			continue
		}
		tid, isNew, st, why := resolveRef(s, cands)
		switch st {
		case refResolved:
			if isNew && t == nil {
				created = append(created, tid)
			} else {
				resolved = append(resolved, tid)
			}
		case refUnresolved:
			p.Unresolved = append(p.Unresolved, Unresolved{Object: e.rule.TargetObjectName(), Key: o.ID, Attribute: a.Target, Value: s, Reason: why})
		}
	}
	name := a.Target
	if !e.multi[k] {
		switch {
		case len(created) > 0:
			return nil, []AttrChange{{Name: name, Old: expr.Null, New: expr.String(created[0]), Ref: refName}}
		case len(resolved) == 0:
			return nil, nil
		case t == nil:
			return []AttrChange{{Name: name, Old: expr.Null, New: expr.String(resolved[0]), Ref: refName}}, nil
		case e.attrs[k].Equal(expr.String(resolved[0]), cur):
			return nil, nil
		}
		return []AttrChange{{Name: name, Old: cur, New: expr.String(resolved[0]), Ref: refName}}, nil
	}
	if t == nil {
		if len(resolved) > 0 {
			now = []AttrChange{{Name: name, Old: expr.Null, New: expr.Multi(dedupStrings(resolved)), Ref: refName}}
		}
		if len(created) > 0 {
			later = []AttrChange{{Name: name, Add: dedupStrings(created), Ref: refName}}
		}
		return now, later
	}
	add, remove := setDiff(resolved, exprStrings(cur), e.caseExact[k])
	if a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly {
		remove = nil
	}
	// Only members the engine manages are removed.
	kept := remove[:0]
	for _, tid := range remove {
		if managedTarget(tid, cands) {
			kept = append(kept, tid)
		}
	}
	remove = kept
	if len(add) == 0 && len(remove) == 0 {
		return nil, nil
	}
	return []AttrChange{{Name: name, Add: add, Remove: remove, Ref: refName}}, nil
}

func dedupStrings(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// resolveRef resolves one referenced source id through the new links of
// the candidate parts, in order.
func resolveRef(src string, cands []*part) (tid string, created bool, st refStatus, why string) {
	for _, pt := range cands {
		l, ok := pt.link(src)
		if !ok {
			continue
		}
		if !l.Provisioned {
			return "", false, refKeep, ""
		}
		if id, isNew := pt.newIDs[src]; isNew && id == l.Target {
			return l.Target, true, refResolved, ""
		}
		if !pt.e.hasTarget(l.Target) {
			return "", false, refUnresolved, "its linked target " + l.Target + " is missing from the target snapshot"
		}
		return l.Target, false, refResolved, ""
	}
	for _, pt := range cands {
		j, ok := pt.e.srcByID[src]
		if !ok {
			continue
		}
		switch r := &pt.res[max(j, 0)]; {
		case j < 0:
			return "", false, refUnresolved, "the source snapshot holds more than one object with this id"
		case r.err != nil:
			return "", false, refUnresolved, "the referenced object failed (" + r.err.Stage + ")"
		case !r.inScope:
			return "", false, refUnresolved, "the referenced object is out of scope"
		}
		return "", false, refUnresolved, "the referenced object is not provisioned"
	}
	return "", false, refUnresolved, "no object with this id in the source snapshot"
}

// link returns the new link of a source id in this part: through the
// object's result when the source snapshot has it (one map lookup), else
// by searching the new links (a source gone whose link was kept).
func (pt *part) link(src string) (Link, bool) {
	if j, ok := pt.e.srcByID[src]; ok && j >= 0 {
		return pt.linkAt(int(j))
	}
	i, ok := slices.BinarySearchFunc(pt.links, src, func(l Link, k string) int { return strings.Compare(l.Source, k) })
	if !ok {
		return Link{}, false
	}
	return pt.links[i], true
}

// managedTarget reports whether a target id belongs to an object the
// engine manages in one of the parts: linked and provisioned now, or
// provisioned before and being deleted.
func managedTarget(tid string, cands []*part) bool {
	for _, pt := range cands {
		if pt.managed == nil {
			pt.managed = map[string]bool{}
			if st := pt.e.state; st != nil {
				for _, l := range st.Links {
					pt.managed[l.Target] = l.Provisioned
				}
			}
			for _, l := range pt.links {
				pt.managed[l.Target] = l.Provisioned
			}
		}
		if m, ok := pt.managed[tid]; ok {
			return m
		}
	}
	return false
}
