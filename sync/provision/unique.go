package provision

import (
	"slices"
	"strings"
)

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
				w.opts.ExistsIn = "the target or was given to an object earlier in this plan"
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

// taken is SelectUniqueValue's uniqueness check for attribute k of the
// source object self, linked or matched to target (-1 if none): a
// candidate is taken when a target object other than that one holds it,
// or when it was given out earlier in the plan to another object (see
// claimUnique).
func (e *engine) taken(k int, target int32, self, v string) bool {
	if e.claimed != nil && e.claimed[k] != nil {
		if owner, ok := e.claimed[k][e.claimKey(k, v)]; ok && owner != self {
			return true
		}
	}
	one, all, n := e.uniqueAt[k].lookup(v)
	switch n {
	case 0:
		return false
	case 1:
		return one != target
	}
	return len(all) > 0
}

// uniqueIndex returns the position of the attribute using
// SelectUniqueValue whose target is attr (as mapping names it).
func (e *engine) uniqueIndex(attr string) int {
	for _, k := range e.unique {
		if e.attrs[k].Target == attr {
			return k
		}
	}
	return -1
}
