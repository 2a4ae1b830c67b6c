package provision

import (
	"errors"
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// valueIndex finds target objects by the value of one attribute. Most
// values belong to one object, so the common case is a single map entry;
// values shared by several objects (which make a match ambiguous) keep
// their full list aside.
type valueIndex struct {
	caseExact bool
	first     map[string]int32
	more      map[string][]int32
}

func newValueIndex(n int, caseExact bool) *valueIndex {
	return &valueIndex{caseExact: caseExact, first: make(map[string]int32, n), more: map[string][]int32{}}
}

// key normalises a value for lookup: as is for caseExact attributes,
// lower-cased otherwise.
func (vx *valueIndex) key(s string) string {
	if vx.caseExact {
		return s
	}
	return strings.ToLower(s)
}

func (vx *valueIndex) add(s string, i int32) {
	if s == "" {
		return
	}
	k := vx.key(s)
	j, ok := vx.first[k]
	switch {
	case !ok:
		vx.first[k] = i
	case j == i:
	case vx.more[k] == nil:
		vx.more[k] = []int32{j, i}
	default:
		if l := vx.more[k]; l[len(l)-1] != i {
			vx.more[k] = append(l, i)
		}
	}
}

// lookup returns the objects holding s: one index (n == 1), none, or
// all of them when there are several.
func (vx *valueIndex) lookup(s string) (one int32, all []int32, n int) {
	k := vx.key(s)
	j, ok := vx.first[k]
	if !ok {
		return -1, nil, 0
	}
	if l := vx.more[k]; l != nil {
		return -1, l, len(l)
	}
	return j, nil, 1
}

// indexTarget builds the index of one target attribute over every target
// object; multi-valued attributes index each value.
func indexTarget(t *Snapshot, pos int, caseExact bool) *valueIndex {
	vx := newValueIndex(len(t.Objects), caseExact)
	if pos < 0 {
		return vx
	}
	for i := range t.Objects {
		v, ok := valueAt(&t.Objects[i], pos)
		if !ok {
			continue
		}
		v, _ = expr.Unwrap(v)
		if m, ok := v.(expr.Multi); ok {
			for _, s := range m {
				vx.add(s, int32(i))
			}
			continue
		}
		if s, ok := v.(expr.String); ok {
			vx.add(string(s), int32(i))
			continue
		}
		if !expr.IsNull(v) {
			vx.add(expr.Render(v), int32(i))
		}
	}
	return vx
}

// matchResult is the outcome of matching one source object.
type matchResult struct {
	target int32 // -1 when nothing matched
	// how says which attribute and value matched, or why none did.
	how string
	// err is set for an ambiguous match, a target linked to another
	// source, or no matching attribute with a value.
	err error
}

// match looks the object's matching values up in the target, in
// matchingPriority order, and stops at the first attribute that finds
// something. vals holds the evaluated mappings.
func (e *engine) findTarget(vals []expr.Value, srcID string, explain bool) matchResult {
	if len(e.match) == 0 {
		return matchResult{target: -1, how: "no matching attribute in the mapping"}
	}
	var tried []string
	anyValue := false
	for mi, k := range e.match {
		v := vals[k]
		if v == nil {
			continue
		}
		keys := exprStrings(v)
		name := e.attrs[k].Target
		prio := e.attrs[k].Mapping.MatchingPriority
		found, cands := int32(-1), 0
		var seen []int32
		for _, s := range keys {
			if s == "" {
				continue
			}
			anyValue = true
			one, all, n := e.matchIdx[mi].lookup(s)
			switch n {
			case 0:
				continue
			case 1:
				if found != one {
					if found >= 0 {
						seen = append(seen, found)
					}
					found = one
					cands++
					seen = append(seen, one)
				}
			default:
				return matchResult{target: -1, err: fmt.Errorf("%d target objects have %s = %q (matching priority %d): %s; matching needs a unique value",
					n, name, s, prio, e.targetIDs(all))}
			}
		}
		if cands > 1 {
			return matchResult{target: -1, err: fmt.Errorf("the values of %s match %d target objects (matching priority %d): %s", name, cands, prio, e.targetIDs(dedup(seen)))}
		}
		if found >= 0 {
			tid := e.tgt.Objects[found].ID
			if owner, ok := e.linkOwner(tid); ok && owner != srcID {
				return matchResult{target: -1, err: fmt.Errorf("matched target %s on %s = %s, but it is linked to source %s", tid, name, quoteValues(keys), owner)}
			}
			how := fmt.Sprintf("matched on %s = %s (priority %d)", name, quoteValues(keys), prio)
			if len(tried) > 0 {
				how = "no target object has " + strings.Join(tried, " or ") + "; " + how
			}
			return matchResult{target: found, how: how}
		}
		if explain || len(tried) < 3 {
			if len(keys) > 0 {
				tried = append(tried, fmt.Sprintf("%s = %s", name, quoteValues(keys)))
			}
		}
	}
	if !anyValue {
		return matchResult{target: -1, err: errors.New("no matching attribute has a value (" + e.matchNames() + ")")}
	}
	return matchResult{target: -1, how: "no target object has " + strings.Join(tried, " or ")}
}

func (e *engine) matchNames() string {
	names := make([]string, len(e.match))
	for i, k := range e.match {
		names[i] = e.attrs[k].Target
	}
	return strings.Join(names, ", ")
}

func (e *engine) targetIDs(idx []int32) string {
	ids := make([]string, 0, len(idx))
	for _, i := range idx {
		ids = append(ids, e.tgt.Objects[i].ID)
	}
	sortStrings(ids)
	return strings.Join(ids, ", ")
}

func dedup(idx []int32) []int32 {
	out := idx[:0:0]
	for _, i := range idx {
		dup := false
		for _, j := range out {
			dup = dup || i == j
		}
		if !dup {
			out = append(out, i)
		}
	}
	return out
}

func quoteValues(vals []string) string {
	if len(vals) == 1 {
		return fmt.Sprintf("%q", vals[0])
	}
	q := make([]string, len(vals))
	for i, s := range vals {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// linkOwner returns the source the state links to target id tid (the last
// link's, as the planner reads the state), if any.
func (e *engine) linkOwner(tid string) (string, bool) {
	if e.linkedBy == nil {
		return "", false
	}
	t, ok := e.targetByID[tid]
	if !ok || e.linkedBy[t] < 0 {
		return "", false
	}
	return e.state.Links[e.linkedBy[t]].Source, true
}
