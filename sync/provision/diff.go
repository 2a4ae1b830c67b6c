package provision

import (
	"crypto/sha256"
	"errors"
	"fmt"
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

// flowed is the outcome of one attribute mapping in a create-style apply:
// what mapping.Explanation says, without the text.
type flowed struct {
	value    expr.Value // nil when nothing flows
	redacted bool
	dflt     bool // the default value replaced a null result
}

// apply evaluates every attribute mapping of the object in env into out
// (aligned with e.attrs), as mapping's CompiledObjectMapping.Apply does
// with OnCreate set: every mapping flows, defaults included, so that one
// evaluation serves the match, the create and the update (attrChange drops
// what an update must not write). target is the linked target, excluded
// from the uniqueness check.
//
// It repeats Apply's per-attribute rules instead of calling it because
// Apply allocates an explanation per attribute, which at a million objects
// is most of the plan's garbage; TestApplyMatchesMapping keeps the two in
// step, and explanations still come from mapping.Apply.
func (e *engine) apply(env *objEnv, target int32, out []flowed) *ObjectError {
	eo := expr.EvalOptions{Now: e.opts.Now}
	var first *ObjectError
	failed := 0
	for k := range e.attrs {
		a := &e.attrs[k]
		out[k] = flowed{}
		v := expr.Null
		if a.Program != nil {
			o := eo
			if vx := e.uniqueAt[k]; vx != nil {
				o.Exists = e.existsFn(k, target, env.o.ID)
			}
			if e.random != nil && e.random[k] {
				o.Rand = objectRand(env.o.ID, a.Target)
			}
			var err error
			if e.uniqueAt[k] != nil && target >= 0 {
				v, err = e.keepUnique(env, k, target, o)
			} else {
				v, err = a.Program.EvalWith(env, o)
			}
			if err != nil {
				if failed++; first == nil {
					first = &ObjectError{Key: env.o.ID, Stage: "map", Attribute: a.Target, Err: err.Error(), Escrow: errors.Is(err, expr.ErrNotUnique)}
				}
				continue
			}
		}
		if v.Kind() == expr.KindIgnored {
			continue
		}
		v, out[k].redacted = expr.Unwrap(v)
		if d := a.Definition; d != nil {
			var err error
			if v, err = shape(v, d); err != nil {
				if failed++; first == nil {
					first = &ObjectError{Key: env.o.ID, Stage: "map", Attribute: a.Target, Err: err.Error()}
				}
				continue
			}
		}
		if expr.IsNull(v) {
			dflt := a.Mapping.DefaultValue
			if dflt == "" {
				continue
			}
			v, out[k].dflt, out[k].redacted = expr.String(dflt), true, false
			if d := a.Definition; d != nil && d.Multivalued {
				v = expr.Multi{dflt}
			}
		}
		out[k].value = v
	}
	if failed > 1 {
		first.Err += fmt.Sprintf(" (and %d more failing attributes)", failed-1)
	}
	return first
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

// keepUnique evaluates a SelectUniqueValue mapping for an object that has
// a target, as mapping's Apply does with Current set (evalUnique): the
// target's current value is kept while it is still a free candidate, so a
// user is not renamed because an earlier candidate became free; otherwise
// the first free candidate wins, as on create. TestApplyMatchesMapping
// keeps the two in step.
func (e *engine) keepUnique(env *objEnv, k int, target int32, o expr.EvalOptions) (expr.Value, error) {
	a := &e.attrs[k]
	cur, ok := valueAt(&e.tgt.Objects[target], e.tpos[k])
	if ok {
		cur, _ = expr.Unwrap(cur)
	}
	if s, isStr := cur.(expr.String); ok && isStr && s != "" && !o.Exists(string(s)) {
		sticky := o
		sticky.Exists = func(v string) bool {
			if e.caseExact[k] {
				return v != string(s)
			}
			return !strings.EqualFold(v, string(s))
		}
		if v, err := a.Program.EvalWith(env, sticky); err == nil {
			return v, nil
		}
	}
	return a.Program.EvalWith(env, o)
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

// shape fits a value to its target attribute, as mapping does: a Multi
// for a multi-valued attribute, a single value otherwise.
func shape(v expr.Value, def *mapping.AttributeDefinition) (expr.Value, error) {
	m, isMulti := v.(expr.Multi)
	switch {
	case def.Multivalued && !isMulti && !expr.IsNull(v):
		return expr.Multi(expr.Strings(v)), nil
	case def.Multivalued && isMulti && len(m) == 0:
		return expr.Null, nil
	case !def.Multivalued && isMulti:
		switch len(m) {
		case 0:
			return expr.Null, nil
		case 1:
			return expr.String(m[0]), nil
		}
		return nil, fmt.Errorf("%d values for single-valued attribute %s (pick one with Item or Join them)", len(m), def.Name)
	}
	return v, nil
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
func (e *engine) attrChange(k int, ex *flowed, t *Object) (AttrChange, bool) {
	a := &e.attrs[k]
	if ex.value == nil {
		return AttrChange{}, false // null, ignored, or failed
	}
	nv := ex.value
	if ex.redacted {
		nv = expr.Redacted{V: nv} // the plan holds the value; output hides it
	}
	if t == nil {
		return AttrChange{Name: a.Target, Old: expr.Null, New: nv, Redacted: ex.redacted}, true
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
	case ex.dflt && !expr.IsNullOrEmpty(old):
		// A default fills an empty target attribute only.
		return AttrChange{}, false
	case e.multi[k]:
		// A multi-valued attribute is a set: add and remove single values.
		addOnly := a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly
		add, remove := setDiff(expr.Strings(ex.value), expr.Strings(old), e.caseExact[k])
		if addOnly {
			remove = nil
		}
		if len(add) == 0 && len(remove) == 0 {
			return AttrChange{}, false
		}
		return AttrChange{Name: a.Target, Add: add, Remove: remove, Redacted: ex.redacted}, true
	case a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly:
		u, grew := union(old, ex.value, e.caseExact[k])
		if !grew {
			return AttrChange{}, false
		}
		if ex.redacted {
			u = expr.Redacted{V: u}
		}
		return AttrChange{Name: a.Target, Old: old, New: u, Redacted: ex.redacted}, true
	}
	if e.equal(k, ex.value, old) {
		return AttrChange{}, false
	}
	return AttrChange{Name: a.Target, Old: old, New: nv, Redacted: ex.redacted}, true
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

// objectRands is objectRand for every attribute of one object, in the form
// mapping.ApplyOptions takes, so that explanations show the values the plan
// has.
func objectRands(id string) func(attr string) io.Reader {
	return func(attr string) io.Reader { return objectRand(id, attr) }
}

// exprStrings returns the string values of v, unwrapping a redaction.
func exprStrings(v expr.Value) []string {
	v, _ = expr.Unwrap(v)
	return expr.Strings(v)
}
