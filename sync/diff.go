package sync

import (
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// softDeleteAttr is the virtual source attribute the service computes: true
// when the object is unassigned, out of scope, disabled or soft-deleted.
const softDeleteAttr = "IsSoftDeleted"

// objEnv is the expr.Env of one source object. One lives in each worker and
// is reused, so evaluating an object allocates nothing for the lookups.
type objEnv struct {
	ix          *attrIndex
	o           *Object
	softDeleted bool
}

// Lookup implements expr.Env: IsSoftDeleted is computed, everything else
// read from the snapshot.
func (env *objEnv) Lookup(name string) (expr.Value, bool) {
	if len(name) == len(softDeleteAttr) && strings.EqualFold(name, softDeleteAttr) {
		return expr.Bool(env.softDeleted), true
	}
	return valueAt(env.o, env.ix.pos(name))
}

// Values implements scoping.Object, for the scoping matcher.
func (env *objEnv) Values(name string) ([]string, bool) {
	v, ok := env.Lookup(name)
	if !ok {
		return nil, false
	}
	return expr.Strings(v), true
}

// apply applies the object mapping to the object in env as for a create:
// every mapping flows, defaults included, so one evaluation serves the
// match, the create and the update (attrChange drops what an update must
// not write). target is the linked target, for the uniqueness check.
func (e *engine) apply(env *objEnv, target int32) (mapping.Target, error) {
	o := mapping.ApplyOptions{OnCreate: true, Now: e.opts.Now}
	if len(e.unique) > 0 {
		o.Exists = func(attr, v string) bool {
			vx := e.unique[attr]
			if vx == nil {
				return false
			}
			// A candidate exists when a target object other than this
			// one's holds it.
			one, all, n := vx.lookup(v)
			switch n {
			case 0:
				return false
			case 1:
				return one != target
			}
			return len(all) > 0
		}
	}
	return e.rule.Apply(env, o)
}

// equal compares a mapped value with the target's, as mapping's
// CompiledObjectMapping.Equal does (a test keeps them in step): ignoring
// case unless the attribute is caseExact (Booleans always ignore case),
// lists as sets, null equal to empty. It takes the attribute's position
// instead of its name, so the hot loop does no name lookup.
func (e *engine) equal(k int, a, b expr.Value) bool {
	a, _ = expr.Unwrap(a)
	b, _ = expr.Unwrap(b)
	if expr.IsNullOrEmpty(a) || expr.IsNullOrEmpty(b) {
		return expr.IsNullOrEmpty(a) && expr.IsNullOrEmpty(b)
	}
	fold := !e.caseExact[k]
	_, am := a.(expr.Multi)
	_, bm := b.(expr.Multi)
	if am || bm || e.multi[k] {
		return slices.Equal(normList(a, !fold), normList(b, !fold))
	}
	as, ok1 := a.(expr.String)
	bs, ok2 := b.(expr.String)
	if !ok1 || !ok2 {
		as, bs = expr.String(expr.Render(a)), expr.String(expr.Render(b))
	}
	if fold {
		return as == bs || strings.EqualFold(string(as), string(bs))
	}
	return as == bs
}

func normList(v expr.Value, caseExact bool) []string {
	var out []string
	for _, s := range expr.Strings(v) {
		if s == "" {
			continue
		}
		if !caseExact {
			s = strings.ToLower(s)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// union returns old's values followed by those of add that old lacks, and
// whether there were any.
func union(old, add expr.Value, caseExact bool) (expr.Value, bool) {
	have := normList(old, caseExact)
	out := slices.Clone(expr.Strings(old))
	grew := false
	for _, s := range expr.Strings(add) {
		k := s
		if !caseExact {
			k = strings.ToLower(s)
		}
		if s == "" {
			continue
		}
		if _, found := slices.BinarySearch(have, k); found {
			continue
		}
		have = append(have, k)
		slices.Sort(have)
		out = append(out, s)
		grew = true
	}
	return expr.Multi(out), grew
}

// attrChange decides what one attribute mapping writes, from its
// explanation in a create-style Apply. For a create, t is nil; otherwise
// it is the target object. It returns false when the attribute is left
// alone.
func (e *engine) attrChange(k int, ex *mapping.Explanation, t *Object) (AttrChange, bool) {
	a := &e.attrs[k]
	if ex.Outcome != mapping.Flowed {
		return AttrChange{}, false // null, ignored, or failed
	}
	nv := ex.Value
	if ex.Redacted {
		nv = expr.Redacted{V: nv} // the plan holds the value; output hides it
	}
	if t == nil {
		return AttrChange{Name: a.Target, Old: expr.Null, New: nv, Redacted: ex.Redacted}, true
	}
	old, ok := valueAt(t, e.tpos[k])
	if !ok {
		old = expr.Null
	}
	switch {
	case a.FlowType == mapping.ObjectAddOnly:
		return AttrChange{}, false
	case a.FlowType == mapping.AttributeAddOnly && !expr.IsNullOrEmpty(old):
		return AttrChange{}, false
	case ex.DefaultUsed && !expr.IsNullOrEmpty(old):
		// A default fills an empty target attribute only.
		return AttrChange{}, false
	case a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly:
		u, grew := union(old, ex.Value, e.caseExact[k])
		if !grew {
			return AttrChange{}, false
		}
		if ex.Redacted {
			u = expr.Redacted{V: u}
		}
		return AttrChange{Name: a.Target, Old: old, New: u, Redacted: ex.Redacted}, true
	}
	if e.equal(k, ex.Value, old) {
		return AttrChange{}, false
	}
	return AttrChange{Name: a.Target, Old: old, New: nv, Redacted: ex.Redacted}, true
}
