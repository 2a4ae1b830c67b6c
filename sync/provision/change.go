package provision

import (
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// attrChange decides what one attribute mapping writes, from its
// explanation in a create-style Apply. For a create, t is nil; otherwise
// it is the target object. It returns false when the attribute is left
// alone.
func (e *engine) attrChange(k int, ex *mapping.Explanation, t *Object, c *AttrChange) bool {
	a := &e.attrs[k]
	if ex.Value == nil {
		return false // null, ignored, or failed
	}
	nv := ex.Value
	if ex.Redacted {
		nv = expr.Redacted{V: nv} // the plan holds the value; output hides it
	}
	if t == nil {
		*c = AttrChange{Name: a.Target, Old: expr.Null, New: nv, Redacted: ex.Redacted}
		return true
	}
	old, ok := valueAt(t, e.tpos[k])
	if !ok {
		old = expr.Null
	}
	switch {
	case a.FlowType == mapping.ObjectAddOnly:
		return false
	case a.FlowType == mapping.AttributeAddOnly && !expr.IsNullOrEmpty(old):
		return false
	case ex.DefaultUsed && (a.Program != nil || !expr.IsNullOrEmpty(old)):
		// On update only a None mapping's default fills an empty target
		// attribute; the rule and its evidence: "Default values" in package
		// mapping's documentation.
		return false
	case e.multi[k]:
		// A multi-valued attribute is a set: add and remove single values.
		addOnly := a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly
		add, remove := setDiff(expr.Strings(ex.Value), expr.Strings(old), e.caseExact[k])
		if addOnly {
			remove = nil
		}
		if len(add) == 0 && len(remove) == 0 {
			return false
		}
		*c = AttrChange{Name: a.Target, Add: add, Remove: remove, Redacted: ex.Redacted}
		return true
	case a.FlowType == mapping.ValueAddOnly || a.FlowType == mapping.MultiValueAddOnly:
		u, grew := union(old, ex.Value, e.caseExact[k])
		if !grew {
			return false
		}
		if ex.Redacted {
			u = expr.Redacted{V: u}
		}
		*c = AttrChange{Name: a.Target, Old: old, New: u, Redacted: ex.Redacted}
		return true
	}
	if a.Equal(ex.Value, old) {
		return false
	}
	*c = AttrChange{Name: a.Target, Old: old, New: nv, Redacted: ex.Redacted}
	return true
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

// union returns old's values followed by those of add that old lacks, and
// whether there were any.
func union(old, add expr.Value, caseExact bool) (expr.Value, bool) {
	have := expr.Strings(old)
	more, _ := setDiff(expr.Strings(add), have, caseExact)
	return expr.Multi(append(slices.Clone(have), more...)), len(more) > 0
}

func skipOp(op *Op, why string) *Op {
	op.Action, op.Kind = op.Kind, Skip
	op.Reason = op.Reason + "; skipped: " + why
	return op
}

// sortChanges sorts the changes of one create or update, which list
// attributes in the mapping's order: when that order is already the
// plan's (attrsSorted), so is every list of them.
func (e *engine) sortChanges(cs []AttrChange) {
	if !e.attrsSorted {
		sortChangesIfNeeded(cs)
	}
}

func sortChangesIfNeeded(cs []AttrChange) {
	if !slices.IsSortedFunc(cs, func(a, b AttrChange) int { return compareNames(a.Name, b.Name) }) {
		sortChanges(cs)
	}
}

// exprStrings returns the string values of v, unwrapping a redaction.
func exprStrings(v expr.Value) []string {
	v, _ = expr.Unwrap(v)
	return expr.Strings(v)
}

func isRedacted(v expr.Value) bool {
	_, r := expr.Unwrap(v)
	return r
}
