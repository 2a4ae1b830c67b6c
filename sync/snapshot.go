package sync

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// Snapshot is the objects of one directory at one moment: the source
// objects of a cycle, or the target objects the source is compared with.
//
// Attribute values are stored per object in a slice aligned with the
// snapshot's attribute table, not in a map per object: at a million
// objects the maps alone would cost gigabytes. Lookups go through one
// name index per snapshot, built once.
type Snapshot struct {
	// Attributes names the attributes; Object.Values[i] is the value of
	// Attributes[i]. Names are unique ignoring case.
	Attributes []string
	// Objects are in any order; Diff's result does not depend on it.
	Objects []Object

	ix *attrIndex // built on demand; see index
}

// Object is one object of a snapshot.
type Object struct {
	// ID is the object's id in its directory (objectId, a SCIM id, ...).
	ID string
	// Type is the object's type, as the object mappings name them: a
	// source object name ("User", "Group") in a source snapshot, a target
	// object name in a target snapshot. Empty means the type of the first
	// object mapping, so single-type snapshots need not say it.
	Type string
	// Unassigned marks a source object not assigned to the application;
	// it is out of scope when the cycle syncs only assigned objects.
	Unassigned bool
	// Disabled marks a source object blocked from sign-in (accountEnabled
	// false); it is out of scope.
	Disabled bool
	// SoftDeleted marks a source object in the recycle bin; it is out of
	// scope.
	SoftDeleted bool
	// Values holds the attribute values, aligned with the snapshot's
	// Attributes. A nil entry, or a missing one past the end, is an
	// attribute the object does not have.
	Values []expr.Value
}

// attrIndex resolves attribute names to positions: exactly first, then
// ignoring case, as expr.MapEnv does.
type attrIndex struct {
	n     int
	exact map[string]int
	fold  map[string]int
}

func (s *Snapshot) index() *attrIndex {
	if s.ix != nil && s.ix.n == len(s.Attributes) {
		return s.ix
	}
	ix := &attrIndex{n: len(s.Attributes), exact: make(map[string]int, len(s.Attributes)), fold: make(map[string]int, len(s.Attributes))}
	for i, a := range s.Attributes {
		ix.exact[a] = i
		if _, dup := ix.fold[strings.ToLower(a)]; !dup {
			ix.fold[strings.ToLower(a)] = i
		}
	}
	s.ix = ix
	return ix
}

func (ix *attrIndex) pos(name string) int {
	if i, ok := ix.exact[name]; ok {
		return i
	}
	if i, ok := ix.fold[strings.ToLower(name)]; ok {
		return i
	}
	return -1
}

// Pos returns the position of an attribute in Attributes (ignoring case),
// or -1.
func (s *Snapshot) Pos(name string) int { return s.index().pos(name) }

// Get returns an object's value of an attribute (ignoring case).
func (s *Snapshot) Get(o *Object, name string) (expr.Value, bool) {
	return valueAt(o, s.Pos(name))
}

func valueAt(o *Object, i int) (expr.Value, bool) {
	if i < 0 || i >= len(o.Values) || o.Values[i] == nil {
		return nil, false
	}
	return o.Values[i], true
}

// attr returns the position of name, adding it to the table if new.
func (s *Snapshot) attr(name string) int {
	if i := s.Pos(name); i >= 0 {
		return i
	}
	s.Attributes = append(s.Attributes, name)
	ix := s.index()
	return ix.pos(name)
}

// Add appends an object with the given attributes (decoded JSON values or
// expr values) and returns it. It is meant for tests and small programs;
// bulk producers fill Attributes and Objects directly.
func (s *Snapshot) Add(id string, attrs map[string]any) *Object {
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	slices.Sort(names) // the attribute table's order must not depend on map order
	o := Object{ID: id}
	for _, k := range names {
		set(s, &o, s.attr(k), expr.FromGo(attrs[k]))
	}
	s.Objects = append(s.Objects, o)
	return &s.Objects[len(s.Objects)-1]
}

func set(s *Snapshot, o *Object, i int, v expr.Value) {
	if i >= len(o.Values) {
		o.Values = append(o.Values, make([]expr.Value, len(s.Attributes)-len(o.Values))...)
	}
	o.Values[i] = v
}

// SnapshotOptions configures DecodeSnapshot.
type SnapshotOptions struct {
	// IDAttribute names the member holding the object's id. Empty means
	// "id", else "objectId".
	IDAttribute string
}

// The reserved members of a snapshot object. assigned and isSoftDeleted
// are flags, not attributes; accountEnabled is both (expressions read it).
const (
	keyAssigned       = "assigned"
	keySoftDeleted    = "isSoftDeleted"
	keyAccountEnabled = "accountEnabled"
	keyAttributes     = "attributes"
	keyObjectType     = "objectType"
)

// DecodeSnapshot reads a snapshot: a JSON array of objects, JSON lines
// (one object per line), or CSV with a header row. An object is either
// flat, {"id": "u1", "assigned": true, "mail": "..."}, or nested,
// {"id": "u1", "assigned": true, "attributes": {"mail": "..."}}; see the
// package documentation for the reserved members.
func DecodeSnapshot(data []byte, opts SnapshotOptions) (*Snapshot, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	s := &Snapshot{}
	if len(trimmed) == 0 {
		return s, nil
	}
	if trimmed[0] != '[' && trimmed[0] != '{' {
		return s, decodeCSV(s, data, opts)
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	array := trimmed[0] == '['
	if array {
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
	}
	for n := 1; ; n++ {
		if array && !dec.More() {
			break
		}
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF && !array {
			break
		} else if err != nil {
			return nil, fmt.Errorf("object %d: %w", n, err)
		}
		if err := addDecoded(s, m, opts); err != nil {
			return nil, fmt.Errorf("object %d: %w", n, err)
		}
	}
	return s, nil
}

func addDecoded(s *Snapshot, m map[string]any, opts SnapshotOptions) error {
	id, ok := idOf(m, opts)
	if !ok {
		return fmt.Errorf("no id (want a string member %q)", idName(opts))
	}
	o := Object{ID: id}
	var err error
	if o.Unassigned, err = flag(m, keyAssigned, true); err != nil {
		return err
	}
	o.Unassigned = !o.Unassigned
	if o.SoftDeleted, err = flag(m, keySoftDeleted, false); err != nil {
		return err
	}
	switch t := m[keyObjectType].(type) {
	case nil:
	case string:
		o.Type = t
	default:
		return fmt.Errorf("%s must be a string (got %v)", keyObjectType, t)
	}
	attrs, flat := m, true
	if nested, ok := m[keyAttributes].(map[string]any); ok {
		attrs, flat = nested, false
		if _, top := m[keyAccountEnabled]; top {
			enabled, err := flag(m, keyAccountEnabled, true)
			if err != nil {
				return err
			}
			o.Disabled = !enabled
		}
	}
	if _, ok := attrs[keyAccountEnabled]; ok {
		enabled, err := flag(attrs, keyAccountEnabled, true)
		if err != nil {
			return err
		}
		o.Disabled = o.Disabled || !enabled
	}
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		if flat && (k == keyAssigned || k == keySoftDeleted || k == keyObjectType) {
			continue // flags, not attributes
		}
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if attrs[k] == nil {
			continue
		}
		set(s, &o, s.attr(k), expr.FromGo(attrs[k]))
	}
	s.Objects = append(s.Objects, o)
	return nil
}

func idName(opts SnapshotOptions) string {
	if opts.IDAttribute != "" {
		return opts.IDAttribute
	}
	return "id"
}

func idOf(m map[string]any, opts SnapshotOptions) (string, bool) {
	names := []string{"id", "objectId"}
	if opts.IDAttribute != "" {
		names = []string{opts.IDAttribute}
	}
	for _, n := range names {
		switch v := m[n].(type) {
		case string:
			if v != "" {
				return v, true
			}
		case json.Number:
			return v.String(), true
		}
		if nested, ok := m[keyAttributes].(map[string]any); ok {
			if v, ok := nested[n].(string); ok && v != "" {
				return v, true
			}
		}
	}
	return "", false
}

// flag reads a boolean member: JSON true/false or the strings
// "true"/"false" in any case. Absent means def.
func flag(m map[string]any, key string, def bool) (bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return def, nil
	}
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "":
			return def, nil
		}
	}
	return false, fmt.Errorf("%s must be true or false (got %v)", key, v)
}

func decodeCSV(s *Snapshot, data []byte, opts SnapshotOptions) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("csv header: %w", err)
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("csv: %w", err)
		}
		m := make(map[string]any, len(header))
		for i, h := range header {
			if i < len(rec) && rec[i] != "" {
				m[h] = rec[i]
			}
		}
		if err := addDecoded(s, m, opts); err != nil {
			return fmt.Errorf("csv line %d: %w", line, err)
		}
	}
}

// WriteJSON writes the snapshot as a JSON array of flat objects, sorted by
// id, each with "id" first and then its attributes sorted by name; the
// flags are written only when set (objectType, assigned false,
// isSoftDeleted true).
// Apply's output is written this way so that it reads back as a target
// snapshot.
func (s *Snapshot) WriteJSON(w io.Writer) error {
	order := make([]int, len(s.Objects))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(s.Objects[a].ID, s.Objects[b].ID) })
	names := make([]int, len(s.Attributes))
	for i := range names {
		names[i] = i
	}
	slices.SortFunc(names, func(a, b int) int { return strings.Compare(s.Attributes[a], s.Attributes[b]) })
	var buf bytes.Buffer
	buf.WriteString("[")
	for n, i := range order {
		o := &s.Objects[i]
		if n > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n  {\"id\": ")
		writeJSONValue(&buf, o.ID)
		if o.Type != "" {
			buf.WriteString(", \"objectType\": ")
			writeJSONValue(&buf, o.Type)
		}
		if o.Unassigned {
			buf.WriteString(", \"assigned\": false")
		}
		if o.SoftDeleted {
			buf.WriteString(", \"isSoftDeleted\": true")
		}
		for _, a := range names {
			v, ok := valueAt(o, a)
			if !ok || s.Attributes[a] == "id" {
				continue
			}
			buf.WriteString(", ")
			writeJSONValue(&buf, s.Attributes[a])
			buf.WriteString(": ")
			writeJSONValue(&buf, jsonValue(v))
		}
		buf.WriteString("}")
	}
	if len(order) > 0 {
		buf.WriteString("\n")
	}
	buf.WriteString("]\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func writeJSONValue(buf *bytes.Buffer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings, nil and []string always marshal
	}
	buf.Write(b)
}
