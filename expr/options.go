package expr

import (
	"crypto/rand"
	"io"
	"sync"
	"time"
)

// Option configures Compile.
type Option func(*config)

type config struct {
	funcs        *Registry
	clock        func() time.Time
	rand         io.Reader
	exists       func(string) bool
	maxDepth     int
	maxLen       int
	regexTimeout time.Duration
}

// Limits applied unless options change them.
const (
	// DefaultMaxDepth bounds the nesting of calls and parentheses.
	DefaultMaxDepth = 64
	// DefaultMaxLength bounds the source text, in bytes.
	DefaultMaxLength = 64 << 10
	// DefaultRegexTimeout bounds one regular-expression match, as the
	// service's .NET Regex match timeout does.
	DefaultRegexTimeout = 100 * time.Millisecond
)

func newConfig(opts []Option) config {
	c := config{
		clock:        time.Now,
		rand:         rand.Reader,
		maxDepth:     DefaultMaxDepth,
		maxLen:       DefaultMaxLength,
		regexTimeout: DefaultRegexTimeout,
	}
	for _, o := range opts {
		o(&c)
	}
	if c.funcs == nil {
		c.funcs = Default()
	}
	return c
}

// WithFunctions adds functions to (or replaces functions of) the built-in
// registry.
func WithFunctions(fs ...*Func) Option {
	return func(c *config) {
		base := c.funcs
		if base == nil {
			base = Default()
		}
		c.funcs = base.extend(fs...)
	}
}

// WithClock sets the clock read by Now and by date functions.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithNow freezes the clock at t.
func WithNow(t time.Time) Option { return WithClock(func() time.Time { return t }) }

// WithRand sets the random source of Guid and RandomString.
//
// A Program is used from many goroutines, and they all read r: reads are
// serialised by a lock, so r need not be safe for concurrent use. With a
// deterministic r (a seeded generator), which evaluation gets which bytes
// then depends on the order in which the evaluations run; for results
// that do not depend on scheduling give each evaluation its own reader,
// EvalOptions.Rand, as the planner does (one stream per object).
func WithRand(r io.Reader) Option {
	return func(c *config) {
		if r != nil {
			r = &lockedReader{r: r}
		}
		c.rand = r
	}
}

// lockedReader serialises the reads of a shared random source.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// WithExisting sets the uniqueness check of SelectUniqueValue: it reports
// whether a candidate value already exists in the target.
func WithExisting(exists func(value string) bool) Option {
	return func(c *config) { c.exists = exists }
}

// WithMaxDepth bounds the nesting depth of calls and parentheses.
func WithMaxDepth(n int) Option { return func(c *config) { c.maxDepth = n } }

// WithMaxLength bounds the length of the source text in bytes.
func WithMaxLength(n int) Option { return func(c *config) { c.maxLen = n } }

// WithRegexTimeout bounds each regular-expression match.
func WithRegexTimeout(d time.Duration) Option { return func(c *config) { c.regexTimeout = d } }

// set reports whether any field is set.
func (o *EvalOptions) set() bool { return o.Rand != nil || o.Exists != nil || !o.Now.IsZero() }

// EvalOptions override, for one evaluation, what the compile options set.
// Zero fields keep the program's setting.
type EvalOptions struct {
	// Now freezes the clock.
	Now time.Time
	// Rand is the random source.
	Rand io.Reader
	// Exists is the uniqueness check of SelectUniqueValue.
	Exists func(value string) bool
	// ExistsIn names where Exists looks, for the error of
	// SelectUniqueValue when every candidate is taken ("every candidate
	// value already exists in ExistsIn"); "the target" when empty.
	ExistsIn string
}
