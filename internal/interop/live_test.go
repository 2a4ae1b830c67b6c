package interop

// End-to-end tests of provisioning a live SCIM app (sync/connect,
// sync/execute, attrmap run) against the in-process server of package
// scimserver, with faults injected by a handler wrapper in front of it:
// 429 with Retry-After, 500s, timeouts, dropped connections (before and
// after the server acted), and a 409 uniqueness conflict from the server
// itself. After the faults clear, a second run converges: planning again
// gives nothing.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/interop/scimserver"
	"github.com/attrmap/attrmap/internal/scenario"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/connect"
	"github.com/attrmap/attrmap/sync/execute"
	"github.com/attrmap/attrmap/sync/provision"
	"github.com/attrmap/attrmap/sync/scim"
)

const liveSchema = "../../testdata/sync/groups-membership/schema.json"

// world is the source of the live tests: twelve users (u01 manages the
// others) and two groups of six, all assigned; the app starts empty.
func world(t *testing.T) ([]*mapping.CompiledObjectMapping, *provision.Snapshot) {
	t.Helper()
	sc, err := scenario.Load(filepath.Dir(liveSchema))
	if err != nil {
		t.Fatal(err)
	}
	src := &provision.Snapshot{}
	for i := 1; i <= 12; i++ {
		id := fmt.Sprintf("u%02d", i)
		attrs := map[string]any{
			"objectId": id, "userPrincipalName": id + "@contoso.com", "mailNickname": id,
			"displayName": "User " + id, "givenName": "User", "surname": id, "mail": id + "@contoso.com",
			"jobTitle": "Engineer", "accountEnabled": true,
		}
		if i > 1 {
			attrs["manager"] = "u01"
		}
		src.Add(id, attrs)
	}
	for g, name := range []string{"Engineering", "Sales"} {
		var members []string
		for i := 1; i <= 6; i++ {
			members = append(members, fmt.Sprintf("u%02d", g*6+i))
		}
		id := fmt.Sprintf("g%d", g+1)
		src.Add(id, map[string]any{"objectId": id, "displayName": name, "mailNickname": strings.ToLower(name), "members": members}).Type = "Group"
	}
	return sc.Rules, src
}

// faults wraps the server. While on, it answers the nth request of a
// method as its rule says; every request is counted.
type faults struct {
	next http.Handler
	on   atomic.Bool
	mu   sync.Mutex
	seen map[string]int // method -> requests so far
	// rules by method and 1-based count.
	rules map[string]map[int]string
	hits  map[string]int // fault -> times it fired
	posts map[string]int // userName or displayName -> POSTs that reached the server
}

func newFaults(next http.Handler) *faults {
	return &faults{next: next, seen: map[string]int{}, rules: map[string]map[int]string{}, hits: map[string]int{}, posts: map[string]int{}}
}

// sent counts the requests of the given methods so far. It holds the lock:
// the server's handlers run on their own goroutines.
func (f *faults) sent(methods ...string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, m := range methods {
		n += f.seen[m]
	}
	return n
}

// fired copies how many times each fault fired, holding the lock.
func (f *faults) fired() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.hits)
}

func (f *faults) set(method string, n int, fault string) {
	if f.rules[method] == nil {
		f.rules[method] = map[int]string{}
	}
	f.rules[method][n] = fault
}

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mu.Lock()
	f.seen[r.Method]++
	fault := ""
	if f.on.Load() {
		fault = f.rules[r.Method][f.seen[r.Method]]
	}
	if fault != "" {
		f.hits[fault]++
	}
	if r.Method == http.MethodPost && fault != "500" && fault != "429" && fault != "drop-before" {
		var res struct{ UserName, DisplayName string }
		json.Unmarshal(body, &res)
		f.posts[res.UserName+res.DisplayName]++
	}
	f.mu.Unlock()
	switch fault {
	case "429":
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"injected"}`)
		return
	case "slow":
		time.Sleep(300 * time.Millisecond) // past the client's timeout
		return
	case "drop-before":
		hijackClose(w)
		return
	case "drop-after":
		// The server acts, the answer is lost.
		f.next.ServeHTTP(httptest.NewRecorder(), r)
		hijackClose(w)
		return
	}
	f.next.ServeHTTP(w, r)
}

func hijackClose(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

func newClient(t *testing.T, url string) *connect.SCIMClient {
	t.Helper()
	c, err := connect.NewSCIMClient(connect.SCIMConfig{
		BaseURL: url, Token: "t0ken", Timeout: 150 * time.Millisecond, PageSize: 5,
		Retry: connect.Retry{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// liveCycle reads the target from the app, plans and executes.
func liveCycle(t *testing.T, c *connect.SCIMClient, rules []*mapping.CompiledObjectMapping, source *provision.Snapshot, state *provision.State, escrow *execute.Escrow, now time.Time, retry bool) *execute.Result {
	t.Helper()
	target, err := connect.ReadTarget(context.Background(), c, rules, connect.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return executeCycle(t, c, rules, source, target, state, escrow, now, execute.Options{RetryEscrowed: retry, Log: execute.LogContext{CycleID: "c"}})
}

// executeCycle plans the cycle against target and sends its requests to
// the app, as attrmap run does, with the clock at now.
func executeCycle(t *testing.T, c *connect.SCIMClient, rules []*mapping.CompiledObjectMapping, source, target *provision.Snapshot, state *provision.State, escrow *execute.Escrow, now time.Time, opts execute.Options) *execute.Result {
	t.Helper()
	plan, next, err := planOnce(rules, source, target, state, provision.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := scim.Requests(plan, rules...)
	if err != nil {
		t.Fatal(err)
	}
	opts.Clock = func() time.Time { return now }
	res, err := execute.Execute(context.Background(), c, execute.Input{Plan: plan, Requests: reqs, Next: next, State: state, Rules: rules, Escrow: escrow}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// planAgain reads the app and plans; a converged job has nothing to do.
func planAgain(t *testing.T, c *connect.SCIMClient, rules []*mapping.CompiledObjectMapping, source *provision.Snapshot, state *provision.State, now time.Time) *provision.Plan {
	t.Helper()
	target, err := connect.ReadTarget(context.Background(), c, rules, connect.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := planOnce(rules, source, target, state, provision.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func TestLiveFaults(t *testing.T) {
	rules, source := world(t)
	srv, err := scimserver.New(rules, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := newFaults(srv)
	ts := httptest.NewServer(f)
	defer ts.Close()
	c := newClient(t, ts.URL)
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

	// Someone creates u05 in the app behind the job's back, after the
	// job read the target: the server refuses the job's POST with 409.
	// Requests are counted from the first; the reads come first (GET).
	f.set(http.MethodPost, 1, "429") // retried after Retry-After
	f.set(http.MethodPost, 3, "500") // u02: 500 on every attempt
	f.set(http.MethodPost, 4, "500")
	f.set(http.MethodPost, 5, "500")
	f.set(http.MethodPost, 7, "drop-after")  // created, answer lost: in doubt
	f.set(http.MethodPost, 9, "drop-before") // retried? no: a POST is in doubt
	f.set(http.MethodPost, 11, "slow")       // a POST that times out: in doubt
	f.set(http.MethodPatch, 1, "slow")       // retried
	f.set(http.MethodPatch, 2, "drop-before")
	f.on.Store(true)
	state, escrow := &provision.State{}, &execute.Escrow{}
	// The conflict: a user with u12's userName made outside the job.
	ctx := context.Background()
	if _, err := c.Create(ctx, "Users", json.RawMessage(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"U12@contoso.com"}`)); err != nil {
		t.Fatal(err)
	}
	conflictID := srv.IDs("User")[0]
	f.mu.Lock()
	f.seen[http.MethodPost] = 0 // the numbering above is the job's
	f.mu.Unlock()
	// The job read the app before the conflict was made: plan without it.
	res := executeCycle(t, c, rules, source, &provision.Snapshot{}, state, escrow, now, execute.Options{Log: execute.LogContext{CycleID: "c1"}})
	codes := map[string]int{}
	for _, e := range escrow.Entries {
		codes[e.Code]++
	}
	t.Logf("first run: %+v; escrow codes %v; faults fired %v", res.Stats, codes, f.fired())
	for _, code := range []string{"InternalServerError", "EntryConflict", "WebExceptionProtocolError", "Timeout"} {
		if codes[code] == 0 {
			t.Errorf("no object escrowed with %s: %v", code, codes)
		}
	}
	for _, fault := range []string{"429", "500", "slow", "drop-before", "drop-after"} {
		if f.fired()[fault] == 0 {
			t.Errorf("fault %s never fired", fault)
		}
	}
	if res.Stats.Succeeded == 0 || res.Stats.Failed == 0 {
		t.Fatalf("stats %+v: want successes and failures", res.Stats)
	}
	// The state links only what succeeded, to the ids the server gave.
	byTarget := map[string]bool{}
	for _, id := range srv.IDs("User") {
		byTarget[id] = true
	}
	for _, id := range srv.IDs("Group") {
		byTarget[id] = true
	}
	for _, l := range res.State.Links {
		if !byTarget[l.Target] || !strings.HasPrefix(l.Target, "scim-") {
			t.Errorf("link %+v: not a server id", l)
		}
	}
	failed := map[string]bool{}
	for _, e := range escrow.Entries {
		failed[e.Key] = true
	}
	for _, l := range res.State.Links {
		if failed[l.Source] && l.Type == "User" {
			t.Errorf("link %+v of an escrowed create", l)
		}
	}

	// The faults clear; the conflicting account is the job's to take
	// over (matched by userName). A run later retries the escrow.
	f.on.Store(false)
	state = res.State
	res = liveCycle(t, c, rules, source, state, escrow, now.Add(6*time.Hour), false)
	t.Logf("second run: %+v, escrow %d", res.Stats, len(escrow.Entries))
	if res.Stats.Failed != 0 {
		for _, e := range res.Logs {
			if e.ProvisioningStatusInfo.Status == "failure" {
				t.Errorf("second run failure: %s %s: %+v", e.ProvisioningAction, e.SourceIdentity.ID, e.ProvisioningStatusInfo.ErrorInformation)
			}
		}
	}
	state = res.State
	if p := planAgain(t, c, rules, source, state, now.Add(6*time.Hour)); !p.IsEmpty() || len(p.Errors) > 0 {
		t.Errorf("planning again after the faults cleared:\n%s", p)
	}
	if len(escrow.Entries) != 0 {
		t.Errorf("escrow not empty: %+v", escrow.Entries)
	}
	// Looking each object up by its matching attribute, as incremental
	// cycles do, finds the same: nothing to do.
	looked, err := connect.LookupTarget(ctx, c, rules, source, state, connect.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, err := planOnce(rules, source, looked, state, provision.Options{Now: now}); err != nil || !p.IsEmpty() || len(p.Errors) > 0 {
		t.Errorf("planning against looked-up objects: %v\n%s", err, p)
	}
	// A hard-deleted source object is found by its cached id, so the
	// plan deletes it.
	gone := &provision.Snapshot{Attributes: source.Attributes}
	for _, o := range source.Objects {
		if o.ID != "u07" {
			gone.Objects = append(gone.Objects, o)
		}
	}
	looked, err = connect.LookupTarget(ctx, c, rules, gone, state, connect.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := planOnce(rules, gone, looked, state, provision.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if del := p.Stats.Delete; del != 1 {
		t.Errorf("planning a hard delete against looked-up objects:\n%s", p)
	}
	// Updates through faults: every PATCH meets one (a timeout, a
	// connection dropped before or after the server acted, a 429), is
	// retried, and succeeds.
	changed := &provision.Snapshot{Attributes: source.Attributes}
	for _, o := range source.Objects {
		o.Values = slices.Clone(o.Values)
		if i := source.Pos("jobTitle"); o.Type == "" && i >= 0 && i < len(o.Values) {
			o.Values[i] = expr.String("Lead")
		}
		changed.Objects = append(changed.Objects, o)
	}
	f.mu.Lock()
	f.seen[http.MethodPatch] = 0
	f.hits = map[string]int{}
	f.rules[http.MethodPatch] = map[int]string{}
	for n, fault := range []string{"slow", "drop-before", "drop-after", "429"} {
		for k := 0; k < 3; k++ {
			f.rules[http.MethodPatch][1+2*(3*n+k)] = fault // every other attempt
		}
	}
	f.mu.Unlock()
	f.on.Store(true)
	res = liveCycle(t, c, rules, changed, state, escrow, now.Add(7*time.Hour), false)
	f.on.Store(false)
	if res.Stats.Failed != 0 || res.Stats.Succeeded != 12 {
		t.Errorf("updates through faults: %+v", res.Stats)
	}
	for _, fault := range []string{"slow", "drop-before", "drop-after", "429"} {
		if n := f.fired()[fault]; n != 3 {
			t.Errorf("fault %s fired %d times on PATCH", fault, n)
		}
	}
	state = res.State
	if p := planAgain(t, c, rules, changed, state, now.Add(7*time.Hour)); !p.IsEmpty() || len(p.Errors) > 0 {
		t.Errorf("planning again after the updates:\n%s", p)
	}
	source = changed

	// No object was created twice: one resource per source object.
	if n := len(srv.IDs("User")); n != 12 {
		t.Errorf("%d users in the app, want 12", n)
	}
	if n := len(srv.IDs("Group")); n != 2 {
		t.Errorf("%d groups in the app, want 2", n)
	}
	if l, _ := findLink(state, "u12"); l.Target != conflictID {
		t.Errorf("u12 linked to %q, want the conflicting account %s taken over", l.Target, conflictID)
	}
	// Managers and members point at server ids.
	res12, _ := srv.Resource("User", conflictID)
	mgr, _ := scimserver.Flatten(res12, []string{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"})
	if l, _ := findLink(state, "u01"); mgr["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"] != l.Target {
		t.Errorf("u12's manager = %v, want u01's id %s", mgr, l.Target)
	}
}

func findLink(s *provision.State, source string) (provision.Link, bool) {
	for _, l := range s.Links {
		if l.Source == source {
			return l, true
		}
	}
	return provision.Link{}, false
}

// The command line: build attrmap once.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func attrmapBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "attrmap-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "attrmap")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/attrmap")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// cliEnv is a directory with the schema, the source and the token, and
// the command line of a run against url.
type cliEnv struct {
	dir  string
	args []string
}

const cliToken = "sup3r-s3cret-t0ken"

func newCLIEnv(t *testing.T, url string, source *provision.Snapshot) cliEnv {
	t.Helper()
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := source.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "source.json"), buf.Bytes(), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "token"), []byte(cliToken+"\n"), 0o600))
	schema, err := filepath.Abs(liveSchema)
	must(t, err)
	return cliEnv{dir: dir, args: []string{"run", "--schema", schema, "--source", filepath.Join(dir, "source.json"),
		"--scim", url, "--token-file", filepath.Join(dir, "token"), "--state", filepath.Join(dir, "state.json"),
		"--now", "2026-03-01T08:00:00Z", "--timeout", "2s"}}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// run runs attrmap with extra arguments and environment; it returns the
// exit code (-1 when killed by a signal) and the output.
func (e cliEnv) run(t *testing.T, env []string, extra ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(attrmapBin(t), append(append([]string(nil), e.args...), extra...)...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), cliToken) {
		t.Errorf("the output shows the token:\n%s", out.String())
	}
	return code, out.String()
}

func TestRunCommand(t *testing.T) {
	rules, source := world(t)
	srv, err := scimserver.New(rules, nil)
	must(t, err)
	f := newFaults(srv)
	ts := httptest.NewServer(f)
	defer ts.Close()
	e := newCLIEnv(t, ts.URL, source)

	// Faults: the third POST fails on every attempt (500).
	for n := 3; n <= 7; n++ {
		f.set(http.MethodPost, n, "500")
	}
	f.set(http.MethodPost, 1, "429")
	f.on.Store(true)
	code, out := e.run(t, nil)
	if code != 3 {
		t.Fatalf("first run: exit %d, want 3 (objects failed)\n%s", code, out)
	}
	if !strings.Contains(out, "1 failed") {
		t.Errorf("first run summary:\n%s", out)
	}
	f.on.Store(false)
	code, out = e.run(t, nil, "--retry-escrowed")
	if code != 0 {
		t.Fatalf("second run: exit %d, want 0\n%s", code, out)
	}
	for _, extra := range [][]string{nil, {"--lookup"}} {
		code, out = e.run(t, nil, extra...)
		if code != 0 || !strings.Contains(out, "0 to create, 0 to update, 0 to disable, 0 to delete") || !strings.Contains(out, "sent 0 of 0 requests") {
			t.Fatalf("third run %v: exit %d, want nothing to do\n%s", extra, code, out)
		}
	}
	// The logs: one JSON object per line, failures with their code.
	logs, err := os.ReadFile(filepath.Join(e.dir, "state.json.logs.jsonl"))
	must(t, err)
	var failures int
	for _, line := range bytes.Split(bytes.TrimSpace(logs), []byte("\n")) {
		var entry execute.LogEntry
		if err := json.Unmarshal(line, &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if entry.ProvisioningStatusInfo.Status == "failure" {
			failures++
			if entry.ProvisioningStatusInfo.ErrorInformation.ErrorCode != "InternalServerError" {
				t.Errorf("failure logged with %+v", entry.ProvisioningStatusInfo.ErrorInformation)
			}
		}
	}
	if failures != 1 {
		t.Errorf("%d failures logged, want 1", failures)
	}
	for _, name := range []string{"state.json", "state.json.escrow", "state.json.logs.jsonl"} {
		data, _ := os.ReadFile(filepath.Join(e.dir, name))
		if bytes.Contains(data, []byte(cliToken)) {
			t.Errorf("%s holds the token", name)
		}
	}
	if n := len(srv.IDs("User")); n != 12 {
		t.Errorf("%d users in the app, want 12", n)
	}
	// A dry run with --format logs style output sends nothing.
	before := f.sent(http.MethodPost, http.MethodPatch)
	if code, out := e.run(t, nil, "--dry-run"); code != 0 {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if after := f.sent(http.MethodPost, http.MethodPatch); after != before {
		t.Errorf("the dry run sent %d requests", after-before)
	}
}

// TestRunKilled kills attrmap run at chosen points of chosen requests and
// runs it again: the second run recovers the journal, converges, and no
// object is created twice.
func TestRunKilled(t *testing.T) {
	rules, source := world(t)
	// The same users with a new title: a cycle of PATCHes.
	changed := &provision.Snapshot{Attributes: source.Attributes}
	for _, o := range source.Objects {
		o.Values = slices.Clone(o.Values)
		if i := source.Pos("jobTitle"); o.Type == "" && i >= 0 && i < len(o.Values) {
			o.Values[i] = expr.String("Lead")
		}
		changed.Objects = append(changed.Objects, o)
	}
	for _, tt := range []struct {
		kill    string
		updates bool
	}{{"before:3", false}, {"after:3", false}, {"journaled:3", false}, {"after:13", false}, {"after:14", false}, {"before:2", true}, {"after:5", true}, {"journaled:12", true}} {
		kill := tt.kill
		name := kill
		if tt.updates {
			name = "updates " + kill
		}
		t.Run(name, func(t *testing.T) {
			srv, err := scimserver.New(rules, nil)
			must(t, err)
			f := newFaults(srv)
			ts := httptest.NewServer(f)
			defer ts.Close()
			e := newCLIEnv(t, ts.URL, source)
			if tt.updates {
				if code, out := e.run(t, nil); code != 0 {
					t.Fatalf("the first run: exit %d\n%s", code, out)
				}
				var buf bytes.Buffer
				must(t, changed.WriteJSON(&buf))
				must(t, os.WriteFile(filepath.Join(e.dir, "source.json"), buf.Bytes(), 0o644))
			}
			code, out := e.run(t, []string{"ATTRMAP_TEST_KILL=" + kill})
			if code != -1 {
				t.Fatalf("the run was not killed (exit %d)\n%s", code, out)
			}
			if _, err := os.Stat(filepath.Join(e.dir, "state.json.journal")); err != nil {
				t.Fatalf("no journal left behind: %v", err)
			}
			code, out = e.run(t, nil)
			if code != 0 {
				t.Fatalf("the run after the kill: exit %d\n%s", code, out)
			}
			if !strings.Contains(out, "recovered the journal") {
				t.Errorf("no recovery reported:\n%s", out)
			}
			code, out = e.run(t, nil)
			if code != 0 || !strings.Contains(out, "sent 0 of 0 requests") {
				t.Fatalf("planning again: exit %d, want nothing to do\n%s", code, out)
			}
			if n := len(srv.IDs("User")); n != 12 {
				t.Errorf("%d users in the app, want 12", n)
			}
			if tt.updates {
				for _, id := range srv.IDs("User") {
					res, _ := srv.Resource("User", id)
					if res["title"] != "Lead" {
						t.Errorf("user %s has title %v, want Lead", id, res["title"])
					}
				}
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			for name, n := range f.posts {
				if n != 1 {
					t.Errorf("%s was POSTed %d times", name, n)
				}
			}
		})
	}
}

// TestRunMaxOps sends a cycle in slices of five requests.
func TestRunMaxOps(t *testing.T) {
	rules, source := world(t)
	srv, err := scimserver.New(rules, nil)
	must(t, err)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	e := newCLIEnv(t, ts.URL, source)
	code, out := e.run(t, nil, "--max-ops", "5")
	if code != 3 || !strings.Contains(out, "sent 5 of 14 requests: 5 succeeded, 0 failed; 0 deferred, 9 not sent") {
		t.Fatalf("first slice: exit %d\n%s", code, out)
	}
	if n := len(srv.IDs("User")); n != 5 {
		t.Errorf("%d users after the first slice, want 5", n)
	}
	code, out = e.run(t, nil, "--max-ops", "5")
	if code != 3 || !strings.Contains(out, "sent 5 of 9 requests") {
		t.Fatalf("second slice: exit %d\n%s", code, out)
	}
	code, out = e.run(t, nil)
	if code != 0 || !strings.Contains(out, "sent 4 of 4 requests: 4 succeeded") {
		t.Fatalf("the rest: exit %d\n%s", code, out)
	}
	code, out = e.run(t, nil)
	if code != 0 || !strings.Contains(out, "sent 0 of 0 requests") {
		t.Fatalf("planning again: exit %d\n%s", code, out)
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
