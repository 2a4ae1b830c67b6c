package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// The SCIM message and schema URNs (RFC 7643 §8.7, RFC 7644 §3.5.2, §3.7).
const (
	bulkRequestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	patchOpSchema     = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	coreSchema        = "urn:ietf:params:scim:schemas:core:2.0:"
	redactedText      = "[Redact]"
)

// object identifies an object of the plan: its target object type
// (lower case) and target id.
type object struct{ typ, id string }

// renderer holds what rendering one operation needs from the others.
type renderer struct {
	rules []*mapping.CompiledObjectMapping
	// created holds the objects the plan creates; createdIDs maps their
	// ids, which are the bulkIds, back to them.
	created    map[object]bool
	createdIDs map[string]object
}

// newRenderer collects the objects the plan creates.
func newRenderer(p *provision.Plan, rules []*mapping.CompiledObjectMapping) (*renderer, error) {
	r := &renderer{rules: rules, created: map[object]bool{}, createdIDs: map[string]object{}}
	var errs []error
	for i := range p.Ops {
		op := &p.Ops[i]
		if op.Kind != provision.Create {
			continue
		}
		obj := r.objectOf(op)
		if first, dup := r.createdIDs[op.Target]; dup {
			errs = append(errs, fmt.Errorf("create %s %s: bulkId %q is already the id of a created %s", op.Object, op.Key, op.Target, first.typ))
			continue
		}
		r.created[obj] = true
		r.createdIDs[op.Target] = obj
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("scim: %w", errors.Join(errs...))
	}
	return r, nil
}

// objectType is the target object type of an operation: Op.Object, or
// the only rule's for a plan without object types (version 1).
func (r *renderer) objectType(op *provision.Op) string {
	if op.Object == "" {
		if rule := r.rule(""); rule != nil {
			return rule.TargetObjectName()
		}
	}
	return op.Object
}

// objectOf identifies the object an operation acts on.
func (r *renderer) objectOf(op *provision.Op) object {
	return object{strings.ToLower(r.objectType(op)), op.Target}
}

// request renders operation index of the plan (op may be a copy with
// changes of its own).
func (r *renderer) request(op *provision.Op, index int) (Request, error) {
	rule := r.rule(op.Object)
	fail := func(err error) (Request, error) {
		return Request{}, fmt.Errorf("%s %s %s: %w", op.Kind, op.Object, op.Key, err)
	}
	obj := r.objectType(op)
	if obj == "" {
		return fail(errors.New("the operation has no object type (pass the rule)"))
	}
	if op.Target == "" {
		return fail(errors.New("the operation has no target id"))
	}
	req := Request{Op: index, Type: obj, Source: op.Key}
	endpoint := endpointOf(obj)
	switch op.Kind {
	case provision.Create:
		body, err := r.resource(obj, rule, op.Changes)
		if err != nil {
			return fail(err)
		}
		req.Method, req.Path, req.Body, req.BulkID = "POST", endpoint, body, op.Target
	case provision.Update, provision.Disable:
		body, err := r.patch(rule, op.Changes)
		if err != nil {
			return fail(err)
		}
		req.Method, req.Path, req.Body = "PATCH", endpoint+"/"+r.resourceID(obj, op.Target), body
	case provision.Delete:
		req.Method, req.Path = "DELETE", endpoint+"/"+r.resourceID(obj, op.Target)
	case provision.Skip:
		return fail(errors.New("skip in Plan.Ops"))
	default:
		panic("scim: unknown OpKind " + strconv.Itoa(int(op.Kind)))
	}
	return req, nil
}

// rule returns the rule for a target object type, nil when there is none.
// A plan without object types (version 1) uses the only rule.
func (r *renderer) rule(object string) *mapping.CompiledObjectMapping {
	for _, rule := range r.rules {
		if rule != nil && strings.EqualFold(rule.TargetObjectName(), object) {
			return rule
		}
	}
	if object == "" && len(r.rules) == 1 {
		return r.rules[0]
	}
	return nil
}

// endpointOf returns the resource type endpoint of an object type.
func endpointOf(object string) string {
	switch {
	case strings.EqualFold(object, "User"):
		return "/Users"
	case strings.EqualFold(object, "Group"):
		return "/Groups"
	}
	return "/" + url.PathEscape(object) + "s"
}

// scimSchemaName returns the core schema's resource name of an object type.
func scimSchemaName(object string) string {
	switch {
	case strings.EqualFold(object, "User"):
		return "User"
	case strings.EqualFold(object, "Group"):
		return "Group"
	}
	return object
}

// resourceID is the id of an object in a path: bulkId:<id> for an object
// the plan creates.
func (r *renderer) resourceID(typ, id string) string {
	if r.created[object{strings.ToLower(typ), id}] {
		return bulkIDPrefix + url.PathEscape(id)
	}
	return url.PathEscape(id)
}

// refObjects returns the objects a reference value may point to, among
// those the plan creates. c.Ref lists the referenced object types,
// separated by commas ("User,Group" for members); without it any created
// object with that id.
func (r *renderer) refObjects(c *provision.AttrChange, id string) []object {
	if c.Ref == "" {
		if o, ok := r.createdIDs[id]; ok {
			return []object{o}
		}
		return nil
	}
	var out []object
	for typ := range strings.SplitSeq(c.Ref, ",") {
		if o := (object{strings.ToLower(strings.TrimSpace(typ)), id}); r.created[o] {
			out = append(out, o)
		}
	}
	return out
}

// refValue is a reference value: bulkId:<id> when it points to an object
// the plan creates.
func (r *renderer) refValue(c *provision.AttrChange, id string) string {
	if len(r.refObjects(c, id)) > 0 {
		return bulkIDPrefix + id
	}
	return id
}

// scimAttr is a target attribute name split as a SCIM attribute path
// (RFC 7644 §3.10, §3.5.2): an optional extension schema URN, the
// attribute, an optional value filter of the form `name eq value`, and an
// optional sub-attribute.
type scimAttr struct {
	schema            string // extension URN, empty for the core schema
	attr              string
	filterAttr        string
	filterValue       any // string or bool
	sub               string
	hasFilter, hasSub bool
}

// parseSCIMAttr splits a target attribute name. It never fails: a name it
// cannot read as a filtered path is taken as a plain attribute.
func parseSCIMAttr(name string) scimAttr {
	var a scimAttr
	rest := name
	if strings.HasPrefix(strings.ToLower(name), "urn:") {
		// The attribute follows the URN's last colon before any filter.
		end := len(name)
		if i := strings.IndexByte(name, '['); i >= 0 {
			end = i
		}
		if i := strings.LastIndexByte(name[:end], ':'); i > 0 {
			a.schema, rest = name[:i], name[i+1:]
		}
	}
	open := strings.IndexByte(rest, '[')
	end := strings.LastIndexByte(rest, ']')
	if open > 0 && end > open {
		if fa, fv, ok := parseSCIMFilter(rest[open+1 : end]); ok {
			a.attr, a.filterAttr, a.filterValue, a.hasFilter = rest[:open], fa, fv, true
			tail := rest[end+1:]
			if strings.HasPrefix(tail, ".") && len(tail) > 1 {
				a.sub, a.hasSub = tail[1:], true
			} else if tail != "" {
				return scimAttr{schema: a.schema, attr: rest}
			}
			return a
		}
	}
	if i := strings.IndexByte(rest, '.'); i > 0 && i < len(rest)-1 && open < 0 {
		a.attr, a.sub, a.hasSub = rest[:i], rest[i+1:], true
		return a
	}
	a.attr = rest
	return a
}

// parseSCIMFilter reads the filter of a value path, `type eq "work"` or
// `primary eq "True"`. A primary filter, and an unquoted true or false,
// give a boolean, as Entra's requests carry "primary": true.
func parseSCIMFilter(f string) (string, any, bool) {
	fields := strings.SplitN(strings.TrimSpace(f), " ", 3)
	if len(fields) != 3 || !strings.EqualFold(fields[1], "eq") {
		return "", nil, false
	}
	attr, lit := fields[0], strings.TrimSpace(fields[2])
	var s string
	switch {
	case strings.EqualFold(lit, "true") || strings.EqualFold(lit, "false"):
		return attr, strings.EqualFold(lit, "true"), true
	case len(lit) >= 2 && lit[0] == '"' && lit[len(lit)-1] == '"':
		if err := json.Unmarshal([]byte(lit), &s); err != nil {
			return "", nil, false
		}
	default:
		return "", nil, false
	}
	if strings.EqualFold(attr, "primary") {
		if b, err := strconv.ParseBool(strings.ToLower(s)); err == nil {
			return attr, b, true
		}
	}
	return attr, s, true
}

// parent is the path of the attribute holding a filtered value, with its
// schema: "emails", "urn:...:User:emails".
func (a scimAttr) parent() string {
	if a.schema != "" {
		return a.schema + ":" + a.attr
	}
	return a.attr
}

// String writes the path as a PATCH path: the filter's literal typed
// (primary eq true, not "True"), strings quoted as JSON.
func (a scimAttr) String() string {
	var b strings.Builder
	b.WriteString(a.parent())
	if a.hasFilter {
		b.WriteString("[" + a.filterAttr + " eq ")
		switch v := a.filterValue.(type) {
		case bool:
			b.WriteString(strconv.FormatBool(v))
		case string:
			b.Write(mustMarshalSCIM(v))
		}
		b.WriteString("]")
	}
	if a.hasSub {
		b.WriteString("." + a.sub)
	}
	return b.String()
}

// element is the multi-valued element a filtered path denotes, holding v.
func (a scimAttr) element(v any) map[string]any {
	sub := "value"
	if a.hasSub {
		sub = a.sub
	}
	return map[string]any{a.filterAttr: a.filterValue, sub: v}
}

// complexMultiValued lists the multi-valued attributes RFC 7643 defines
// as complex (§4.1.2, §4.2; lower case): their values are objects with a
// "value" sub-attribute, never bare strings.
var complexMultiValued = map[string]bool{
	"emails": true, "phonenumbers": true, "ims": true, "photos": true, "addresses": true,
	"groups": true, "entitlements": true, "roles": true, "x509certificates": true, "members": true,
}

// attrInfo is what the target schema says about the attribute of a
// change.
type attrInfo struct {
	path scimAttr
	def  *mapping.AttributeDefinition
	// ref: the values are references, written {"value": id}.
	ref bool
	// multi: the attribute holds a list (a filtered path never does: it
	// names one element's sub-attribute).
	multi bool
	// complex: the list's values are objects, each value v written
	// {"value": v}.
	complex bool
}

// info looks up the attribute of change c: its definition in the rule's
// target schema, RFC 7643's definition of the core attributes, and the
// paths the rule maps (a rule that maps roles[primary eq "True"].value
// makes roles complex).
func (r *renderer) info(rule *mapping.CompiledObjectMapping, c *provision.AttrChange) attrInfo {
	a := attrInfo{path: parseSCIMAttr(c.Name)}
	if rule != nil {
		a.def = rule.TargetDefinition(c.Name)
	}
	a.ref = c.Ref != "" || a.def != nil && a.def.Type == mapping.TypeReference
	if a.path.hasFilter || a.path.hasSub {
		return a
	}
	a.multi = a.def != nil && a.def.Multivalued || c.IsSet()
	if v := c.New; v != nil {
		if _, ok := v.(expr.Multi); ok {
			a.multi = true
		}
	}
	if a.path.schema == "" && complexMultiValued[strings.ToLower(a.path.attr)] {
		a.multi, a.complex = true, true
	}
	if rule != nil && !a.complex {
		for _, m := range rule.Attributes() {
			if p := parseSCIMAttr(m.Target); p.hasFilter && strings.EqualFold(p.parent(), a.path.parent()) {
				a.multi, a.complex = true, true
				break
			}
		}
	}
	if a.ref {
		a.complex = true
	}
	return a
}

// resource renders the body of a POST.
func (r *renderer) resource(typ string, rule *mapping.CompiledObjectMapping, changes []provision.AttrChange) (json.RawMessage, error) {
	core := map[string]any{}
	ext := map[string]map[string]any{}
	var errs []error
	for i := range changes {
		c := &changes[i]
		if c.IsSet() {
			errs = append(errs, fmt.Errorf("%s: a set change in a create", c.Name))
			continue
		}
		if c.New == nil || expr.IsNull(c.New) {
			continue
		}
		a := r.info(rule, c)
		v, err := r.value(a, c, c.New)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		dst := core
		if a.path.schema != "" {
			if ext[a.path.schema] == nil {
				ext[a.path.schema] = map[string]any{}
			}
			dst = ext[a.path.schema]
		}
		if err := setSCIMAttr(dst, a.path, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	schemas := []string{coreSchema + scimSchemaName(typ)}
	obj := orderedObject{{"schemas", &schemas}}
	for _, k := range sortedKeys(core) {
		obj = append(obj, orderedMember{k, core[k]})
	}
	for _, urn := range sortedKeys(ext) {
		schemas = append(schemas, urn)
		obj = append(obj, orderedMember{urn, ext[urn]})
	}
	return marshalSCIM(obj)
}

// setSCIMAttr writes v at the path a into the resource (or extension)
// object dst.
func setSCIMAttr(dst map[string]any, a scimAttr, v any) error {
	switch {
	case a.hasFilter:
		list, _ := dst[a.attr].([]any)
		if _, ok := dst[a.attr]; ok && list == nil {
			return fmt.Errorf("%s is both a value and a list", a.attr)
		}
		sub := "value"
		if a.hasSub {
			sub = a.sub
		}
		for _, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				return fmt.Errorf("%s holds values that are not objects", a.attr)
			}
			if m[a.filterAttr] == a.filterValue {
				m[sub] = v
				return nil
			}
		}
		dst[a.attr] = append(list, a.element(v))
	case a.hasSub:
		m, _ := dst[a.attr].(map[string]any)
		if m == nil {
			if _, ok := dst[a.attr]; ok {
				return fmt.Errorf("%s is both a value and an object", a.attr)
			}
			m = map[string]any{}
			dst[a.attr] = m
		}
		m[a.sub] = v
	default:
		if _, ok := dst[a.attr]; ok {
			return fmt.Errorf("%s is written twice", a.attr)
		}
		dst[a.attr] = v
	}
	return nil
}

// patchOp is one operation of a PatchOp message (RFC 7644 §3.5.2).
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// patchMessage is the body of a PATCH.
type patchMessage struct {
	Schemas    []string  `json:"schemas"`
	Operations []patchOp `json:"Operations"`
}

// patch renders the body of a PATCH.
func (r *renderer) patch(rule *mapping.CompiledObjectMapping, changes []provision.AttrChange) (json.RawMessage, error) {
	if len(changes) == 0 {
		return nil, errors.New("no changes to send")
	}
	msg := patchMessage{Schemas: []string{patchOpSchema}}
	var errs []error
	for i := range changes {
		c := &changes[i]
		ops, err := r.patchOps(r.info(rule, c), c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		msg.Operations = append(msg.Operations, ops...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return marshalSCIM(msg)
}

// patchOps renders one change as PATCH operations.
func (r *renderer) patchOps(a attrInfo, c *provision.AttrChange) ([]patchOp, error) {
	path := a.path.String()
	if c.IsSet() {
		if c.Redacted && (slices.Contains(c.Add, redactedText) || slices.Contains(c.Remove, redactedText)) {
			return nil, redactedError(c.Name)
		}
		a.multi = true
		var ops []patchOp
		for _, set := range []struct {
			op     string
			values []string
		}{{"add", c.Add}, {"remove", c.Remove}} {
			if len(set.values) == 0 {
				continue
			}
			v, err := r.value(a, c, expr.Multi(set.values))
			if err != nil {
				return nil, err
			}
			ops = append(ops, patchOp{Op: set.op, Path: path, Value: v})
		}
		return ops, nil
	}
	switch {
	case c.New == nil || expr.IsNull(c.New):
		return []patchOp{{Op: "remove", Path: path}}, nil
	case c.Old == nil || expr.IsNull(c.Old):
		v, err := r.value(a, c, c.New)
		if err != nil {
			return nil, err
		}
		return []patchOp{{Op: "add", Path: path, Value: v}}, nil
	}
	v, err := r.value(a, c, c.New)
	if err != nil {
		return nil, err
	}
	return []patchOp{{Op: "replace", Path: path, Value: v}}, nil
}

func redactedError(name string) error {
	return fmt.Errorf("%s: the value is redacted and the plan holds only %s (render the plan Diff returned, not one read from JSON)", name, redactedText)
}

// value renders a non-null value v of change c as its target attribute's
// type.
func (r *renderer) value(a attrInfo, c *provision.AttrChange, v expr.Value) (any, error) {
	v, _ = expr.Unwrap(v)
	def := a.def
	if c.Redacted {
		if s, ok := v.(expr.String); ok && s == redactedText {
			return nil, redactedError(c.Name)
		}
		if m, ok := v.(expr.Multi); ok && slices.Contains(m, redactedText) {
			return nil, redactedError(c.Name)
		}
	}
	one := func(v expr.Value) (any, error) {
		switch {
		case a.ref:
			return map[string]any{"value": r.refValue(c, expr.Render(v))}, nil
		case def != nil && (def.Type == mapping.TypeBoolean || def.Type == mapping.TypeInteger):
			// The conversion every mapping's value went through
			// already; a plan read back from JSON, or older plans
			// holding "True", go through it here.
			cv, err := def.Convert(v)
			if err != nil {
				return nil, err // it names the attribute
			}
			switch cv := cv.(type) {
			case expr.Bool:
				return bool(cv), nil
			case expr.Number:
				return cv.Int64(), nil
			}
			return nil, fmt.Errorf("%s: %s is not a %s", c.Name, expr.Display(cv), def.Type)
		}
		// No definition, or a String, DateTime or Binary attribute.
		switch v := v.(type) {
		case expr.DateTime:
			// SCIM dateTime is an xsd:dateTime (RFC 7643 §2.3.5), not the
			// M/d/yyyy rendering of expressions.
			return v.Time().Format(time.RFC3339), nil
		case expr.Bool:
			if def == nil {
				return bool(v), nil
			}
		case expr.Number:
			if def == nil {
				return json.Number(v.String()), nil
			}
		}
		s := expr.Render(v)
		if err := checkBulkText(c.Name, s); err != nil {
			return nil, err
		}
		return s, nil
	}
	item := func(v expr.Value) (any, error) {
		x, err := one(v)
		if err != nil || !a.complex || a.ref {
			return x, err
		}
		return map[string]any{"value": x}, nil
	}
	if _, isMulti := v.(expr.Multi); !a.multi && !isMulti {
		return one(v)
	}
	items := expr.Strings(v)
	out := make([]any, 0, len(items))
	for _, s := range items {
		x, err := item(expr.String(s))
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// orderedObject is a JSON object whose members keep their order; nested
// maps are written by encoding/json, which sorts their keys.
type orderedObject []orderedMember

type orderedMember struct {
	name  string
	value any
}

// MarshalJSON implements json.Marshaler.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalSCIM(m.name)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalSCIM(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalSCIM encodes v without HTML escaping (SCIM values are data, and
// the output is meant to be read and sent as it is), without the final
// newline.
func marshalSCIM(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// mustMarshalSCIM encodes a string as a JSON string literal.
func mustMarshalSCIM(s string) []byte {
	b, err := marshalSCIM(s)
	if err != nil {
		panic(err) // a string always encodes
	}
	return b
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
