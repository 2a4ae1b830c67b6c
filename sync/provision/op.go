package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// OpKind is what an operation does to the target. The order of the
// constants is the order of a plan: creates, then updates, disables,
// deletes, and last the skipped actions, which are records, not operations.
type OpKind uint8

// The operation kinds.
const (
	// Create adds an in-scope source object that matched no target object.
	Create OpKind = iota
	// Update changes the attributes of a linked or matched target object
	// whose mapped values differ.
	Update
	// Disable soft-deletes a provisioned target object whose source went
	// out of scope, was unassigned, disabled or soft-deleted: an update of
	// the attribute mapped from IsSoftDeleted (SCIM active = false).
	Disable
	// Delete removes a provisioned target object whose source was
	// hard-deleted (is gone from the source snapshot).
	Delete
	// Skip records an action the plan would take but the object mapping's
	// flow types or the options withhold. It never changes the target.
	Skip
)

// opKinds is the number of kinds, for exhaustive tables.
const opKinds = 5

// String returns the lower-case name of the kind, as the plan JSON spells it.
func (k OpKind) String() string {
	switch k {
	case Create:
		return "create"
	case Update:
		return "update"
	case Disable:
		return "disable"
	case Delete:
		return "delete"
	case Skip:
		return "skip"
	}
	panic("sync: unknown OpKind " + strconv.Itoa(int(k)))
}

// symbol is the one-character marker of the kind in Plan.String.
func (k OpKind) symbol() string {
	switch k {
	case Create:
		return "+"
	case Update:
		return "~"
	case Disable:
		return "-"
	case Delete:
		return "x"
	case Skip:
		return "."
	}
	panic("sync: unknown OpKind " + strconv.Itoa(int(k)))
}

// parseOpKind is the inverse of String.
func parseOpKind(s string) (OpKind, error) {
	for k := range OpKind(opKinds) {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown operation kind %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (k OpKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *OpKind) UnmarshalText(b []byte) error {
	v, err := parseOpKind(string(b))
	*k = v
	return err
}

// Op is one operation of a plan, or one skipped action.
type Op struct {
	Kind OpKind
	// Object is the target object type the operation acts on (the object
	// mapping's targetObjectName: "User", "Group", ...).
	Object string
	// Key identifies the operation: the source object's id. Within one
	// object type, a key appears in at most one operation, skip or error
	// of a plan, except that a Create may be followed by its FollowUp
	// update.
	Key string
	// Target is the target object's id: the linked or matched object, or
	// for Create the id the new object gets (see Options.NewTargetID).
	Target string
	// Reason says why, in words: the scope decision, the match, the
	// deprovisioning event, or for Skip what withheld the action.
	Reason string
	// Match says how the target object was found ("linked by state",
	// `matched on userName = "x" (priority 1)`, "no match"); empty for
	// Disable, Delete and Skip.
	Match string
	// Action is, for Skip only, the kind of the action withheld.
	Action OpKind
	// FollowUp marks the Update that sets, after every create of the
	// plan, the references of a created object to objects created in the
	// same plan (a manager, group members), as the service does.
	FollowUp bool
	// Changes lists the attributes written, sorted by name: all of them
	// for Create, those that differ for Update, the soft-delete attribute
	// for Disable, none for Delete.
	Changes []AttrChange
}

// AttrChange is one attribute an operation writes.
type AttrChange struct {
	// Name is the target attribute.
	Name string
	// Old is the target's value before, expr.Null when it had none. It is
	// nil in a set change (see Add).
	Old expr.Value
	// New is the value written; expr.Null clears the attribute (only for
	// targets whose definition sets flowNullValues). It is nil in a set
	// change.
	New expr.Value
	// Add and Remove make a set change: an Update of a multi-valued
	// attribute adds and removes single values (SCIM PATCH add and
	// remove) instead of writing the whole list. Either may be empty, not
	// both. Values are in the order of the source, then the target.
	Add, Remove []string
	// Ref is, for a Reference attribute, the object type the values point
	// to ("User" for manager, "User" or "Group" for members): the values
	// are target ids, resolved from source ids through the links.
	Ref string
	// Redacted reports that the mapping asked for the value to be hidden
	// (Redact): Old and New are shown as [Redact] in String and JSON, and
	// only the in-memory plan holds the real value.
	Redacted bool
}

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

// Plan is the outcome of Diff: what to do to the target, and what was not
// done and why. Its content is deterministic: Ops are sorted by kind
// (create, update, disable, delete) then key, Skipped and Errors by key,
// and Changes by attribute name.
type Plan struct {
	// Rule names the object mapping the plan was computed with.
	Rule string
	// Initial reports an initial cycle: Diff was given no state.
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

// IsSet reports whether the change adds and removes values rather than
// writing Old and New.
func (c *AttrChange) IsSet() bool { return len(c.Add) > 0 || len(c.Remove) > 0 }

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

// Counts returns the number of operations of each kind.
func (p *Plan) Counts() (create, update, disable, del int) {
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

// displayValue renders a value for people: quoted strings, <null>, and
// [Redact] for anything redacted.
func displayValue(v expr.Value, redacted bool) string {
	if redacted {
		return "[Redact]"
	}
	if v == nil || expr.IsNull(v) {
		return "<null>"
	}
	switch v.Kind() {
	case expr.KindString:
		return strconv.Quote(expr.Render(v))
	case expr.KindMulti:
		vals := v.(expr.Multi)
		q := make([]string, len(vals))
		for i, s := range vals {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return expr.Display(v)
}

// The JSON form of a plan. The structs fix the member order; values are
// rendered with expr.ToGo (null, a string, or a list of strings).

type planJSON struct {
	Version int         `json:"version"`
	Rule    string      `json:"rule"`
	Initial bool        `json:"initial"`
	Stats   statsJSON   `json:"stats"`
	Ops     []opJSON    `json:"ops"`
	Skipped []opJSON    `json:"skipped"`
	Errors  []errorJSON `json:"errors"`
	Held    *heldJSON   `json:"held"`
	// Unresolved is absent from version 1 plans.
	Unresolved []unresolvedJSON `json:"unresolved"`
}

type unresolvedJSON struct {
	Object    string `json:"object"`
	Key       string `json:"key"`
	Attribute string `json:"attribute"`
	Value     string `json:"value"`
	Reason    string `json:"reason"`
}

type statsJSON struct {
	Source     int `json:"source"`
	Target     int `json:"target"`
	InScope    int `json:"inScope"`
	OutOfScope int `json:"outOfScope"`
	Gone       int `json:"gone"`
	Linked     int `json:"linked"`
	Matched    int `json:"matched"`
	Unchanged  int `json:"unchanged"`
	Create     int `json:"create"`
	Update     int `json:"update"`
	Disable    int `json:"disable"`
	Delete     int `json:"delete"`
	Skipped    int `json:"skipped"`
	Errors     int `json:"errors"`
	Held       int `json:"held"`
	Unresolved int `json:"unresolved"`
}

type opJSON struct {
	Kind     OpKind       `json:"kind"`
	Action   *OpKind      `json:"action,omitempty"`
	Object   string       `json:"object,omitempty"`
	Key      string       `json:"key"`
	Target   string       `json:"target,omitempty"`
	FollowUp bool         `json:"followUp,omitempty"`
	Reason   string       `json:"reason"`
	Match    string       `json:"match,omitempty"`
	Changes  []changeJSON `json:"changes,omitempty"`
}

// changeJSON is a change: old and new, or for a set change add and
// remove. Its JSON form is written by writeChange, so that old and new
// are present (possibly null) exactly when the change is not a set change.
type changeJSON struct {
	Name     string   `json:"name"`
	Ref      string   `json:"ref,omitempty"`
	Old      any      `json:"old"`
	New      any      `json:"new"`
	Add      []string `json:"add,omitempty"`
	Remove   []string `json:"remove,omitempty"`
	Redacted bool     `json:"redacted,omitempty"`
}

// setChangeJSON is the written form of a set change.
type setChangeJSON struct {
	Name     string   `json:"name"`
	Ref      string   `json:"ref,omitempty"`
	Add      []string `json:"add,omitempty"`
	Remove   []string `json:"remove,omitempty"`
	Redacted bool     `json:"redacted,omitempty"`
}

func writeChange(c changeJSON) []byte {
	if len(c.Add) > 0 || len(c.Remove) > 0 {
		return compact(setChangeJSON{Name: c.Name, Ref: c.Ref, Add: c.Add, Remove: c.Remove, Redacted: c.Redacted})
	}
	return compact(c)
}

type errorJSON struct {
	Object    string `json:"object,omitempty"`
	Key       string `json:"key"`
	Stage     string `json:"stage"`
	Attribute string `json:"attribute,omitempty"`
	Error     string `json:"error"`
	Escrow    bool   `json:"escrow,omitempty"`
}

type heldJSON struct {
	Threshold int      `json:"threshold"`
	Ops       []opJSON `json:"ops"`
}

// planVersion is the version of the plan JSON format. Version 2 added
// object types, follow-ups, set changes, references and unresolved
// references; version 1 plans are still read.
const planVersion = 2

func opsToJSON(ops []Op) []opJSON {
	out := make([]opJSON, len(ops))
	for i := range ops {
		op := &ops[i]
		o := opJSON{Kind: op.Kind, Object: op.Object, Key: op.Key, Target: op.Target, FollowUp: op.FollowUp, Reason: op.Reason, Match: op.Match}
		if op.Kind == Skip {
			a := op.Action
			o.Action = &a
		}
		for _, c := range op.Changes {
			cj := changeJSON{Name: c.Name, Ref: c.Ref, Redacted: c.Redacted}
			if c.IsSet() {
				cj.Add, cj.Remove = c.Add, c.Remove
				if c.Redacted {
					cj.Add, cj.Remove = redactList(c.Add), redactList(c.Remove)
				}
			} else if c.Redacted {
				cj.Old, cj.New = "[Redact]", "[Redact]"
				if c.Old == nil || expr.IsNull(c.Old) {
					cj.Old = nil
				}
			} else {
				cj.Old, cj.New = jsonValue(c.Old), jsonValue(c.New)
			}
			o.Changes = append(o.Changes, cj)
		}
		out[i] = o
	}
	return out
}

func redactList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	out := make([]string, len(l))
	for i := range out {
		out[i] = "[Redact]"
	}
	return out
}

// jsonValue is the JSON form of a value: null, a string, or a list.
func jsonValue(v expr.Value) any {
	if v == nil {
		return nil
	}
	v, _ = expr.Unwrap(v)
	return expr.ToGo(v)
}

// MarshalJSON writes the plan in its documented JSON form: fixed member
// order, one line per change, error and stats object, so that plans diff
// well. Redacted values are written as "[Redact]".
func (p *Plan) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	fmt.Fprintf(&b, "  \"version\": %d,\n  \"rule\": %s,\n  \"initial\": %t,\n", planVersion, compact(p.Rule), p.Initial)
	fmt.Fprintf(&b, "  \"stats\": %s,\n", compact(statsJSON(p.Stats)))
	b.WriteString("  \"ops\": ")
	writeOps(&b, p.Ops, "  ")
	b.WriteString(",\n  \"skipped\": ")
	writeOps(&b, p.Skipped, "  ")
	b.WriteString(",\n  \"errors\": [")
	for i, e := range p.Errors {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(compact(errorJSON{Object: e.Object, Key: e.Key, Stage: e.Stage, Attribute: e.Attribute, Error: e.Err.Error(), Escrow: e.Escrow}))
	}
	if len(p.Errors) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],\n  \"held\": ")
	if p.Held == nil {
		b.WriteString("null")
	} else {
		fmt.Fprintf(&b, "{\"threshold\": %d, \"ops\": ", p.Held.Threshold)
		writeOps(&b, p.Held.Ops, "  ")
		b.WriteString("}")
	}
	b.WriteString(",\n  \"unresolved\": [")
	for i, u := range p.Unresolved {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(compact(unresolvedJSON(u)))
	}
	if len(p.Unresolved) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}

// writeOps writes a list of operations, one object per op and one line
// per change.
func writeOps(b *bytes.Buffer, ops []Op, indent string) {
	b.WriteString("[")
	for i, o := range opsToJSON(ops) {
		if i > 0 {
			b.WriteString(",")
		}
		changes := o.Changes
		o.Changes = nil
		head := compact(o)
		b.WriteString("\n" + indent + "  ")
		if len(changes) == 0 {
			b.Write(head)
			continue
		}
		b.Write(head[:len(head)-1])
		b.WriteString(", \"changes\": [")
		for j, c := range changes {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "    ")
			b.Write(writeChange(c))
		}
		b.WriteString("\n" + indent + "  ]}")
	}
	if len(ops) > 0 {
		b.WriteString("\n" + indent)
	}
	b.WriteString("]")
}

// compact marshals v on one line, with a space after each colon and comma
// outside strings, and without HTML escaping.
func compact(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only strings, numbers, booleans and lists of them
	}
	raw := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	out := make([]byte, 0, len(raw)+len(raw)/8)
	inString, escaped := false, false
	for _, c := range raw {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			out = append(out, ' ')
		}
	}
	return out
}

// UnmarshalJSON reads a plan written by MarshalJSON, for Apply. Values
// come back as strings and lists of strings; redacted values as the text
// [Redact], which Apply does not write.
func (p *Plan) UnmarshalJSON(data []byte) error {
	var w planJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if w.Version != 1 && w.Version != planVersion {
		return fmt.Errorf("plan: unsupported version %d (want %d)", w.Version, planVersion)
	}
	*p = Plan{Rule: w.Rule, Initial: w.Initial, Stats: Stats(w.Stats), Ops: opsFromJSON(w.Ops), Skipped: opsFromJSON(w.Skipped)}
	for _, u := range w.Unresolved {
		p.Unresolved = append(p.Unresolved, Unresolved(u))
	}
	for _, e := range w.Errors {
		p.Errors = append(p.Errors, ObjectError{Object: e.Object, Key: e.Key, Stage: e.Stage, Attribute: e.Attribute, Err: errors.New(e.Error), Escrow: e.Escrow})
	}
	if w.Held != nil {
		p.Held = &HeldDeletions{Threshold: w.Held.Threshold, Ops: opsFromJSON(w.Held.Ops)}
	}
	return nil
}

func opsFromJSON(in []opJSON) []Op {
	if len(in) == 0 {
		return nil
	}
	out := make([]Op, len(in))
	for i, o := range in {
		op := Op{Kind: o.Kind, Object: o.Object, Key: o.Key, Target: o.Target, FollowUp: o.FollowUp, Reason: o.Reason, Match: o.Match}
		if o.Action != nil {
			op.Action = *o.Action
		}
		for _, c := range o.Changes {
			ac := AttrChange{Name: c.Name, Ref: c.Ref, Add: c.Add, Remove: c.Remove, Redacted: c.Redacted}
			if !ac.IsSet() {
				ac.Old, ac.New = expr.FromGo(c.Old), expr.FromGo(c.New)
			}
			op.Changes = append(op.Changes, ac)
		}
		out[i] = op
	}
	return out
}
