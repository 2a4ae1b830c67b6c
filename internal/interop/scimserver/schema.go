package scimserver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// attrDef is a target attribute of one object type, by Entra's name.
type attrDef struct {
	name string
	def  *mapping.AttributeDefinition // nil when the schema does not define it
}

// definitions lists the target attributes of object type typ: those the
// rules map, then those the snapshot's objects of that type hold.
func definitions(rules []*mapping.CompiledObjectMapping, target *provision.Snapshot, typ string) []attrDef {
	var out []attrDef
	seen := map[string]bool{}
	add := func(name string, rule *mapping.CompiledObjectMapping) {
		if seen[strings.ToLower(name)] {
			return
		}
		seen[strings.ToLower(name)] = true
		d := attrDef{name: name}
		if rule != nil {
			d.def = rule.TargetDefinition(name)
		}
		out = append(out, d)
	}
	var rule *mapping.CompiledObjectMapping
	for i, r := range rules {
		if r == nil || !strings.EqualFold(r.TargetObjectName(), typ) {
			continue
		}
		rule = r
		for _, a := range r.Attributes() {
			add(a.Target, r)
		}
		if target == nil {
			continue
		}
		for _, o := range target.Objects {
			if o.Type == "" && i != 0 || o.Type != "" && !strings.EqualFold(o.Type, typ) {
				continue
			}
			for j, name := range target.Attributes {
				if j < len(o.Values) && o.Values[j] != nil {
					add(name, rule)
				}
			}
		}
	}
	return out
}

// entraPath is a target attribute name split: an extension URN (empty for
// the core schema), the attribute, whether a value filter selects one of
// its values, and the sub-attribute.
type entraPath struct {
	urn, attr, sub string
	filtered       bool
}

// splitEntraPath splits names such as `emails[type eq "work"].value`,
// name.givenName and urn:...:User:department.
func splitEntraPath(name string) entraPath {
	var p entraPath
	rest := name
	if strings.HasPrefix(strings.ToLower(name), "urn:") {
		end := len(name)
		if i := strings.IndexByte(name, '['); i >= 0 {
			end = i
		}
		if i := strings.LastIndexByte(name[:end], ':'); i > 0 {
			p.urn, rest = name[:i], name[i+1:]
		}
	}
	if i := strings.IndexByte(rest, '['); i >= 0 {
		p.filtered = true
		tail := rest[i:]
		rest = rest[:i]
		if j := strings.LastIndexByte(tail, ']'); j >= 0 && strings.HasPrefix(tail[j+1:], ".") {
			p.sub = tail[j+2:]
		}
	} else if i := strings.IndexByte(rest, '.'); i >= 0 {
		rest, p.sub = rest[:i], rest[i+1:]
	}
	p.attr = rest
	return p
}

// extend adds to the core schema and the extensions the attributes of defs
// they lack, and an extension schema for each other URN.
func extend(core schema.Schema, exts []schema.Schema, defs []attrDef) (_ schema.Schema, _ []schema.Schema, err error) {
	defer func() {
		// The library panics on an attribute name RFC 7643 does not allow.
		if r := recover(); r != nil {
			err = fmt.Errorf("scimserver: %v", r)
		}
	}()
	for _, d := range defs {
		p := splitEntraPath(d.name)
		s := &core
		if p.urn != "" && !strings.EqualFold(p.urn, core.ID) {
			i := slices.IndexFunc(exts, func(e schema.Schema) bool { return strings.EqualFold(e.ID, p.urn) })
			if i < 0 {
				parts := strings.Split(p.urn, ":")
				exts = append(exts, schema.Schema{ID: p.urn, Name: optional.NewString(parts[len(parts)-1])})
				i = len(exts) - 1
			}
			s = &exts[i]
		}
		if _, ok := s.Attributes.ContainsAttribute(p.attr); ok {
			continue
		}
		s.Attributes = append(s.Attributes, newAttribute(p, d.def))
	}
	return core, exts, nil
}

// newAttribute defines an attribute RFC 7643 does not: complex with the
// usual sub-attributes when Entra's name has a filter or a sub-attribute
// (or the definition is a Reference), simple and typed as the definition
// says otherwise.
func newAttribute(p entraPath, def *mapping.AttributeDefinition) schema.CoreAttribute {
	multi := def != nil && def.Multivalued
	if p.filtered || p.sub != "" || def != nil && def.Type == mapping.TypeReference {
		subs := []schema.SimpleParams{
			schema.SimpleStringParams(schema.StringParams{Name: "value"}),
			schema.SimpleStringParams(schema.StringParams{Name: "display"}),
			schema.SimpleStringParams(schema.StringParams{Name: "type"}),
			schema.SimpleBooleanParams(schema.BooleanParams{Name: "primary"}),
			schema.SimpleReferenceParams(schema.ReferenceParams{Name: "$ref"}),
		}
		if p.sub != "" && !slices.Contains([]string{"value", "display", "type", "primary", "$ref"}, p.sub) {
			subs = append(subs, simpleParams(p.sub, def))
		}
		return schema.ComplexCoreAttribute(schema.ComplexParams{Name: p.attr, MultiValued: multi || p.filtered, SubAttributes: subs})
	}
	sp := simpleParams(p.attr, def)
	return schema.SimpleCoreAttribute(sp)
}

// simpleParams is a simple attribute typed as the definition says.
func simpleParams(name string, def *mapping.AttributeDefinition) schema.SimpleParams {
	multi := def != nil && def.Multivalued
	var typ mapping.AttributeType
	if def != nil {
		typ = def.Type
	}
	switch typ {
	case mapping.TypeBoolean:
		return schema.SimpleBooleanParams(schema.BooleanParams{Name: name, MultiValued: multi})
	case mapping.TypeInteger:
		return schema.SimpleNumberParams(schema.NumberParams{Name: name, MultiValued: multi, Type: schema.AttributeTypeInteger()})
	case mapping.TypeDateTime:
		return schema.SimpleDateTimeParams(schema.DateTimeParams{Name: name, MultiValued: multi})
	case mapping.TypeBinary:
		return schema.SimpleBinaryParams(schema.BinaryParams{Name: name, MultiValued: multi})
	}
	return schema.SimpleStringParams(schema.StringParams{Name: name, MultiValued: multi})
}
