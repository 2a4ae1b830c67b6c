package provision

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
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

// existsIn is the uniqueness check of SelectUniqueValue over one target
// attribute, for an object linked to target: a candidate exists when a
// target object other than that one holds it.
func existsIn(vx *valueIndex, target int32) func(string) bool {
	return func(v string) bool {
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

// existsFn is existsIn for attribute k, also counting the values given
// out earlier in the plan to objects other than self (see claimUnique).
func (e *engine) existsFn(k int, target int32, self string) func(string) bool {
	inTarget := existsIn(e.uniqueAt[k], target)
	if e.claimed == nil || e.claimed[k] == nil {
		return inTarget
	}
	claimed, caseExact := e.claimed[k], e.caseExact[k]
	return func(v string) bool {
		if !caseExact {
			v = strings.ToLower(v)
		}
		if owner, ok := claimed[v]; ok && owner != self {
			return true
		}
		return inTarget(v)
	}
}

// union returns old's values followed by those of add that old lacks, and
// whether there were any.
func union(old, add expr.Value, caseExact bool) (expr.Value, bool) {
	have := expr.Strings(old)
	more, _ := setDiff(expr.Strings(add), have, caseExact)
	return expr.Multi(append(slices.Clone(have), more...)), len(more) > 0
}

// setDiff returns the values of want that have lacks (add) and those of
// have that want lacks (remove), each in its list's order without
// duplicates, comparing ignoring case unless caseExact. Empty strings are
// not values.
func setDiff(want, have []string, caseExact bool) (add, remove []string) {
	norm := func(s string) string {
		if caseExact {
			return s
		}
		return strings.ToLower(s)
	}
	wantSet := make(map[string]bool, len(want))
	haveSet := make(map[string]bool, len(have))
	for _, s := range have {
		if s != "" {
			haveSet[norm(s)] = true
		}
	}
	for _, s := range want {
		if s == "" {
			continue
		}
		n := norm(s)
		if !wantSet[n] && !haveSet[n] {
			add = append(add, s)
		}
		wantSet[n] = true
	}
	done := map[string]bool{}
	for _, s := range have {
		if n := norm(s); s != "" && !wantSet[n] && !done[n] {
			remove = append(remove, s)
			done[n] = true
		}
	}
	return add, remove
}

// attrChange decides what one attribute mapping writes, from its
// explanation in a create-style Apply. For a create, t is nil; otherwise
// it is the target object. It returns false when the attribute is left
// alone.
func (e *engine) attrChange(k int, ex *mapping.Flow, t *Object) (AttrChange, bool) {
	a := &e.attrs[k]
	if ex.Value == nil {
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
	case e.multi[k]:
		// A multi-valued attribute is a set: add and remove single values.
		addOnly := a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly
		add, remove := setDiff(expr.Strings(ex.Value), expr.Strings(old), e.caseExact[k])
		if addOnly {
			remove = nil
		}
		if len(add) == 0 && len(remove) == 0 {
			return AttrChange{}, false
		}
		return AttrChange{Name: a.Target, Add: add, Remove: remove, Redacted: ex.Redacted}, true
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
	if a.Equal(ex.Value, old) {
		return AttrChange{}, false
	}
	return AttrChange{Name: a.Target, Old: old, New: nv, Redacted: ex.Redacted}, true
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

// exprStrings returns the string values of v, unwrapping a redaction.
func exprStrings(v expr.Value) []string {
	v, _ = expr.Unwrap(v)
	return expr.Strings(v)
}
