package scim

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/sync/provision"
)

// reqLine is the part of a request the order tests look at.
type reqLine struct {
	Method, Path, BulkID string
	Op                   int
	Type, Source         string
	Body                 string
}

func lines(t *testing.T, reqs []Request) []reqLine {
	t.Helper()
	out := make([]reqLine, len(reqs))
	for i, r := range reqs {
		out[i] = reqLine{r.Method, r.Path, r.BulkID, r.Op, r.Type, r.Source, string(r.Body)}
	}
	return out
}

func manager(id string) provision.AttrChange {
	return provision.AttrChange{Name: scimEnterprise + "manager", Old: expr.Null, New: scimStr(id), Ref: "User"}
}

func create(key string) provision.Op {
	return provision.Op{Kind: provision.Create, Object: "User", Key: key, Target: key, Changes: []provision.AttrChange{scimSet("userName", scimStr(key))}}
}

func followUp(key string, c provision.AttrChange) provision.Op {
	return provision.Op{Kind: provision.Update, Object: "User", Key: key, Target: key, FollowUp: true, Changes: []provision.AttrChange{c}}
}

const (
	userSchemas = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`
	withManager = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"`
	patchPrefix = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[`
)

// TestRequestsOrder checks the order of the creates, the folded
// follow-ups, the PATCH that breaks a cycle, and the Op, Type and Source
// of each request.
func TestRequestsOrder(t *testing.T) {
	tests := []struct {
		name string
		ops  []provision.Op
		want []reqLine
	}{{
		name: "a cycle of three: broken at the first in plan order",
		ops: []provision.Op{
			create("a"), create("b"), create("c"),
			followUp("a", manager("b")), followUp("b", manager("c")), followUp("c", manager("a")),
			{Kind: provision.Delete, Object: "User", Key: "d", Target: "t-d"},
		},
		want: []reqLine{
			{"POST", "/Users", "a", 0, "User", "a", userSchemas + `a"}`},
			{"POST", "/Users", "c", 2, "User", "c", withManager + `c","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:a"}}}`},
			{"POST", "/Users", "b", 1, "User", "b", withManager + `b","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:c"}}}`},
			{"PATCH", "/Users/bulkId:a", "", 3, "User", "a", patchPrefix + `{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"bulkId:b"}}]}`},
			{"DELETE", "/Users/t-d", "", 6, "User", "d", ""},
		},
	}, {
		name: "a user who manages herself, without a follow-up op",
		ops: []provision.Op{{Kind: provision.Create, Object: "User", Key: "a", Target: "a", Changes: []provision.AttrChange{
			manager("a"), scimSet("userName", scimStr("a")),
		}}},
		want: []reqLine{
			{"POST", "/Users", "a", 0, "User", "a", userSchemas + `a"}`},
			{"PATCH", "/Users/bulkId:a", "", 0, "User", "a", patchPrefix + `{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"bulkId:a"}}]}`},
		},
	}, {
		name: "a chain in reverse plan order",
		ops: []provision.Op{
			create("a"), create("b"), create("c"),
			followUp("a", manager("b")), followUp("b", manager("c")),
		},
		want: []reqLine{
			{"POST", "/Users", "c", 2, "User", "c", userSchemas + `c"}`},
			{"POST", "/Users", "b", 1, "User", "b", withManager + `b","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:c"}}}`},
			{"POST", "/Users", "a", 0, "User", "a", withManager + `a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:b"}}}`},
		},
	}}
	rules := scimRules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reqs, err := Requests(&provision.Plan{Ops: tt.ops}, rules...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, lines(t, reqs)); diff != "" {
				t.Errorf("Requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	ids := map[string]string{"u1": "srv/1", `t"4`: "srv-4", "g1": "srv-g"}
	tests := []struct {
		name    string
		req     Request
		want    Request
		wantErr string
	}{{
		name: "path and reference values; other strings as they are",
		req: Request{Method: "PATCH", Path: "/Groups/bulkId:g1", Body: json.RawMessage(
			`{"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u1"},{"value":"bulkId:t\"4"},{"value":"t-1"}]}],"note":"a bulkId: inside"}`)},
		want: Request{Method: "PATCH", Path: "/Groups/srv-g", Body: json.RawMessage(
			`{"Operations":[{"op":"add","path":"members","value":[{"value":"srv/1"},{"value":"srv-4"},{"value":"t-1"}]}],"note":"a bulkId: inside"}`)},
	}, {
		name: "an escaped key in the path, an id that needs escaping",
		req:  Request{Method: "DELETE", Path: "/Users/bulkId:u1"},
		want: Request{Method: "DELETE", Path: "/Users/srv%2F1"},
	}, {
		name: "nothing to resolve",
		req:  Request{Method: "POST", Path: "/Users", Body: json.RawMessage(`{"userName":"a"}`), BulkID: "u9", Op: 3, Type: "User", Source: "s9"},
		want: Request{Method: "POST", Path: "/Users", Body: json.RawMessage(`{"userName":"a"}`), BulkID: "u9", Op: 3, Type: "User", Source: "s9"},
	}, {
		name:    "an unknown key in the body",
		req:     Request{Method: "POST", Path: "/Groups", Body: json.RawMessage(`{"members":[{"value":"bulkId:u2"}]}`)},
		wantErr: `POST /Groups: no id for bulkId "u2" (its POST has not succeeded)`,
	}, {
		name:    "an unknown key in the path",
		req:     Request{Method: "PATCH", Path: "/Users/bulkId:u3", Body: json.RawMessage(`{}`)},
		wantErr: `PATCH /Users/bulkId:u3: no id for bulkId "u3" (its POST has not succeeded)`,
	}, {
		name:    "a body that is not JSON",
		req:     Request{Method: "POST", Path: "/Users", Body: json.RawMessage(`{"a":"bulkId:u1"`)},
		wantErr: `POST /Users: the body is not JSON`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.req.Resolve(ids)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve (-want +got):\n%s", diff)
			}
		})
	}
}
