package execute

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/connect"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/attrmap/attrmap/sync/scim"
)

// fakeApp is a Connector that stores resources by id and fails the
// requests fail says, by userName in the body or by id.
type fakeApp struct {
	next int
	res  map[string]json.RawMessage
	fail map[string]*connect.Error
	log  []string
}

func (f *fakeApp) failure(key string) error {
	if e, ok := f.fail[key]; ok {
		return e
	}
	return nil
}

func (f *fakeApp) List(ctx context.Context, typ string, start, count int, excl ...string) (*connect.Page, error) {
	return &connect.Page{}, nil
}
func (f *fakeApp) Lookup(ctx context.Context, typ, attr, value string, excl ...string) ([]connect.Resource, error) {
	return nil, nil
}
func (f *fakeApp) Create(ctx context.Context, typ string, body json.RawMessage) (connect.Resource, error) {
	var u struct{ UserName string }
	json.Unmarshal(body, &u)
	f.log = append(f.log, "POST "+u.UserName)
	if err := f.failure(u.UserName); err != nil {
		return connect.Resource{}, err
	}
	f.next++
	id := fmt.Sprintf("srv-%d", f.next)
	f.res[id] = body
	return connect.Resource{ID: id, Raw: body}, nil
}
func (f *fakeApp) Patch(ctx context.Context, typ, id string, body json.RawMessage) (connect.Resource, error) {
	f.log = append(f.log, "PATCH "+id)
	if err := f.failure(id); err != nil {
		return connect.Resource{}, err
	}
	return connect.Resource{}, nil
}
func (f *fakeApp) Replace(ctx context.Context, typ, id string, body json.RawMessage) (connect.Resource, error) {
	return connect.Resource{}, nil
}
func (f *fakeApp) Delete(ctx context.Context, typ, id string) error {
	f.log = append(f.log, "DELETE "+id)
	return f.failure(id)
}

func testRule(t *testing.T) *mapping.CompiledObjectMapping {
	t.Helper()
	schema, err := mapping.Decode([]byte(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "active", "source": {"expression": "Not([IsSoftDeleted])"}},
	    {"targetAttributeName": "title", "source": {"expression": "[jobTitle]"}}
	  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	rule, err := schema.Compile("", "")
	if err != nil {
		t.Fatal(err)
	}
	return rule
}

// cycle plans and executes one cycle against app at now.
func cycle(t *testing.T, app *fakeApp, state *provision.State, escrow *Escrow, now time.Time, journal *Journal) *Result {
	t.Helper()
	rule := testRule(t)
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "alice@contoso.com", "jobTitle": "Director"})
	source.Add("u2", map[string]any{"userPrincipalName": "bob@contoso.com", "jobTitle": "Engineer"})
	source.Add("u3", map[string]any{"userPrincipalName": "carol@contoso.com", "jobTitle": "Analyst"})
	target := &provision.Snapshot{}
	ids := make([]string, 0, len(app.res))
	for id := range app.res {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		attrs, err := connect.Flatten(app.res[id], rule)
		if err != nil {
			t.Fatal(err)
		}
		target.Add(id, attrs)
	}
	rules := []*mapping.CompiledObjectMapping{rule}
	plan, next, err := planOnce(rules, source, target, state, provision.Options{SyncAll: true})
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := scim.Requests(plan, rules...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Execute(context.Background(), app, Input{Plan: plan, Requests: reqs, Next: next, State: state, Rules: rules, Escrow: escrow, Journal: journal},
		Options{Clock: func() time.Time { return now }, Log: LogContext{CycleID: "c1", JobID: "job"}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestExecuteEscrow(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	app := &fakeApp{res: map[string]json.RawMessage{}, fail: map[string]*connect.Error{
		"bob@contoso.com": {Method: "POST", Path: "/Users", Status: 409, SCIMType: "uniqueness", Detail: "userName taken"},
	}}
	escrow := &Escrow{}
	dir := t.TempDir()
	journal, err := CreateJournal(dir+"/j", "run1")
	if err != nil {
		t.Fatal(err)
	}
	journal.NoSync = true
	res := cycle(t, app, &provision.State{}, escrow, now, journal)
	journal.Close()
	checkShape(t, res.Logs)
	if f := res.Logs[1]; f.ProvisioningStatusInfo.Status != "failure" || f.ProvisioningStatusInfo.ErrorInformation.ErrorCode != "EntryConflict" ||
		f.ProvisioningStatusInfo.ErrorInformation.AdditionalDetails != "uniqueness userName taken" {
		t.Errorf("the failure's entry: %+v", f.ProvisioningStatusInfo)
	}

	// Alice and Carol are linked to the server's ids; Bob is escrowed.
	want := []provision.Link{{Type: "User", Source: "u1", Target: "srv-1", Provisioned: true}, {Type: "User", Source: "u3", Target: "srv-2", Provisioned: true}}
	if diff := cmp.Diff(want, res.State.Links); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Stats{Requests: 3, Succeeded: 2, Failed: 1}, res.Stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if len(escrow.Entries) != 1 || escrow.Entries[0].Key != "u2" || escrow.Entries[0].Code != "EntryConflict" || !escrow.Entries[0].NextRetry.Equal(now.Add(6*time.Hour)) {
		t.Fatalf("escrow = %+v", escrow.Entries)
	}

	// The journal, replayed onto the old state, gives the same links.
	data, _ := os.ReadFile(dir + "/j")
	replayed, replayEscrow := &provision.State{}, &Escrow{}
	rec, err := Recover(bytes.NewReader(data), replayed, replayEscrow, DocumentedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, replayed.Links); diff != "" {
		t.Errorf("replayed links (-want +got):\n%s", diff)
	}
	if rec.Completed != 3 || len(rec.InDoubt) != 0 || len(replayEscrow.Entries) != 1 {
		t.Errorf("recovered %+v, escrow %+v", rec, replayEscrow.Entries)
	}

	// An hour later Bob is not due: nothing is sent.
	app.fail = nil
	app.log = nil
	res = cycle(t, app, res.State, escrow, now.Add(time.Hour), nil)
	if len(app.log) != 0 || res.Stats.Deferred != 1 {
		t.Errorf("an hour later: sent %v, stats %+v; want nothing sent, 1 deferred", app.log, res.Stats)
	}
	// Six hours later he is retried, succeeds and leaves escrow.
	res = cycle(t, app, res.State, escrow, now.Add(6*time.Hour), nil)
	if diff := cmp.Diff([]string{"POST bob@contoso.com"}, app.log); diff != "" {
		t.Errorf("six hours later (-want +got):\n%s", diff)
	}
	if len(escrow.Entries) != 0 || escrow.Counters != (Counters{Succeeded: 3, Failed: 1}) {
		t.Errorf("escrow after the retry: %+v %+v", escrow.Entries, escrow.Counters)
	}
	checkShape(t, res.Logs)
}

func TestExecuteCredentialsQuarantine(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	app := &fakeApp{res: map[string]json.RawMessage{}, fail: map[string]*connect.Error{
		"alice@contoso.com": {Method: "POST", Path: "/Users", Status: 401, Detail: "bad token"},
	}}
	escrow := &Escrow{}
	res := cycle(t, app, &provision.State{}, escrow, now, nil)
	if res.Quarantine == nil || res.Quarantine.Reason != ReasonCredentials || escrow.Quarantine == nil {
		t.Fatalf("quarantine = %+v, want %s", res.Quarantine, ReasonCredentials)
	}
	if diff := cmp.Diff([]string{"POST alice@contoso.com"}, app.log); diff != "" {
		t.Errorf("the run goes on after a 401 (-want +got):\n%s", diff)
	}
	if res.Stats.NotRun != 2 || len(res.State.Links) != 0 {
		t.Errorf("stats %+v, links %v", res.Stats, res.State.Links)
	}
	// A clean run lifts the quarantine; one five weeks on is refused.
	app.fail = nil
	cycle(t, app, &provision.State{}, escrow, now.Add(time.Hour), nil)
	if escrow.Quarantine != nil {
		t.Errorf("quarantine kept after a clean run: %+v", escrow.Quarantine)
	}
	escrow.Quarantine = &Quarantine{Reason: ReasonCredentials, Since: now}
	_, err := Execute(context.Background(), app, Input{Plan: &provision.Plan{}, Next: &provision.State{}, Escrow: escrow},
		Options{Clock: func() time.Time { return now.Add(29 * 24 * time.Hour) }})
	if err != ErrDisabled {
		t.Errorf("after 29 days in quarantine: %v, want ErrDisabled", err)
	}
}

// checkShape validates log entries against the JSON representations of
// Graph's provisioningObjectSummary, provisioningStep and
// modifiedProperty: every documented member present with its type, no
// other member, enumerations within their documented values.
func checkShape(t *testing.T, logs []LogEntry) {
	t.Helper()
	data, err := os.ReadFile("testdata/provisioningObjectSummary.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil && !strings.Contains(err.Error(), "string into Go value") {
		t.Fatal(err)
	}
	var enums struct {
		Enums map[string][]string `json:"enums"`
	}
	json.Unmarshal(data, &enums)
	if len(logs) == 0 {
		t.Fatal("no log entries")
	}
	for i, e := range logs {
		raw, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		json.Unmarshal(raw, &got)
		where := fmt.Sprintf("entry %d", i)
		matchShape(t, where, doc["provisioningObjectSummary"], got)
		if !slices.Contains(enums.Enums["provisioningAction"], got["provisioningAction"].(string)) {
			t.Errorf("%s: provisioningAction %q", where, got["provisioningAction"])
		}
		if info, ok := got["provisioningStatusInfo"].(map[string]any)["errorInformation"].(map[string]any); ok {
			if c := info["errorCategory"].(string); !slices.Contains(enums.Enums["provisioningStatusErrorCategory"], c) {
				t.Errorf("%s: errorCategory %q", where, c)
			}
		}
		status := got["provisioningStatusInfo"].(map[string]any)["status"].(string)
		if !slices.Contains(enums.Enums["provisioningResult"], status) {
			t.Errorf("%s: status %q", where, status)
		}
		if _, err := time.Parse(time.RFC3339, got["activityDateTime"].(string)); err != nil {
			t.Errorf("%s: activityDateTime: %v", where, err)
		}
		for j, s := range got["provisioningSteps"].([]any) {
			step := s.(map[string]any)
			matchShape(t, fmt.Sprintf("%s step %d", where, j), doc["provisioningStep"], step)
			if !slices.Contains(enums.Enums["provisioningStepType"], step["provisioningStepType"].(string)) {
				t.Errorf("%s step %d: type %q", where, j, step["provisioningStepType"])
			}
			if !slices.Contains(enums.Enums["provisioningResult"], step["status"].(string)) {
				t.Errorf("%s step %d: status %q", where, j, step["status"])
			}
		}
		for j, p := range got["modifiedProperties"].([]any) {
			matchShape(t, fmt.Sprintf("%s property %d", where, j), doc["modifiedProperty"], p.(map[string]any))
		}
	}
}

func matchShape(t *testing.T, where string, want, got map[string]any) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: missing %s", where, k)
			continue
		}
		kind := func(v any) string { return fmt.Sprintf("%T", v) }
		if kind(w) != kind(g) {
			t.Errorf("%s: %s is %T, documented as %T", where, k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: undocumented member %s", where, k)
		}
	}
}

func TestPlanLogsShape(t *testing.T) {
	rule := testRule(t)
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "alice@contoso.com", "jobTitle": "Director"})
	source.Add("u2", map[string]any{"userPrincipalName": "dup@contoso.com"})
	target := &provision.Snapshot{}
	target.Add("t1", map[string]any{"userName": "dup@contoso.com"})
	target.Add("t2", map[string]any{"userName": "DUP@contoso.com"})
	plan, _, err := planOnce([]*mapping.CompiledObjectMapping{rule}, source, target, nil, provision.Options{SyncAll: true})
	if err != nil {
		t.Fatal(err)
	}
	logs := PlanLogs(plan, LogContext{CycleID: "dry"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(logs) != 2 || logs[1].ProvisioningStatusInfo.Status != "failure" {
		t.Fatalf("want a create and a failure, got %+v", logs)
	}
	checkShape(t, logs)
}

// A run whose failures pass the documented threshold stops and reports
// quarantine: 5,001 users, every create refused, stops at the 5,000th.
func TestExecuteThresholdQuarantine(t *testing.T) {
	rule := testRule(t)
	rules := []*mapping.CompiledObjectMapping{rule}
	source := &provision.Snapshot{}
	app := &fakeApp{res: map[string]json.RawMessage{}, fail: map[string]*connect.Error{}}
	for i := range 5001 {
		name := fmt.Sprintf("user%04d@contoso.com", i)
		source.Add(fmt.Sprintf("u%04d", i), map[string]any{"userPrincipalName": name})
		app.fail[name] = &connect.Error{Method: "POST", Path: "/Users", Status: 400, SCIMType: "invalidValue", Detail: "refused"}
	}
	plan, next, err := planOnce(rules, source, &provision.Snapshot{}, nil, provision.Options{SyncAll: true})
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := scim.Requests(plan, rules...)
	if err != nil {
		t.Fatal(err)
	}
	escrow := &Escrow{}
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	res, err := Execute(context.Background(), app, Input{Plan: plan, Requests: reqs, Next: next, Rules: rules, Escrow: escrow},
		Options{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Quarantine == nil || res.Quarantine.Reason != ReasonEscrowThreshold {
		t.Fatalf("quarantine = %+v, want %s", res.Quarantine, ReasonEscrowThreshold)
	}
	if diff := cmp.Diff(Stats{Requests: 5001, Failed: 5000, NotRun: 1}, res.Stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if !strings.Contains(res.Stopped, "5000 of 5000 provisioning events failed") {
		t.Errorf("stopped: %s", res.Stopped)
	}
	if escrow.Quarantine == nil || len(escrow.Entries) != 5000 || escrow.Entries[0].Code != "UnprocessableEntity" {
		t.Errorf("escrow: quarantine %+v, %d entries", escrow.Quarantine, len(escrow.Entries))
	}
}

func TestModifiedRedacted(t *testing.T) {
	tests := []struct {
		name string
		c    provision.AttrChange
		want ModifiedProperty
	}{
		{"value", provision.AttrChange{Name: "title", Old: expr.String("A"), New: expr.String("B")}, ModifiedProperty{"title", "A", "B"}},
		{"from null", provision.AttrChange{Name: "title", Old: expr.Null, New: expr.String("B")}, ModifiedProperty{"title", "", "B"}},
		{"redacted", provision.AttrChange{Name: "password", Old: expr.String("old-secret"), New: expr.String("new-secret"), Redacted: true}, ModifiedProperty{"password", "[Redact]", "[Redact]"}},
		{"set", provision.AttrChange{Name: "members", Add: []string{"a", "b"}, Remove: []string{"c"}}, ModifiedProperty{"members", "c", "a;b"}},
		{"redacted set", provision.AttrChange{Name: "members", Add: []string{"a"}, Redacted: true}, ModifiedProperty{"members", "[Redact]", "[Redact]"}},
		{"bool", provision.AttrChange{Name: "active", Old: expr.Bool(true), New: expr.Bool(false)}, ModifiedProperty{"active", "True", "False"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, modified(tt.c)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A group whose POST refers to a user whose create waits in escrow is
// not sent (it cannot name the user yet); once the user is created, the
// next cycle creates the group with the member.
func TestExecuteDeferredReference(t *testing.T) {
	schema, err := mapping.Decode([]byte(`{"synchronizationRules": [{"name": "r", "sourceDirectoryName": "AAD", "targetDirectoryName": "App",
	  "objectMappings": [
	    {"name": "Users", "enabled": true, "sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [
	      {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}}]},
	    {"name": "Groups", "enabled": true, "sourceObjectName": "Group", "targetObjectName": "Group", "attributeMappings": [
	      {"targetAttributeName": "displayName", "matchingPriority": 1, "source": {"expression": "[displayName]"}},
	      {"targetAttributeName": "members", "source": {"expression": "[members]"}}]}]}],
	  "directories": [{"name": "App", "objects": [
	    {"name": "User", "attributes": [{"name": "userName"}]},
	    {"name": "Group", "attributes": [{"name": "displayName"}, {"name": "members", "type": "Reference", "multivalued": true, "referencedObjects": [{"referencedObjectName": "User"}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := schema.CompileRule("")
	if err != nil {
		t.Fatal(err)
	}
	source := &provision.Snapshot{}
	source.Add("u1", map[string]any{"userPrincipalName": "ann@contoso.com"})
	source.Add("g1", map[string]any{"displayName": "Eng", "members": []string{"u1"}}).Type = "Group"
	app := &fakeApp{res: map[string]json.RawMessage{}, fail: map[string]*connect.Error{
		"ann@contoso.com": {Method: "POST", Path: "/Users", Status: 500},
	}}
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	escrow := &Escrow{}
	run := func(state *provision.State, target *provision.Snapshot, at time.Time) *Result {
		plan, next, err := planOnce(rules, source, target, state, provision.Options{})
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := scim.Requests(plan, rules...)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Execute(context.Background(), app, Input{Plan: plan, Requests: reqs, Next: next, State: state, Rules: rules, Escrow: escrow},
			Options{Clock: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run(&provision.State{}, &provision.Snapshot{}, now)
	if diff := cmp.Diff(Stats{Requests: 2, Failed: 1, Deferred: 1}, res.Stats); diff != "" {
		t.Errorf("first cycle (-want +got):\n%s", diff)
	}
	if len(res.State.Links) != 0 {
		t.Errorf("links after the first cycle: %v", res.State.Links)
	}
	if got := res.Logs[1].ProvisioningSteps[len(res.Logs[1].ProvisioningSteps)-1].Description; !strings.Contains(got, "refers to an object not created in this run") {
		t.Errorf("the group's entry: %s", got)
	}
	app.fail = nil
	res = run(res.State, &provision.Snapshot{}, now.Add(6*time.Hour))
	if diff := cmp.Diff(Stats{Requests: 2, Succeeded: 2}, res.Stats); diff != "" {
		t.Errorf("second cycle (-want +got):\n%s", diff)
	}
	var group struct{ Members []struct{ Value string } }
	for _, body := range app.res {
		if bytes.Contains(body, []byte(`"Eng"`)) {
			json.Unmarshal(body, &group)
		}
	}
	if len(group.Members) != 1 || group.Members[0].Value != "srv-1" {
		t.Errorf("the group's members: %+v, want the user's server id srv-1", group.Members)
	}
}

// planOnce plans one cycle with a Planner made for it.
func planOnce(rules []*mapping.CompiledObjectMapping, source, target *provision.Snapshot, state *provision.State, opts provision.Options) (*provision.Plan, *provision.State, error) {
	p, err := provision.NewPlanner(rules, opts)
	if err != nil {
		return nil, nil, err
	}
	return p.Plan(context.Background(), source, target, state)
}
