package provision

import (
	"fmt"
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// Apply returns a copy of the target snapshot with the plan's operations
// carried out, as a target directory would: Create adds an object with
// the op's Target id and its attributes, Update and Disable write their
// changes (a null New removes the attribute), Delete removes the object.
// Held and skipped operations are not applied. The input snapshot is not
// modified.
//
// Problems (an update of a missing object, a create over an existing one,
// a redacted value whose real value the plan does not hold because it
// was read back from JSON) do not stop the others; they are returned
// together as an *ApplyError beside the snapshot.
func Apply(target *Snapshot, p *Plan) (*Snapshot, error) {
	a := newApplier(target)
	for i := range p.Ops {
		a.apply(&p.Ops[i])
	}
	return a.finish()
}

// applier carries a plan out on a copy of a target snapshot, one
// operation at a time, collecting the problems instead of stopping.
type applier struct {
	out      *Snapshot
	byID     map[string]int // target id -> position in out.Objects
	deleted  map[int]bool   // positions deleted so far
	problems []string
}

// newApplier copies the target and indexes its ids.
func newApplier(target *Snapshot) *applier {
	out := &Snapshot{Attributes: slices.Clone(target.Attributes), Objects: slices.Clone(target.Objects)}
	a := &applier{out: out, byID: make(map[string]int, len(out.Objects)), deleted: map[int]bool{}}
	for i := range out.Objects {
		a.byID[out.Objects[i].ID] = i
	}
	return a
}

func (a *applier) problemf(format string, args ...any) {
	a.problems = append(a.problems, fmt.Sprintf(format, args...))
}

// apply carries out one operation.
func (a *applier) apply(op *Op) {
	switch op.Kind {
	case Create:
		if _, exists := a.byID[op.Target]; exists {
			a.problemf("create %s: target %s already exists", op.Key, op.Target)
			return
		}
		a.out.Objects = append(a.out.Objects, Object{ID: op.Target, Type: op.Object})
		a.byID[op.Target] = len(a.out.Objects) - 1
		a.write(&a.out.Objects[len(a.out.Objects)-1], op)
	case Update, Disable:
		j, ok := a.existing(op)
		if !ok {
			return
		}
		if why := stale(a.out, &a.out.Objects[j], op); why != "" {
			a.problemf("%s %s: target %s changed since the plan was made (%s); nothing of this operation was written: plan again", op.Kind, op.Key, op.Target, why)
			return
		}
		a.write(&a.out.Objects[j], op)
	case Delete:
		if j, ok := a.existing(op); ok {
			a.deleted[j] = true
		}
	case Skip:
		// Records only.
	default:
		panic("sync: unknown OpKind")
	}
}

// existing finds the target of an update, disable or delete, which must
// exist and not be deleted earlier in the plan.
func (a *applier) existing(op *Op) (int, bool) {
	j, ok := a.byID[op.Target]
	if !ok || a.deleted[j] {
		a.problemf("%s %s: target %s does not exist", op.Kind, op.Key, op.Target)
		return 0, false
	}
	return j, true
}

// write writes the changes of op to o, which gets its own values.
func (a *applier) write(o *Object, op *Op) {
	o.Values = slices.Clone(o.Values)
	for k := range op.Changes {
		c := &op.Changes[k]
		if c.IsSet() {
			a.writeSet(o, op, c)
		} else {
			a.writeValue(o, op, c)
		}
	}
}

// writeSet adds and removes the values of a change to a multi-valued
// attribute.
func (a *applier) writeSet(o *Object, op *Op, c *AttrChange) {
	if c.Redacted && (slices.Contains(c.Add, "[Redact]") || slices.Contains(c.Remove, "[Redact]")) {
		a.problemf("%s %s: %s: the redacted values are not in the plan, so they were not written", op.Kind, op.Key, c.Name)
		return
	}
	i := a.out.attr(c.Name)
	var cur expr.Value = expr.Null
	if i < len(o.Values) && o.Values[i] != nil {
		cur = o.Values[i]
	}
	if v := applySet(cur, c.Add, c.Remove); v == nil {
		if i < len(o.Values) {
			o.Values[i] = nil
		}
	} else {
		set(a.out, o, i, v)
	}
}

// writeValue writes the new value of a change; null removes the attribute.
func (a *applier) writeValue(o *Object, op *Op, c *AttrChange) {
	v := c.New
	if c.Redacted && !isRedacted(v) && !expr.IsNull(v) {
		a.problemf("%s %s: %s: the redacted value is not in the plan, so it was not written", op.Kind, op.Key, c.Name)
		return
	}
	if v != nil {
		v, _ = expr.Unwrap(v)
	}
	i := a.out.attr(c.Name)
	if v == nil || expr.IsNull(v) {
		if i < len(o.Values) {
			o.Values[i] = nil
		}
		return
	}
	set(a.out, o, i, v)
}

// finish drops the deleted objects and reports the problems.
func (a *applier) finish() (*Snapshot, error) {
	if len(a.deleted) > 0 {
		kept := a.out.Objects[:0]
		for i, o := range a.out.Objects {
			if !a.deleted[i] {
				kept = append(kept, o)
			}
		}
		a.out.Objects = kept
	}
	if len(a.problems) > 0 {
		return a.out, &ApplyError{Problems: a.problems}
	}
	return a.out, nil
}

// stale compares the old values of op's changes with the target object: a
// plan is only applied to the target it was computed from. It returns ""
// when they agree, else what differs. Redacted values, which the plan
// read back from JSON does not hold, and set changes are not compared.
func stale(s *Snapshot, o *Object, op *Op) string {
	for _, c := range op.Changes {
		if c.IsSet() || c.Redacted || c.Old == nil {
			continue
		}
		var cur expr.Value = expr.Null
		if i := s.Pos(c.Name); i >= 0 {
			if v, ok := valueAt(o, i); ok {
				cur = v
			}
		}
		if !sameValue(cur, c.Old) {
			return fmt.Sprintf("%s is %s, the plan expected %s", c.Name, showValue(cur), showValue(c.Old))
		}
	}
	return ""
}

// sameValue compares a target value with a plan's old value, which may
// have gone through JSON: null and empty agree, and so do values that
// render the same (a boolean and its JSON form, a number and its text).
func sameValue(a, b expr.Value) bool {
	a, _ = expr.Unwrap(a)
	b, _ = expr.Unwrap(b)
	if expr.IsNullOrEmpty(a) || expr.IsNullOrEmpty(b) {
		return expr.IsNullOrEmpty(a) && expr.IsNullOrEmpty(b)
	}
	if am, ok := a.(expr.Multi); ok {
		bm, ok := b.(expr.Multi)
		return ok && slices.Equal(am, bm)
	}
	return expr.Render(a) == expr.Render(b)
}

func showValue(v expr.Value) string {
	v, _ = expr.Unwrap(v)
	if expr.IsNull(v) {
		return "<null>"
	}
	return fmt.Sprintf("%q", expr.Render(v))
}

// applySet removes and adds single values of a multi-valued attribute:
// a removed value goes (every copy of it) by exact match, else ignoring
// case; an added value
// already there (exactly) is not added twice. It returns nil when no value
// is left.
func applySet(cur expr.Value, add, remove []string) expr.Value {
	cur, _ = expr.Unwrap(cur)
	vals := slices.Clone(expr.Strings(cur))
	for _, r := range remove {
		n := len(vals)
		vals = slices.DeleteFunc(vals, func(v string) bool { return v == r })
		if len(vals) == n {
			vals = slices.DeleteFunc(vals, func(v string) bool { return strings.EqualFold(v, r) })
		}
	}
	for _, a := range add {
		if !slices.Contains(vals, a) {
			vals = append(vals, a)
		}
	}
	if len(vals) == 0 {
		return nil
	}
	return expr.Multi(vals)
}

// ApplyError lists what Apply could not do.
type ApplyError struct {
	Problems []string
}

// Error joins the problems, one per line.
func (e *ApplyError) Error() string { return strings.Join(e.Problems, "\n") }
