// Package scoping evaluates Microsoft Entra ID provisioning scoping filters:
// the Graph "filter" object found at objectMapping.scope, which decides
// whether a source object is in scope for provisioning.
//
// A Filter is data, not parsed text: it mirrors the Graph JSON (filter →
// filterGroup → filterClause → filterOperand) and round-trips through
// encoding/json without losing members it does not model. Clauses in a
// group are ANDed, groups are ORed, and an absent or empty filter lets
// everyone in.
//
// Compile once, evaluate many:
//
//	f, err := scoping.Load(file) // a filter, {"groups": [...]}, or a bare array of groups
//	if err != nil {
//		return err // syntax errors carry line and column
//	}
//	m, err := f.Compile() // unknown operators, bad integers and bad regexes fail here
//	if err != nil {
//		return err // `group "Sales": clause 2 (...): unknown operator "EQULAS" (did you mean "EQUALS"?)`
//	}
//	user := scoping.MapObject{"department": "Marketing", "accountEnabled": true}
//	if !m.InScope(user) {
//		fmt.Println(m.Explain(user)) // out of scope: group "Sales": clause 2 (...): value "Marketing" does not equal "Sales"
//	}
//
// Operators live in one table (Operators) keyed by a normalised name, so
// "NOT EQUALS", "NOT_EQUALS" and "not equals" are the same operator.
// Regular expressions use .NET syntax through github.com/dlclark/regexp2,
// each match bounded by a CPU-time budget, RegexTimeout.
//
// # Semantics
//
// Where the Microsoft documentation is explicit we follow it; where it is
// silent or contradictory the choice is stated here, and every rule has a
// case in testdata/scoping:
//
//   - Null and empty: an absent attribute, JSON null, "" and an empty list are
//     all "null / empty". Every operator except IS NULL returns false for
//     them, as the documentation says ("Scoping filters will return false if
//     the value is null / empty"); that includes the negated operators
//     NOT EQUALS, NOT REGEX MATCH and !&. IS NULL returns true for them.
//     White space is a value: " " is not empty (.NET String.IsNullOrEmpty).
//   - Case: EQUALS, NOT EQUALS, Includes, ENDS_WITH, &, !& and the regex
//     operators are case-sensitive and ordinal. IS TRUE / IS FALSE accept
//     "True"/"False" in any case with surrounding spaces, like .NET
//     Boolean.Parse; other values (including "1"/"0") are neither.
//   - Integers: Greater_Than and friends need an integer operand (a compile
//     error otherwise) and an integer attribute (64-bit, optional sign and
//     surrounding spaces); a non-integer attribute value makes the clause
//     false and Explain says so.
//   - Multi-valued attributes: the documentation says filtering on them is
//     not supported, while the service's filterOperators listing says
//     multivaluedComparisonType "All". We use "any" for positive operators
//     (a clause holds if some value satisfies it) and "none" for negated ones
//     (NOT EQUALS holds if no value equals the operand), so that for any
//     non-empty attribute NOT X is exactly the complement of X. Requiring all
//     values to equal one operand would make EQUALS useless on lists such as
//     proxyAddresses, which is why we did not copy "All" literally. Empty
//     strings inside a list are ignored.
//   - Several operand values (targetOperand.values with more than one entry,
//     which the portal never writes): the clause compares against each, with
//     the same any/none rule.
//   - "&" and "!&" follow the documentation's wording literally: & holds when
//     the attribute value occurs in the operand string (the operand contains
//     the attribute), !& when it does not.
//   - Regular expressions are unanchored (.NET Regex.IsMatch), so
//     `.*\@domain.com` also matches "a@domain.com.evil"; anchor with ^ and $
//     when that matters. A match that uses up RegexTimeout (CPU time) leaves
//     the object undecided: Match returns a *TimeoutError, for REGEX MATCH
//     and NOT REGEX MATCH alike, so no caller can take it for "out of
//     scope" and disable the object. Patterns with nested unbounded
//     quantifiers, (a+)+, are compile errors.
//   - Operators the documentation does not list (STARTS_WITH, CONTAINS,
//     IsMemberOf, ...) are compile errors, not silent falses.
//   - Group sets: inputFilterGroups, then categoryFilterGroups, then groups;
//     an object is in scope when every non-empty set has a matching group.
//     A group with no clauses matches everything (an empty AND is true).
//
// A Matcher is immutable and safe for concurrent use. InScope is the fast
// path; Explain returns a Decision that says which group let the object in,
// or, for each group, the first clause that failed and why.
package scoping
