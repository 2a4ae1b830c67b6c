package scimserver

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/scim2/filter-parser/v2"
)

// Flatten reads a SCIM resource (decoded JSON, as a GET returns it or
// Resource gives it) back under Entra's target attribute names, the names
// of a provision.Snapshot: `emails[type eq "work"].value`, name.givenName,
// urn:...:User:manager, roles. It returns, for each name the resource has
// a value for, a string, or a sorted []string for a multi-valued
// attribute (complex values by their "value" sub-attribute). A reference
// (manager) gives its "value"; a Boolean gives "True" or "False" and a
// number its decimal text, as Entra writes them.
//
// A filter compares its literal with the values' sub-attribute as text,
// ignoring case (so "True" matches true). When more than one value of a
// multi-valued attribute matches a filtered name, Flatten fails: the
// resource then holds two work addresses where the snapshot has one.
func Flatten(resource map[string]any, names []string) (map[string]any, error) {
	out := map[string]any{}
	for _, name := range names {
		v, ok, err := lookup(resource, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if ok {
			out[name] = v
		}
	}
	return out, nil
}

// lookup reads one name.
func lookup(resource map[string]any, name string) (any, bool, error) {
	p, err := filter.ParsePath([]byte(name))
	if err != nil {
		// Not a SCIM path the parser reads: a plain attribute.
		return flat(get(resource, name), "")
	}
	container := resource
	ap := p.AttributePath
	if uri := ap.URI(); uri != "" && !strings.HasSuffix(strings.ToLower(uri), ":core:2.0:user") && !strings.HasSuffix(strings.ToLower(uri), ":core:2.0:group") {
		m, _ := get(resource, uri).(map[string]any)
		if m == nil {
			return nil, false, nil
		}
		container = m
	}
	v := get(container, ap.AttributeName)
	if v == nil {
		return nil, false, nil
	}
	if p.ValueExpression == nil {
		return flat(v, ap.SubAttributeName())
	}
	e, ok := p.ValueExpression.(*filter.AttributeExpression)
	if !ok || e.Operator != filter.EQ {
		return nil, false, fmt.Errorf("only filters of the form `attr eq value` are read")
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false, fmt.Errorf("not a multi-valued attribute: %v", v)
	}
	var hits []map[string]any
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, false, fmt.Errorf("a value is not complex: %v", x)
		}
		if got, ok := text(get(m, e.AttributePath.AttributeName)); ok && strings.EqualFold(got, fmt.Sprint(e.CompareValue)) {
			hits = append(hits, m)
		}
	}
	switch len(hits) {
	case 0:
		return nil, false, nil
	case 1:
	default:
		return nil, false, fmt.Errorf("%d values match the filter, want at most 1: %v", len(hits), list)
	}
	sub := "value"
	if p.SubAttribute != nil {
		sub = *p.SubAttribute
	}
	return flat(get(hits[0], sub), "")
}

// flat turns a value (or its sub-attribute sub) into a string or a sorted
// list of strings.
func flat(v any, sub string) (any, bool, error) {
	if v == nil {
		return nil, false, nil
	}
	if sub != "" {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false, fmt.Errorf("not complex: %v", v)
		}
		return flat(get(m, sub), "")
	}
	switch v := v.(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if m, ok := x.(map[string]any); ok {
				x = get(m, "value")
			}
			s, ok := text(x)
			if !ok {
				return nil, false, fmt.Errorf("a value is neither simple nor complex with a value: %v", x)
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil, false, nil
		}
		slices.Sort(out)
		return out, true, nil
	case map[string]any:
		s, ok := text(get(v, "value"))
		if !ok {
			return nil, false, fmt.Errorf("a complex value without a value: %v", v)
		}
		return s, true, nil
	}
	s, ok := text(v)
	if !ok {
		return nil, false, fmt.Errorf("not a simple value: %v", v)
	}
	return s, true, nil
}

// text is a simple value as Entra writes it.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		if v {
			return "True", true
		}
		return "False", true
	case json.Number:
		return v.String(), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	}
	return "", false
}

// get reads a member ignoring case.
func get(m map[string]any, name string) any {
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}
