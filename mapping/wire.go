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

// object decodes the members of n. names lists the modelled members in
// Graph order; set is called for each one present (also when null).
// Member names match exactly or, failing that, ignoring case, as
// encoding/json does; a name given twice is an error, because which of the
// two the service would use is anyone's guess.
func (d *decoder) object(n *jnode, path string, names []string, set func(i int, v *jnode, p string) error) (wire, map[string]json.RawMessage, error) {
	w := wire{decoded: true}
	if n.kind != jObject {
		return w, nil, d.errorf(n, path, "expected an object (got %s)", n.kind)
	}
	var extra map[string]json.RawMessage
	seen := make(map[string]bool, len(n.mems))
	for _, m := range n.mems {
		i := slices.Index(names, m.key)
		if i < 0 {
			i = slices.IndexFunc(names, func(s string) bool { return strings.EqualFold(s, m.key) })
		}
		canon := m.key
		if i >= 0 {
			canon = names[i]
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
		if err := set(i, m.val, p); err != nil {
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

// Field lists, in Graph order (the order of the resource pages and of
// Graph's own exports, which is alphabetical).
var (
	schemaFields    = []string{"directories", "synchronizationRules", "version"}
	directoryFields = []string{"id", "name", "objects"}
	objectDefFields = []string{"attributes", "name"}
	attrDefFields   = []string{"anchor", "caseExact", "defaultValue", "flowNullValues", "multivalued", "mutability", "name", "referencedObjects", "required", "type"}
	refObjFields    = []string{"referencedObjectName", "referencedProperty"}
	ruleFields      = []string{"editable", "id", "name", "objectMappings", "priority", "sourceDirectoryName", "targetDirectoryName"}
	objMapFields    = []string{"attributeMappings", "enabled", "flowTypes", "name", "scope", "sourceObjectName", "targetObjectName"}
	attrMapFields   = []string{"defaultValue", "exportMissingReferences", "flowBehavior", "flowType", "matchingPriority", "source", "targetAttributeName"}
	sourceFields    = []string{"expression", "name", "parameters", "type"}
	paramFields     = []string{"key", "value"}
)

func (d *decoder) schema(n *jnode, path string, s *Schema) (err error) {
	s.w, s.Extra, err = d.object(n, path, schemaFields, func(i int, v *jnode, p string) error {
		switch i {
		case 0:
			return d.list(v, p, func(_ int, e *jnode, p string) error {
				var x DirectoryDefinition
				err := d.directory(e, p, &x)
				s.Directories = append(s.Directories, x)
				return err
			})
		case 1:
			return d.list(v, p, func(_ int, e *jnode, p string) error {
				var x SynchronizationRule
				err := d.rule(e, p, &x)
				s.SynchronizationRules = append(s.SynchronizationRules, x)
				return err
			})
		default:
			s.Version, err = d.str(v, p)
			return err
		}
	})
	return err
}

func (d *decoder) directory(n *jnode, path string, x *DirectoryDefinition) (err error) {
	x.w, x.Extra, err = d.object(n, path, directoryFields, func(i int, v *jnode, p string) (err error) {
		switch i {
		case 0:
			x.ID, err = d.str(v, p)
		case 1:
			x.Name, err = d.str(v, p)
		default:
			err = d.list(v, p, func(_ int, e *jnode, p string) error {
				var o ObjectDefinition
				err := d.objectDef(e, p, &o)
				x.Objects = append(x.Objects, o)
				return err
			})
		}
		return err
	})
	return err
}

func (d *decoder) objectDef(n *jnode, path string, x *ObjectDefinition) (err error) {
	x.w, x.Extra, err = d.object(n, path, objectDefFields, func(i int, v *jnode, p string) (err error) {
		if i == 1 {
			x.Name, err = d.str(v, p)
			return err
		}
		return d.list(v, p, func(_ int, e *jnode, p string) error {
			var a AttributeDefinition
			err := d.attrDef(e, p, &a)
			x.Attributes = append(x.Attributes, a)
			return err
		})
	})
	return err
}

func (d *decoder) attrDef(n *jnode, path string, x *AttributeDefinition) (err error) {
	x.w, x.Extra, err = d.object(n, path, attrDefFields, func(i int, v *jnode, p string) (err error) {
		switch i {
		case 0:
			x.Anchor, err = d.boolean(v, p)
		case 1:
			x.CaseExact, err = d.boolean(v, p)
		case 2:
			x.DefaultValue, err = d.str(v, p)
		case 3:
			x.FlowNullValues, err = d.boolean(v, p)
		case 4:
			x.Multivalued, err = d.boolean(v, p)
		case 5:
			x.Mutability, err = d.str(v, p)
		case 6:
			x.Name, err = d.str(v, p)
		case 7:
			err = d.list(v, p, func(_ int, e *jnode, p string) error {
				var r ReferencedObject
				var err error
				r.w, r.Extra, err = d.object(e, p, refObjFields, func(i int, v *jnode, p string) (err error) {
					if i == 0 {
						r.ReferencedObjectName, err = d.str(v, p)
					} else {
						r.ReferencedProperty, err = d.str(v, p)
					}
					return err
				})
				x.ReferencedObjects = append(x.ReferencedObjects, r)
				return err
			})
		case 8:
			x.Required, err = d.boolean(v, p)
		default:
			var s string
			s, err = d.str(v, p)
			x.Type = AttributeType(s)
		}
		return err
	})
	return err
}

func (d *decoder) rule(n *jnode, path string, x *SynchronizationRule) (err error) {
	x.w, x.Extra, err = d.object(n, path, ruleFields, func(i int, v *jnode, p string) (err error) {
		switch i {
		case 0:
			x.Editable, err = d.boolean(v, p)
		case 1:
			x.ID, err = d.str(v, p)
		case 2:
			x.Name, err = d.str(v, p)
		case 3:
			err = d.list(v, p, func(_ int, e *jnode, p string) error {
				var m ObjectMapping
				err := d.objectMapping(e, p, &m)
				x.ObjectMappings = append(x.ObjectMappings, m)
				return err
			})
		case 4:
			x.Priority, err = d.int32(v, p)
		case 5:
			x.SourceDirectoryName, err = d.str(v, p)
		default:
			x.TargetDirectoryName, err = d.str(v, p)
		}
		return err
	})
	return err
}

func (d *decoder) objectMapping(n *jnode, path string, x *ObjectMapping) (err error) {
	x.w, x.Extra, err = d.object(n, path, objMapFields, func(i int, v *jnode, p string) (err error) {
		switch i {
		case 0:
			err = d.list(v, p, func(_ int, e *jnode, p string) error {
				var a AttributeMapping
				err := d.attrMapping(e, p, &a)
				x.AttributeMappings = append(x.AttributeMappings, a)
				return err
			})
		case 1:
			x.Enabled, err = d.boolean(v, p)
		case 2:
			x.FlowTypes, err = d.str(v, p)
		case 3:
			x.Name, err = d.str(v, p)
		case 4:
			if v.kind == jNull {
				return nil
			}
			if v.kind != jObject {
				return d.errorf(v, p, "expected a filter object (got %s)", v.kind)
			}
			f := &scoping.Filter{}
			if err := json.Unmarshal(v.raw(), f); err != nil {
				var de *scoping.DecodeError
				if errors.As(err, &de) {
					return d.errorf(v, joinPath(p, de.Path), "%s", de.Msg)
				}
				return d.errorf(v, p, "%v", err)
			}
			x.Scope = f
		case 5:
			x.SourceObjectName, err = d.str(v, p)
		default:
			x.TargetObjectName, err = d.str(v, p)
		}
		return err
	})
	return err
}

func (d *decoder) attrMapping(n *jnode, path string, x *AttributeMapping) (err error) {
	x.w, x.Extra, err = d.object(n, path, attrMapFields, func(i int, v *jnode, p string) (err error) {
		var s string
		switch i {
		case 0:
			x.DefaultValue, err = d.str(v, p)
		case 1:
			x.ExportMissingReferences, err = d.boolean(v, p)
		case 2:
			s, err = d.str(v, p)
			x.FlowBehavior = FlowBehavior(s)
		case 3:
			s, err = d.str(v, p)
			x.FlowType = FlowType(s)
		case 4:
			x.MatchingPriority, err = d.int32(v, p)
		case 5:
			if v.kind != jNull {
				x.Source = &AttributeMappingSource{}
				err = d.source(v, p, x.Source)
			}
		default:
			x.TargetAttributeName, err = d.str(v, p)
		}
		return err
	})
	return err
}

func (d *decoder) source(n *jnode, path string, x *AttributeMappingSource) (err error) {
	x.w, x.Extra, err = d.object(n, path, sourceFields, func(i int, v *jnode, p string) (err error) {
		var s string
		switch i {
		case 0:
			x.Expression, err = d.str(v, p)
		case 1:
			x.Name, err = d.str(v, p)
		case 2:
			err = d.list(v, p, func(_ int, e *jnode, p string) error {
				var pm Parameter
				var err error
				pm.w, pm.Extra, err = d.object(e, p, paramFields, func(i int, v *jnode, p string) (err error) {
					if i == 0 {
						pm.Key, err = d.str(v, p)
					} else if v.kind != jNull {
						pm.Value = &AttributeMappingSource{}
						err = d.source(v, p, pm.Value)
					}
					return err
				})
				x.Parameters = append(x.Parameters, pm)
				return err
			})
		default:
			s, err = d.str(v, p)
			x.Type = SourceType(s)
		}
		return err
	})
	return err
}

// Encoding. Every type writes a compact object whose members (modelled and
// extra) are sorted by name, which is Graph's order; Save indents the
// result.

type field struct {
	name     string
	zero     bool
	nullable bool
	write    func(b *bytes.Buffer)
}

func writeObject(b *bytes.Buffer, w wire, extra map[string]json.RawMessage, fields []field) {
	type out struct {
		name  string
		write func(b *bytes.Buffer)
	}
	outs := make([]out, 0, len(fields)+len(extra))
	for i, f := range fields {
		write, asNull := w.emit(i, f.zero, f.nullable)
		if !write {
			continue
		}
		if asNull {
			outs = append(outs, out{f.name, func(b *bytes.Buffer) { b.WriteString("null") }})
			continue
		}
		outs = append(outs, out{f.name, f.write})
	}
	for k, raw := range extra {
		if slices.ContainsFunc(fields, func(f field) bool { return strings.EqualFold(f.name, k) }) {
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

func strField(name, v string, nullable bool) field {
	return field{name, v == "", nullable, func(b *bytes.Buffer) { writeString(b, v) }}
}

func boolField(name string, v bool) field {
	return field{name, !v, false, func(b *bytes.Buffer) { b.WriteString(strconv.FormatBool(v)) }}
}

func intField(name string, v int32) field {
	return field{name, v == 0, false, func(b *bytes.Buffer) { b.WriteString(strconv.Itoa(int(v))) }}
}

func listField[T any](name string, xs []T, enc func(x *T, b *bytes.Buffer)) field {
	return field{name, len(xs) == 0, false, func(b *bytes.Buffer) {
		b.WriteByte('[')
		for i := range xs {
			if i > 0 {
				b.WriteByte(',')
			}
			enc(&xs[i], b)
		}
		b.WriteByte(']')
	}}
}

func (s *Schema) encode(b *bytes.Buffer) {
	writeObject(b, s.w, s.Extra, []field{
		listField("directories", s.Directories, (*DirectoryDefinition).encode),
		listField("synchronizationRules", s.SynchronizationRules, (*SynchronizationRule).encode),
		strField("version", s.Version, true),
	})
}

func (x *DirectoryDefinition) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		strField("id", x.ID, false),
		strField("name", x.Name, false),
		listField("objects", x.Objects, (*ObjectDefinition).encode),
	})
}

func (x *ObjectDefinition) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		listField("attributes", x.Attributes, (*AttributeDefinition).encode),
		strField("name", x.Name, false),
	})
}

func (x *AttributeDefinition) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		boolField("anchor", x.Anchor),
		boolField("caseExact", x.CaseExact),
		strField("defaultValue", x.DefaultValue, true),
		boolField("flowNullValues", x.FlowNullValues),
		boolField("multivalued", x.Multivalued),
		strField("mutability", x.Mutability, false),
		strField("name", x.Name, false),
		listField("referencedObjects", x.ReferencedObjects, (*ReferencedObject).encode),
		boolField("required", x.Required),
		strField("type", string(x.Type), false),
	})
}

func (x *ReferencedObject) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		strField("referencedObjectName", x.ReferencedObjectName, false),
		strField("referencedProperty", x.ReferencedProperty, true),
	})
}

func (x *SynchronizationRule) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		boolField("editable", x.Editable),
		strField("id", x.ID, false),
		strField("name", x.Name, false),
		listField("objectMappings", x.ObjectMappings, (*ObjectMapping).encode),
		intField("priority", x.Priority),
		strField("sourceDirectoryName", x.SourceDirectoryName, false),
		strField("targetDirectoryName", x.TargetDirectoryName, false),
	})
}

func (x *ObjectMapping) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		listField("attributeMappings", x.AttributeMappings, (*AttributeMapping).encode),
		boolField("enabled", x.Enabled),
		strField("flowTypes", x.FlowTypes, false),
		strField("name", x.Name, false),
		{"scope", x.Scope == nil, true, func(b *bytes.Buffer) { writeFilter(b, x.Scope) }},
		strField("sourceObjectName", x.SourceObjectName, false),
		strField("targetObjectName", x.TargetObjectName, false),
	})
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

func (x *AttributeMapping) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		strField("defaultValue", x.DefaultValue, true),
		boolField("exportMissingReferences", x.ExportMissingReferences),
		strField("flowBehavior", string(x.FlowBehavior), false),
		strField("flowType", string(x.FlowType), false),
		intField("matchingPriority", x.MatchingPriority),
		{"source", x.Source == nil, true, func(b *bytes.Buffer) { x.Source.encode(b) }},
		strField("targetAttributeName", x.TargetAttributeName, false),
	})
}

func (x *AttributeMappingSource) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		strField("expression", x.Expression, false),
		strField("name", x.Name, false),
		listField("parameters", x.Parameters, (*Parameter).encode),
		strField("type", string(x.Type), false),
	})
}

func (x *Parameter) encode(b *bytes.Buffer) {
	writeObject(b, x.w, x.Extra, []field{
		strField("key", x.Key, false),
		{"value", x.Value == nil, true, func(b *bytes.Buffer) { x.Value.encode(b) }},
	})
}
