package connect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testClient returns a client of srv whose sleeps are recorded, not
// waited.
func testClient(t *testing.T, srv *httptest.Server, cfg SCIMConfig) (*SCIMClient, *[]time.Duration) {
	t.Helper()
	var mu sync.Mutex
	var slept []time.Duration
	cfg.BaseURL = srv.URL + "/scim"
	if cfg.Token == "" {
		cfg.Token = "s3cret-token"
	}
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		slept = append(slept, d)
		mu.Unlock()
		return ctx.Err()
	}
	cfg.Rand = rand.New(rand.NewPCG(1, 2))
	c, err := NewSCIMClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, &slept
}

func TestRetry(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name      string
		method    string
		answers   []func(w http.ResponseWriter)
		wantCalls int
		wantSlept []time.Duration // nil: do not check (jitter)
		wantErr   string
		wantCode  string
		inDoubt   bool
	}{
		{
			name:   "429 with Retry-After seconds",
			method: http.MethodPatch,
			answers: []func(w http.ResponseWriter){
				func(w http.ResponseWriter) { w.Header().Set("Retry-After", "7"); w.WriteHeader(429) },
				func(w http.ResponseWriter) { w.Header().Set("Retry-After", "2"); w.WriteHeader(429) },
				ok,
			},
			wantCalls: 3,
			wantSlept: []time.Duration{7 * time.Second, 2 * time.Second},
		},
		{
			name:   "429 with Retry-After date, capped",
			method: http.MethodPatch,
			answers: []func(w http.ResponseWriter){
				func(w http.ResponseWriter) {
					w.Header().Set("Retry-After", now.Add(3*time.Minute).Format(http.TimeFormat))
					w.WriteHeader(429)
				},
				ok,
			},
			wantCalls: 2,
			wantSlept: []time.Duration{60 * time.Second},
		},
		{
			name:      "500s until success",
			method:    http.MethodDelete,
			answers:   []func(w http.ResponseWriter){status(500), status(503), ok},
			wantCalls: 3,
		},
		{
			name:      "500s until attempts run out",
			method:    http.MethodPatch,
			answers:   []func(w http.ResponseWriter){status(500), status(500), status(500), status(500), status(500), ok},
			wantCalls: 5,
			wantErr:   "PATCH /Users/x: 500 (after 5 attempts)",
			wantCode:  "InternalServerError",
		},
		{
			name:   "409 is not retried and keeps the SCIM error",
			method: http.MethodPost,
			answers: []func(w http.ResponseWriter){func(w http.ResponseWriter) {
				w.WriteHeader(409)
				io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"userName taken"}`)
			}},
			wantCalls: 1,
			wantErr:   "POST /Users: 409 uniqueness: userName taken",
			wantCode:  "EntryConflict",
		},
		{
			name:      "400 with a text body",
			method:    http.MethodPatch,
			answers:   []func(w http.ResponseWriter){func(w http.ResponseWriter) { w.WriteHeader(400); io.WriteString(w, "bad path\n") }},
			wantCalls: 1,
			wantErr:   "PATCH /Users/x: 400: bad path",
			wantCode:  "UnprocessableEntity",
		},
		{
			name:      "dropped connection on PATCH is retried",
			method:    http.MethodPatch,
			answers:   []func(w http.ResponseWriter){drop, ok},
			wantCalls: 2,
		},
		{
			name:      "dropped connection on POST is in doubt",
			method:    http.MethodPost,
			answers:   []func(w http.ResponseWriter){drop, ok},
			wantCalls: 1,
			wantErr:   "POST /Users: no answer: EOF (in doubt: the server may have carried it out)",
			wantCode:  "WebExceptionProtocolError",
			inDoubt:   true,
		},
		{
			name:      "DELETE of a resource already gone",
			method:    http.MethodDelete,
			answers:   []func(w http.ResponseWriter){status(404)},
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Authorization"); got != "Bearer s3cret-token" {
					t.Errorf("Authorization = %q", got)
				}
				n := int(calls.Add(1)) - 1
				tt.answers[min(n, len(tt.answers)-1)](w)
			}))
			defer srv.Close()
			c, slept := testClient(t, srv, SCIMConfig{Now: func() time.Time { return now }})
			var err error
			switch tt.method {
			case http.MethodPost:
				_, err = c.Create(context.Background(), "Users", json.RawMessage(`{"userName":"a"}`))
			case http.MethodPatch:
				_, err = c.Patch(context.Background(), "Users", "x", json.RawMessage(`{}`))
			case http.MethodDelete:
				err = c.Delete(context.Background(), "Users", "x")
			}
			if got := int(calls.Load()); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if tt.wantSlept != nil {
				if diff := cmp.Diff(tt.wantSlept, *slept); diff != "" {
					t.Errorf("delays (-want +got):\n%s", diff)
				}
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if got := se.Error(); got != tt.wantErr {
				t.Errorf("error = %q, want %q", got, tt.wantErr)
			}
			if strings.Contains(se.Error(), "s3cret") {
				t.Errorf("the error shows the token: %s", se)
			}
			if se.Code() != tt.wantCode || se.InDoubt != tt.inDoubt {
				t.Errorf("code, in doubt = %s, %t; want %s, %t", se.Code(), se.InDoubt, tt.wantCode, tt.inDoubt)
			}
		})
	}
}

func ok(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(200)
	io.WriteString(w, `{"id":"x"}`)
}

func status(code int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) { w.WriteHeader(code) }
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestBackoffJitter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer srv.Close()
	c, slept := testClient(t, srv, SCIMConfig{Retry: Retry{MaxAttempts: 6, BaseDelay: time.Second, MaxDelay: 10 * time.Second}})
	_, err := c.Patch(context.Background(), "Users", "x", json.RawMessage(`{}`))
	if err == nil {
		t.Fatal("want an error")
	}
	if len(*slept) != 5 {
		t.Fatalf("slept %d times, want 5", len(*slept))
	}
	for i, d := range *slept {
		ceil := min(time.Second<<i, 10*time.Second)
		if d < 0 || d > ceil {
			t.Errorf("delay %d = %v, want within [0, %v]", i+1, d, ceil)
		}
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		ok(w)
	}))
	defer srv.Close()
	defer close(release)
	c, _ := testClient(t, srv, SCIMConfig{Timeout: 50 * time.Millisecond})
	if _, err := c.Patch(context.Background(), "Users", "x", json.RawMessage(`{}`)); err != nil {
		t.Fatalf("a timed-out PATCH is retried: %v", err)
	}
	calls.Store(0)
	_, err := c.Create(context.Background(), "Users", json.RawMessage(`{}`))
	var se *Error
	if !errors.As(err, &se) || se.Code() != "Timeout" || !se.InDoubt {
		t.Fatalf("POST timing out: %v, want an in-doubt Timeout", err)
	}
}

func TestCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, _ := testClient(t, srv, SCIMConfig{})
	if _, err := c.Patch(ctx, "Users", "x", json.RawMessage(`{}`)); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		ok(w)
	}))
	defer srv.Close()
	c, _ := testClient(t, srv, SCIMConfig{MaxConcurrent: 2})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Patch(context.Background(), "Users", "x", json.RawMessage(`{}`)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 2 {
		t.Errorf("%d requests in flight, want at most 2", p)
	}
}

func TestListAndLookup(t *testing.T) {
	users := []string{"a", "b", "c", "d", "e"}
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
		q := r.URL.Query()
		if f := q.Get("filter"); f != "" {
			fmt.Fprintf(w, `{"totalResults":1,"Resources":[{"id":"id-b","userName":"b"}]}`)
			return
		}
		var start, count int
		fmt.Sscan(q.Get("startIndex"), &start)
		fmt.Sscan(q.Get("count"), &count)
		var res []string
		for i := start - 1; i < len(users) && i < start-1+count; i++ {
			res = append(res, fmt.Sprintf(`{"id":"id-%s","userName":"%s"}`, users[i], users[i]))
		}
		fmt.Fprintf(w, `{"totalResults":%d,"startIndex":%d,"Resources":[%s]}`, len(users), start, strings.Join(res, ","))
	}))
	defer srv.Close()
	c, _ := testClient(t, srv, SCIMConfig{PageSize: 2})
	var got []string
	for start := 1; ; {
		p, err := c.List(context.Background(), "Users", start, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Resources {
			got = append(got, r.ID)
		}
		start += len(p.Resources)
		if len(p.Resources) == 0 || start > p.TotalResults {
			break
		}
	}
	found, err := c.Lookup(context.Background(), "Users", "userName", `b "quoted"`)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, "lookup:"+found[0].ID)
	want := []string{"id-a", "id-b", "id-c", "id-d", "id-e", "lookup:id-b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	wantQ := []string{
		"/scim/Users?count=2&startIndex=1",
		"/scim/Users?count=2&startIndex=3",
		"/scim/Users?count=2&startIndex=5",
		`/scim/Users?filter=userName+eq+%22b+%5C%22quoted%5C%22%22`,
	}
	if diff := cmp.Diff(wantQ, queries); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestNewSCIMClientErrors(t *testing.T) {
	for _, tt := range []struct{ url, token, want string }{
		{"ftp://x", "", `scim base URL "ftp://x": want http:// or https:// and a host`},
		{"https://user:pw@x", "", "scim base URL must not hold credentials; give the token in a file or the environment"},
		{"https://x", "a\nb", "scim token holds a line break"},
	} {
		_, err := NewSCIMClient(SCIMConfig{BaseURL: tt.url, Token: tt.token})
		if err == nil || err.Error() != tt.want {
			t.Errorf("NewSCIMClient(%q) = %v, want %q", tt.url, err, tt.want)
		}
	}
}
