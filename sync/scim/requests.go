package scim

import (
	"bytes"
	"cmp"
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// Request is one SCIM request of a plan, relative to the target's SCIM
// base URL: the HTTP method, the path and the JSON body.
//
// Requests made by Requests are meant to be sent one at a time, in order;
// a request that names an object created earlier in the list names it
// "bulkId:<key>" (in Path, and in reference values of Body) until Resolve
// puts the id the server assigned in its place.
type Request struct {
	// Method is POST (create), PATCH (update, disable, and the references
	// of a reference cycle) or DELETE. GET never appears in a plan.
	Method string
	// Path is the endpoint ("/Users", "/Groups") for POST and the resource
	// ("/Users/<id>", "/Groups/<id>") otherwise, the id path-escaped. An
	// object created earlier in the same list is "bulkId:<key>" (the key
	// path-escaped) until resolved.
	Path string
	// Body is the request body, compact JSON with a fixed member order:
	// the resource for POST, an RFC 7644 PatchOp message for PATCH, nil
	// for DELETE.
	Body json.RawMessage
	// BulkID is, on a POST, the key under which the id the server assigns
	// (the "id" of the 201 response) must be recorded for Resolve: the id
	// the plan gave the new object (provision.Op.Target).
	BulkID string
	// Op is the index in plan.Ops of the operation the request carries
	// out. The POST of a create also carries the create's follow-up update
	// (provision.Op.FollowUp), which then has no request of its own; only
	// a reference that closes a cycle stays behind, in a PATCH whose Op is
	// the follow-up update (or the create, for a plan without one).
	Op int
	// Type is the object mapping's target object ("User", "Group").
	Type string
	// Source is the id of the source object the operation is for
	// (provision.Op.Key).
	Source string
}

// bulkIDPrefix marks a reference to an object created in the same list
// (RFC 7644 §3.7.2).
const bulkIDPrefix = "bulkId:"

// Requests turns a plan into the ordered list of single SCIM requests a
// client sends one at a time (Entra's provisioning service does not use
// /Bulk either). rules give the target attribute definitions (see the
// package documentation); each operation uses the rule whose target
// object name equals provision.Op.Object, ignoring case.
//
// Order: the creates first, each POST carrying every attribute of the
// object, the references its follow-up update would set included, and
// ordered so that an object comes after the objects it refers to (plan
// order among the independent ones). A reference cycle (two new users
// managing each other, a new group containing itself) is broken at the
// first object of the cycle in plan order: its POST leaves out the
// references to objects not created yet, and a PATCH right after the
// creates sets them. Then the updates, disables and deletes in plan
// order.
//
// Skipped actions, held deletions and errors of the plan are not
// rendered. Rendering fails, naming each operation, on an operation
// without a target id, two creates with one id, a value that does not fit
// its attribute's type, a string value that begins with "bulkId:" (a
// server would read it as a reference), and a redacted value of a plan
// read back from JSON (which holds only the placeholder).
func Requests(p *provision.Plan, rules ...*mapping.CompiledObjectMapping) ([]Request, error) {
	r, err := newRenderer(p, rules)
	if err != nil {
		return nil, err
	}
	return r.requests(p, false)
}

// Resolve returns the request with every "bulkId:<key>" in Path and Body
// replaced by ids[key], the id the server assigned to the object created
// under that BulkID. A key missing from ids is an error, as is a Body that
// is not JSON. Only whole JSON string values are replaced (reference
// values, {"value": "bulkId:u1"}); Requests never writes another string
// value that begins with "bulkId:".
func (r Request) Resolve(ids map[string]string) (Request, error) {
	out := r
	if i := strings.Index(r.Path, "/"+bulkIDPrefix); i >= 0 {
		key, err := url.PathUnescape(r.Path[i+1+len(bulkIDPrefix):])
		if err != nil {
			return Request{}, fmt.Errorf("%s %s: %w", r.Method, r.Path, err)
		}
		id, ok := ids[key]
		if !ok {
			return Request{}, fmt.Errorf("%s %s: no id for bulkId %q (its POST has not succeeded)", r.Method, r.Path, key)
		}
		out.Path = r.Path[:i+1] + url.PathEscape(id)
	}
	if r.Body != nil && bytes.Contains(r.Body, []byte(bulkIDPrefix)) {
		body, err := resolveBody(r.Body, ids)
		if err != nil {
			return Request{}, fmt.Errorf("%s %s: %w", r.Method, r.Path, err)
		}
		out.Body = body
	}
	return out, nil
}

// resolveBody rewrites the JSON string values of body that begin with
// bulkId:, keeping every other byte as it is.
func resolveBody(body []byte, ids map[string]string) (json.RawMessage, error) {
	if !json.Valid(body) {
		return nil, errors.New("the body is not JSON")
	}
	var out bytes.Buffer
	last := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		// A string literal: find its end (the body is valid JSON).
		j := i + 1
		for body[j] != '"' {
			if body[j] == '\\' {
				j++
			}
			j++
		}
		lit := body[i : j+1]
		if bytes.Contains(lit, []byte(bulkIDPrefix)) {
			var s string
			if err := json.Unmarshal(lit, &s); err != nil {
				return nil, err
			}
			if key, ok := strings.CutPrefix(s, bulkIDPrefix); ok {
				id, ok := ids[key]
				if !ok {
					return nil, fmt.Errorf("no id for bulkId %q (its POST has not succeeded)", key)
				}
				enc, err := marshalSCIM(id)
				if err != nil {
					return nil, err
				}
				out.Write(body[last:i])
				out.Write(enc)
				last = j + 1
			}
		}
		i = j
	}
	if last == 0 {
		return body, nil
	}
	out.Write(body[last:])
	return out.Bytes(), nil
}

// createNode is a create of the plan, with what its POST carries.
type createNode struct {
	rule     *mapping.CompiledObjectMapping
	op       int // index in plan.Ops
	followUp int // index of its follow-up update, -1 without one
	changes  []provision.AttrChange
	deps     []int // the nodes it refers to, itself excluded, each once
	emitted  bool
	deferred []provision.AttrChange // references left for a PATCH after the creates
}

// requests renders the plan in the order described at Requests; in a bulk
// request (bulk), a cycle's references stay in the POSTs.
func (r *renderer) requests(p *provision.Plan, bulk bool) ([]Request, error) {
	var errs []error
	nodes := []*createNode{}
	byObject := map[object]int{}
	for i := range p.Ops {
		op := &p.Ops[i]
		if op.Kind == provision.Create {
			byObject[r.objectOf(op)] = len(nodes)
			nodes = append(nodes, &createNode{rule: r.rule(op.Object), op: i, followUp: -1, changes: op.Changes})
		}
	}
	folded := map[int]bool{}
	for i := range p.Ops {
		op := &p.Ops[i]
		if op.Kind != provision.Update || !op.FollowUp {
			continue
		}
		n, ok := byObject[r.objectOf(op)]
		if !ok || nodes[n].followUp >= 0 {
			continue // a follow-up of no create of this plan is sent as it is
		}
		nodes[n].followUp = i
		nodes[n].changes = mergeChanges(nodes[n].changes, op.Changes)
		folded[i] = true
	}
	for k, n := range nodes {
		seen := map[int]bool{}
		for _, c := range n.changes {
			if !r.info(n.rule, &c).ref || c.New == nil || expr.IsNull(c.New) {
				continue
			}
			for _, v := range expr.Strings(c.New) {
				for _, o := range r.refObjects(&c, v) {
					if d := byObject[o]; d != k && !seen[d] {
						seen[d] = true
						n.deps = append(n.deps, d)
					}
				}
			}
		}
	}
	order := orderCreates(nodes)
	var out []Request
	emit := func(req Request, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		out = append(out, req)
	}
	for _, k := range order {
		n := nodes[k]
		keep, later := n.changes, []provision.AttrChange(nil)
		if !bulk {
			keep, later = r.splitRefs(k, nodes, byObject)
		}
		n.emitted, n.deferred = true, later
		op := p.Ops[n.op]
		op.Changes = keep
		emit(r.request(&op, n.op))
	}
	for _, k := range order {
		n := nodes[k]
		if len(n.deferred) == 0 {
			continue
		}
		at := n.followUp
		if at < 0 {
			at = n.op
		}
		op := p.Ops[at]
		op.Kind, op.Changes = provision.Update, n.deferred
		emit(r.request(&op, at))
	}
	for i := range p.Ops {
		if p.Ops[i].Kind != provision.Create && !folded[i] {
			emit(r.request(&p.Ops[i], i))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("scim: %w", errors.Join(errs...))
	}
	return out, nil
}

// mergeChanges adds a follow-up's changes to a create's: a set change
// adds its values to the create's list of the same attribute.
func mergeChanges(create, follow []provision.AttrChange) []provision.AttrChange {
	out := slices.Clone(create)
	for _, f := range follow {
		i := slices.IndexFunc(out, func(c provision.AttrChange) bool { return c.Name == f.Name })
		switch {
		case i < 0 && f.IsSet():
			out = append(out, provision.AttrChange{Name: f.Name, Old: expr.Null, New: expr.Multi(f.Add), Ref: f.Ref, Redacted: f.Redacted})
		case i < 0:
			out = append(out, f)
		case f.IsSet():
			merged := append(valueStrings(out[i].New), f.Add...)
			out[i].New = expr.Multi(merged)
		default:
			out[i].New = f.New
		}
	}
	slices.SortFunc(out, func(a, b provision.AttrChange) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// valueStrings is the values of v, none for null.
func valueStrings(v expr.Value) []string {
	if v == nil || expr.IsNull(v) {
		return nil
	}
	return slices.Clone(expr.Strings(v))
}

// splitRefs splits the changes of a create into those its POST carries
// and the references to objects not created yet (or to itself), which a
// PATCH sets after the creates.
func (r *renderer) splitRefs(self int, nodes []*createNode, byObject map[object]int) (keep, later []provision.AttrChange) {
	n := nodes[self]
	pending := func(id string, c *provision.AttrChange) bool {
		for _, o := range r.refObjects(c, id) {
			if k := byObject[o]; k == self || !nodes[k].emitted {
				return true
			}
		}
		return false
	}
	for _, c := range n.changes {
		info := r.info(n.rule, &c)
		if !info.ref || c.New == nil || expr.IsNull(c.New) {
			keep = append(keep, c)
			continue
		}
		var now, wait []string
		for _, v := range expr.Strings(c.New) {
			if pending(v, &c) {
				wait = append(wait, v)
			} else {
				now = append(now, v)
			}
		}
		if len(wait) == 0 {
			keep = append(keep, c)
			continue
		}
		multi := info.multi
		if len(now) > 0 {
			k := c
			k.New = expr.Multi(now)
			keep = append(keep, k)
		}
		l := c
		if multi {
			l.Old, l.New, l.Add = nil, nil, wait
		} else {
			l.Old, l.New = expr.Null, expr.String(wait[0])
		}
		later = append(later, l)
	}
	return keep, later
}

// orderCreates orders the creates so that each comes after the creates it
// refers to, plan order deciding among those that are free; when every
// remaining create waits for another (a cycle), the first in plan order
// goes next.
func orderCreates(nodes []*createNode) []int {
	waiting := make([]int, len(nodes))
	users := make([][]int, len(nodes))
	for k, n := range nodes {
		waiting[k] = len(n.deps)
		for _, d := range n.deps {
			users[d] = append(users[d], k)
		}
	}
	free := &intHeap{}
	for k := range nodes {
		if waiting[k] == 0 {
			heap.Push(free, k)
		}
	}
	done := make([]bool, len(nodes))
	order := make([]int, 0, len(nodes))
	next := 0 // the first create that may not be done yet
	for len(order) < len(nodes) {
		var k int
		if free.Len() > 0 {
			k = heap.Pop(free).(int)
			if done[k] {
				continue
			}
		} else {
			for done[next] {
				next++
			}
			k = next
		}
		done[k] = true
		order = append(order, k)
		for _, u := range users[k] {
			if waiting[u]--; waiting[u] == 0 && !done[u] {
				heap.Push(free, u)
			}
		}
	}
	return order
}

// intHeap is a min-heap of create indexes.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// checkBulkText refuses a string value that a server would read as a bulk
// reference.
func checkBulkText(name, s string) error {
	if strings.HasPrefix(s, bulkIDPrefix) {
		return fmt.Errorf("%s: the value %q begins with %q, which a SCIM server reads as a reference to an object created in the same request list (RFC 7644 §3.7.2)", name, s, bulkIDPrefix)
	}
	return nil
}
