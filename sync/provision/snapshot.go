package provision

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"sync/atomic"

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
	// Objects are in any order; the plan does not depend on it.
	Objects []Object

	// ix is built on demand (see index) and published atomically, so
	// concurrent Diffs may share a snapshot whose Objects were filled
	// directly.
	ix atomic.Pointer[attrIndex]
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
	if ix := s.ix.Load(); ix != nil && ix.n == len(s.Attributes) {
		return ix
	}
	ix := &attrIndex{n: len(s.Attributes), exact: make(map[string]int, len(s.Attributes)), fold: make(map[string]int, len(s.Attributes))}
	for i, a := range s.Attributes {
		ix.exact[a] = i
		if _, dup := ix.fold[strings.ToLower(a)]; !dup {
			ix.fold[strings.ToLower(a)] = i
		}
	}
	s.ix.Store(ix)
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

// SnapshotOptions configures ReadSnapshot and DecodeSnapshot.
type SnapshotOptions struct {
	// IDAttribute names the member holding the object's id. Empty means
	// "id", else "objectId".
	IDAttribute string
	// Name is the file name errors give.
	Name string
	// SourceAttributes are the source directory's attribute names (the
	// schema's "Azure Active Directory" directory), which name flattened
	// Graph properties; empty means the built-in table.
	SourceAttributes []string
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
// package documentation for the reserved members. It is ReadSnapshot over
// data; files are better streamed with ReadSnapshot.
func DecodeSnapshot(data []byte, opts SnapshotOptions) (*Snapshot, error) {
	return ReadSnapshot(bytes.NewReader(data), opts)
}

func idName(opts SnapshotOptions) string {
	if opts.IDAttribute != "" {
		return opts.IDAttribute
	}
	return "id"
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
