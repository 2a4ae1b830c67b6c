package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/attrmap/attrmap/expr"
)

// The JSON form of a plan. The structs fix the member order; values are
// rendered with jsonValue (expr.AppendJSON: null, a boolean, a number, a
// string or a list of strings).

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

// fromJSON converts a decoded JSON value to an attribute value, as
// expr.FromGo does (a boolean stays a boolean, a number a number), except
// that a JSON object, or an array holding objects or arrays, stays JSON:
// its compact JSON text (keys sorted), never Go's map[...] syntax.
func fromJSON(x any) expr.Value {
	nested := false
	switch x := x.(type) {
	case map[string]any:
		nested = true
	case []any:
		for _, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				nested = true
			}
		}
	}
	if nested {
		b, err := json.Marshal(x)
		if err == nil {
			return expr.String(b)
		}
	}
	return expr.FromGo(x)
}

// jsonValue is the JSON form of a value in plans and written snapshots:
// expr.AppendJSON's, so that booleans and numbers keep their JSON type
// (true, 1001) and fromJSON reads back the value written. A redacted value
// is written as the value it wraps; callers hide it.
func jsonValue(v expr.Value) any {
	if v == nil {
		return nil
	}
	return json.RawMessage(expr.AppendJSON(nil, v))
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
// come back with their JSON type (booleans, numbers, strings, lists of
// strings); redacted values as the text [Redact], which Apply does not
// write.
func (p *Plan) UnmarshalJSON(data []byte) error {
	var w planJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	// A member the plan format does not have is a plan written by
	// something else, or edited by hand: refuse it rather than ignore
	// what it may have meant.
	dec.DisallowUnknownFields()
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
				ac.Old, ac.New = fromJSON(c.Old), fromJSON(c.New)
			}
			op.Changes = append(op.Changes, ac)
		}
		out[i] = op
	}
	return out
}
