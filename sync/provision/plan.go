package provision

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// HeldDeletions reports disables and deletes held back by the
// accidental-deletion guard: more than Threshold of them were planned in
// one cycle and Options.AllowDeletions was not set. The held operations
// are not in Plan.Ops and their links are kept unchanged in the new state,
// so the next cycle plans them again.
type HeldDeletions struct {
	Threshold int
	// Ops are the held operations, in plan order.
	Ops []Op
}

// Stats counts what the plan saw and decided.
type Stats struct {
	Source, Target int // objects in the snapshots
	InScope        int // source objects in scope
	OutOfScope     int // source objects out of scope (unassigned, disabled, soft-deleted or filtered)
	Gone           int // linked source objects absent from the source snapshot
	Linked         int // in-scope objects found through the state
	Matched        int // in-scope objects found through a matching attribute
	Unchanged      int // in-scope objects whose target needs nothing
	Create         int
	Update         int
	Disable        int
	Delete         int
	Skipped        int
	Errors         int
	Held           int
	Unresolved     int // references left out (Plan.Unresolved)
}

// Plan is the outcome of Planner.Plan: what to do to the target, and what was not
// done and why. Its content is deterministic: Ops are sorted by kind
// (create, update, disable, delete) then key, Skipped and Errors by key,
// and Changes by attribute name.
type Plan struct {
	// Rule names the object mapping the plan was computed with.
	Rule string
	// Initial reports an initial cycle: Plan was given no state.
	Initial bool
	Ops     []Op
	Skipped []Op
	Errors  []ObjectError
	// Unresolved lists the references left out, sorted by object type,
	// key, attribute and value.
	Unresolved []Unresolved
	// Held is non-nil when the accidental-deletion guard held back the
	// plan's disables and deletes.
	Held  *HeldDeletions
	Stats Stats
}

// Unresolved is a reference the plan could not resolve: the referenced
// source object is not provisioned in the target (out of scope, not
// assigned, not in the source snapshot, or failed), so no target id
// exists for it. The reference is left out of the operation, never
// invented; the next cycle resolves it once the object is provisioned.
type Unresolved struct {
	// Object and Key name the referring object (its target object type
	// and source id); Attribute the reference attribute.
	Object, Key, Attribute string
	// Value is the referenced source id.
	Value string
	// Reason says why it did not resolve.
	Reason string
}

// IsEmpty reports whether the plan changes nothing in the target. Skipped
// actions, errors and held deletions do not count.
func (p *Plan) IsEmpty() bool { return len(p.Ops) == 0 }

// counts returns the number of operations of each kind.
func (p *Plan) counts() (create, update, disable, del int) {
	for i := range p.Ops {
		switch p.Ops[i].Kind {
		case Create:
			create++
		case Update:
			update++
		case Disable:
			disable++
		case Delete:
			del++
		case Skip:
			panic("sync: skip in Plan.Ops")
		default:
			panic("sync: unknown OpKind")
		}
	}
	return
}

// Summary is the first line of String: the count of each action.
func (p *Plan) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d to create, %d to update, %d to disable, %d to delete", p.Stats.Create, p.Stats.Update, p.Stats.Disable, p.Stats.Delete)
	fmt.Fprintf(&b, "; %d unchanged, %d skipped, %d errors", p.Stats.Unchanged, p.Stats.Skipped, p.Stats.Errors)
	if p.Stats.Unresolved > 0 {
		fmt.Fprintf(&b, ", %d unresolved references", p.Stats.Unresolved)
	}
	if p.Held != nil {
		fmt.Fprintf(&b, ", %d held", len(p.Held.Ops))
	}
	return b.String()
}

// String is the readable plan: a summary line, then each operation with
// its reason and changes, then skipped actions, held deletions and errors.
// Redacted values show as [Redact].
func (p *Plan) String() string {
	var b strings.Builder
	b.WriteString("plan")
	if p.Rule != "" {
		fmt.Fprintf(&b, " for %s", p.Rule)
	}
	if p.Initial {
		b.WriteString(" (initial cycle)")
	}
	b.WriteString(": ")
	b.WriteString(p.Summary())
	b.WriteString("\n")
	for i := range p.Ops {
		writeOp(&b, &p.Ops[i], "")
	}
	if p.Held != nil {
		fmt.Fprintf(&b, "\nheld: %d disables and deletes exceed the accidental-deletion threshold of %d; allow them explicitly to apply\n", len(p.Held.Ops), p.Held.Threshold)
		for i := range p.Held.Ops {
			writeOp(&b, &p.Held.Ops[i], "  ")
		}
	}
	if len(p.Skipped) > 0 {
		b.WriteString("\nskipped:\n")
		for i := range p.Skipped {
			writeOp(&b, &p.Skipped[i], "  ")
		}
	}
	if len(p.Unresolved) > 0 {
		b.WriteString("\nunresolved references:\n")
		for _, u := range p.Unresolved {
			fmt.Fprintf(&b, "  ? %s %s %s = %q: %s\n", u.Object, u.Key, u.Attribute, u.Value, u.Reason)
		}
	}
	if len(p.Errors) > 0 {
		b.WriteString("\nerrors:\n")
		for _, e := range p.Errors {
			fmt.Fprintf(&b, "  ! %s\n", e.Error())
		}
	}
	return b.String()
}

// writeOp writes one operation in the layout of Plan.String.
func writeOp(b *strings.Builder, op *Op, indent string) {
	b.WriteString(indent)
	b.WriteString(op.Kind.symbol())
	b.WriteString(" ")
	if op.Kind == Skip {
		b.WriteString(op.Action.String())
	} else {
		b.WriteString(op.Kind.String())
	}
	if op.Object != "" {
		b.WriteString(" ")
		b.WriteString(op.Object)
	}
	b.WriteString(" ")
	b.WriteString(op.Key)
	if op.Target != "" {
		b.WriteString(" -> ")
		b.WriteString(op.Target)
	}
	if op.FollowUp {
		b.WriteString(" (follow-up)")
	}
	b.WriteString("\n")
	if op.Reason != "" {
		fmt.Fprintf(b, "%s    why: %s\n", indent, op.Reason)
	}
	if op.Match != "" {
		fmt.Fprintf(b, "%s    match: %s\n", indent, op.Match)
	}
	for _, c := range op.Changes {
		switch {
		case c.IsSet():
			fmt.Fprintf(b, "%s    %s:", indent, c.Name)
			if len(c.Add) > 0 {
				fmt.Fprintf(b, " +%s", displayValue(expr.Multi(c.Add), c.Redacted))
			}
			if len(c.Remove) > 0 {
				fmt.Fprintf(b, " -%s", displayValue(expr.Multi(c.Remove), c.Redacted))
			}
			b.WriteString("\n")
		case op.Kind == Create:
			fmt.Fprintf(b, "%s    %s = %s\n", indent, c.Name, displayValue(c.New, c.Redacted))
		default:
			fmt.Fprintf(b, "%s    %s: %s -> %s\n", indent, c.Name, displayValue(c.Old, c.Redacted), displayValue(c.New, c.Redacted))
		}
	}
}

// displayValue renders a value for people in the plan's text: as its
// JSON form (expr.AppendJSON), so that a boolean shows as true, a number
// as 1001 and a date-time as the quoted string the plan writes, except
// that strings are quoted in Go's way and null shows as <null>. A
// redacted value shows as [Redact].
func displayValue(v expr.Value, redacted bool) string {
	if redacted {
		return "[Redact]"
	}
	if v == nil || expr.IsNull(v) {
		return "<null>"
	}
	v, _ = expr.Unwrap(v)
	switch v.Kind() {
	case expr.KindString, expr.KindDateTime:
		return strconv.Quote(expr.Render(v))
	case expr.KindMulti:
		vals := v.(expr.Multi)
		q := make([]string, len(vals))
		for i, s := range vals {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return string(expr.AppendJSON(nil, v))
}
