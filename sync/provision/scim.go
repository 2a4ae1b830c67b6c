package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// The SCIM message and schema URNs (RFC 7643 §8.7, RFC 7644 §3.5.2, §3.7).
const (
	scimBulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	scimPatchOp     = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	scimCoreSchema  = "urn:ietf:params:scim:schemas:core:2.0:"
	bulkIDPrefix    = "bulkId:"
	redactedText    = "[Redact]"
)

// SCIMBulk is a plan rendered as SCIM 2.0 requests: the body of an
// RFC 7644 §3.7 bulk request, one operation per plan operation, in plan
// order (creates, updates with the follow-ups, disables, deletes). Its
// JSON form is
//
//	{"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
//	 "Operations": [{"method": ..., "bulkId": ..., "path": ..., "data": ...}, ...]}
//
// The requests can also be sent one by one (see SCIMRequest).
type SCIMBulk struct {
	Operations []SCIMRequest
}

// SCIMRequest is one SCIM request: an operation of a bulk request, or on
// its own the HTTP request Method Path with body Data, relative to the
// target's SCIM base URL.
//
// A request on an object the same plan creates names it by the RFC 7644
// §3.7.2 form "bulkId:<id>", in Path ("/Users/bulkId:u1") and in reference
// values ({"value": "bulkId:u1"}). Sent one by one, those must be
// replaced by the id the target answered the create with.
type SCIMRequest struct {
	// Method is POST (create), PATCH (update, disable) or DELETE.
	Method string `json:"method"`
	// BulkID is, for POST only, the id the plan gave the new object
	// (Op.Target), which later requests refer to.
	BulkID string `json:"bulkId,omitempty"`
	// Path is the resource type endpoint ("/Users") for POST and the
	// resource ("/Users/t-1") otherwise.
	Path string `json:"path"`
	// Data is the request body: the resource for POST, a PatchOp message
	// for PATCH, nil for DELETE. It is compact JSON with a fixed member
	// order.
	Data json.RawMessage `json:"data,omitempty"`
}

// scimBulkJSON fixes the member order of a bulk request.
type scimBulkJSON struct {
	Schemas    []string      `json:"schemas"`
	Operations []SCIMRequest `json:"Operations"`
}

// MarshalJSON writes the RFC 7644 §3.7 BulkRequest, compact and without
// HTML escaping.
func (b *SCIMBulk) MarshalJSON() ([]byte, error) {
	ops := b.Operations
	if ops == nil {
		ops = []SCIMRequest{}
	}
	return marshalSCIM(scimBulkJSON{Schemas: []string{scimBulkRequest}, Operations: ops})
}

// WriteJSON writes the bulk request indented by two spaces, with a final
// newline and without HTML escaping. The same plan gives the same bytes.
func (b *SCIMBulk) WriteJSON(w io.Writer) error {
	data, err := b.MarshalJSON()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// SCIM renders the plan's operations as the SCIM 2.0 requests (RFC 7643,
// RFC 7644) a target would receive, one per operation and in plan order.
// Skipped actions, held deletions and errors are not rendered. rules give
// the target attribute definitions (for each operation, the rule whose
// target object name equals Op.Object, ignoring case); without one, a
// value keeps its own kind: plan strings, including "True" and "False",
// stay strings.
//
// Create is POST to the type's endpoint ("/Users", "/Groups", otherwise
// the object name plus "s") with bulkId the id the plan gave the object.
// The attribute paths Entra's SCIM connector uses are expanded into the
// resource: "name.givenName" into {"name": {"givenName": ...}},
// `emails[type eq "work"].value` into "emails": [{"type": "work",
// "value": ...}] (only what the path says: no "primary" is added, as in
// the phoneNumbers example of Entra's attribute-mapping guide), and
// "urn:...:User:department" into the extension's object. "schemas" comes
// first and lists the core schema (core:2.0:User, core:2.0:Group) and each
// extension used; then the core attributes, then the extensions, each
// sorted by name, as are the members of nested objects.
//
// Update and Disable are PATCH to the resource with a PatchOp message,
// one operation per change in change order: "add" when the old value is
// null ("add" to the parent attribute with the whole element when the path
// has a value filter, since RFC 7644 §3.5.2.3 makes a replace whose
// filter matches nothing fail with noTarget), "remove" of the path when
// the new value is null, "replace" otherwise. A set change adds its values
// in one "add" and removes each with a value filter,
// members[value eq "id"]. Delete is DELETE of the resource.
//
// Values follow the definition's type: Boolean as JSON true/false,
// Integer as a number, a date-time value as RFC 3339 text, Reference as {"value": id} (or a list of them for a
// multi-valued attribute such as members), multi-valued as an array. The
// manager is {"value": id} in PATCH too, as RFC 7643 §4.3 defines it;
// Entra sends the bare id string instead, a known deviation that Microsoft
// confirmed on Microsoft Q&A ("SCIM user provisioning setup with manager
// attribute").
//
// Objects created in the same plan are referred to as "bulkId:<id>". RFC
// 7644 §3.7.2 defines that form for reference values in data ("bulkId"
// attribute values prepended with "bulkId:", which the service provider
// replaces with the new resource's id). It shows no example in an
// operation's path, but §3.7 describes the bulkId as a surrogate resource
// id "to cross-reference new resources in and across operations", and RFC
// 7643 §3.1 reserves "bulkId" so that no real id can contain it; so a
// follow-up update of a created object uses the path "/Users/bulkId:<id>",
// as SCIM servers that support bulk references accept. A target that does
// not, needs the follow-up sent after the create with the id substituted.
//
// Redacted values are rendered as they are, since these are the requests
// to send: treat the output as a secret when the mapping redacts
// passwords. A plan read back from JSON holds only the [Redact]
// placeholder; SCIM then returns an error naming the attributes rather
// than send the placeholder. Other errors: two creates with the same id
// (the bulkIds would clash), a value that does not fit a Boolean or
// Integer attribute, an update without changes.
func (p *Plan) SCIM(rules ...*mapping.CompiledObjectMapping) (*SCIMBulk, error) {
	r := scimRenderer{rules: rules, created: map[scimObject]bool{}, createdIDs: map[string]scimObject{}}
	var errs []error
	for i := range p.Ops {
		op := &p.Ops[i]
		if op.Kind != Create {
			continue
		}
		obj := scimObject{strings.ToLower(op.Object), op.Target}
		if first, dup := r.createdIDs[op.Target]; dup {
			errs = append(errs, fmt.Errorf("create %s %s: bulkId %q is already the id of a created %s", op.Object, op.Key, op.Target, first.typ))
			continue
		}
		r.created[obj] = true
		r.createdIDs[op.Target] = obj
	}
	b := &SCIMBulk{Operations: make([]SCIMRequest, 0, len(p.Ops))}
	for i := range p.Ops {
		req, err := r.request(&p.Ops[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b.Operations = append(b.Operations, req)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("scim: %w", errors.Join(errs...))
	}
	return b, nil
}

// scimObject identifies an object of the plan: its target object type
// (lower case) and target id.
type scimObject struct{ typ, id string }

// scimRenderer holds what rendering one operation needs from the others.
type scimRenderer struct {
	rules []*mapping.CompiledObjectMapping
	// created holds the objects the plan creates; createdIDs maps their
	// ids, which are the bulkIds, back to them.
	created    map[scimObject]bool
	createdIDs map[string]scimObject
}

// request renders one operation.
func (r *scimRenderer) request(op *Op) (SCIMRequest, error) {
	rule := r.rule(op.Object)
	fail := func(err error) (SCIMRequest, error) {
		return SCIMRequest{}, fmt.Errorf("%s %s %s: %w", op.Kind, op.Object, op.Key, err)
	}
	if op.Object == "" && rule == nil {
		return fail(errors.New("the operation has no object type (pass the rule)"))
	}
	object := op.Object
	if object == "" {
		object = rule.TargetObjectName()
	}
	if op.Target == "" {
		return fail(errors.New("the operation has no target id"))
	}
	endpoint := scimEndpoint(object)
	switch op.Kind {
	case Create:
		data, err := r.resource(object, rule, op.Changes)
		if err != nil {
			return fail(err)
		}
		return SCIMRequest{Method: "POST", BulkID: op.Target, Path: endpoint, Data: data}, nil
	case Update, Disable:
		data, err := r.patch(rule, op.Changes)
		if err != nil {
			return fail(err)
		}
		return SCIMRequest{Method: "PATCH", Path: endpoint + "/" + r.resourceID(object, op.Target), Data: data}, nil
	case Delete:
		return SCIMRequest{Method: "DELETE", Path: endpoint + "/" + r.resourceID(object, op.Target)}, nil
	case Skip:
		return fail(errors.New("skip in Plan.Ops"))
	}
	panic("sync: unknown OpKind " + strconv.Itoa(int(op.Kind)))
}

// rule returns the rule for a target object type, nil when there is none.
// A plan without object types (version 1) uses the only rule.
func (r *scimRenderer) rule(object string) *mapping.CompiledObjectMapping {
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

// scimEndpoint returns the resource type endpoint of an object type.
func scimEndpoint(object string) string {
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
func (r *scimRenderer) resourceID(object, id string) string {
	if r.created[scimObject{strings.ToLower(object), id}] {
		return bulkIDPrefix + url.PathEscape(id)
	}
	return url.PathEscape(id)
}

// refValue is a reference value: bulkId:<id> when it points to an object
// the plan creates. ref is AttrChange.Ref: the referenced object types,
// separated by commas ("User,Group" for members), or empty when unknown.
func (r *scimRenderer) refValue(ref, id string) string {
	if ref == "" {
		if _, ok := r.createdIDs[id]; ok {
			return bulkIDPrefix + id
		}
		return id
	}
	for typ := range strings.SplitSeq(ref, ",") {
		if r.created[scimObject{strings.ToLower(strings.TrimSpace(typ)), id}] {
			return bulkIDPrefix + id
		}
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

// element is the multi-valued element a filtered path denotes, holding v.
func (a scimAttr) element(v any) map[string]any {
	sub := "value"
	if a.hasSub {
		sub = a.sub
	}
	return map[string]any{a.filterAttr: a.filterValue, sub: v}
}

// resource renders the body of a POST.
func (r *scimRenderer) resource(object string, rule *mapping.CompiledObjectMapping, changes []AttrChange) (json.RawMessage, error) {
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
		v, err := r.value(rule, c, c.New)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a := parseSCIMAttr(c.Name)
		dst := core
		if a.schema != "" {
			if ext[a.schema] == nil {
				ext[a.schema] = map[string]any{}
			}
			dst = ext[a.schema]
		}
		if err := setSCIMAttr(dst, a, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	schemas := []string{scimCoreSchema + scimSchemaName(object)}
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
func (r *scimRenderer) patch(rule *mapping.CompiledObjectMapping, changes []AttrChange) (json.RawMessage, error) {
	if len(changes) == 0 {
		return nil, errors.New("no changes to send")
	}
	msg := patchMessage{Schemas: []string{scimPatchOp}}
	var errs []error
	for i := range changes {
		c := &changes[i]
		ops, err := r.patchOps(rule, c)
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
func (r *scimRenderer) patchOps(rule *mapping.CompiledObjectMapping, c *AttrChange) ([]patchOp, error) {
	if c.IsSet() {
		if c.Redacted && (slices.Contains(c.Add, redactedText) || slices.Contains(c.Remove, redactedText)) {
			return nil, redactedError(c.Name)
		}
		var ops []patchOp
		if len(c.Add) > 0 {
			v, err := r.value(rule, c, expr.Multi(c.Add))
			if err != nil {
				return nil, err
			}
			if _, isList := v.([]any); !isList {
				v = []any{v}
			}
			ops = append(ops, patchOp{Op: "add", Path: c.Name, Value: v})
		}
		for _, id := range c.Remove {
			ops = append(ops, patchOp{Op: "remove", Path: c.Name + "[value eq " + string(mustMarshalSCIM(id)) + "]"})
		}
		return ops, nil
	}
	switch {
	case c.New == nil || expr.IsNull(c.New):
		return []patchOp{{Op: "remove", Path: c.Name}}, nil
	case c.Old == nil || expr.IsNull(c.Old):
		v, err := r.value(rule, c, c.New)
		if err != nil {
			return nil, err
		}
		if a := parseSCIMAttr(c.Name); a.hasFilter {
			return []patchOp{{Op: "add", Path: a.parent(), Value: []any{a.element(v)}}}, nil
		}
		return []patchOp{{Op: "add", Path: c.Name, Value: v}}, nil
	}
	v, err := r.value(rule, c, c.New)
	if err != nil {
		return nil, err
	}
	return []patchOp{{Op: "replace", Path: c.Name, Value: v}}, nil
}

func redactedError(name string) error {
	return fmt.Errorf("%s: the value is redacted and the plan holds only %s (render the plan Diff returned, not one read from JSON)", name, redactedText)
}

// value renders a non-null value of change c as its target attribute's
// type.
func (r *scimRenderer) value(rule *mapping.CompiledObjectMapping, c *AttrChange, v expr.Value) (any, error) {
	v, _ = expr.Unwrap(v)
	var def *mapping.AttributeDefinition
	if rule != nil {
		def = rule.TargetDefinition(c.Name)
	}
	if c.Redacted {
		if s, ok := v.(expr.String); ok && s == redactedText {
			return nil, redactedError(c.Name)
		}
		if m, ok := v.(expr.Multi); ok && slices.Contains(m, redactedText) {
			return nil, redactedError(c.Name)
		}
	}
	multi := def != nil && def.Multivalued
	if _, ok := v.(expr.Multi); ok {
		multi = true
	}
	isRef := c.Ref != "" || def != nil && def.Type == mapping.TypeReference
	one := func(v expr.Value) (any, error) {
		switch {
		case isRef:
			return map[string]any{"value": r.refValue(c.Ref, expr.Render(v))}, nil
		case def != nil && def.Type == mapping.TypeBoolean:
			if b, ok := v.(expr.Bool); ok {
				return bool(b), nil
			}
			b, err := strconv.ParseBool(strings.ToLower(expr.Render(v)))
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not a Boolean (expected True or False)", c.Name, expr.Render(v))
			}
			return b, nil
		case def != nil && def.Type == mapping.TypeInteger:
			if n, ok := v.(expr.Number); ok && n.IsInt() {
				return n.Int64(), nil
			}
			n, err := strconv.ParseInt(strings.TrimSpace(expr.Render(v)), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not an Integer", c.Name, expr.Render(v))
			}
			return n, nil
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
		return expr.Render(v), nil
	}
	if !multi {
		return one(v)
	}
	items := expr.Strings(v)
	out := make([]any, 0, len(items))
	for _, s := range items {
		x, err := one(expr.String(s))
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
