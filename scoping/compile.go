package scoping

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/attrmap/attrmap/internal/rxlimit"
)

// RegexTimeout is the CPU-time budget of one regular-expression match, so a
// catastrophically backtracking pattern costs at most about this much per
// object instead of stalling a sync cycle. It is CPU time, not wall-clock
// time (on Linux), so the outcome does not depend on how busy the machine
// is. A match that uses it up decides nothing: Match reports a
// *TimeoutError, Explain a Decision with Err set, and evaluation of the
// object stops there. Nested unbounded quantifiers, (a+)+, are rejected by
// Compile.
const RegexTimeout = 100 * time.Millisecond

// Set names, as the Graph filter spells its group sets. They appear in
// Decision, GroupReason and CompileError.
const (
	SetInput    = "inputFilterGroups"
	SetCategory = "categoryFilterGroups"
	SetGroups   = "groups"
)

// Matcher is a compiled filter. It is immutable and safe for concurrent use.
// A nil *Matcher lets every object in, like an absent filter.
type Matcher struct {
	sets []compiledSet // non-empty sets only, in evaluation order
}

type compiledSet struct {
	name   string
	groups []compiledGroup
}

type compiledGroup struct {
	name    string
	index   int
	clauses []compiledClause
}

type compiledClause struct {
	num     int // 1-based position in its group
	attr    string
	op      *opInfo
	text    string // `department EQUALS "Sales"`, for explanations
	values  []string
	ints    []int64           // Integer operators only
	regexes []*rxlimit.Regexp // regex operators only
}

// Compile validates the filter and prepares it for evaluation: it resolves
// every operatorName through the operator table, parses integer operands and
// compiles regular expressions (.NET syntax, case-sensitive, with
// RegexTimeout). It returns the first problem as a *CompileError naming the
// group, clause and operand.
//
// The sets are evaluated in the order the service applies them:
// inputFilterGroups, then categoryFilterGroups, then groups. An object is in
// scope when every non-empty set has a matching group; empty or absent sets
// impose nothing, so a nil or empty filter lets everyone in.
//
// A group with no clauses matches every object (an empty AND is true),
// which is consistent with the empty filter but worth knowing.
func (f *Filter) Compile() (*Matcher, error) {
	m := &Matcher{}
	if f == nil {
		return m, nil
	}
	for _, s := range []struct {
		name   string
		groups []Group
	}{
		{SetInput, f.InputFilterGroups},
		{SetCategory, f.CategoryFilterGroups},
		{SetGroups, f.Groups},
	} {
		if len(s.groups) == 0 {
			continue
		}
		cs := compiledSet{name: s.name, groups: make([]compiledGroup, len(s.groups))}
		for gi := range s.groups {
			g := &s.groups[gi]
			cg := compiledGroup{name: g.Name, index: gi, clauses: make([]compiledClause, len(g.Clauses))}
			for ci := range g.Clauses {
				cc, err := compileClause(&g.Clauses[ci])
				if err != nil {
					err.Set, err.Group, err.GroupName, err.Clause = s.name, gi, g.Name, ci+1
					return nil, err
				}
				cc.num = ci + 1
				cg.clauses[ci] = cc
			}
			cs.groups[gi] = cg
		}
		m.sets = append(m.sets, cs)
	}
	return m, nil
}

// compileClause compiles one clause; the caller fills in its position.
func compileClause(c *Clause) (compiledClause, *CompileError) {
	cc := compiledClause{attr: c.SourceOperandName, text: clauseText(c)}
	fail := func(operand int, msg, hint string, err error) (compiledClause, *CompileError) {
		return compiledClause{}, &CompileError{ClauseText: cc.text, Operand: operand, Msg: msg, Hint: hint, Err: err}
	}
	if strings.TrimSpace(c.OperatorName) == "" {
		return fail(0, "missing operatorName", "", nil)
	}
	op, ok := byName[normalizeOperator(c.OperatorName)]
	if !ok {
		if why, ok := unsupported[normalizeOperator(c.OperatorName)]; ok {
			return fail(0, fmt.Sprintf("unsupported operator %q", c.OperatorName), why, nil)
		}
		hint := "supported operators: " + operatorNames()
		if s := suggestOperator(c.OperatorName); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		return fail(0, fmt.Sprintf("unknown operator %q", c.OperatorName), hint, nil)
	}
	cc.op = op
	if c.SourceOperandName == "" {
		return fail(0, "missing sourceOperandName", "name the source attribute the clause tests", nil)
	}
	if op.Arity == unary {
		// The service ignores targetOperand for unary operators (exports
		// often carry "values": [] or a leftover value); so do we.
		return cc, nil
	}
	if len(c.TargetOperand.Values) == 0 {
		return fail(0, fmt.Sprintf("operator %s needs a value in targetOperand.values", op.Name), "", nil)
	}
	cc.values = c.TargetOperand.Values
	switch {
	case op.Integer:
		cc.ints = make([]int64, len(cc.values))
		for i, v := range cc.values {
			n, err := parseInt(v)
			if err != nil {
				return fail(i+1, fmt.Sprintf("operand %d %s is not an integer (operator %s compares integers)", i+1, quote(v), op.Name), "", err)
			}
			cc.ints[i] = n
		}
	case op.kind == opRegexMatch || op.kind == opNotRegexMatch:
		cc.regexes = make([]*rxlimit.Regexp, len(cc.values))
		for i, v := range cc.values {
			re, err := rxlimit.Compile(v, RegexTimeout)
			if err != nil {
				return fail(i+1, fmt.Sprintf("operand %d %s is not a valid regular expression: %v", i+1, quote(v), err), "", err)
			}
			cc.regexes[i] = re
		}
	}
	return cc, nil
}

// parseInt parses an integer the way .NET's Int64.Parse does by default:
// optional surrounding white space and sign, decimal digits only.
func parseInt(s string) (int64, error) {
	return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
}

// String renders the clause as messages show it: `department EQUALS
// "Sales"`, the operator as written.
func (c Clause) String() string { return clauseText(&c) }

// clauseText renders a clause for messages: `department EQUALS "Sales"`.
// The operator is shown as written, so the admin recognises their filter.
func clauseText(c *Clause) string {
	var b strings.Builder
	b.WriteString(c.SourceOperandName)
	if c.SourceOperandName == "" {
		b.WriteString(`""`)
	}
	b.WriteByte(' ')
	b.WriteString(c.OperatorName)
	if op, ok := byName[normalizeOperator(c.OperatorName)]; ok && op.Arity == unary {
		return b.String()
	}
	for i, v := range c.TargetOperand.Values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte(' ')
		b.WriteString(quote(v))
	}
	return b.String()
}

// quote wraps s in double quotes. It falls back to Go escaping only when s
// holds a double quote or a control character, so regular expressions like
// `.*\@domain.com` stay readable in messages.
func quote(s string) string {
	for _, r := range s {
		if r == '"' || r < 0x20 || r == 0x7f {
			return strconv.Quote(s)
		}
	}
	return `"` + s + `"`
}

// groupLabel names a group in messages: `group "Sales"`, or `group #2` when
// it has no name; groups outside the main set are prefixed with their set.
func groupLabel(set, name string, index int) string {
	label := fmt.Sprintf("group #%d", index+1)
	if name != "" {
		label = "group " + quote(name)
	}
	if set != "" && set != SetGroups {
		label = set + " " + label
	}
	return label
}

// CompileError reports a filter that cannot be evaluated: an unknown
// operator, a missing attribute name, a non-integer operand to an integer
// comparison, or an invalid regular expression.
type CompileError struct {
	Set        string // SetGroups, SetInput or SetCategory
	Group      int    // 0-based index of the group in its set
	GroupName  string // the group's name, possibly empty
	Clause     int    // 1-based clause number within the group
	ClauseText string // the clause as written: `department EQULAS "Sales"`
	Operand    int    // 1-based index into targetOperand.values; 0 if not about an operand
	Msg        string // what is wrong, lower-case
	Hint       string // how to fix it, if known
	Err        error  // the underlying error (regexp2 or strconv), if any
}

// Error formats the error as
// `group "Sales": clause 2 (department EQULAS "Sales"): unknown operator "EQULAS" (did you mean "EQUALS"?)`.
func (e *CompileError) Error() string {
	s := fmt.Sprintf("%s: clause %d (%s): %s", groupLabel(e.Set, e.GroupName, e.Group), e.Clause, e.ClauseText, e.Msg)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Unwrap returns the underlying error.
func (e *CompileError) Unwrap() error { return e.Err }

// Path returns the JSON path of the member at fault, such as
// "groups[0].clauses[1].targetOperand.values[0]".
func (e *CompileError) Path() string {
	p := fmt.Sprintf("%s[%d].clauses[%d]", e.Set, e.Group, e.Clause-1)
	if e.Operand > 0 {
		p += fmt.Sprintf(".targetOperand.values[%d]", e.Operand-1)
	}
	return p
}
