package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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

// changeJSON is a change as it is read: old and new, or for a set change
// add and remove (writeChange writes it).
type changeJSON struct {
	Name     string   `json:"name"`
	Ref      string   `json:"ref,omitempty"`
	Old      any      `json:"old"`
	New      any      `json:"new"`
	Add      []string `json:"add,omitempty"`
	Remove   []string `json:"remove,omitempty"`
	Redacted bool     `json:"redacted,omitempty"`
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

// jsonValue is the JSON form of a value in plans and written snapshots,
// as a Go value the writers take without reflection where they can: nil,
// a string, a []string, a bool, or for a number its JSON text
// (json.RawMessage). Marshalled, it is exactly expr.AppendJSON's
// rendering (TestJSONValueIsAppendJSON), the one JSON form of values: a
// boolean and a number keep their JSON type (true, 1001), and fromJSON
// reads back the value written. A redacted value is written as the value
// it wraps; callers hide it.
func jsonValue(v expr.Value) any {
	if v == nil {
		return nil
	}
	v, _ = expr.Unwrap(v)
	switch v := v.(type) {
	case expr.String:
		return string(v)
	case expr.Multi:
		if v == nil {
			return []string{} // [], as AppendJSON writes it
		}
		return []string(v)
	case expr.Bool:
		return bool(v)
	}
	if expr.IsNull(v) {
		return nil
	}
	b := expr.AppendJSON(nil, v)
	if b[0] == '"' {
		return expr.Render(v) // a date-time, or a number JSON cannot hold
	}
	return json.RawMessage(b)
}

// MarshalJSON writes the plan in its documented JSON form: fixed member
// order, one line per change, error and stats object, so that plans diff
// well. Redacted values are written as "[Redact]". WriteJSON writes the
// same bytes to a writer without holding them.
func (p *Plan) MarshalJSON() ([]byte, error) { return encodeJSON(nil, p.writeJSON) }

// WriteJSON writes what MarshalJSON returns to w, operation by operation,
// without building the document in memory: a plan of a million objects
// is written as it is encoded. It returns the first write error.
func (p *Plan) WriteJSON(w io.Writer) error {
	_, err := encodeJSON(w, p.writeJSON)
	return err
}

func (p *Plan) writeJSON(j *jsonOut) {
	j.raw("{\n  \"version\": ")
	j.int(planVersion)
	j.raw(",\n  \"rule\": ")
	j.str(p.Rule)
	j.raw(",\n  \"initial\": ")
	j.bool(p.Initial)
	j.raw(",\n  \"stats\": ")
	writeStats(j, &p.Stats)
	j.raw(",\n  \"ops\": ")
	writeOps(j, p.Ops, "  ")
	j.raw(",\n  \"skipped\": ")
	writeOps(j, p.Skipped, "  ")
	j.raw(",\n  \"errors\": [")
	for i := range p.Errors {
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n    ")
		writeError(j, &p.Errors[i])
		j.more()
	}
	if len(p.Errors) > 0 {
		j.raw("\n  ")
	}
	j.raw("],\n  \"held\": ")
	if p.Held == nil {
		j.raw("null")
	} else {
		j.raw("{\"threshold\": ")
		j.int(p.Held.Threshold)
		j.raw(", \"ops\": ")
		writeOps(j, p.Held.Ops, "  ")
		j.raw("}")
	}
	j.raw(",\n  \"unresolved\": [")
	for i, u := range p.Unresolved {
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n    {")
		j.member(true, "object", u.Object)
		j.member(false, "key", u.Key)
		j.member(false, "attribute", u.Attribute)
		j.member(false, "value", u.Value)
		j.member(false, "reason", u.Reason)
		j.raw("}")
		j.more()
	}
	if len(p.Unresolved) > 0 {
		j.raw("\n  ")
	}
	j.raw("]\n}\n")
}

// writeStats writes the counts on one line, in statsJSON's order.
func writeStats(j *jsonOut, s *Stats) {
	for i, f := range []struct {
		name string
		n    int
	}{{"source", s.Source}, {"target", s.Target}, {"inScope", s.InScope}, {"outOfScope", s.OutOfScope},
		{"gone", s.Gone}, {"linked", s.Linked}, {"matched", s.Matched}, {"unchanged", s.Unchanged},
		{"create", s.Create}, {"update", s.Update}, {"disable", s.Disable}, {"delete", s.Delete},
		{"skipped", s.Skipped}, {"errors", s.Errors}, {"held", s.Held}, {"unresolved", s.Unresolved}} {
		if i == 0 {
			j.raw("{\"")
		} else {
			j.raw(", \"")
		}
		j.raw(f.name)
		j.raw("\": ")
		j.int(f.n)
	}
	j.raw("}")
}

// writeError writes an error in errorJSON's form.
func writeError(j *jsonOut, e *ObjectError) {
	j.raw("{")
	first := true
	if e.Object != "" {
		j.member(true, "object", e.Object)
		first = false
	}
	j.member(first, "key", e.Key)
	j.member(false, "stage", e.Stage)
	if e.Attribute != "" {
		j.member(false, "attribute", e.Attribute)
	}
	j.member(false, "error", errText(e.Err))
	if e.Escrow {
		j.raw(", \"escrow\": true")
	}
	j.raw("}")
}

// writeOps writes a list of operations, one object per op and one line
// per change, in opJSON's member order.
func writeOps(j *jsonOut, ops []Op, indent string) {
	j.raw("[")
	for i := range ops {
		op := &ops[i]
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n")
		j.raw(indent)
		j.raw("  {\"kind\": \"")
		j.raw(op.Kind.String())
		j.raw("\"")
		if op.Kind == Skip {
			j.raw(", \"action\": \"")
			j.raw(op.Action.String())
			j.raw("\"")
		}
		if op.Object != "" {
			j.member(false, "object", op.Object)
		}
		j.member(false, "key", op.Key)
		if op.Target != "" {
			j.member(false, "target", op.Target)
		}
		if op.FollowUp {
			j.raw(", \"followUp\": true")
		}
		j.member(false, "reason", op.Reason)
		if op.Match != "" {
			j.member(false, "match", op.Match)
		}
		if len(op.Changes) == 0 {
			j.raw("}")
			j.more()
			continue
		}
		j.raw(", \"changes\": [")
		for k := range op.Changes {
			if k > 0 {
				j.raw(",")
			}
			j.raw("\n")
			j.raw(indent)
			j.raw("    ")
			writeChange(j, &op.Changes[k])
		}
		j.raw("\n")
		j.raw(indent)
		j.raw("  ]}")
		j.more()
	}
	if len(ops) > 0 {
		j.raw("\n")
		j.raw(indent)
	}
	j.raw("]")
}

// writeChange writes a change as changeJSON, or for a set change as
// setChangeJSON: old and new are present (possibly null) exactly when the
// change is not a set change.
func writeChange(j *jsonOut, c *AttrChange) {
	j.raw("{")
	j.member(true, "name", c.Name)
	if c.Ref != "" {
		j.member(false, "ref", c.Ref)
	}
	if c.IsSet() {
		add, remove := c.Add, c.Remove
		if c.Redacted {
			add, remove = redactList(add), redactList(remove)
		}
		if len(add) > 0 {
			j.raw(", \"add\": ")
			j.strings(add)
		}
		if len(remove) > 0 {
			j.raw(", \"remove\": ")
			j.strings(remove)
		}
	} else {
		var old, new any
		if c.Redacted {
			old, new = "[Redact]", "[Redact]"
			if c.Old == nil || expr.IsNull(c.Old) {
				old = nil
			}
		} else {
			old, new = jsonValue(c.Old), jsonValue(c.New)
		}
		j.raw(", \"old\": ")
		j.value(old)
		j.raw(", \"new\": ")
		j.value(new)
	}
	if c.Redacted {
		j.raw(", \"redacted\": true")
	}
	j.raw("}")
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
