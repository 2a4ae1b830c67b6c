package connect

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// ReadOptions configures ReadTarget and LookupTarget.
type ReadOptions struct {
	// Progress, if set, is called after each page or lookup with the
	// resource type and the number of resources read so far.
	Progress func(resourceType string, read int)
}

// Endpoint is the SCIM endpoint of a target object type, as the renderer
// names it: "Users" for User, "Groups" for Group, otherwise the name
// plus "s".
func Endpoint(object string) string {
	switch {
	case strings.EqualFold(object, "User"):
		return "Users"
	case strings.EqualFold(object, "Group"):
		return "Groups"
	}
	return object + "s"
}

// excludedFor lists the attributes a read of rule's type can leave out:
// a group's members when no mapping writes them.
func excludedFor(rule *mapping.CompiledObjectMapping) []string {
	if !strings.EqualFold(rule.TargetObjectName(), "Group") {
		return nil
	}
	if _, ok := rule.Attribute("members"); ok {
		return nil
	}
	return []string{"members"}
}

// ReadTarget reads every resource of the types the rules write, page by
// page, into a target snapshot: one object per resource, its id the
// server's, its type the rule's target object name, and one attribute per
// target attribute the rules write (see Flatten). A page that comes back
// short does not end the read early; the read ends when totalResults
// resources were read or a page is empty.
func ReadTarget(ctx context.Context, c Connector, rules []*mapping.CompiledObjectMapping, opts ReadOptions) (*provision.Snapshot, error) {
	snap := &provision.Snapshot{}
	seen := map[string]bool{}
	for _, rule := range rules {
		typ := Endpoint(rule.TargetObjectName())
		if seen[strings.ToLower(typ)] {
			continue
		}
		seen[strings.ToLower(typ)] = true
		size := 100
		if s, ok := c.(interface{ PageSize() int }); ok {
			size = s.PageSize()
		}
		read := 0
		for start := 1; ; {
			page, err := c.List(ctx, typ, start, size, excludedFor(rule)...)
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", typ, err)
			}
			for _, r := range page.Resources {
				if err := addResource(snap, rule, r); err != nil {
					return nil, fmt.Errorf("reading %s: %w", typ, err)
				}
			}
			read += len(page.Resources)
			start += len(page.Resources)
			if opts.Progress != nil {
				opts.Progress(typ, read)
			}
			if len(page.Resources) == 0 || read >= page.TotalResults {
				break
			}
		}
	}
	return snap, checkUnique(snap)
}

func checkUnique(snap *provision.Snapshot) error {
	ids := make([]string, len(snap.Objects))
	for i, o := range snap.Objects {
		ids[i] = strings.ToLower(o.Type) + "\x00" + o.ID
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			typ, id, _ := strings.Cut(ids[i], "\x00")
			return fmt.Errorf("the app listed %s %q twice (a paging bug in the app?)", typ, id)
		}
	}
	return nil
}

func addResource(snap *provision.Snapshot, rule *mapping.CompiledObjectMapping, r Resource) error {
	if r.ID == "" {
		return fmt.Errorf("a resource without an id")
	}
	attrs, err := Flatten(r.Raw, rule)
	if err != nil {
		return fmt.Errorf("resource %q: %w", r.ID, err)
	}
	o := snap.Add(r.ID, attrs)
	o.Type = rule.TargetObjectName()
	return nil
}

// LookupTarget builds the target snapshot as the service does in
// incremental cycles: for each source object in scope of a rule, it
// evaluates the rule's matching attributes by priority and looks the
// target up with filter=attr eq "value", until one finds something. Two
// resources for one value are an error naming the object (the logs'
// DuplicateTargetEntries). An object the state links to is looked up by
// its cached id first (filter=id eq "..."), as the service uses the id
// it cached for all later operations; only when that finds nothing are
// the matching attributes tried.
func LookupTarget(ctx context.Context, c Connector, rules []*mapping.CompiledObjectMapping, source *provision.Snapshot, state *provision.State, opts ReadOptions) (*provision.Snapshot, error) {
	snap := &provision.Snapshot{}
	have := map[string]bool{}
	seen := map[string]bool{} // source objects looked up, by type and id
	links := linksByType(state, rules)
	for _, rule := range rules {
		typ := Endpoint(rule.TargetObjectName())
		read := 0
		for i := range source.Objects {
			o := &source.Objects[i]
			if !sameType(o.Type, rule.SourceObjectName(), rules) {
				continue
			}
			seen[strings.ToLower(rule.SourceObjectName())+"\x00"+o.ID] = true
			add := func(found []Resource, what string) (bool, error) {
				if len(found) > 1 {
					return false, fmt.Errorf("looking up %s %s (source %s): the app has %d of them (DuplicateTargetEntries)", typ, what, o.ID, len(found))
				}
				if len(found) == 0 {
					return false, nil
				}
				key := strings.ToLower(rule.TargetObjectName()) + "\x00" + found[0].ID
				if !have[key] {
					have[key] = true
					if err := addResource(snap, rule, found[0]); err != nil {
						return false, err
					}
				}
				return true, nil
			}
			if l, ok := links[strings.ToLower(rule.SourceObjectName())+"\x00"+o.ID]; ok {
				found, err := c.Lookup(ctx, typ, "id", l.Target, excludedFor(rule)...)
				if err != nil {
					return nil, fmt.Errorf("looking up %s id = %q (source %s): %w", typ, l.Target, o.ID, err)
				}
				if ok, err := add(found, fmt.Sprintf("id = %q", l.Target)); err != nil || ok {
					if err != nil {
						return nil, err
					}
					read++
					continue
				}
			}
			env := objectEnv{snap: source, o: o}
			for _, m := range rule.Matching() {
				if m.Program == nil {
					continue
				}
				v, err := m.Program.Eval(env)
				if err != nil || expr.IsNullOrEmpty(v) {
					continue
				}
				v, _ = expr.Unwrap(v)
				value := expr.Render(v)
				found, err := c.Lookup(ctx, typ, m.Target, value, excludedFor(rule)...)
				if err != nil {
					return nil, fmt.Errorf("looking up %s %s = %q (source %s): %w", typ, m.Target, value, o.ID, err)
				}
				ok, err := add(found, fmt.Sprintf("%s = %q", m.Target, value))
				if err != nil {
					return nil, err
				}
				if ok {
					break
				}
			}
			read++
			if opts.Progress != nil {
				opts.Progress(typ, read)
			}
		}
		// Linked objects whose source is gone (hard-deleted): the plan
		// deletes them, so they must be read too.
		for _, l := range linksOf(state, rule.SourceObjectName(), rules) {
			if seen[strings.ToLower(rule.SourceObjectName())+"\x00"+l.Source] {
				continue
			}
			found, err := c.Lookup(ctx, typ, "id", l.Target, excludedFor(rule)...)
			if err != nil {
				return nil, fmt.Errorf("looking up %s id = %q (source %s, gone): %w", typ, l.Target, l.Source, err)
			}
			if len(found) == 1 {
				key := strings.ToLower(rule.TargetObjectName()) + "\x00" + found[0].ID
				if !have[key] {
					have[key] = true
					if err := addResource(snap, rule, found[0]); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return snap, nil
}

// linksOf returns the state's links of one source type, in state order.
func linksOf(state *provision.State, typ string, rules []*mapping.CompiledObjectMapping) []provision.Link {
	if state == nil {
		return nil
	}
	var out []provision.Link
	for _, l := range state.Links {
		if sameType(l.Type, typ, rules) {
			out = append(out, l)
		}
	}
	return out
}

// linksByType indexes a state's links by lower-case source type and
// source id; an empty type is the first rule's.
func linksByType(state *provision.State, rules []*mapping.CompiledObjectMapping) map[string]provision.Link {
	m := map[string]provision.Link{}
	if state == nil {
		return m
	}
	for _, l := range state.Links {
		typ := l.Type
		if typ == "" {
			typ = rules[0].SourceObjectName()
		}
		m[strings.ToLower(typ)+"\x00"+l.Source] = l
	}
	return m
}

func sameType(objType, want string, rules []*mapping.CompiledObjectMapping) bool {
	if objType == "" {
		return strings.EqualFold(want, rules[0].SourceObjectName())
	}
	return strings.EqualFold(objType, want)
}

// objectEnv lets an expression read a source snapshot object.
type objectEnv struct {
	snap *provision.Snapshot
	o    *provision.Object
}

func (e objectEnv) Lookup(name string) (expr.Value, bool) { return e.snap.Get(e.o, name) }

// Flatten reads a SCIM resource into the attributes of a target snapshot
// object, one per target attribute the rule writes, under the mapping's
// name: a plain name reads the member, "a.b" the sub-attribute,
// `a[type eq "work"].value` the sub-attribute of the element whose type is
// "work", and "urn:...:User:department" the member of the extension
// object. A complex value with a "value" member reads as that value; a
// list reads as a multi-valued attribute. Attributes the resource does not
// have are left out.
func Flatten(raw json.RawMessage, rule *mapping.CompiledObjectMapping) (map[string]any, error) {
	var res map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	out := map[string]any{}
	for _, a := range rule.Attributes() {
		name := a.Target
		if _, done := out[name]; done {
			continue
		}
		if v, ok := lookupPath(res, name); ok {
			out[name] = v
		}
	}
	return out, nil
}

// lookupPath resolves a target attribute name in a decoded resource.
func lookupPath(res map[string]any, name string) (any, bool) {
	var cur any = res
	rest := name
	if strings.HasPrefix(strings.ToLower(name), "urn:") {
		// The extension is the longest member of the resource that
		// prefixes the name and is followed by ':'.
		best := ""
		for k := range res {
			if len(k) > len(best) && len(name) > len(k) && strings.EqualFold(name[:len(k)], k) && name[len(k)] == ':' {
				best = k
			}
		}
		if best == "" {
			return nil, false
		}
		cur, rest = res[best], name[len(best)+1:]
	}
	for _, seg := range splitPath(rest) {
		field, filter := seg, ""
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			field, filter = seg[:i], seg[i+1:len(seg)-1]
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		v, ok := member(obj, field)
		if !ok {
			return nil, false
		}
		if filter != "" {
			v, ok = selectElement(v, filter)
			if !ok {
				return nil, false
			}
		}
		cur = v
	}
	return scalar(cur)
}

// splitPath splits at dots outside brackets and quotes.
func splitPath(p string) []string {
	var segs []string
	depth, quote, start := 0, false, 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"':
			quote = !quote
		case quote:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			segs = append(segs, p[start:i])
			start = i + 1
		}
	}
	return append(segs, p[start:])
}

// member reads a member ignoring case, as SCIM attribute names are.
func member(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// selectElement picks the element of a multi-valued complex attribute
// that a filter `sub eq "literal"` (or eq true/false/number) selects.
func selectElement(v any, filter string) (any, bool) {
	parts := strings.SplitN(strings.TrimSpace(filter), " ", 3)
	if len(parts) != 3 || !strings.EqualFold(parts[1], "eq") {
		return nil, false
	}
	sub, lit := parts[0], strings.TrimSpace(parts[2])
	want := lit
	if s, err := strconv.Unquote(lit); err == nil {
		want = s
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	for _, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			continue
		}
		got, ok := member(obj, sub)
		if !ok {
			continue
		}
		if strings.EqualFold(fmt.Sprint(got), want) {
			return obj, true
		}
	}
	return nil, false
}

// scalar turns a resolved JSON value into what a snapshot holds: a
// string, bool or number as itself, a complex value by its "value", a
// list by its elements' values.
func scalar(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case string, bool:
		return v, true
	case json.Number:
		return v.String(), true
	case map[string]any:
		inner, ok := member(v, "value")
		if !ok {
			return nil, false
		}
		return scalar(inner)
	case []any:
		vals := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := scalar(e)
			if !ok {
				continue
			}
			switch s := s.(type) {
			case string:
				vals = append(vals, s)
			case bool:
				vals = append(vals, expr.Render(expr.Bool(s)))
			}
		}
		if len(vals) == 0 {
			return nil, false
		}
		return vals, true
	}
	return nil, false
}
