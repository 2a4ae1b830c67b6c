package scim

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/internal/scenario"
	"github.com/attrmap/attrmap/sync/provision"
)

// FuzzRequests renders plans read from arbitrary JSON. Rendering never
// panics; what renders is valid JSON, resolves with ids for every bulkId
// and then holds no "bulkId:" reference.
//
//	go test ./sync/scim -run '^$' -fuzz FuzzRequests -fuzztime 30s
func FuzzRequests(f *testing.F) {
	rules := scimRules(f)
	for _, dir := range []string{"groups-membership", "references-manager", "multivalued-sets", "scim-shapes"} {
		sc, err := scenario.Load(filepath.Join("..", "..", "testdata", "sync", dir))
		if err != nil {
			continue // a scenario not written yet
		}
		p, _, err := sc.Plan()
		if err != nil {
			f.Fatal(err)
		}
		data, _ := p.MarshalJSON()
		f.Add(data)
	}
	f.Add([]byte(`{"version": 2, "ops": [{"kind": "create", "object": "User", "key": "a", "target": "a", "changes": [{"name": "roles", "old": null, "new": ["x"]}]},` +
		`{"kind": "update", "object": "User", "key": "a", "target": "a", "followUp": true, "changes": [{"name": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "ref": "User", "old": null, "new": "a"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p provision.Plan
		if err := p.UnmarshalJSON(data); err != nil {
			return
		}
		reqs, err := Requests(&p, rules...)
		if err != nil {
			return
		}
		ids := map[string]string{}
		for _, r := range reqs {
			if r.BulkID != "" {
				ids[r.BulkID] = "id-" + r.BulkID
			}
		}
		for _, r := range reqs {
			res, err := r.Resolve(ids)
			if err != nil {
				t.Fatalf("%s %s: %v", r.Method, r.Path, err)
			}
			if strings.Contains(res.Path, bulkIDPrefix) {
				t.Fatalf("unresolved path %s", res.Path)
			}
			if r.Body == nil {
				continue
			}
			if !json.Valid(res.Body) {
				t.Fatalf("%s %s: body is not JSON: %s", r.Method, r.Path, res.Body)
			}
		}
	})
}
