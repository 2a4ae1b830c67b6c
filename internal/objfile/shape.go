package objfile

import (
	"bytes"
	"fmt"
	"strings"
)

// graphRenames maps Microsoft Graph user properties to the names Entra's
// provisioning gives them in its source directory ("Azure Active
// Directory"), where the two differ. The names are those of the
// synchronization schema's source attributes and of the testInputObject
// of Graph's parseExpression example (mobile, telephoneNumber,
// physicalDeliveryOfficeName, objectId).
var graphRenames = map[string]string{
	"id":             "objectId",
	"mobilePhone":    "mobile",
	"businessPhones": "telephoneNumber",
	"officeLocation": "physicalDeliveryOfficeName",
	"faxNumber":      "facsimileTelephoneNumber",
}

// graphFlat lists the Graph complex properties whose members are source
// attributes under their own names: onPremisesExtensionAttributes'
// extensionAttribute1 is [extensionAttribute1] in a mapping. Members of
// other complex properties are named by a dotted path, as Entra's source
// attributes employeeOrgData.costCenter and passwordProfile.password are.
var graphFlat = map[string]bool{
	"onPremisesExtensionAttributes": true,
}

// GraphNames returns the built-in table from Graph property paths to
// source attribute names, for documentation and tests: the renames, and
// onPremisesExtensionAttributes' members.
func GraphNames() map[string]string {
	t := make(map[string]string, len(graphRenames)+15)
	for k, v := range graphRenames {
		t[k] = v
	}
	for i := 1; i <= 15; i++ {
		n := fmt.Sprintf("extensionAttribute%d", i)
		t["onPremisesExtensionAttributes."+n] = n
	}
	return t
}

// graphName names a Graph property (parent is "" at the top).
func (r *Reader) graphName(parent, name string) string {
	path := name
	if parent != "" {
		path = parent + "." + name
	}
	if r.sources != nil {
		// The schema's source directory decides when it lists a name.
		if r.sources[strings.ToLower(path)] {
			return path
		}
		if parent != "" && r.sources[strings.ToLower(name)] {
			return name
		}
		if to, ok := graphRenames[path]; ok && r.sources[strings.ToLower(to)] {
			return to
		}
	}
	if to, ok := graphRenames[path]; ok {
		return to
	}
	if parent != "" && graphFlat[parent] {
		return name
	}
	return path
}

// graph flattens a Graph object: @odata annotations go (the object's
// @odata.type gives its objectType), id is objectId, an expanded
// directory object (manager) is a reference to its id, a collection of
// directory objects (members) the list of their ids, and complex
// properties are named by graphName.
func (r *Reader) graph(top []Member, out []Member) ([]Member, error) {
	typ := r.pageKind
	hasType := false
	for i := range top {
		m := &top[i]
		name := string(m.Name)
		if strings.Contains(name, "@odata.") {
			if name == "@odata.context" && m.Raw[0] == '"' && typ == "" {
				typ = graphContextType(StringOf(m.Raw))
			}
			if name == "@odata.type" && m.Raw[0] == '"' {
				if t := graphType(StringOf(m.Raw)); t != "" {
					typ = t
				}
			}
			continue
		}
		if name == "objectType" {
			hasType = true
		}
		var err error
		out, err = r.graphMember("", name, m.Raw, out)
		if err != nil {
			return nil, err
		}
	}
	if typ != "" && !hasType {
		out = append(out, Member{Name: []byte("objectType"), Raw: []byte(`"` + typ + `"`)})
	}
	return out, nil
}

func (r *Reader) graphMember(parent, name string, raw []byte, out []Member) ([]Member, error) {
	to := r.graphName(parent, name)
	switch raw[0] {
	case '{':
		sub := Split(raw, nil, &r.names)
		if id := memberRaw(sub, "id"); id != nil {
			return append(out, Member{Name: []byte(to), Raw: id}), nil
		}
		path := name
		if parent != "" {
			path = parent + "." + name
		}
		for _, s := range sub {
			if bytes.Contains(s.Name, []byte("@odata.")) {
				continue
			}
			var err error
			if out, err = r.graphMember(path, string(s.Name), s.Raw, out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case '[':
		ids, err := idList(name, raw, &r.names)
		if err != nil {
			return nil, err
		}
		if ids != nil {
			raw = ids
		}
		if to == "telephoneNumber" && name == "businessPhones" {
			// A string collection that holds at most one number in Graph,
			// and a single-valued attribute in Entra's source schema.
			n := 0
			var one []byte
			Elements(raw, func(e []byte) bool { n++; one = e; return true })
			switch n {
			case 0:
				return out, nil
			case 1:
				raw = one
			}
		}
	}
	return append(out, Member{Name: []byte(to), Raw: raw}), nil
}

// graphType returns the object type an @odata.type names.
func graphType(t string) string {
	switch strings.ToLower(strings.TrimPrefix(t, "#")) {
	case "microsoft.graph.user":
		return "User"
	case "microsoft.graph.group":
		return "Group"
	}
	return ""
}

// memberRaw returns the raw value of a member by name, or nil.
func memberRaw(ms []Member, name string) []byte {
	for i := range ms {
		if string(ms[i].Name) == name && ms[i].Raw != nil && ms[i].Raw[0] != 'n' {
			return ms[i].Raw
		}
	}
	return nil
}

// idList turns an array of directory objects into the array of their
// ids; nil when the array holds no objects. Objects without an id are an
// error: they cannot be a value.
func idList(name string, raw []byte, names *Names) ([]byte, error) {
	if bytes.IndexByte(raw[1:], '{') < 0 {
		return nil, checkScalars(name, raw)
	}
	var b bytes.Buffer
	b.WriteByte('[')
	var err error
	Elements(raw, func(e []byte) bool {
		if e[0] != '{' {
			err = fmt.Errorf("member %q mixes objects and %ss (expected objects with an id, or no objects)", name, jsonKind(e)[2:])
			return false
		}
		id := memberRaw(Split(e, nil, names), "id")
		if id == nil {
			id = memberRaw(Split(e, nil, names), "value")
		}
		if id == nil {
			err = fmt.Errorf("member %q is an array of objects without an id (expected strings, numbers or booleans, or directory objects with an id)", name)
			return false
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.Write(id)
		return true
	})
	if err != nil {
		return nil, err
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// checkScalars rejects an array holding arrays.
func checkScalars(name string, raw []byte) error {
	var err error
	Elements(raw, func(e []byte) bool {
		if e[0] == '[' {
			err = fmt.Errorf("member %q holds an array inside an array (expected strings, numbers or booleans)", name)
			return false
		}
		return true
	})
	return err
}

// plain flattens the nested objects of a plain object with dotted names
// ({"employeeOrgData": {"costCenter": "CC-1"}} is employeeOrgData.costCenter).
func (r *Reader) plain(members []Member, out []Member, prefix []byte) ([]Member, error) {
	for _, m := range members {
		name := m.Name
		if prefix != nil {
			name = append(append(append([]byte{}, prefix...), '.'), m.Name...)
		}
		if m.Raw == nil || prefix == nil && r.opts.Keep != "" && string(m.Name) == r.opts.Keep {
			out = append(out, Member{Name: name, Raw: m.Raw, Cell: m.Cell, IsCell: m.IsCell})
			continue
		}
		switch m.Raw[0] {
		case '{':
			var err error
			if out, err = r.plain(Split(m.Raw, nil, &r.names), out, name); err != nil {
				return nil, err
			}
			continue
		case '[':
			ids, err := idList(string(name), m.Raw, &r.names)
			if err != nil {
				return nil, err
			}
			if ids != nil {
				out = append(out, Member{Name: name, Raw: ids})
				continue
			}
		}
		out = append(out, Member{Name: name, Raw: m.Raw})
	}
	return out, nil
}

// The SCIM URNs read here (RFC 7643 §8.7.1).
const (
	scimCoreUser  = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimCoreGroup = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

// scim flattens a SCIM resource into the target attribute names Entra's
// SCIM mappings use: name.givenName, emails[type eq "work"].value,
// roles[primary eq "True"].value, the enterprise extension's
// urn:...:User:department, and references (manager, members) as the ids
// their value members hold. schemas and meta go; meta.resourceType, or
// the core schema, gives the objectType.
func (r *Reader) scim(top []Member, out []Member) ([]Member, error) {
	typ := ""
	hasType := false
	for i := range top {
		m := &top[i]
		name := string(m.Name)
		switch name {
		case "schemas":
			if typ == "" {
				switch {
				case bytes.Contains(m.Raw, []byte(`"`+scimCoreUser+`"`)):
					typ = "User"
				case bytes.Contains(m.Raw, []byte(`"`+scimCoreGroup+`"`)):
					typ = "Group"
				}
			}
			continue
		case "meta":
			if m.Raw[0] == '{' {
				if rt := memberRaw(Split(m.Raw, nil, &r.names), "resourceType"); rt != nil && rt[0] == '"' {
					typ = StringOf(rt)
				}
			}
			continue
		case "objectType":
			hasType = true
		}
		var err error
		if out, err = r.scimMember(name, m.Raw, out); err != nil {
			return nil, err
		}
	}
	if typ != "" && !hasType {
		out = append(out, Member{Name: []byte("objectType"), Raw: []byte(`"` + typ + `"`)})
	}
	return dedupe(out), nil
}

func (r *Reader) scimMember(name string, raw []byte, out []Member) ([]Member, error) {
	switch raw[0] {
	case '{':
		sub := Split(raw, nil, &r.names)
		sep := "."
		if strings.HasPrefix(name, "urn:") {
			sep = ":" // an extension schema's attributes
		} else if v := memberRaw(sub, "value"); v != nil {
			// A reference ({"value": "id", "$ref": ...}).
			return append(out, Member{Name: []byte(name), Raw: v}), nil
		}
		for _, s := range sub {
			child := name + sep + string(s.Name)
			if s.Raw[0] == '{' {
				if v := memberRaw(Split(s.Raw, nil, &r.names), "value"); v != nil {
					// A reference such as the enterprise extension's manager.
					out = append(out, Member{Name: []byte(child), Raw: v})
					continue
				}
			}
			var err error
			if out, err = r.scimMember(child, s.Raw, out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case '[':
		if bytes.IndexByte(raw[1:], '{') < 0 {
			if err := checkScalars(name, raw); err != nil {
				return nil, err
			}
			break
		}
		return r.scimMulti(name, raw, out)
	}
	return append(out, Member{Name: []byte(name), Raw: raw}), nil
}

// scimMulti flattens a multi-valued complex attribute. Each element gives
// one form, so that the flat names write back to the same elements: an
// element with a type gives name[type eq "T"].sub for its sub-attributes,
// else the primary element name[primary eq "True"].sub
// (roles[primary eq "True"].value), else its value joins the
// multi-valued attribute name itself (roles, and group members, which
// are references).
func (r *Reader) scimMulti(name string, raw []byte, out []Member) ([]Member, error) {
	var values bytes.Buffer
	values.WriteByte('[')
	plain := 0
	refs := strings.EqualFold(name, "members")
	var err error
	Elements(raw, func(e []byte) bool {
		if e[0] != '{' {
			err = fmt.Errorf("member %q mixes objects and %ss (expected objects with a value)", name, jsonKind(e)[2:])
			return false
		}
		sub := Split(e, nil, &r.names)
		typ, primary := "", false
		if !refs {
			if t := memberRaw(sub, "type"); t != nil && t[0] == '"' {
				typ = StringOf(t)
			}
			if p := memberRaw(sub, "primary"); p != nil {
				primary = string(p) == "true" || p[0] == '"' && strings.EqualFold(StringOf(p), "true")
			}
		}
		if typ == "" && !primary {
			if v := memberRaw(sub, "value"); v != nil {
				if plain > 0 {
					values.WriteByte(',')
				}
				values.Write(v)
				plain++
			}
			return true
		}
		filter := `[primary eq "True"].`
		if typ != "" {
			filter = `[type eq "` + typ + `"].`
		}
		for _, s := range sub {
			switch string(s.Name) {
			case "type", "primary", "$ref":
				continue
			}
			if s.Raw[0] == '{' || s.Raw[0] == '[' {
				err = fmt.Errorf("member %q: sub-attribute %q is %s (expected a string, number or boolean)", name, s.Name, jsonKind(s.Raw))
				return false
			}
			out = append(out, Member{Name: []byte(name + filter + string(s.Name)), Raw: s.Raw})
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if plain > 0 || refs {
		values.WriteByte(']')
		out = append(out, Member{Name: []byte(name), Raw: values.Bytes()})
	}
	return out, nil
}

// dedupe keeps the first member of each name (two work emails give
// emails[type eq "work"].value once, from the first).
func dedupe(ms []Member) []Member {
	if len(ms) < 2 {
		return ms
	}
	seen := make(map[string]bool, len(ms))
	k := 0
	for _, m := range ms {
		if seen[string(m.Name)] {
			continue
		}
		seen[string(m.Name)] = true
		ms[k] = m
		k++
	}
	return ms[:k]
}

func itoa(n int) string { return fmt.Sprint(n) }

func quote(s string) string { return fmt.Sprintf("%q", s) }
