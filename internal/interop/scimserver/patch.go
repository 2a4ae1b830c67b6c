package scimserver

import (
	"reflect"
	"strings"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	scimfilter "github.com/elimity-com/scim/filter"
	"github.com/elimity-com/scim/schema"
	"github.com/scim2/filter-parser/v2"
)

// applyPatch applies PATCH operations the library has validated to a
// resource, in order (RFC 7644 §3.5.2); see the package documentation.
func applyPatch(rt scim.ResourceType, res scim.ResourceAttributes, ops []scim.PatchOperation) error {
	for _, op := range ops {
		if op.Path == nil {
			// No path: the value holds the attributes to add or replace.
			m, ok := op.Value.(map[string]any)
			if !ok {
				return scimerrors.ScimErrorInvalidValue
			}
			for k, v := range m {
				p, err := filter.ParsePath([]byte(k))
				if err != nil {
					return scimerrors.ScimErrorInvalidPath
				}
				if err := applyOne(rt, res, op.Op, &p, v); err != nil {
					return err
				}
			}
			continue
		}
		if err := applyOne(rt, res, op.Op, op.Path, op.Value); err != nil {
			return err
		}
	}
	return nil
}

// applyOne applies one operation at path.
func applyOne(rt scim.ResourceType, res scim.ResourceAttributes, op string, path *filter.Path, value any) error {
	ap := path.AttributePath
	container := map[string]any(res)
	sch := rt.Schema
	if uri := ap.URI(); uri != "" && !strings.EqualFold(uri, rt.Schema.ID) {
		found := false
		for _, e := range rt.SchemaExtensions {
			if strings.EqualFold(e.Schema.ID, uri) {
				sch, found = e.Schema, true
				sub, ok := res[e.Schema.ID].(map[string]any)
				if !ok {
					if op == scim.PatchOperationRemove {
						return nil
					}
					sub = map[string]any{}
					res[e.Schema.ID] = sub
				}
				container = sub
				break
			}
		}
		if !found {
			return scimerrors.ScimErrorInvalidPath
		}
	}
	attr, ok := schemaAttr(sch, ap.AttributeName)
	if !ok {
		return scimerrors.ScimErrorInvalidPath
	}
	key := attr.Name()
	for k := range container {
		if strings.EqualFold(k, key) {
			key = k
		}
	}
	defer func() {
		// An emptied attribute is unassigned (RFC 7644 §3.5.2.2).
		switch v := container[key].(type) {
		case []any:
			if len(v) == 0 {
				delete(container, key)
			}
		case map[string]any:
			if len(v) == 0 {
				delete(container, key)
			}
		}
	}()

	if path.ValueExpression != nil {
		return applyFiltered(attr, container, key, op, path, value)
	}
	if sub := ap.SubAttributeName(); sub != "" {
		m, _ := container[key].(map[string]any)
		if op == scim.PatchOperationRemove {
			delete(m, sub)
			return nil
		}
		if m == nil {
			m = map[string]any{}
			container[key] = m
		}
		m[sub] = value
		return nil
	}
	switch op {
	case scim.PatchOperationAdd:
		if attr.MultiValued() {
			list, _ := container[key].([]any)
			for _, v := range asList(value) {
				if !containsValue(list, v) {
					list = append(list, v)
				}
			}
			container[key] = list
			return nil
		}
		fallthrough
	case scim.PatchOperationReplace:
		if m, ok := value.(map[string]any); ok && !attr.MultiValued() {
			// Sub-attributes not given are left as they are.
			cur, _ := container[key].(map[string]any)
			if cur == nil {
				cur = map[string]any{}
			}
			for k, v := range m {
				cur[k] = v
			}
			container[key] = cur
			return nil
		}
		if attr.MultiValued() {
			value = asList(value)
		}
		container[key] = value
	case scim.PatchOperationRemove:
		if value == nil || !attr.MultiValued() {
			delete(container, key)
			return nil
		}
		list, _ := container[key].([]any)
		var kept []any
		for _, x := range list {
			if !containsValue(asList(value), x) {
				kept = append(kept, x)
			}
		}
		container[key] = kept
	}
	return nil
}

// applyFiltered applies an operation whose path selects values of a
// multi-valued attribute with a filter.
func applyFiltered(attr schema.CoreAttribute, container map[string]any, key, op string, path *filter.Path, value any) error {
	list, _ := container[key].([]any)
	match := scimfilter.NewFilterValidator(path.ValueExpression, schema.Schema{Attributes: scimfilter.MultiValuedFilterAttributes(attr)})
	var hits []int
	for i, x := range list {
		if m, ok := x.(map[string]any); ok && match.PassesFilter(m) == nil {
			hits = append(hits, i)
		}
	}
	sub := ""
	if path.SubAttribute != nil {
		sub = *path.SubAttribute
	}
	switch op {
	case scim.PatchOperationRemove:
		if sub != "" {
			for _, i := range hits {
				delete(list[i].(map[string]any), sub)
			}
			return nil
		}
		var kept []any
		for i, x := range list {
			if !containsInt(hits, i) {
				kept = append(kept, x)
			}
		}
		container[key] = kept
		return nil
	}
	if len(hits) == 0 {
		if op == scim.PatchOperationReplace {
			return scimerrors.ScimErrorNoTarget
		}
		// add: a new value, holding the filter's attribute.
		e, ok := path.ValueExpression.(*filter.AttributeExpression)
		if !ok || e.Operator != filter.EQ {
			return scimerrors.ScimErrorNoTarget
		}
		elem := map[string]any{e.AttributePath.AttributeName: e.CompareValue}
		list = append(list, elem)
		container[key] = list
		hits = []int{len(list) - 1}
	}
	for _, i := range hits {
		elem := list[i].(map[string]any)
		switch {
		case sub != "":
			elem[sub] = value
		case op == scim.PatchOperationReplace:
			m, _ := value.(map[string]any)
			list[i] = m
		default:
			m, _ := value.(map[string]any)
			for k, v := range m {
				elem[k] = v
			}
		}
	}
	return nil
}

// schemaAttr finds an attribute of a schema, ignoring case.
func schemaAttr(s schema.Schema, name string) (schema.CoreAttribute, bool) {
	for _, a := range s.Attributes {
		if strings.EqualFold(a.Name(), name) {
			return a, true
		}
	}
	return schema.CoreAttribute{}, false
}

// asList is a value as a list of values.
func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// containsValue reports whether list holds v: the same value, or for
// complex values the same "value" sub-attribute.
func containsValue(list []any, v any) bool {
	for _, x := range list {
		if sameValue(x, v) {
			return true
		}
	}
	return false
}

func sameValue(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		if av, ok := am["value"]; ok {
			if bv, ok := bm["value"]; ok {
				return reflect.DeepEqual(av, bv)
			}
		}
	}
	return reflect.DeepEqual(a, b)
}

func containsInt(l []int, i int) bool {
	for _, x := range l {
		if x == i {
			return true
		}
	}
	return false
}
