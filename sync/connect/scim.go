package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SCIMConfig configures a SCIMClient.
type SCIMConfig struct {
	// BaseURL is the app's SCIM base URL ("https://app.example/scim/v2").
	BaseURL string
	// Token is the bearer token; read it with TokenFromFile or
	// TokenFromEnv. Empty sends no Authorization header.
	Token string
	// HTTPClient sends the requests; nil uses a client of its own.
	HTTPClient *http.Client
	// Timeout bounds each attempt; 0 means 30 s.
	Timeout time.Duration
	// MaxConcurrent bounds the requests in flight; 0 means 4.
	MaxConcurrent int
	// PageSize is the count of a list request; 0 means 100.
	PageSize int
	// Retry says how requests are retried.
	Retry Retry
	// Sleep waits between attempts; nil waits on a timer. Tests pass a
	// fake to record the delays.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to read a Retry-After date; nil is
	// time.Now.
	Now func() time.Time
	// Rand draws the jitter; nil uses a source of its own.
	Rand *rand.Rand
}

// Retry is the retry policy of 429, 5xx and failed idempotent requests.
type Retry struct {
	// MaxAttempts counts the first attempt; 0 means 5, 1 turns retries
	// off.
	MaxAttempts int
	// BaseDelay is the backoff of the first retry, doubled for each
	// later one; 0 means 500 ms.
	BaseDelay time.Duration
	// MaxDelay caps a backoff and a Retry-After; 0 means 60 s.
	MaxDelay time.Duration
}

func (r Retry) withDefaults() Retry {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = 5
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = 500 * time.Millisecond
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = 60 * time.Second
	}
	return r
}

// SCIMClient is a Connector for a SCIM 2.0 app over HTTP.
type SCIMClient struct {
	base  *url.URL
	token string
	http  *http.Client
	cfg   SCIMConfig
	retry Retry
	slots chan struct{}

	mu  sync.Mutex // guards rnd
	rnd *rand.Rand
}

var _ Connector = (*SCIMClient)(nil)

// NewSCIMClient checks the configuration and returns a client.
func NewSCIMClient(cfg SCIMConfig) (*SCIMClient, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("scim base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("scim base URL %q: want http:// or https:// and a host", cfg.BaseURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("scim base URL must not hold credentials; give the token in a file or the environment")
	}
	if strings.ContainsAny(cfg.Token, "\r\n") {
		return nil, errors.New("scim token holds a line break")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 4
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &SCIMClient{base: u, token: cfg.Token, http: cfg.HTTPClient, cfg: cfg, retry: cfg.Retry.withDefaults(), slots: make(chan struct{}, cfg.MaxConcurrent), rnd: cfg.Rand}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.rnd == nil {
		c.rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return c, nil
}

// PageSize is the count the client asks for per list page.
func (c *SCIMClient) PageSize() int { return c.cfg.PageSize }

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// scimError is the body of an RFC 7644 §3.12 error response.
type scimError struct {
	Status   json.RawMessage `json:"status"`
	SCIMType string          `json:"scimType"`
	Detail   string          `json:"detail"`
}

// do sends one request, retrying as the policy says, and returns the
// answer's body for a 2xx status.
func (c *SCIMClient) do(ctx context.Context, method, path string, query url.Values, body []byte) ([]byte, int, error) {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawPath = ""
	if p, err := url.PathUnescape(path); err == nil && p != path {
		// Keep escaped ids escaped on the wire.
		u.Path = c.base.Path + p
		u.RawPath = c.base.EscapedPath() + path
	}
	u.RawQuery = query.Encode()
	e := &Error{Method: method, Path: path}
	if len(query) > 0 {
		e.Path += "?" + u.RawQuery
	}
	idempotent := method != http.MethodPost
	for attempt := 1; ; attempt++ {
		e.Attempts = attempt
		data, status, header, err := c.once(ctx, method, u.String(), body)
		var delay time.Duration
		switch {
		case err != nil && ctx.Err() != nil:
			e.Status, e.Err, e.InDoubt = 0, ctx.Err(), !idempotent
			return nil, 0, e
		case err != nil:
			e.Status, e.Err = 0, err
			if !idempotent {
				e.InDoubt = true
				return nil, 0, e
			}
		case status >= 200 && status < 300:
			return data, status, nil
		default:
			e.Status, e.Err, e.InDoubt = status, nil, false
			var se scimError
			if json.Unmarshal(data, &se) == nil {
				e.SCIMType, e.Detail = se.SCIMType, se.Detail
			} else {
				e.SCIMType, e.Detail = "", strings.TrimSpace(string(truncate(data, 200)))
			}
			if status != http.StatusTooManyRequests && status < 500 {
				return nil, status, e
			}
			delay = c.retryAfter(header)
		}
		if attempt >= c.retry.MaxAttempts {
			return nil, e.Status, e
		}
		if delay <= 0 {
			delay = c.backoff(attempt)
		}
		if err := c.cfg.Sleep(ctx, delay); err != nil {
			e.Err = err
			return nil, e.Status, e
		}
	}
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// once sends one attempt under the concurrency limit and the attempt
// timeout.
func (c *SCIMClient) once(ctx context.Context, method, u string, body []byte) ([]byte, int, http.Header, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, nil, ctx.Err()
	}
	defer func() { <-c.slots }()
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, u, rd)
	if err != nil {
		return nil, 0, nil, err
	}
	req.Header.Set("Accept", "application/scim+json, application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, nil, stripURL(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, 0, nil, err
	}
	return data, resp.StatusCode, resp.Header, nil
}

// stripURL drops the *url.Error wrapper, whose text repeats the URL the
// Error already names.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryAfter reads a Retry-After header: seconds or an HTTP date, capped
// at MaxDelay; 0 when absent or unreadable.
func (c *SCIMClient) retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(c.cfg.Now())
	}
	if d < 0 {
		return 0
	}
	return min(d, c.retry.MaxDelay)
}

// backoff is the full-jitter exponential delay before retry number
// attempt (1 for the first retry).
func (c *SCIMClient) backoff(attempt int) time.Duration {
	ceil := c.retry.BaseDelay << min(attempt-1, 30)
	if ceil <= 0 || ceil > c.retry.MaxDelay {
		ceil = c.retry.MaxDelay
	}
	c.mu.Lock()
	d := time.Duration(c.rnd.Int64N(int64(ceil) + 1))
	c.mu.Unlock()
	return d
}

// listResponse is an RFC 7644 §3.4.2 ListResponse.
type listResponse struct {
	TotalResults int               `json:"totalResults"`
	StartIndex   int               `json:"startIndex"`
	Resources    []json.RawMessage `json:"Resources"`
}

func endpoint(resourceType string) string { return "/" + url.PathEscape(resourceType) }

func resourcePath(resourceType, id string) string {
	return endpoint(resourceType) + "/" + url.PathEscape(id)
}

// List implements Connector.
func (c *SCIMClient) List(ctx context.Context, resourceType string, startIndex, count int, excluded ...string) (*Page, error) {
	q := url.Values{"startIndex": {strconv.Itoa(startIndex)}, "count": {strconv.Itoa(count)}}
	if len(excluded) > 0 {
		q.Set("excludedAttributes", strings.Join(excluded, ","))
	}
	return c.list(ctx, resourceType, q)
}

func (c *SCIMClient) list(ctx context.Context, resourceType string, q url.Values) (*Page, error) {
	data, _, err := c.do(ctx, http.MethodGet, endpoint(resourceType), q, nil)
	if err != nil {
		return nil, err
	}
	var lr listResponse
	if err := json.Unmarshal(data, &lr); err != nil {
		return nil, &Error{Method: http.MethodGet, Path: endpoint(resourceType), Status: 200, Detail: "the answer is not a SCIM ListResponse: " + err.Error()}
	}
	p := &Page{TotalResults: lr.TotalResults, StartIndex: lr.StartIndex}
	for _, r := range lr.Resources {
		res, err := resource(r)
		if err != nil {
			return nil, &Error{Method: http.MethodGet, Path: endpoint(resourceType), Status: 200, Detail: err.Error()}
		}
		p.Resources = append(p.Resources, res)
	}
	return p, nil
}

// Lookup implements Connector: filter=attr eq "value", the only operators
// the service uses being eq and and.
func (c *SCIMClient) Lookup(ctx context.Context, resourceType, attr, value string, excluded ...string) ([]Resource, error) {
	q := url.Values{"filter": {attr + " eq " + strconv.Quote(value)}}
	if len(excluded) > 0 {
		q.Set("excludedAttributes", strings.Join(excluded, ","))
	}
	p, err := c.list(ctx, resourceType, q)
	if err != nil {
		return nil, err
	}
	return p.Resources, nil
}

func resource(data []byte) (Resource, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Resource{}, nil
	}
	var r struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return Resource{}, fmt.Errorf("the answer is not a SCIM resource: %v", err)
	}
	var id string
	if err := json.Unmarshal(r.ID, &id); err != nil {
		return Resource{}, fmt.Errorf("the resource's id is not a string: %s", truncate(r.ID, 40))
	}
	return Resource{ID: id, Raw: json.RawMessage(data)}, nil
}

// Create implements Connector. The server must answer with the resource
// and its id.
func (c *SCIMClient) Create(ctx context.Context, resourceType string, body json.RawMessage) (Resource, error) {
	data, status, err := c.do(ctx, http.MethodPost, endpoint(resourceType), nil, body)
	if err != nil {
		return Resource{}, err
	}
	r, err := resource(data)
	if err == nil && r.ID == "" {
		err = errors.New("the answer has no id")
	}
	if err != nil {
		return Resource{}, &Error{Method: http.MethodPost, Path: endpoint(resourceType), Status: status, Detail: err.Error(), InDoubt: true}
	}
	return r, nil
}

// Patch implements Connector.
func (c *SCIMClient) Patch(ctx context.Context, resourceType, id string, body json.RawMessage) (Resource, error) {
	return c.write(ctx, http.MethodPatch, resourcePath(resourceType, id), body)
}

// Replace implements Connector.
func (c *SCIMClient) Replace(ctx context.Context, resourceType, id string, body json.RawMessage) (Resource, error) {
	return c.write(ctx, http.MethodPut, resourcePath(resourceType, id), body)
}

func (c *SCIMClient) write(ctx context.Context, method, path string, body json.RawMessage) (Resource, error) {
	data, status, err := c.do(ctx, method, path, nil, body)
	if err != nil {
		return Resource{}, err
	}
	r, err := resource(data)
	if err != nil {
		return Resource{}, &Error{Method: method, Path: path, Status: status, Detail: err.Error()}
	}
	return r, nil
}

// Delete implements Connector; a 404 means the resource is already gone.
func (c *SCIMClient) Delete(ctx context.Context, resourceType, id string) error {
	_, status, err := c.do(ctx, http.MethodDelete, resourcePath(resourceType, id), nil, nil)
	if err != nil && status == http.StatusNotFound {
		return nil
	}
	return err
}
