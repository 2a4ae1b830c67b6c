package scoping

import (
	"strconv"
	"strings"
)

// failure says why a clause was false; the explanation text is built from it
// only when asked for, so InScope does not allocate.
type failure uint8

const (
	passed      failure = iota
	failEmpty           // attribute null or empty
	failValue           // IS NULL, but the attribute has a value
	failNoHit           // positive operator, no value satisfied it
	failNotInt          // integer operator, a value is not an integer
	failHit             // negated operator, a value satisfied the positive form
	failTimeout         // a regular expression timed out
)

// result is the outcome of one clause on one object.
type result struct {
	why     failure
	value   string // the value the explanation talks about
	operand int    // index of the operand involved, for failHit/failTimeout
	n       int    // number of non-empty values
}

// InScope reports whether obj passes the filter. It evaluates clauses lazily
// (first failing clause ends a group, first matching group ends a set) and
// does not allocate unless obj does or a regular expression runs.
//
// A regular expression that uses up its budget (RegexTimeout) makes InScope
// false. Code that acts on the answer, such as disabling an object that
// went out of scope, must call Match, which reports it as an error.
func (m *Matcher) InScope(obj Object) bool {
	in, err := m.Match(obj)
	return in && err == nil
}

// Match is InScope that reports a regular expression that used up its
// budget as a *TimeoutError instead of deciding anything: the object is
// neither in nor out of scope. Evaluation stops at the first timeout, so
// an object costs at most one budget however many clauses time out.
func (m *Matcher) Match(obj Object) (bool, error) {
	if m == nil {
		return true, nil
	}
	for i := range m.sets {
		s := &m.sets[i]
		gi, to := s.match(obj)
		if to != nil {
			return false, to.err(s)
		}
		if gi < 0 {
			return false, nil
		}
	}
	return true, nil
}

// timedOut locates a regular expression that used up its budget.
type timedOut struct {
	group, clause int
	r             result
}

func (t *timedOut) err(s *compiledSet) *TimeoutError {
	g := &s.groups[t.group]
	c := &g.clauses[t.clause]
	return &TimeoutError{GroupReason{
		Set: s.name, Group: g.name, GroupIndex: t.group, Clause: c.num,
		Attribute: c.attr, Operator: c.op.Name, ClauseText: c.text,
		Why: c.explain(t.r, nil),
	}}
}

// TimeoutError reports a regular expression of a clause that used up its
// budget on an object: the object is neither in nor out of scope. The
// GroupReason locates the clause; its Why says `regular expression "..."
// timed out on value "..." (...)`.
type TimeoutError struct {
	GroupReason
}

func (e *TimeoutError) Error() string { return e.GroupReason.String() }

// match returns the index of the first matching group, or -1; or where a
// regular expression timed out.
func (s *compiledSet) match(obj Object) (int, *timedOut) {
	for gi := range s.groups {
		ci, r := s.groups[gi].firstFailure(obj)
		if r.why == failTimeout {
			return -1, &timedOut{group: gi, clause: ci, r: r}
		}
		if ci < 0 {
			return gi, nil
		}
	}
	return -1, nil
}

// firstFailure returns the index of the first false clause, or -1, and its
// result.
func (g *compiledGroup) firstFailure(obj Object) (int, result) {
	for ci := range g.clauses {
		c := &g.clauses[ci]
		vals, _ := obj.Values(c.attr)
		if r := c.eval(vals); r.why != passed {
			return ci, r
		}
	}
	return -1, result{}
}

// eval applies the clause to an attribute's values.
func (c *compiledClause) eval(vals []string) result {
	n, first := 0, ""
	for _, v := range vals {
		if v != "" {
			if n == 0 {
				first = v
			}
			n++
		}
	}
	switch c.op.kind {
	case opIsNull:
		if n == 0 {
			return result{}
		}
		return result{why: failValue, value: first, n: n}
	case opIsNotNull:
		if n > 0 {
			return result{}
		}
		return result{why: failEmpty}
	}
	if n == 0 {
		return result{why: failEmpty}
	}

	hit, hitVal, hitOp := false, "", 0
	notInt, timeout, toVal, toOp := "", false, "", 0
values:
	for _, v := range vals {
		if v == "" {
			continue
		}
		switch c.op.kind {
		case opIsTrue, opIsFalse:
			want := "True"
			if c.op.kind == opIsFalse {
				want = "False"
			}
			if strings.EqualFold(strings.TrimSpace(v), want) {
				hit, hitVal = true, v
				break values
			}
			continue
		}
		var iv int64
		if c.op.Integer {
			var err error
			if iv, err = parseInt(v); err != nil {
				if notInt == "" {
					notInt = v
				}
				continue
			}
		}
		for j, operand := range c.values {
			var ok bool
			switch c.op.kind {
			case opEquals, opNotEquals:
				ok = v == operand
			case opIncludes:
				ok = strings.Contains(v, operand)
			case opEndsWith:
				ok = strings.HasSuffix(v, operand)
			case opContainedIn, opNotContainedIn:
				ok = strings.Contains(operand, v)
			case opGreater:
				ok = iv > c.ints[j]
			case opGreaterOrEqual:
				ok = iv >= c.ints[j]
			case opLess:
				ok = iv < c.ints[j]
			case opLessOrEqual:
				ok = iv <= c.ints[j]
			case opRegexMatch, opNotRegexMatch:
				var err error
				ok, err = c.regexes[j].MatchString(v)
				if err != nil {
					// The clause is undecided: stop here, so one object
					// spends at most one budget.
					timeout, toVal, toOp = true, v, j
					break values
				}
			default:
				panic("scoping: operator without implementation: " + c.op.Name)
			}
			if ok {
				hit, hitVal, hitOp = true, v, j
				break values
			}
		}
	}

	if timeout {
		return result{why: failTimeout, value: toVal, operand: toOp, n: n}
	}
	if c.op.Negated {
		switch {
		case hit:
			return result{why: failHit, value: hitVal, operand: hitOp, n: n}
		case timeout:
			return result{why: failTimeout, value: toVal, operand: toOp, n: n}
		}
		return result{}
	}
	switch {
	case hit:
		return result{}
	case timeout:
		return result{why: failTimeout, value: toVal, operand: toOp, n: n}
	case notInt != "":
		return result{why: failNotInt, value: notInt, n: n}
	}
	return result{why: failNoHit, value: first, n: n}
}

// Decision is the outcome of Explain: whether the object is in scope and why.
type Decision struct {
	// InScope is the same answer InScope gives.
	InScope bool
	// Set is the group set that decided: for an object in scope, the last set
	// evaluated (normally SetGroups); for one out of scope, the set none of
	// whose groups matched. It is "" when the filter is empty.
	Set string
	// Group is the name of the group that let the object in (may be empty for
	// an unnamed group); GroupIndex is its 0-based index in Set. Both are
	// meaningful only when InScope is true and Set is not "".
	Group      string
	GroupIndex int
	// Reasons holds, when the object is out of scope, one entry per group of
	// Set: the first clause of that group that failed and why.
	Reasons []GroupReason
	// Err is set when a regular expression used up its budget: the object
	// is then neither in nor out of scope (InScope is false, Reasons is
	// empty), and whoever acts on the decision must stop.
	Err *TimeoutError
}

// GroupReason explains why one group did not match.
type GroupReason struct {
	Set        string // the group's set (SetGroups, SetInput or SetCategory)
	Group      string // the group's name, possibly empty
	GroupIndex int    // 0-based index of the group in its set
	Clause     int    // 1-based number of the first failing clause
	Attribute  string // the clause's sourceOperandName
	Operator   string // the clause's operatorName as written
	ClauseText string // `department EQUALS "Sales"`
	Why        string // `value "Marketing" does not equal "Sales"`
}

// String formats the reason on one line:
// `group "Sales": clause 2 (department EQUALS "Sales"): value "Marketing" does not equal "Sales"`.
func (r GroupReason) String() string {
	return groupLabel(r.Set, r.Group, r.GroupIndex) + ": clause " + itoa(r.Clause) + " (" + r.ClauseText + "): " + r.Why
}

// Reason is the decision's explanation without the verdict:
// `group "Sales" matched`, `no scoping filter`, or the failing groups'
// reasons joined with "; ".
func (d Decision) Reason() string {
	switch {
	case d.Err != nil:
		return d.Err.Error()
	case d.InScope && d.Set == "":
		return "no scoping filter"
	case d.InScope:
		return groupLabel(d.Set, d.Group, d.GroupIndex) + " matched"
	}
	parts := make([]string, len(d.Reasons))
	for i, r := range d.Reasons {
		parts[i] = r.String()
	}
	return strings.Join(parts, "; ")
}

// String is the one-line verdict and reason, as the CLI prints it:
// `in scope: group "Sales" matched` or
// `out of scope: group "Sales": clause 2 (...): value "Marketing" does not equal "Sales"`.
func (d Decision) String() string {
	if d.Err != nil {
		return "undecided: " + d.Reason()
	}
	if d.InScope {
		return "in scope: " + d.Reason()
	}
	return "out of scope: " + d.Reason()
}

// Explain evaluates obj like InScope and says why. It stops at the first set
// that rejects the object, and reports for each of that set's groups the
// first clause that failed.
func (m *Matcher) Explain(obj Object) Decision {
	if m == nil || len(m.sets) == 0 {
		return Decision{InScope: true}
	}
	var d Decision
	for si := range m.sets {
		s := &m.sets[si]
		gi, to := s.match(obj)
		if to != nil {
			return Decision{Set: s.name, Err: to.err(s)}
		}
		if gi >= 0 {
			d = Decision{InScope: true, Set: s.name, Group: s.groups[gi].name, GroupIndex: gi}
			continue
		}
		d = Decision{Set: s.name, Reasons: make([]GroupReason, 0, len(s.groups))}
		for gi := range s.groups {
			g := &s.groups[gi]
			ci, r := g.firstFailure(obj)
			c := &g.clauses[ci]
			vals, _ := obj.Values(c.attr)
			d.Reasons = append(d.Reasons, GroupReason{
				Set: s.name, Group: g.name, GroupIndex: gi, Clause: c.num,
				Attribute: c.attr, Operator: c.op.Name, ClauseText: c.text,
				Why: c.explain(r, vals),
			})
		}
		return d
	}
	return d
}

// verbs gives each operator's phrase for "does not hold" and "holds".
var verbs = map[opKind][2]string{
	opEquals:         {"does not equal", "equals"},
	opNotEquals:      {"does not equal", "equals"},
	opIncludes:       {"does not include", "includes"},
	opEndsWith:       {"does not end with", "ends with"},
	opRegexMatch:     {"does not match", "matches"},
	opNotRegexMatch:  {"does not match", "matches"},
	opContainedIn:    {"does not occur in", "occurs in"},
	opNotContainedIn: {"does not occur in", "occurs in"},
	opGreater:        {"is not greater than", "is greater than"},
	opGreaterOrEqual: {"is not greater than or equal to", "is greater than or equal to"},
	opLess:           {"is not less than", "is less than"},
	opLessOrEqual:    {"is not less than or equal to", "is less than or equal to"},
	opIsTrue:         {"is not true", "is true"},
	opIsFalse:        {"is not false", "is false"},
}

// explain turns a failed result into the human-readable "why".
func (c *compiledClause) explain(r result, vals []string) string {
	v := verbs[c.op.kind]
	switch r.why {
	case failEmpty:
		return c.attr + " is null or empty"
	case failValue:
		return c.attr + " has value " + c.showValue(r.value)
	case failNotInt:
		return "value " + quote(r.value) + " is not an integer"
	case failHit:
		return "value " + c.showValue(r.value) + " " + v[1] + " " + c.showOperand(r.operand)
	case failTimeout:
		return "regular expression " + quote(c.values[r.operand]) + " timed out on value " +
			quote(r.value) + " after " + RegexTimeout.String() + " of CPU time (the object is neither in nor out of scope)"
	case failNoHit:
		if r.n == 1 {
			return strings.TrimSpace("value " + c.showValue(r.value) + " " + v[0] + " " + c.showOperands())
		}
		return strings.TrimSpace("none of the values " + c.showValues(vals) + " " + v[1] + " " + c.showOperands())
	}
	return "clause is false"
}

// showValue renders an attribute value: integers bare for integer operators.
func (c *compiledClause) showValue(s string) string {
	if c.op.Integer {
		return strings.TrimSpace(s)
	}
	return quote(s)
}

func (c *compiledClause) showOperand(i int) string {
	if c.op.Integer {
		return itoa64(c.ints[i])
	}
	return quote(c.values[i])
}

// showOperands renders the operand list: `"Sales"` or `any of "Sales", "Support"`.
func (c *compiledClause) showOperands() string {
	switch len(c.values) {
	case 0:
		return ""
	case 1:
		return c.showOperand(0)
	}
	parts := make([]string, len(c.values))
	for i := range c.values {
		parts[i] = c.showOperand(i)
	}
	return "any of " + strings.Join(parts, ", ")
}

// showValues lists the non-empty values of a multi-valued attribute, at most
// maxListed of them, so a long proxyAddresses list stays one readable line.
func (c *compiledClause) showValues(vals []string) string {
	const maxListed = 5
	var parts []string
	n := 0
	for _, v := range vals {
		if v == "" {
			continue
		}
		if n < maxListed {
			parts = append(parts, c.showValue(v))
		}
		n++
	}
	if n > maxListed {
		parts = append(parts, "... ("+itoa(n-maxListed)+" more)")
	}
	return strings.Join(parts, ", ")
}

func itoa(i int) string     { return strconv.Itoa(i) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }
