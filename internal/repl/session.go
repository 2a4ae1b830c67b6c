package repl

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// Prompts shown by Prompt.
const (
	// PromptReady asks for a new expression or command.
	PromptReady = "> "
	// PromptMore asks for the rest of an expression whose parentheses,
	// brackets or quotes are still open.
	PromptMore = ".. "
)

// Session is the state of one REPL: the current object, the frozen clock,
// the values that already exist in the target, the loaded schema, and any
// unfinished multi-line input. It does no terminal I/O; a front end reads a
// line, calls Process and prints what comes back. A Session is not safe for
// concurrent use.
type Session struct {
	attrs    map[string]expr.Value
	now      time.Time // zero: the live clock
	existing []string

	schema      *mapping.Schema
	schemaPath  string
	rule, objMp int // the object mapping :map and :scope use

	pending strings.Builder // the lines of an unfinished entry, joined by "\n"
	scan    scanState       // pending scanned so far, so each line is scanned once

	dir   string
	width int
	rand  io.Reader
	read  func(string) ([]byte, error)
	clock func() time.Time
}

// Option configures a Session.
type Option func(*Session)

// WithNow freezes the clock from the start, as :now does; for tests.
func WithNow(t time.Time) Option { return func(s *Session) { s.now = t } }

// WithDir resolves relative file names of :load and :schema against dir
// instead of the working directory.
func WithDir(dir string) Option { return func(s *Session) { s.dir = dir } }

// WithWidth sets the line width :fmt and :trace aim for (default 72).
func WithWidth(n int) Option { return func(s *Session) { s.width = n } }

// WithRand sets the random source of Guid and RandomString, so that tests
// are reproducible.
func WithRand(r io.Reader) Option { return func(s *Session) { s.rand = r } }

// New returns a session with an empty object and the live clock.
func New(opts ...Option) *Session {
	s := &Session{attrs: map[string]expr.Value{}, width: 72, read: os.ReadFile, clock: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Prompt returns PromptMore while an entry is unfinished, else PromptReady.
func (s *Session) Prompt() string {
	if s.pending.Len() > 0 {
		return PromptMore
	}
	return PromptReady
}

// Reset drops an unfinished entry (the front end calls it on Ctrl-C).
func (s *Session) Reset() { s.pending.Reset(); s.scan = scanState{} }

// maxPending bounds an unfinished entry: no expression may be longer
// (expr.DefaultMaxLength), so a longer entry is dropped with an error
// instead of growing without end.
const maxPending = expr.DefaultMaxLength

// Process handles one line of input: an expression, whose value it
// returns, or a command starting with ":". While parentheses, brackets or
// quotes are open it keeps the line and returns nothing (see Prompt); a
// blank line then ends the entry. out is the text to show, without a
// trailing newline. err is a problem with the entry, for ErrorText; the
// session stays usable. quit is true after :quit.
func (s *Session) Process(line string) (out string, quit bool, err error) {
	line = strings.TrimRight(line, "\r\n")
	if s.pending.Len() > 0 {
		if strings.TrimSpace(line) != "" {
			if s.pending.Len()+1+len(line) > maxPending {
				s.Reset()
				return "", false, fmt.Errorf("entry too long (more than %d bytes): dropped", maxPending)
			}
			// Only the new line is scanned: re-scanning the whole entry
			// on every line made a long entry quadratic.
			s.pending.WriteByte('\n')
			s.pending.WriteString(line)
			s.scan.feed("\n")
			s.scan.feed(line)
			if s.scan.open() {
				return "", false, nil
			}
		}
		line = s.pending.String()
		s.Reset()
	} else if strings.TrimSpace(line) == "" {
		return "", false, nil
	} else if open(line) && continues(line) {
		s.pending.WriteString(line)
		s.scan.feed(line)
		return "", false, nil
	}
	trimmed := strings.TrimSpace(line)
	if strings.HasPrefix(trimmed, ":") {
		return s.command(trimmed)
	}
	out, err = s.eval(line)
	return out, false, err
}

// continues reports whether an entry may span lines: expressions and the
// commands taking one.
func continues(line string) bool {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, ":") {
		return true
	}
	name, _, _ := strings.Cut(t, " ")
	c, ok := lookupCommand(name)
	return ok && c.takesExpr
}

// open reports whether src ends inside a string or attribute name, or with
// more "(" than ")".
func open(src string) bool {
	var st scanState
	st.feed(src)
	return st.open()
}

// scanState is where a scan of an entry stands, so that it can go on
// line by line.
type scanState struct {
	depth   int
	str     bool // inside "..."
	escaped bool // after a backslash inside a string
	attr    bool // inside [...]
}

// feed scans more of the entry.
func (st *scanState) feed(src string) {
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case st.escaped:
			st.escaped = false
		case st.str:
			switch c {
			case '\\':
				st.escaped = true
			case '"':
				st.str = false
			}
		case st.attr:
			if c == ']' {
				st.attr = false
			}
		case c == '"':
			st.str = true
		case c == '[':
			st.attr = true
		case c == '(':
			st.depth++
		case c == ')':
			st.depth--
		}
	}
}

// open reports whether a string, an attribute or a parenthesis is open.
func (st *scanState) open() bool { return st.str || st.attr || st.depth > 0 }

// ErrorText renders an error returned by Process for people: expression
// errors with the source line, a caret under the problem and the hint.
func ErrorText(err error) string {
	if e, ok := expr.AsError(err); ok {
		return e.Render()
	}
	return "error: " + err.Error()
}

// Attributes returns the names of the current object's attributes, sorted.
func (s *Session) Attributes() []string {
	names := make([]string, 0, len(s.attrs))
	for k := range s.attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// env returns the current object for evaluation.
func (s *Session) env() expr.MapEnv {
	m := make(expr.MapEnv, len(s.attrs))
	for k, v := range s.attrs {
		m[k] = v
	}
	return m
}

// evalOptions returns the frozen clock, random source and uniqueness check.
func (s *Session) evalOptions() expr.EvalOptions {
	o := expr.EvalOptions{Now: s.now, Rand: s.rand}
	if len(s.existing) > 0 {
		existing := s.existing
		o.Exists = func(v string) bool {
			for _, e := range existing {
				if strings.EqualFold(e, v) {
					return true
				}
			}
			return false
		}
	}
	return o
}

// compile compiles an expression typed at the prompt.
func (s *Session) compile(src string) (*expr.Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("expected an expression")
	}
	return expr.Compile(src)
}

// eval evaluates an expression against the current object.
func (s *Session) eval(src string) (string, error) {
	p, err := s.compile(src)
	if err != nil {
		return "", err
	}
	v, err := p.EvalWith(s.env(), s.evalOptions())
	if err != nil {
		return "", err
	}
	out := Show(v)
	if missing := s.missing(p); missing != "" {
		out += "\n" + missing
	}
	return out, nil
}

// missing notes the attributes an expression reads that the object does
// not have, since a typo in a name silently gives null.
func (s *Session) missing(p *expr.Program) string {
	var names []string
	for _, a := range p.Attributes() {
		if _, ok := s.env().Lookup(a); !ok {
			names = append(names, "["+a+"]")
		}
	}
	if len(names) == 0 {
		return ""
	}
	note := "note: the object has no " + strings.Join(names, ", ") + " (null)"
	if len(names) == 1 {
		if hint := suggest(strings.Trim(names[0], "[]"), s.Attributes()); hint != "" {
			note += fmt.Sprintf("; did you mean [%s]?", hint)
		}
	}
	return note
}

// Show renders a value for the REPL: strings quoted, multi-valued values
// as a list, <null>, <ignored: not flowed>, and a redacted value shown
// with a mark, since the person at the prompt may see it but logs will not.
func Show(v expr.Value) string {
	inner, redacted := expr.Unwrap(v)
	var s string
	switch inner.(type) {
	case nil:
		s = "<null>"
	default:
		if inner.Kind() == expr.KindIgnored {
			s = "<ignored: not flowed>"
		} else {
			s = expr.Display(inner)
		}
	}
	if redacted {
		s += "  [Redact: logs and plans show [Redact]]"
	}
	return s
}

// readFile reads a file named at the prompt; errors name it as typed.
func (s *Session) readFile(name string) ([]byte, error) {
	data, err := s.read(s.path(name))
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("cannot read %s: %v", name, pe.Err)
	}
	return data, err
}

// path resolves a file name against the session directory.
func (s *Session) path(name string) string {
	if s.dir == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(s.dir, name)
}
