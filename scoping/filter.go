package scoping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/attrmap/attrmap/internal/diag"
)

// Filter is a Microsoft Graph synchronization filter (objectMapping.scope).
//
// Each of the three group sets is a list of groups that are ORed; the
// clauses of a group are ANDed. Groups is the scoping filter admins edit in
// the portal ("Source object scope"); the other two sets are marked
// experimental by Graph and are evaluated too (see Matcher).
//
// JSON: members are matched case-insensitively on decode (as encoding/json
// does) and written back with Graph's spelling. Members this package does not
// model are kept verbatim in Extra. Encoding writes the canonical Graph form:
// members sorted by name, which is also the order Graph exports use, nil
// slices as []. A filter built in Go gets all three group sets; a decoded one
// keeps exactly the sets its document had, so decode→encode loses and adds
// nothing, and encode→decode→encode is byte-stable.
type Filter struct {
	CategoryFilterGroups []Group `json:"categoryFilterGroups"`
	Groups               []Group `json:"groups"`
	InputFilterGroups    []Group `json:"inputFilterGroups"`
	// Extra holds members of the JSON object that Filter does not model.
	Extra map[string]json.RawMessage `json:"-"`

	// decoded records which group sets the decoded document had, so that
	// encoding a decoded filter does not add the sets it left out.
	decoded setMask
}

// setMask is a set of the three group sets, one bit each.
type setMask uint8

const (
	hasCategory setMask = 1 << iota
	hasGroups
	hasInput
	wasDecoded
)

// Group is a Graph filterGroup: a named set of clauses that are ANDed.
type Group struct {
	Name    string   `json:"name"`
	Clauses []Clause `json:"clauses"`
	// Extra holds members of the JSON object that Group does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Clause is a Graph filterClause: one assertion about one source attribute.
type Clause struct {
	// OperatorName is kept exactly as written; Compile resolves it through the
	// operator table, whatever its case or spacing.
	OperatorName      string  `json:"operatorName"`
	SourceOperandName string  `json:"sourceOperandName"`
	TargetOperand     Operand `json:"targetOperand"`
	// Extra holds members of the JSON object that Clause does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Operand is a Graph filterOperand: the values a clause tests against.
type Operand struct {
	Values []string `json:"values"`
	// Extra holds members of the JSON object that Operand does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// member is one name/value pair of a JSON object, in source order.
type member struct {
	key string
	raw json.RawMessage
}

// objectMembers splits a JSON object into its members. It reports
// duplicate names, because a filter with two "groups" members is ambiguous
// and guessing which one wins would silently change who is in scope.
func objectMembers(data []byte, path string) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, &DecodeError{Path: path, Msg: err.Error()}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &DecodeError{Path: path, Msg: "expected an object, got " + diag.JSONKind(data)}
	}
	var ms []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &DecodeError{Path: path, Msg: err.Error()}
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &DecodeError{Path: join(path, key), Msg: err.Error()}
		}
		ms = append(ms, member{key: key, raw: raw})
	}
	return ms, nil
}

// fieldSet matches members to known names (case-insensitively) and collects
// the rest into extras, rejecting duplicates either way.
type fieldSet struct {
	path  string
	known []string
	seen  map[string]bool
	extra map[string]json.RawMessage
}

// match returns the canonical known name for key, or "" after storing the
// member in extra.
func (fs *fieldSet) match(m member) (string, error) {
	name := m.key
	for _, k := range fs.known {
		if strings.EqualFold(k, m.key) {
			name = k
			break
		}
	}
	if fs.seen == nil {
		fs.seen = map[string]bool{}
	}
	if fs.seen[name] {
		return "", &DecodeError{Path: fs.path, Msg: fmt.Sprintf("duplicate member %q", m.key)}
	}
	fs.seen[name] = true
	for _, k := range fs.known {
		if k == name {
			return name, nil
		}
	}
	if fs.extra == nil {
		fs.extra = map[string]json.RawMessage{}
	}
	// Compact, so that a decoded filter equals the decoding of its encoding.
	var buf bytes.Buffer
	if err := json.Compact(&buf, m.raw); err != nil {
		return "", &DecodeError{Path: join(fs.path, m.key), Msg: err.Error()}
	}
	fs.extra[m.key] = buf.Bytes()
	return "", nil
}

// UnmarshalJSON decodes a Graph filter object. JSON null leaves f unchanged.
func (f *Filter) UnmarshalJSON(data []byte) error {
	return f.decode(data, "")
}

func (f *Filter) decode(data []byte, path string) error {
	if isNull(data) {
		return nil
	}
	ms, err := objectMembers(data, path)
	if err != nil {
		return err
	}
	out := Filter{decoded: wasDecoded}
	fs := fieldSet{path: path, known: []string{"categoryFilterGroups", "groups", "inputFilterGroups"}}
	for _, m := range ms {
		name, err := fs.match(m)
		if err != nil {
			return err
		}
		var dst *[]Group
		switch name {
		case "categoryFilterGroups":
			dst = &out.CategoryFilterGroups
			out.decoded |= hasCategory
		case "groups":
			dst = &out.Groups
			out.decoded |= hasGroups
		case "inputFilterGroups":
			dst = &out.InputFilterGroups
			out.decoded |= hasInput
		default:
			continue
		}
		if *dst, err = decodeGroups(m.raw, join(path, name)); err != nil {
			return err
		}
	}
	out.Extra = fs.extra
	*f = out
	return nil
}

// decodeGroups decodes a JSON array of filterGroup objects; null gives nil.
func decodeGroups(data []byte, path string) ([]Group, error) {
	if isNull(data) {
		return nil, nil
	}
	var raws []json.RawMessage
	if diag.JSONKind(data) != "array" {
		return nil, &DecodeError{Path: path, Msg: "expected an array of groups, got " + diag.JSONKind(data)}
	}
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, &DecodeError{Path: path, Msg: err.Error()}
	}
	if len(raws) == 0 {
		return nil, nil // [] and absent mean the same; nil keeps round trips equal
	}
	groups := make([]Group, len(raws))
	for i, raw := range raws {
		if err := groups[i].decode(raw, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	return groups, nil
}

// UnmarshalJSON decodes a Graph filterGroup object.
func (g *Group) UnmarshalJSON(data []byte) error {
	return g.decode(data, "")
}

func (g *Group) decode(data []byte, path string) error {
	if isNull(data) {
		return &DecodeError{Path: path, Msg: "expected a group object, got null"}
	}
	ms, err := objectMembers(data, path)
	if err != nil {
		return err
	}
	out := Group{}
	fs := fieldSet{path: path, known: []string{"clauses", "name"}}
	for _, m := range ms {
		name, err := fs.match(m)
		if err != nil {
			return err
		}
		switch name {
		case "name":
			out.Name, err = decodeString(m.raw, join(path, name))
		case "clauses":
			out.Clauses, err = decodeClauses(m.raw, join(path, name))
		}
		if err != nil {
			return err
		}
	}
	out.Extra = fs.extra
	*g = out
	return nil
}

func decodeClauses(data []byte, path string) ([]Clause, error) {
	if isNull(data) {
		return nil, nil
	}
	if diag.JSONKind(data) != "array" {
		return nil, &DecodeError{Path: path, Msg: "expected an array of clauses, got " + diag.JSONKind(data)}
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, &DecodeError{Path: path, Msg: err.Error()}
	}
	if len(raws) == 0 {
		return nil, nil
	}
	clauses := make([]Clause, len(raws))
	for i, raw := range raws {
		if err := clauses[i].decode(raw, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	return clauses, nil
}

// UnmarshalJSON decodes a Graph filterClause object.
func (c *Clause) UnmarshalJSON(data []byte) error {
	return c.decode(data, "")
}

func (c *Clause) decode(data []byte, path string) error {
	if isNull(data) {
		return &DecodeError{Path: path, Msg: "expected a clause object, got null"}
	}
	ms, err := objectMembers(data, path)
	if err != nil {
		return err
	}
	out := Clause{}
	fs := fieldSet{path: path, known: []string{"operatorName", "sourceOperandName", "targetOperand"}}
	for _, m := range ms {
		name, err := fs.match(m)
		if err != nil {
			return err
		}
		switch name {
		case "operatorName":
			out.OperatorName, err = decodeString(m.raw, join(path, name))
		case "sourceOperandName":
			out.SourceOperandName, err = decodeString(m.raw, join(path, name))
		case "targetOperand":
			err = out.TargetOperand.decode(m.raw, join(path, name))
		}
		if err != nil {
			return err
		}
	}
	out.Extra = fs.extra
	*c = out
	return nil
}

// UnmarshalJSON decodes a Graph filterOperand object. JSON null leaves o unchanged.
func (o *Operand) UnmarshalJSON(data []byte) error {
	return o.decode(data, "")
}

func (o *Operand) decode(data []byte, path string) error {
	if isNull(data) {
		return nil
	}
	ms, err := objectMembers(data, path)
	if err != nil {
		return err
	}
	out := Operand{}
	fs := fieldSet{path: path, known: []string{"values"}}
	for _, m := range ms {
		name, err := fs.match(m)
		if err != nil {
			return err
		}
		if name != "values" || isNull(m.raw) {
			continue
		}
		vpath := join(path, name)
		if diag.JSONKind(m.raw) != "array" {
			return &DecodeError{Path: vpath, Msg: "expected an array of strings, got " + diag.JSONKind(m.raw)}
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(m.raw, &raws); err != nil {
			return &DecodeError{Path: vpath, Msg: err.Error()}
		}
		if len(raws) == 0 {
			continue
		}
		out.Values = make([]string, len(raws))
		for i, raw := range raws {
			if out.Values[i], err = decodeString(raw, fmt.Sprintf("%s[%d]", vpath, i)); err != nil {
				return err
			}
		}
	}
	out.Extra = fs.extra
	*o = out
	return nil
}

// decodeString decodes a JSON string; null gives "". Graph writes every
// operand as a string, so a number or Boolean is an error that shows the fix
// rather than a silent conversion.
func decodeString(data []byte, path string) (string, error) {
	if isNull(data) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		msg := "expected a string, got " + diag.JSONKind(data)
		if k := diag.JSONKind(data); k == "number" || k == "boolean" {
			msg += fmt.Sprintf(" (write it as a string: %q)", string(bytes.TrimSpace(data)))
		}
		return "", &DecodeError{Path: path, Msg: msg}
	}
	return s, nil
}

// MarshalJSON writes the canonical Graph form of the filter. A filter
// built in Go gets all three group sets; a decoded one keeps the sets its
// document had (plus any that are no longer empty), so that a document
// written as {"groups": [...]} round-trips unchanged.
func (f Filter) MarshalJSON() ([]byte, error) {
	keep := func(bit setMask, gs []Group) bool {
		return f.decoded&wasDecoded == 0 || f.decoded&bit != 0 || len(gs) > 0
	}
	var fields []field
	if keep(hasCategory, f.CategoryFilterGroups) {
		fields = append(fields, field{"categoryFilterGroups", groupsJSON(f.CategoryFilterGroups)})
	}
	if keep(hasGroups, f.Groups) {
		fields = append(fields, field{"groups", groupsJSON(f.Groups)})
	}
	if keep(hasInput, f.InputFilterGroups) {
		fields = append(fields, field{"inputFilterGroups", groupsJSON(f.InputFilterGroups)})
	}
	return writeObject(f.Extra, fields)
}

// MarshalJSON writes the canonical Graph form of the group.
func (g Group) MarshalJSON() ([]byte, error) {
	clauses := make([]any, len(g.Clauses))
	for i := range g.Clauses {
		clauses[i] = g.Clauses[i]
	}
	return writeObject(g.Extra, []field{
		{"clauses", clauses},
		{"name", g.Name},
	})
}

// MarshalJSON writes the canonical Graph form of the clause.
func (c Clause) MarshalJSON() ([]byte, error) {
	return writeObject(c.Extra, []field{
		{"operatorName", c.OperatorName},
		{"sourceOperandName", c.SourceOperandName},
		{"targetOperand", c.TargetOperand},
	})
}

// MarshalJSON writes the canonical Graph form of the operand.
func (o Operand) MarshalJSON() ([]byte, error) {
	values := o.Values
	if values == nil {
		values = []string{}
	}
	return writeObject(o.Extra, []field{{"values", values}})
}

// groupsJSON turns a group list into a value that encodes as an array, never null.
func groupsJSON(gs []Group) any {
	out := make([]any, len(gs))
	for i := range gs {
		out[i] = gs[i]
	}
	return out
}

type field struct {
	name  string
	value any
}

// writeObject encodes known fields and extras as one JSON object with
// members sorted by name. A known field wins over an extra of the same name.
func writeObject(extra map[string]json.RawMessage, known []field) ([]byte, error) {
	vals := make(map[string]json.RawMessage, len(known)+len(extra))
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		raw := extra[k]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("scoping: member %q holds invalid JSON", k)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, err
		}
		vals[k] = buf.Bytes()
	}
	for _, f := range known {
		b, err := marshalNoEscape(f.value)
		if err != nil {
			return nil, err
		}
		vals[f.name] = b
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(vals)) {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := marshalNoEscape(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vals[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalNoEscape is json.Marshal without HTML escaping, so the operators
// "&" and "!&" stay readable in saved files.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// isNull reports whether data is the JSON literal null.
func isNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}

// join appends a member name to a JSON path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// DecodeError reports JSON that is not a valid filter. Syntax errors carry a
// 1-based Line and Col; structural errors carry the JSON Path of the member
// at fault, such as "groups[0].clauses[1].targetOperand.values[0]". It is
// the one decode error of attrmap (mapping.LoadError is the same type).
type DecodeError = diag.DecodeError
