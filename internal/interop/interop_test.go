// Package interop holds the SCIM interoperability test: every scenario of
// testdata/sync is planned, its requests (sync/scim) are sent one by one to
// an in-process SCIM server built on an independent library
// (github.com/elimity-com/scim, see package scimserver), and the resources
// read back over SCIM must equal what provision.Apply says the target
// holds, attribute by attribute. It is a nested module, so that the
// library's dependencies stay out of attrmap's go.mod; run it with
//
//	cd internal/interop && go test ./...
package interop

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/interop/scimserver"
	"github.com/attrmap/attrmap/internal/scenario"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/attrmap/attrmap/sync/scim"
)

// TestScenarios sends every scenario's requests to the server and
// compares the resources it holds afterwards with Apply's target.
func TestScenarios(t *testing.T) {
	for _, sc := range scenario.All(t, filepath.Join("..", "..", "testdata", "sync")) {
		t.Run(sc.Name, func(t *testing.T) {
			plan, _, err := sc.Plan()
			if err != nil {
				t.Fatal(err)
			}
			want, err := provision.Apply(sc.Target, plan)
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			reqs, err := scim.Requests(plan, sc.Rules...)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := scimserver.New(sc.Rules, sc.Target)
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			defer ts.Close()

			ids := send(t, ts, reqs)
			compare(t, ts, sc.Rules, want, ids)
		})
	}
}

// send sends the requests one by one, resolving the bulkIds with the ids
// the server answered the creates with, and returns those ids.
func send(t *testing.T, ts *httptest.Server, reqs []scim.Request) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, r := range reqs {
		r, err := r.Resolve(ids)
		if err != nil {
			t.Fatal(err)
		}
		status, body := do(t, ts, r.Method, r.Path, r.Body)
		wantStatus := map[string][]int{"POST": {201}, "PATCH": {200, 204}, "DELETE": {204}}[r.Method]
		if !slices.Contains(wantStatus, status) {
			t.Fatalf("%s %s (op %d, %s %s) %s\nanswered %d: %s", r.Method, r.Path, r.Op, r.Type, r.Source, r.Body, status, body)
		}
		if r.BulkID != "" {
			var created struct{ ID string }
			if err := json.Unmarshal(body, &created); err != nil || created.ID == "" {
				t.Fatalf("%s %s: no id in the response: %s", r.Method, r.Path, body)
			}
			ids[r.BulkID] = created.ID
		}
	}
	return ids
}

// do sends one request and returns the status and body.
func do(t *testing.T, ts *httptest.Server, method, path string, body []byte) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// compare reads every resource back over SCIM and compares it with the
// object of want it stands for: the same id, or the id the server gave an
// object the plan created. The server must hold nothing else.
func compare(t *testing.T, ts *httptest.Server, rules []*mapping.CompiledObjectMapping, want *provision.Snapshot, ids map[string]string) {
	t.Helper()
	serverID := func(id string) string {
		if s, ok := ids[id]; ok {
			return s
		}
		return id
	}
	count := map[string]int{}
	for i := range want.Objects {
		o := &want.Objects[i]
		rule := ruleOf(rules, o.Type)
		typ := rule.TargetObjectName()
		count[typ]++
		id := serverID(o.ID)
		status, body := do(t, ts, "GET", "/"+typ+"s/"+id, nil)
		if status != 200 {
			t.Errorf("%s %s (server id %s): GET answered %d: %s", typ, o.ID, id, status, body)
			continue
		}
		var res map[string]any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&res); err != nil {
			t.Fatal(err)
		}
		names := names(rule, want, o)
		got, err := scimserver.Flatten(res, names)
		if err != nil {
			t.Errorf("%s %s: %v\n%s", typ, o.ID, err, body)
			continue
		}
		exp := map[string]any{}
		for _, name := range names {
			v, ok := want.Get(o, name)
			if !ok || v == nil || expr.IsNull(v) {
				continue
			}
			exp[name] = expected(rule, name, v, serverID)
		}
		if diff := cmp.Diff(exp, got, cmp.Comparer(equalText)); diff != "" {
			t.Errorf("%s %s (server id %s) differs from Apply's target (-apply +server):\n%s\n%s", typ, o.ID, id, diff, body)
		}
	}
	for _, rule := range rules {
		typ := rule.TargetObjectName()
		status, body := do(t, ts, "GET", "/"+typ+"s", nil)
		var list struct{ TotalResults int }
		if err := json.Unmarshal(body, &list); status != 200 || err != nil {
			t.Fatalf("GET /%ss answered %d: %s", typ, status, body)
		}
		if list.TotalResults != count[typ] {
			t.Errorf("the server holds %d %ss, Apply's target %d", list.TotalResults, typ, count[typ])
		}
	}
}

// ruleOf is the rule of an object type; empty is the first rule's.
func ruleOf(rules []*mapping.CompiledObjectMapping, typ string) *mapping.CompiledObjectMapping {
	for _, r := range rules {
		if strings.EqualFold(r.TargetObjectName(), typ) {
			return r
		}
	}
	return rules[0]
}

// names are the attributes compared: those the rule maps and those the
// object holds.
func names(rule *mapping.CompiledObjectMapping, snap *provision.Snapshot, o *provision.Object) []string {
	var out []string
	for _, a := range rule.Attributes() {
		out = append(out, a.Target)
	}
	for i, name := range snap.Attributes {
		if i < len(o.Values) && o.Values[i] != nil && !slices.ContainsFunc(out, func(s string) bool { return strings.EqualFold(s, name) }) {
			out = append(out, name)
		}
	}
	return out
}

// expected is a value of Apply's target in Flatten's form, references
// turned into the ids the server knows them by.
func expected(rule *mapping.CompiledObjectMapping, name string, v expr.Value, serverID func(string) string) any {
	v, _ = expr.Unwrap(v)
	def := rule.TargetDefinition(name)
	ref := def != nil && def.Type == mapping.TypeReference
	conv := func(s string) string {
		if ref {
			return serverID(s)
		}
		return s
	}
	multi := def != nil && def.Multivalued
	if _, ok := v.(expr.Multi); ok {
		multi = true
	}
	if !multi {
		return conv(expr.Render(v))
	}
	var out []string
	for _, s := range expr.Strings(v) {
		out = append(out, conv(s))
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return out
}

// equalText compares Flatten's strings: Booleans ignoring case, as Entra
// and SCIM spell them differently ("True", true).
func equalText(a, b string) bool {
	if a == b {
		return true
	}
	for _, s := range []string{"true", "false"} {
		if strings.EqualFold(a, s) && strings.EqualFold(b, s) {
			return true
		}
	}
	return false
}

// TestServerStrict checks the server refuses the request shapes the issue
// found rejected or misapplied by real servers, so that the scenario test
// would notice them.
func TestServerStrict(t *testing.T) {
	srv, err := scimserver.New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	status, body := do(t, ts, "POST", "/Users", []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","addresses":[{"type":"work","streetAddress":"1 Main St"}]}`))
	if status != 201 {
		t.Fatalf("POST answered %d: %s", status, body)
	}
	var created struct{ ID string }
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
	}{
		{"roles as bare strings", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b","roles":["Engineer"]}`, 400},
		{"roles as objects", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"c","roles":[{"value":"Engineer"}]}`, 201},
		{"a Boolean as text", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"d","active":"True"}`, 400},
		{"a bulkId in the path", "PATCH", "/Users/bulkId:u-dave", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"x"}]}`, 404},
		{"a string literal for a Boolean filter", "PATCH", "/Users/" + created.ID, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"roles[primary eq \"True\"].value","value":"x"}]}`, 400},
		{"a replace whose filter matches nothing", "PATCH", "/Users/" + created.ID, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"x@y"}]}`, 400},
		{"a userName taken", "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"A"}`, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, ts, tt.method, tt.path, []byte(tt.body))
			if status != tt.status {
				t.Errorf("answered %d, want %d: %s", status, tt.status, body)
			}
		})
	}

	// The sub-attribute of an existing work address is set in place by a
	// filtered path; adding the whole value again gives two work addresses.
	patch := func(op string) {
		t.Helper()
		if status, body := do(t, ts, "PATCH", "/Users/"+created.ID, []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[`+op+`]}`)); status/100 != 2 {
			t.Fatalf("%s: answered %d: %s", op, status, body)
		}
	}
	patch(`{"op":"add","path":"addresses[type eq \"work\"].postalCode","value":"98052"}`)
	res, _ := srv.Resource("User", created.ID)
	got, err := scimserver.Flatten(res, []string{`addresses[type eq "work"].postalCode`, `addresses[type eq "work"].streetAddress`})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{`addresses[type eq "work"].postalCode`: "98052", `addresses[type eq "work"].streetAddress`: "1 Main St"}, got); diff != "" {
		t.Errorf("after the filtered add (-want +got):\n%s", diff)
	}
	patch(`{"op":"add","path":"addresses","value":[{"type":"work","postalCode":"98053"}]}`)
	res, _ = srv.Resource("User", created.ID)
	if _, err := scimserver.Flatten(res, []string{`addresses[type eq "work"].postalCode`}); err == nil || !strings.Contains(err.Error(), "2 values match") {
		t.Errorf("after adding a second work address Flatten says %v, want 2 values match", err)
	}
}
