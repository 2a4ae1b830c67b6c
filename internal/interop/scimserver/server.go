// Package scimserver is an in-memory SCIM 2.0 service provider for tests,
// built on github.com/elimity-com/scim, an independent Go SCIM server
// library: it parses and validates every request (the resource against
// RFC 7643's User, Group and enterprise schemas, attribute types, PATCH
// paths and filters, with its own filter parser and evaluator) before the
// in-memory handlers here store it. Use it behind net/http/httptest:
//
//	srv, err := scimserver.New(rules, target) // target: a provision.Snapshot of the target, or nil
//	ts := httptest.NewServer(srv)
//	defer ts.Close()
//	// POST ts.URL+"/Users", PATCH ts.URL+"/Users/<id>", GET, DELETE ...
//	res, ok := srv.Resource("User", id)         // or GET it over SCIM
//	flat, err := scimserver.Flatten(res, names) // back to Entra's attribute names
//
// # Behaviour
//
// Endpoints: /Users and /Groups (POST, GET, GET with a filter, PUT,
// PATCH, DELETE), plus the library's /Schemas, /ResourceTypes and
// /ServiceProviderConfig. /Bulk is not supported, as by many real servers
// (the library has none). Ids are assigned by the server: "scim-1",
// "scim-2", ... in order of creation, never the client's. A User's
// userName is unique ignoring case (409 uniqueness on a clash; the
// pre-loaded snapshot is taken as it is). Values are
// strict: "True" is not a Boolean, ["Engineer"] is not a list of roles.
//
// PATCH follows RFC 7644 §3.5.2: add appends to a multi-valued attribute
// (a value already there is not added twice), sets a simple one and merges
// the sub-attributes of a complex one; replace sets the value; remove
// deletes the attribute, or with a "value" the listed values of a
// multi-valued attribute (complex values compared by their "value"
// sub-attribute). A path with a value filter (emails[type eq
// "work"].value) acts on every matching value; a replace whose filter
// matches nothing fails with 400 noTarget, while an add creates the value,
// holding the filter's attribute (type "work") when the filter is a single
// eq comparison, as Microsoft's reference SCIM implementation does.
//
// The schemas are the library's RFC 7643 User (with the enterprise
// extension) and Group schemas, extended by New with the attributes the
// rules' target definitions name that RFC 7643 does not define (such as
// proxyAddresses, or a custom extension's attributes), typed as the
// definitions say.
package scimserver

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
	scimrender "github.com/attrmap/attrmap/sync/scim"
)

// EnterpriseUser is the URN of RFC 7643's enterprise User extension.
const EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

// Server is an in-memory SCIM service provider. It is safe for concurrent
// use.
type Server struct {
	http  scim.Server
	mu    sync.Mutex
	next  int
	types map[string]*store // by lower-case type name: "user", "group"
	// preset is, while New pre-loads a snapshot, the id Create gives.
	preset string
}

// store holds the resources of one type.
type store struct {
	name      string // "User"
	rt        scim.ResourceType
	resources map[string]scim.ResourceAttributes
	order     []string // ids in order of creation
}

// New returns a server for the object types of rules (User and Group;
// another target object name is an error), pre-loaded with the objects of
// target when it is not nil: each under its own id, as the resource the
// plan's POST would create from its attributes (so a snapshot with
// `emails[type eq "work"].value` holds a work email). An object the
// library's validation refuses is an error naming it.
func New(rules []*mapping.CompiledObjectMapping, target *provision.Snapshot) (*Server, error) {
	s := &Server{types: map[string]*store{}}
	var rts []scim.ResourceType
	for _, name := range []string{"User", "Group"} {
		st := &store{name: name, resources: map[string]scim.ResourceAttributes{}}
		var core schema.Schema
		var exts []schema.Schema
		if name == "User" {
			core, exts = schema.CoreUserSchema(), []schema.Schema{schema.ExtensionEnterpriseUser()}
		} else {
			core = schema.CoreGroupSchema()
		}
		core, exts, err := extend(core, exts, definitions(rules, target, name))
		if err != nil {
			return nil, err
		}
		st.rt = scim.ResourceType{
			ID:       optional.NewString(name),
			Name:     name,
			Endpoint: "/" + name + "s",
			Schema:   core,
			Handler:  handler{s, st},
		}
		for _, e := range exts {
			st.rt.SchemaExtensions = append(st.rt.SchemaExtensions, scim.SchemaExtension{Schema: e})
		}
		s.types[strings.ToLower(name)] = st
		rts = append(rts, st.rt)
	}
	for _, r := range rules {
		if r != nil && s.types[strings.ToLower(r.TargetObjectName())] == nil {
			return nil, fmt.Errorf("scimserver: target object %q: only User and Group are served", r.TargetObjectName())
		}
	}
	srv, err := scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{SupportFiltering: true, SupportPatch: true, MaxResults: 1000},
		ResourceTypes:         rts,
	})
	if err != nil {
		return nil, err
	}
	s.http = srv
	if target != nil {
		if err := s.load(rules, target); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ServeHTTP serves the SCIM endpoints, relative to the server's root.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.http.ServeHTTP(w, r) }

// Resource returns a copy of the stored attributes of a resource (type
// "User" or "Group", ignoring case), without id, schemas and meta.
func (s *Server) Resource(typ, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.types[strings.ToLower(typ)]
	if st == nil {
		return nil, false
	}
	res, ok := st.resources[id]
	if !ok {
		return nil, false
	}
	return deepCopy(map[string]any(res)).(map[string]any), true
}

// IDs returns the ids of the resources of a type, in order of creation
// (pre-loaded ones first).
func (s *Server) IDs(typ string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.types[strings.ToLower(typ)]
	if st == nil {
		return nil
	}
	var out []string
	for _, id := range st.order {
		if _, ok := st.resources[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

// load pre-loads the objects of a target snapshot, each under its own id.
func (s *Server) load(rules []*mapping.CompiledObjectMapping, target *provision.Snapshot) error {
	plan := &provision.Plan{}
	for i := range target.Objects {
		o := &target.Objects[i]
		typ := o.Type
		if typ == "" && len(rules) > 0 {
			typ = rules[0].TargetObjectName()
		}
		op := provision.Op{Kind: provision.Create, Object: typ, Key: o.ID, Target: o.ID}
		for j, name := range target.Attributes {
			if j < len(o.Values) && o.Values[j] != nil {
				op.Changes = append(op.Changes, provision.AttrChange{Name: name, New: o.Values[j], Ref: refOf(rules, typ, name)})
			}
		}
		slices.SortFunc(op.Changes, func(a, b provision.AttrChange) int { return strings.Compare(a.Name, b.Name) })
		plan.Ops = append(plan.Ops, op)
	}
	reqs, err := scimrender.Requests(plan, rules...)
	if err != nil {
		return fmt.Errorf("scimserver: target: %w", err)
	}
	// A reference to another object of the snapshot is its id as it is.
	same := map[string]string{}
	for i := range target.Objects {
		same[target.Objects[i].ID] = target.Objects[i].ID
	}
	for _, r := range reqs {
		r, err := r.Resolve(same)
		if err != nil {
			return fmt.Errorf("scimserver: target object %s: %w", r.Source, err)
		}
		// Through the library, as a client's request, so that it validates
		// the resource; Create takes the preset id instead of a new one.
		s.preset = r.Source
		rec := httptest.NewRecorder()
		s.http.ServeHTTP(rec, httptest.NewRequest(r.Method, r.Path, bytes.NewReader(r.Body)))
		s.preset = ""
		if rec.Code/100 != 2 {
			return fmt.Errorf("scimserver: target object %s: %s %s: %d %s", r.Source, r.Method, r.Path, rec.Code, strings.TrimSpace(rec.Body.String()))
		}
	}
	return nil
}

// refOf is the Ref of a snapshot attribute: the referenced object types
// of a Reference definition.
func refOf(rules []*mapping.CompiledObjectMapping, typ, name string) string {
	for _, r := range rules {
		if r == nil || !strings.EqualFold(r.TargetObjectName(), typ) {
			continue
		}
		d := r.TargetDefinition(name)
		if d == nil || d.Type != mapping.TypeReference {
			return ""
		}
		var names []string
		for _, ro := range d.ReferencedObjects {
			names = append(names, ro.ReferencedObjectName)
		}
		if len(names) == 0 {
			names = []string{"User", "Group"}
		}
		return strings.Join(names, ",")
	}
	return ""
}

// handler implements the library's ResourceHandler on a store.
type handler struct {
	s  *Server
	st *store
}

func (h handler) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	// A pre-loaded snapshot is taken as it is, duplicates included (a
	// scenario may test an ambiguous match).
	if h.s.preset == "" {
		if err := h.unique("", attrs); err != nil {
			return scim.Resource{}, err
		}
	}
	id := h.s.preset
	if id == "" {
		h.s.next++
		id = "scim-" + strconv.Itoa(h.s.next)
	}
	if _, taken := h.st.resources[id]; taken {
		return scim.Resource{}, scimerrors.ScimErrorUniqueness
	}
	h.st.resources[id] = attrs
	h.st.order = append(h.st.order, id)
	return h.resource(id, attrs), nil
}

func (h handler) Get(r *http.Request, id string) (scim.Resource, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	attrs, ok := h.st.resources[id]
	if !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	return h.resource(id, attrs), nil
}

func (h handler) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	page := scim.Page{Resources: []scim.Resource{}}
	for _, id := range h.st.order {
		attrs, ok := h.st.resources[id]
		if !ok {
			continue
		}
		if params.FilterValidator != nil {
			withID := map[string]any(deepCopy(map[string]any(attrs)).(map[string]any))
			withID["id"] = id
			if params.FilterValidator.PassesFilter(withID) != nil {
				continue
			}
		}
		page.TotalResults++
		if page.TotalResults >= params.StartIndex && (params.Count <= 0 || len(page.Resources) < params.Count) {
			page.Resources = append(page.Resources, h.resource(id, attrs))
		}
	}
	return page, nil
}

func (h handler) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if _, ok := h.st.resources[id]; !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	if err := h.unique(id, attrs); err != nil {
		return scim.Resource{}, err
	}
	h.st.resources[id] = attrs
	return h.resource(id, attrs), nil
}

func (h handler) Delete(r *http.Request, id string) error {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if _, ok := h.st.resources[id]; !ok {
		return scimerrors.ScimErrorResourceNotFound(id)
	}
	delete(h.st.resources, id)
	return nil
}

func (h handler) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	cur, ok := h.st.resources[id]
	if !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	next := scim.ResourceAttributes(deepCopy(map[string]any(cur)).(map[string]any))
	if err := applyPatch(h.st.rt, next, ops); err != nil {
		return scim.Resource{}, err
	}
	if err := h.unique(id, next); err != nil {
		return scim.Resource{}, err
	}
	h.st.resources[id] = next
	return h.resource(id, next), nil
}

// unique refuses a second User with the same userName (ignoring case).
func (h handler) unique(self string, attrs scim.ResourceAttributes) error {
	name, _ := attrs["userName"].(string)
	if h.st.name != "User" || name == "" {
		return nil
	}
	for id, other := range h.st.resources {
		if n, _ := other["userName"].(string); id != self && strings.EqualFold(n, name) {
			return scimerrors.ScimErrorUniqueness
		}
	}
	return nil
}

// resource is the library's view of a stored resource (a copy).
func (h handler) resource(id string, attrs scim.ResourceAttributes) scim.Resource {
	return scim.Resource{ID: id, Attributes: scim.ResourceAttributes(deepCopy(map[string]any(attrs)).(map[string]any))}
}

// deepCopy copies decoded JSON.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case scim.ResourceAttributes:
		return deepCopy(map[string]any(v))
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}
