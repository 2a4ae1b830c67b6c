package scoping

import (
	"strings"
	"unicode"

	"github.com/attrmap/attrmap/internal/diag"
)

// arity says how many operands an operator takes besides the attribute.
type arity uint8

const (
	// unary operators test the attribute alone (IS NULL, IS TRUE, ...);
	// targetOperand.values is ignored.
	unary arity = iota + 1
	// binary operators compare the attribute against targetOperand.values.
	binary
)

// String returns "Unary" or "Binary", the spelling of the filterOperators listing.
func (a arity) String() string {
	switch a {
	case unary:
		return "Unary"
	case binary:
		return "Binary"
	}
	return "Arity(?)"
}

// opKind identifies an operator's implementation. The table below maps every
// spelling to one of these; the evaluator switches on it.
type opKind uint8

const (
	opEquals opKind = iota + 1
	opNotEquals
	opIsTrue
	opIsFalse
	opIsNull
	opIsNotNull
	opRegexMatch
	opNotRegexMatch
	opGreater
	opGreaterOrEqual
	opLess
	opLessOrEqual
	opIncludes
	opEndsWith
	opContainedIn
	opNotContainedIn
)

// opInfo describes one scoping-filter operator. The table, operators, is
// the single source of truth: Compile resolves operatorName against it.
type opInfo struct {
	// Name is the canonical spelling: the service's filterOperators listing
	// where the operator appears there (EQUALS, NOT EQUALS, IS NULL, ...),
	// otherwise the spelling of the scoping-filter documentation
	// (Greater_Than, Includes, ENDS_WITH, &, !&).
	Name string
	// Arity is unary or binary.
	Arity arity
	// Integer is true when the operand and the attribute must be integers.
	Integer bool
	// Negated is true for the operators that are the complement of another
	// one (NOT EQUALS, NOT REGEX MATCH, !&). They still return false for a
	// null or empty attribute, as the documentation requires.
	Negated bool
	// Doc is a one-line description of when the clause is true.
	Doc string

	kind opKind
}

// operators is the table, in the documentation's order, grouped by family.
var operators = []opInfo{
	{Name: "EQUALS", Arity: binary, kind: opEquals,
		Doc: "the attribute equals the value exactly (case-sensitive, ordinal)"},
	{Name: "NOT EQUALS", Arity: binary, Negated: true, kind: opNotEquals,
		Doc: "the attribute is not null/empty and does not equal the value (case-sensitive)"},
	{Name: "IS TRUE", Arity: unary, kind: opIsTrue,
		Doc: "the attribute holds the Boolean true (\"True\", any case)"},
	{Name: "IS FALSE", Arity: unary, kind: opIsFalse,
		Doc: "the attribute holds the Boolean false (\"False\", any case)"},
	{Name: "IS NULL", Arity: unary, kind: opIsNull,
		Doc: "the attribute is absent, null or empty"},
	{Name: "IS NOT NULL", Arity: unary, kind: opIsNotNull,
		Doc: "the attribute has a non-empty value"},
	{Name: "REGEX MATCH", Arity: binary, kind: opRegexMatch,
		Doc: "the attribute matches the .NET regular expression (case-sensitive, unanchored)"},
	{Name: "NOT REGEX MATCH", Arity: binary, Negated: true, kind: opNotRegexMatch,
		Doc: "the attribute is not null/empty and does not match the .NET regular expression"},
	{Name: "Greater_Than", Arity: binary, Integer: true, kind: opGreater,
		Doc: "the attribute is an integer greater than the integer value"},
	{Name: "Greater_Than_OR_EQUALS", Arity: binary, Integer: true, kind: opGreaterOrEqual,
		Doc: "the attribute is an integer greater than or equal to the integer value"},
	{Name: "Less_Than", Arity: binary, Integer: true, kind: opLess,
		Doc: "the attribute is an integer less than the integer value"},
	{Name: "Less_Than_OR_EQUALS", Arity: binary, Integer: true, kind: opLessOrEqual,
		Doc: "the attribute is an integer less than or equal to the integer value"},
	{Name: "Includes", Arity: binary, kind: opIncludes,
		Doc: "the attribute contains the value as a substring (case-sensitive, like .NET String.Contains)"},
	{Name: "ENDS_WITH", Arity: binary, kind: opEndsWith,
		Doc: "the attribute ends with the value (case-sensitive, ordinal)"},
	{Name: "&", Arity: binary, kind: opContainedIn,
		Doc: "the attribute occurs in the value (the value contains the attribute; case-sensitive)"},
	{Name: "!&", Arity: binary, Negated: true, kind: opNotContainedIn,
		Doc: "the attribute is not null/empty and does not occur in the value"},
}

// unsupported names operators the documentation explicitly rules out, so the
// error can say so instead of guessing.
var unsupported = map[string]string{
	"ISMEMBEROF":  "the IsMemberOf filter is not supported by the provisioning service",
	"IS MEMBEROF": "the IsMemberOf filter is not supported by the provisioning service",
}

// byName indexes operators by normalised name. Every spelling the service
// uses normalises to the same key, so no alias list is needed.
var byName = func() map[string]*opInfo {
	m := make(map[string]*opInfo, len(operators))
	for i := range operators {
		key := normalizeOperator(operators[i].Name)
		if _, dup := m[key]; dup {
			panic("scoping: duplicate operator " + key)
		}
		m[key] = &operators[i]
	}
	return m
}()

// normalizeOperator returns the lookup key for an operator name: upper case,
// with underscores, hyphens and runs of white space turned into one space, and
// no leading or trailing space. "Greater_Than_OR_EQUALS" and
// "greater than or equals" both give "GREATER THAN OR EQUALS".
func normalizeOperator(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	space := false
	for _, r := range name {
		if r == '_' || r == '-' || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// suggestOperator returns the canonical name closest to name when it is
// within edit distance 2 of the normalised form, as hcl's didyoumean does.
func suggestOperator(name string) string {
	key := normalizeOperator(name)
	best, bestDist := "", 3
	for i := range operators {
		d := diag.Distance(key, normalizeOperator(operators[i].Name))
		if d < bestDist {
			best, bestDist = operators[i].Name, d
		}
	}
	return best
}

// operatorNames lists the canonical names, for "supported operators: ..." hints.
func operatorNames() string {
	names := make([]string, len(operators))
	for i := range operators {
		names[i] = operators[i].Name
	}
	return strings.Join(names, ", ")
}
