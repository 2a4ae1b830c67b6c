package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/internal/diag"
	"github.com/attrmap/attrmap/scoping"
)

// wire remembers how a loaded document spelled the modelled members of one
// object: which were present and which were null. Bit i stands for the
// i-th member name of the type's field list.
type wire struct {
	decoded bool
	present uint32
	null    uint32
}

// emit decides whether member i is written and whether as null. A value
// built in Go writes every member (null for a zero nullable one); a loaded
// one writes the members the document had, plus any that were set since.
func (w wire) emit(i int, zero, nullable bool) (write, asNull bool) {
	bit := uint32(1) << i
	switch {
	case !w.decoded:
		return true, zero && nullable
	case w.present&bit != 0:
		return true, zero && w.null&bit != 0
	}
	return !zero, false
}

// decoder turns a jnode tree into the model, reporting errors with the
// position and JSON path of the member at fault.
type decoder struct {
	src []byte
}

func (d *decoder) errorf(n *jnode, path, format string, args ...any) error {
	return d.errorAt(n.off, path, format, args...)
}

func (d *decoder) errorAt(off int, path, format string, args ...any) error {
	line, col := diag.LineCol(d.src, off)
	return &LoadError{Line: line, Col: col, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// decode decodes the object n into x, member by member as x.members()
// describes them, and remembers how the document spelled them.
func (d *decoder) decode(n *jnode, path string, x modelled) error {
	w, extra := x.wired()
	var err error
	*w, *extra, err = d.object(n, path, x.members())
	return err
}

// object decodes the members of n. ms lists the modelled members; each
// one present (also when null) is decoded into its field. Member names
// match exactly or, failing that, ignoring case, as encoding/json does; a
// name given twice is an error, because which of the two the service
// would use is anyone's guess. Members not modelled are kept verbatim.
func (d *decoder) object(n *jnode, path string, ms []member) (wire, map[string]json.RawMessage, error) {
	w := wire{decoded: true}
	if n.kind != jObject {
		return w, nil, d.errorf(n, path, "expected an object (got %s)", n.kind)
	}
	var extra map[string]json.RawMessage
	seen := make(map[string]bool, len(n.mems))
	for _, m := range n.mems {
		i := slices.IndexFunc(ms, func(x member) bool { return x.name == m.key })
		if i < 0 {
			i = slices.IndexFunc(ms, func(x member) bool { return strings.EqualFold(x.name, m.key) })
		}
		canon := m.key
		if i >= 0 {
			canon = ms[i].name
		}
		p := joinPath(path, canon)
		if seen[strings.ToLower(canon)] {
			return w, nil, d.errorAt(m.off, p, "duplicate member %q", m.key)
		}
		seen[strings.ToLower(canon)] = true
		if i < 0 {
			if extra == nil {
				extra = map[string]json.RawMessage{}
			}
			extra[m.key] = m.val.raw()
			continue
		}
		w.present |= 1 << i
		if m.val.kind == jNull {
			w.null |= 1 << i
		}
		if err := ms[i].decode(d, m.val, p); err != nil {
			return w, nil, err
		}
	}
	return w, extra, nil
}

func (d *decoder) str(n *jnode, path string) (string, error) {
	switch n.kind {
	case jNull:
		return "", nil
	case jString:
		return n.text, nil
	}
	return "", d.errorf(n, path, "expected a string (got %s)", n.kind)
}

func (d *decoder) boolean(n *jnode, path string) (bool, error) {
	switch n.kind {
	case jNull:
		return false, nil
	case jBool:
		return n.text == "true", nil
	}
	return false, d.errorf(n, path, "expected true or false (got %s)", n.kind)
}

func (d *decoder) int32(n *jnode, path string) (int32, error) {
	switch n.kind {
	case jNull:
		return 0, nil
	case jNumber:
		v, err := strconv.ParseInt(n.text, 10, 32)
		if err != nil {
			return 0, d.errorf(n, path, "expected a 32-bit integer (got %s)", n.text)
		}
		return int32(v), nil
	}
	return 0, d.errorf(n, path, "expected an integer (got %s)", n.kind)
}

// list decodes an array (null gives no elements) by calling elt for each
// element.
func (d *decoder) list(n *jnode, path string, elt func(i int, v *jnode, p string) error) error {
	switch n.kind {
	case jNull:
		return nil
	case jArray:
		for i, e := range n.elts {
			if err := elt(i, e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	return d.errorf(n, path, "expected an array (got %s)", n.kind)
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func writeObject(b *bytes.Buffer, w wire, extra map[string]json.RawMessage, ms []member) {
	type out struct {
		name  string
		write func(b *bytes.Buffer)
	}
	outs := make([]out, 0, len(ms)+len(extra))
	for i, m := range ms {
		write, asNull := w.emit(i, m.zero(), m.nullable)
		if !write {
			continue
		}
		if asNull {
			outs = append(outs, out{m.name, func(b *bytes.Buffer) { b.WriteString("null") }})
			continue
		}
		outs = append(outs, out{m.name, m.encode})
	}
	for k, raw := range extra {
		if slices.ContainsFunc(ms, func(m member) bool { return strings.EqualFold(m.name, k) }) {
			continue // a modelled member always wins
		}
		outs = append(outs, out{k, func(b *bytes.Buffer) { writeRaw(b, raw) }})
	}
	slices.SortFunc(outs, func(a, b out) int { return strings.Compare(a.name, b.name) })
	b.WriteByte('{')
	for i, o := range outs {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, o.name)
		b.WriteByte(':')
		o.write(b)
	}
	b.WriteByte('}')
}

// writeRaw writes a member kept verbatim; raw that is not valid JSON (only
// possible when set from Go) is written as null rather than corrupting the
// document.
func writeRaw(b *bytes.Buffer, raw json.RawMessage) {
	if n, _, err := parseJSON(raw, false); err == nil {
		n.compact(b)
		return
	}
	b.WriteString("null")
}

// Members. Each modelled type describes its members once, in members():
// the name, whether a zero value built in Go is written as null, and the
// field that decoding and encoding both use. The wire bits of a loaded
// object are positions in that one list, so a member inserted anywhere
// shifts decoding and encoding alike.

// member is one modelled member of a Graph object.
type member struct {
	name string
	// nullable: a zero value built in Go is written as null rather than
	// left out.
	nullable bool
	zero     func() bool
	decode   func(d *decoder, v *jnode, path string) error
	encode   func(b *bytes.Buffer)
}

// modelled is a Graph type: its members, and where it keeps how a loaded
// document spelled them.
type modelled interface {
	members() []member
	wired() (*wire, *map[string]json.RawMessage)
}

// encode writes x as a compact object whose members (modelled and extra)
// are sorted by name, which is Graph's order; Save indents the result.
func encode(b *bytes.Buffer, x modelled) {
	w, extra := x.wired()
	writeObject(b, *w, *extra, x.members())
}

func strMember[S ~string](name string, p *S, nullable bool) member {
	return member{name: name, nullable: nullable,
		zero: func() bool { return *p == "" },
		decode: func(d *decoder, v *jnode, path string) error {
			s, err := d.str(v, path)
			*p = S(s)
			return err
		},
		encode: func(b *bytes.Buffer) { writeString(b, string(*p)) },
	}
}

func boolMember(name string, p *bool) member {
	return member{name: name,
		zero: func() bool { return !*p },
		decode: func(d *decoder, v *jnode, path string) (err error) {
			*p, err = d.boolean(v, path)
			return err
		},
		encode: func(b *bytes.Buffer) { b.WriteString(strconv.FormatBool(*p)) },
	}
}

func intMember(name string, p *int32) member {
	return member{name: name,
		zero: func() bool { return *p == 0 },
		decode: func(d *decoder, v *jnode, path string) (err error) {
			*p, err = d.int32(v, path)
			return err
		},
		encode: func(b *bytes.Buffer) { b.WriteString(strconv.Itoa(int(*p))) },
	}
}

// listMember is a list of modelled objects; null gives no elements.
func listMember[T any, PT interface {
	*T
	modelled
}](name string, p *[]T) member {
	return member{name: name,
		zero: func() bool { return len(*p) == 0 },
		decode: func(d *decoder, v *jnode, path string) error {
			return d.list(v, path, func(_ int, e *jnode, path string) error {
				var x T
				err := d.decode(e, path, PT(&x))
				*p = append(*p, x)
				return err
			})
		},
		encode: func(b *bytes.Buffer) {
			b.WriteByte('[')
			for i := range *p {
				if i > 0 {
					b.WriteByte(',')
				}
				encode(b, PT(&(*p)[i]))
			}
			b.WriteByte(']')
		},
	}
}

// ptrMember is an optional modelled object: nil when absent or null, and
// written as null when nil.
func ptrMember[T any, PT interface {
	*T
	modelled
}](name string, p *PT) member {
	return member{name: name, nullable: true,
		zero: func() bool { return *p == nil },
		decode: func(d *decoder, v *jnode, path string) error {
			if v.kind == jNull {
				return nil
			}
			*p = PT(new(T))
			return d.decode(v, path, *p)
		},
		encode: func(b *bytes.Buffer) { encode(b, *p) },
	}
}

// scopeMember is an object mapping's scoping filter, which the scoping
// package decodes and writes.
func scopeMember(name string, p **scoping.Filter) member {
	return member{name: name, nullable: true,
		zero: func() bool { return *p == nil },
		decode: func(d *decoder, v *jnode, path string) error {
			if v.kind == jNull {
				return nil
			}
			if v.kind != jObject {
				return d.errorf(v, path, "expected a filter object (got %s)", v.kind)
			}
			f := &scoping.Filter{}
			if err := json.Unmarshal(v.raw(), f); err != nil {
				var de *scoping.DecodeError
				if errors.As(err, &de) {
					return d.errorf(v, joinPath(path, de.Path), "%s", de.Msg)
				}
				return d.errorf(v, path, "%v", err)
			}
			*p = f
			return nil
		},
		encode: func(b *bytes.Buffer) { writeFilter(b, *p) },
	}
}

// writeFilter writes a scoping filter in the scoping package's canonical
// form, without HTML escaping (operators & and !& stay readable).
func writeFilter(b *bytes.Buffer, f *scoping.Filter) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		b.WriteString("null")
		return
	}
	writeRaw(b, bytes.TrimSpace(buf.Bytes()))
}

// The modelled types, each member once, in Graph order (the order of the
// resource pages and of Graph's own exports, which is alphabetical).

func (s *Schema) members() []member {
	return []member{
		listMember("directories", &s.Directories),
		listMember("synchronizationRules", &s.SynchronizationRules),
		strMember("version", &s.Version, true),
	}
}

func (x *DirectoryDefinition) members() []member {
	return []member{
		strMember("id", &x.ID, false),
		strMember("name", &x.Name, false),
		listMember("objects", &x.Objects),
	}
}

func (x *ObjectDefinition) members() []member {
	return []member{
		listMember("attributes", &x.Attributes),
		strMember("name", &x.Name, false),
	}
}

func (x *AttributeDefinition) members() []member {
	return []member{
		boolMember("anchor", &x.Anchor),
		boolMember("caseExact", &x.CaseExact),
		strMember("defaultValue", &x.DefaultValue, true),
		boolMember("flowNullValues", &x.FlowNullValues),
		boolMember("multivalued", &x.Multivalued),
		strMember("mutability", &x.Mutability, false),
		strMember("name", &x.Name, false),
		listMember("referencedObjects", &x.ReferencedObjects),
		boolMember("required", &x.Required),
		strMember("type", &x.Type, false),
	}
}

func (x *ReferencedObject) members() []member {
	return []member{
		strMember("referencedObjectName", &x.ReferencedObjectName, false),
		strMember("referencedProperty", &x.ReferencedProperty, true),
	}
}

func (x *SynchronizationRule) members() []member {
	return []member{
		boolMember("editable", &x.Editable),
		strMember("id", &x.ID, false),
		strMember("name", &x.Name, false),
		listMember("objectMappings", &x.ObjectMappings),
		intMember("priority", &x.Priority),
		strMember("sourceDirectoryName", &x.SourceDirectoryName, false),
		strMember("targetDirectoryName", &x.TargetDirectoryName, false),
	}
}

func (x *ObjectMapping) members() []member {
	return []member{
		listMember("attributeMappings", &x.AttributeMappings),
		boolMember("enabled", &x.Enabled),
		strMember("flowTypes", &x.FlowTypes, false),
		strMember("name", &x.Name, false),
		scopeMember("scope", &x.Scope),
		strMember("sourceObjectName", &x.SourceObjectName, false),
		strMember("targetObjectName", &x.TargetObjectName, false),
	}
}

func (x *AttributeMapping) members() []member {
	return []member{
		strMember("defaultValue", &x.DefaultValue, true),
		boolMember("exportMissingReferences", &x.ExportMissingReferences),
		strMember("flowBehavior", &x.FlowBehavior, false),
		strMember("flowType", &x.FlowType, false),
		intMember("matchingPriority", &x.MatchingPriority),
		ptrMember("source", &x.Source),
		strMember("targetAttributeName", &x.TargetAttributeName, false),
	}
}

func (x *AttributeMappingSource) members() []member {
	return []member{
		strMember("expression", &x.Expression, false),
		strMember("name", &x.Name, false),
		listMember("parameters", &x.Parameters),
		strMember("type", &x.Type, false),
	}
}

func (x *Parameter) members() []member {
	return []member{
		strMember("key", &x.Key, false),
		ptrMember("value", &x.Value),
	}
}

func (s *Schema) wired() (*wire, *map[string]json.RawMessage) { return &s.w, &s.Extra }

func (x *DirectoryDefinition) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *ObjectDefinition) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *AttributeDefinition) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *ReferencedObject) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *SynchronizationRule) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *ObjectMapping) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *AttributeMapping) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *AttributeMappingSource) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }

func (x *Parameter) wired() (*wire, *map[string]json.RawMessage) { return &x.w, &x.Extra }
