package provision

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/attrmap/attrmap/expr"
)

// valueIndex finds target objects by the value of one attribute. Most
// values belong to one object, so the common case is a single map entry;
// values shared by several objects (which make a match ambiguous) keep
// their full list aside. A million targets are indexed in shards, each
// over a consecutive range of the objects, built side by side; a lookup
// asks every shard and puts what they hold together in object order, so
// the answers are those of one index.
type valueIndex struct {
	caseExact bool
	shards    []valueShard
}

// valueShard indexes a range of the target objects.
type valueShard struct {
	first map[string]int32
	more  map[string][]int32
}

// key normalises a value for lookup: as is for caseExact attributes,
// lower-cased otherwise.
func (vx *valueIndex) key(s string) string {
	if vx.caseExact {
		return s
	}
	return strings.ToLower(s)
}

func (sh *valueShard) add(k string, i int32) {
	j, ok := sh.first[k]
	switch {
	case !ok:
		sh.first[k] = i
	case j == i:
	case sh.more[k] == nil:
		sh.more[k] = []int32{j, i}
	default:
		if l := sh.more[k]; l[len(l)-1] != i {
			sh.more[k] = append(l, i)
		}
	}
}

// lookup returns the objects holding s: one index (n == 1), none, or
// all of them when there are several.
func (vx *valueIndex) lookup(s string) (one int32, all []int32, n int) {
	k := vx.key(s)
	one = -1
	for i := range vx.shards {
		sh := &vx.shards[i]
		j, ok := sh.first[k]
		if !ok {
			continue
		}
		l := sh.more[k]
		if n == 0 && l == nil {
			one, n = j, 1
			continue
		}
		if n == 1 {
			all = []int32{one}
		}
		if l == nil {
			l = []int32{j}
		}
		if all == nil {
			all = l // one shard's list, not to be changed
		} else {
			all = append(slices.Clip(all), l...)
		}
		one, n = -1, len(all)
	}
	return one, all, n
}

// indexTarget builds the index of one target attribute over every target
// object, in shards built side by side (up to one per worker);
// multi-valued attributes index each value.
func indexTarget(t *Snapshot, pos int, caseExact bool, workers int) *valueIndex {
	vx := &valueIndex{caseExact: caseExact}
	n := len(t.Objects)
	k := max(1, min(workers, n/minChunk))
	if pos < 0 {
		k = 1
	}
	vx.shards = make([]valueShard, k)
	var wg sync.WaitGroup
	for c := range k {
		lo, hi := c*n/k, (c+1)*n/k
		if pos < 0 {
			hi = lo
		}
		wg.Go(func() { vx.indexShard(&vx.shards[c], t.Objects[lo:hi], int32(lo), pos) })
	}
	wg.Wait()
	return vx
}

// indexShard indexes the values at pos of the objects at base, base+1,
// ... into sh.
func (vx *valueIndex) indexShard(sh *valueShard, objs []Object, base int32, pos int) {
	sh.first, sh.more = make(map[string]int32, len(objs)), map[string][]int32{}
	add := func(s string, i int32) {
		if s != "" {
			sh.add(vx.key(s), i)
		}
	}
	for i := range objs {
		v, ok := valueAt(&objs[i], pos)
		if !ok {
			continue
		}
		v, _ = expr.Unwrap(v)
		if m, ok := v.(expr.Multi); ok {
			for _, s := range m {
				add(s, base+int32(i))
			}
			continue
		}
		if s, ok := v.(expr.String); ok {
			add(string(s), base+int32(i))
			continue
		}
		if !expr.IsNull(v) {
			add(expr.Render(v), base+int32(i))
		}
	}
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
