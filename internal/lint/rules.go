package lint

import (
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// Rule is one check. Code is stable across releases: tools may filter on
// it. Doc says which passage of the reference documentation the rule comes
// from.
type Rule struct {
	Code, Name, Summary, Doc string

	call   func(c *checker, r *Rule, n *expr.CallExpr)
	binary func(c *checker, r *Rule, n *expr.BinaryExpr)
}

// Rules returns the rules in code order. The slice must not be modified.
func Rules() []*Rule { return rules }

// rules is the rule table. New rules take the next free code; a retired
// code is never reused.
var rules = []*Rule{
	{
		Code: "AM001", Name: "switch-null-test",
		Summary: "IsPresent, IsNull or IsNullOrEmpty as the source of a Switch",
		Doc:     `Switch: "For the source parameter, do not use the nested functions IsPresent, IsNull or IsNullOrEmpty. Instead use a literal empty string as one of the key values."`,
		call:    checkSwitchNullTest,
	},
	{
		Code: "AM002", Name: "iif-null-test",
		Summary: "IIF whose condition tests an attribute for null or empty",
		Doc:     `IIF, known limitations: "If the source attribute used within the IIF function is empty or null, the condition check fails", with IIF([country]="","Other",[country]) and IIF(IsPresent([country]),[country],"Other") as unsupported examples.`,
		call:    checkIIFNullTest,
	},
	{
		Code: "AM003", Name: "iif-not-equal-null",
		Summary: "IIF comparing an attribute that may be null with <>",
		Doc:     `IIF, known limitations: the condition check fails for a null or empty attribute, so [a] <> "x" is false, not true, when [a] is empty.`,
		call:    checkIIFNotEqual,
	},
	{
		Code: "AM004", Name: "item-index-zero",
		Summary: "Item with an index below 1",
		Doc:     `Item: "Item([proxyAddresses], 1) returns the first item in the multi-valued attribute. Index 0 shouldn't be used."`,
		call:    checkItemIndex,
	},
	{
		Code: "AM005", Name: "mid-start-zero",
		Summary: "Mid with a start position below 1",
		Doc:     `Mid: "First character in the string has an index of 1".`,
		call:    checkMidStart,
	},
	{
		Code: "AM006", Name: "empty-result",
		Summary: "Left, Mid or Word with a count that always gives an empty (or unchanged) result",
		Doc:     `Left: "If numChars = 0, return empty string. If numChars < 0, return input string." Word: "If number < 1, returns empty string."`,
		call:    checkEmptyCount,
	},
	{
		Code: "AM007", Name: "switch-case-keys",
		Summary: "Switch keys that differ only in case",
		Doc:     `Switch: "performs a case-sensitive string comparison of the source and key values. If you'd like to perform a case-insensitive comparison, normalize the source string before comparison using a nested ToLower function and ensure that all key strings use lowercase."`,
		call:    checkSwitchCase,
	},
	{
		Code: "AM008", Name: "switch-duplicate-key",
		Summary: "Switch key given twice: the second pair is never used",
		Doc:     `Switch returns the value of the first key that matches.`,
		call:    checkSwitchDuplicate,
	},
	{
		Code: "AM009", Name: "switch-reference",
		Summary: "Switch used for a referential attribute such as manager",
		Doc:     `Switch: "The function shouldn't be used for referential attributes such as manager."`,
		call:    checkSwitchReference,
	},
	{
		Code: "AM010", Name: "join-single-source",
		Summary: "Join with a single single-valued source: the separator is never used",
		Doc:     `Join: combines multiple source values separated by separator; with one single-valued source it returns that source.`,
		call:    checkJoinSingle,
	},
	{
		Code: "AM011", Name: "unique-not-add-only",
		Summary: "SelectUniqueValue in a mapping that does not apply only during object creation",
		Doc:     `SelectUniqueValue: "This function is only meant to be used for entry creations. When using it with an attribute, set the Apply Mapping property to Only during object creation."`,
		call:    checkUniqueAddOnly,
	},
	{
		Code: "AM012", Name: "unique-matching",
		Summary: "SelectUniqueValue in a matching attribute",
		Doc:     `SelectUniqueValue: "This function can't be applied to attributes that have a matching precedence."`,
		call:    checkUniqueMatching,
	},
	{
		Code: "AM013", Name: "unique-unsupported-app",
		Summary: "SelectUniqueValue in an application that does not support it",
		Doc:     `SelectUniqueValue: "supported for use with these applications: Workday to Active Directory User Provisioning; SuccessFactors to Active Directory User Provisioning; API-driven provisioning to on-premises Active Directory."`,
		call:    checkUniqueApp,
	},
	{
		Code: "AM014", Name: "unique-diacritics",
		Summary: "SelectUniqueValue rule reading attributes without NormalizeDiacritics",
		Doc:     `SelectUniqueValue: "The LDAP search ... doesn't escape special characters like diacritics ... Nest the NormalizeDiacritics function".`,
		call:    checkUniqueDiacritics,
	},
	{
		Code: "AM015", Name: "iif-concat-condition",
		Summary: "IIF condition joining comparisons with &, which concatenates instead of AND",
		Doc:     `IIF, known limitations: "The IIF function currently doesn't support AND and OR logical operators. To implement AND logic, use nested IIF statement".`,
		call:    checkIIFConcat,
	},
}

// nullTests are the functions the Switch caution names, plus IsNull's
// documented inverse; present maps each to the result it gives for a
// present value.
var nullTests = map[string]bool{"IsPresent": true, "IsNull": false, "IsNullOrEmpty": false}

// callTo reports whether n is a call to the function named name.
func callTo(n expr.Node, name string) (*expr.CallExpr, bool) {
	c, ok := n.(*expr.CallExpr)
	if !ok || c.Func == nil || c.Func.Name != name {
		return nil, false
	}
	return c, true
}

// literal returns the rendered value of a constant node.
func literal(n expr.Node) (string, bool) {
	switch n := n.(type) {
	case *expr.StringLit:
		return n.Value, true
	case *expr.NumberLit:
		return expr.Render(n.Value), true
	case *expr.EnumLit:
		return expr.Render(n.Value), true
	}
	return "", false
}

// intLiteral returns the value of an integer constant, possibly given as a
// string.
func intLiteral(n expr.Node) (int64, bool) {
	switch n := n.(type) {
	case *expr.NumberLit:
		if n.Value.IsInt() {
			return n.Value.Int64(), true
		}
	case *expr.StringLit:
		var i int64
		if _, err := fmt.Sscan(strings.TrimSpace(n.Value), &i); err == nil {
			return i, true
		}
	}
	return 0, false
}

// p prints a node, or "" for an empty argument.
func p(n expr.Node) string { return expr.Print(n) }

// valueOr prints n, or `""` when the argument is empty (Switch's optional
// default).
func valueOr(n expr.Node) string {
	if _, ok := n.(*expr.EmptyArg); ok {
		return `""`
	}
	return p(n)
}

// switchPair is one key/value pair of a Switch call.
type switchPair struct {
	key, value expr.Node
}

func switchPairs(n *expr.CallExpr) []switchPair {
	var ps []switchPair
	for i := 2; i+1 < len(n.Args); i += 2 {
		ps = append(ps, switchPair{n.Args[i], n.Args[i+1]})
	}
	return ps
}

// checkSwitchNullTest rewrites Switch(IsPresent(x), d, "True", a, "False",
// b) as Switch(x, a, "", b): a "" key catches both null and empty values.
func checkSwitchNullTest(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Switch" {
		return
	}
	test, ok := n.Args[0].(*expr.CallExpr)
	if !ok || test.Func == nil {
		return
	}
	presentIsTrue, ok := nullTests[test.Func.Name]
	if !ok || len(test.Args) != 1 {
		return
	}
	def := valueOr(n.Args[1])
	present, absent := def, def
	mechanical := true
	for _, pr := range switchPairs(n) {
		k, ok := literal(pr.key)
		if !ok {
			mechanical = false
			break
		}
		switch {
		case k == "True":
			if presentIsTrue {
				present = p(pr.value)
			} else {
				absent = p(pr.value)
			}
		case k == "False":
			if presentIsTrue {
				absent = p(pr.value)
			} else {
				present = p(pr.value)
			}
		default:
			// Keys other than True and False never match a boolean.
		}
	}
	subject := p(test.Args[0])
	msg := "%s as the source of Switch: the reference says not to nest IsPresent, IsNull or IsNullOrEmpty there"
	if !mechanical {
		c.report(r, test.Loc, "", fmt.Sprintf(`switch on %s itself and use a literal empty string as a key: Switch(%s, <value when present>, "", <value when empty>)`, subject, subject), msg, test.Func.Name)
		return
	}
	fix := fmt.Sprintf(`Switch(%s, %s, "", %s)`, subject, present, absent)
	c.report(r, n.Loc, fix, "", msg, test.Func.Name)
}

// nullCondition recognises the conditions the IIF limitation lists as
// unsupported: x = "", x <> "", IsPresent(x), IsNull(x), IsNullOrEmpty(x).
// It returns the tested node and whether the condition is true for a
// present value.
func nullCondition(cond expr.Node) (subject expr.Node, presentIsTrue, ok bool) {
	switch cond := cond.(type) {
	case *expr.CallExpr:
		if cond.Func == nil || len(cond.Args) != 1 {
			return nil, false, false
		}
		t, known := nullTests[cond.Func.Name]
		if !known || !readsAttribute(cond.Args[0]) {
			return nil, false, false
		}
		return cond.Args[0], t, true
	case *expr.BinaryExpr:
		if cond.Op != "=" && cond.Op != "<>" {
			return nil, false, false
		}
		subj, other := cond.Left, cond.Right
		if _, isLit := subj.(*expr.StringLit); isLit {
			subj, other = other, subj
		}
		if s, isLit := other.(*expr.StringLit); !isLit || s.Value != "" || !readsAttribute(subj) {
			return nil, false, false
		}
		return subj, cond.Op == "<>", true
	}
	return nil, false, false
}

// readsAttribute reports whether n reads an attribute anywhere.
func readsAttribute(n expr.Node) bool {
	found := false
	expr.Walk(n, func(m expr.Node) bool {
		if _, ok := m.(*expr.AttrExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// checkIIFNullTest rewrites IIF(IsPresent(x), a, b) as Switch(x, a, "", b),
// the workaround the reference recommends.
func checkIIFNullTest(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "IIF" {
		return
	}
	subj, presentIsTrue, ok := nullCondition(n.Args[0])
	if !ok {
		return
	}
	present, absent := p(n.Args[1]), p(n.Args[2])
	if !presentIsTrue {
		present, absent = absent, present
	}
	fix := fmt.Sprintf(`Switch(%s, %s, "", %s)`, p(subj), present, absent)
	c.report(r, n.Loc, fix, "", "IIF cannot test %s for null or empty: the condition check fails when the attribute is empty or null", p(subj))
}

// checkIIFNotEqual flags IIF([a] <> "x", t, f): for an empty [a] the check
// fails and f is returned, although "" <> "x". Switch sends empty values to
// its default.
func checkIIFNotEqual(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "IIF" {
		return
	}
	b, ok := n.Args[0].(*expr.BinaryExpr)
	if !ok || b.Op != "<>" {
		return
	}
	if _, _, isNullTest := nullCondition(b); isNullTest {
		return // AM002 covers x <> ""
	}
	attr, other := b.Left, b.Right
	if _, ok := attr.(*expr.AttrExpr); !ok {
		attr, other = other, attr
	}
	a, ok := attr.(*expr.AttrExpr)
	if !ok || c.required(a.Name) {
		return
	}
	msg := "when %s is null or empty the condition check fails and IIF returns its false value, although the values differ"
	if lit, isLit := literal(other); isLit {
		fix := fmt.Sprintf("Switch(%s, %s, %s, %s)", p(a), p(n.Args[1]), expr.Quote(lit), p(n.Args[2]))
		c.report(r, b.Loc, "", "if empty values should take the true branch: "+fix, msg, p(a))
		return
	}
	c.report(r, b.Loc, "", fmt.Sprintf(`test for empty values first: Switch(%s, <this IIF>, "", <value when empty>)`, p(a)), msg, p(a))
}

// checkItemIndex flags Item(x, 0): indexes start at 1.
func checkItemIndex(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Item" || len(n.Args) < 2 {
		return
	}
	i, ok := intLiteral(n.Args[1])
	if !ok || i >= 1 {
		return
	}
	c.report(r, n.Args[1].Span(), "1", fmt.Sprintf("Item(%s, 1)", p(n.Args[0])), "Item indexes start at 1: index %d returns nothing", i)
}

// checkMidStart flags Mid(x, 0, n): the first character has index 1.
func checkMidStart(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Mid" || len(n.Args) < 3 {
		return
	}
	i, ok := intLiteral(n.Args[1])
	if !ok || i >= 1 {
		return
	}
	c.report(r, n.Args[1].Span(), "1", fmt.Sprintf("Mid(%s, 1, %s)", p(n.Args[0]), p(n.Args[2])), "Mid positions start at 1: start %d is not a character", i)
}

// checkEmptyCount flags counts that make the call pointless: Left(x, 0)
// and Mid(x, s, 0) are always "", Left(x, -1) is x, Word(x, 0, d) is "".
func checkEmptyCount(c *checker, r *Rule, n *expr.CallExpr) {
	switch n.Func.Name {
	case "Left":
		if k, ok := intLiteral(n.Args[1]); ok && k == 0 {
			c.report(r, n.Args[1].Span(), "", `to keep characters, give a count of 1 or more; for an empty value use ""`, "Left with 0 characters always returns an empty string")
		} else if ok && k < 0 {
			c.report(r, n.Loc, p(n.Args[0]), "", "Left with a negative count returns the whole string")
		}
	case "Mid":
		if k, ok := intLiteral(n.Args[2]); ok && k <= 0 {
			c.report(r, n.Args[2].Span(), "", "give a length of 1 or more", "Mid with length %d always returns an empty string", k)
		}
	case "Word":
		if k, ok := intLiteral(n.Args[1]); ok && k < 1 {
			c.report(r, n.Args[1].Span(), "1", "", "Word numbers start at 1: word %d is always empty", k)
		}
	}
}

// checkSwitchCase flags keys equal but for case, and suggests comparing
// lower-cased text, as the reference does.
func checkSwitchCase(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Switch" {
		return
	}
	pairs := switchPairs(n)
	seen := map[string]string{}
	var first expr.Node
	var other string
	for _, pr := range pairs {
		k, ok := literal(pr.key)
		if !ok {
			continue
		}
		low := strings.ToLower(k)
		if prev, dup := seen[low]; dup && prev != k {
			first, other = pr.key, prev
			break
		}
		if _, dup := seen[low]; !dup {
			seen[low] = k
		}
	}
	if first == nil {
		return
	}
	// Lower-case the source and every key; keep the first pair of keys
	// that become equal, since Switch stops at the first match.
	var b strings.Builder
	src := p(n.Args[0])
	if inner, ok := callTo(n.Args[0], "ToLower"); ok {
		src = p(inner) // already lower-cased
	} else {
		src = "ToLower(" + src + ")"
	}
	fmt.Fprintf(&b, "Switch(%s, %s", src, p(n.Args[1]))
	done := map[string]bool{}
	for _, pr := range pairs {
		k, ok := literal(pr.key)
		key := p(pr.key)
		if ok {
			low := strings.ToLower(k)
			if done[low] {
				continue
			}
			done[low] = true
			key = expr.Quote(low)
		}
		fmt.Fprintf(&b, ", %s, %s", key, p(pr.value))
	}
	b.WriteByte(')')
	k, _ := literal(first)
	c.report(r, first.Span(), "", b.String(), "Switch keys %s and %s differ only in case: the comparison is case-sensitive", expr.Quote(other), expr.Quote(k))
}

// checkSwitchDuplicate flags a key given twice.
func checkSwitchDuplicate(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Switch" {
		return
	}
	seen := map[string]bool{}
	for _, pr := range switchPairs(n) {
		k, ok := literal(pr.key)
		if !ok {
			continue
		}
		if seen[k] {
			c.report(r, pr.key.Span(), "", "remove the pair, or change its key", "Switch key %s is given twice: only the first pair can match", expr.Quote(k))
			continue
		}
		seen[k] = true
	}
}

// checkSwitchReference flags Switch in a mapping to a reference attribute,
// or, for a lone expression, a Switch that returns [manager].
func checkSwitchReference(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Switch" {
		return
	}
	const advice = "map the reference attribute directly (for example [manager]), or use IIF when a condition is needed"
	if c.ctx.Known {
		if c.ctx.TargetIsReference {
			c.report(r, n.NameSpan, "", advice, "Switch should not be used for the referential attribute %s", c.ctx.TargetAttribute)
		}
		return
	}
	for i, a := range n.Args {
		if i >= 2 && i%2 == 0 {
			continue // keys are compared, not returned
		}
		if i == 0 {
			continue
		}
		if at, ok := a.(*expr.AttrExpr); ok && strings.EqualFold(at.Name, "manager") {
			c.report(r, a.Span(), "", advice, "Switch should not be used for referential attributes such as %s", p(at))
			return
		}
	}
}

// multiValuedFuncs return several values, so a Join of one of them is
// meaningful.
var multiValuedFuncs = map[string]bool{
	"Split": true, "RemoveDuplicates": true, "AppRoleAssignmentsComplex": true,
}

// checkJoinSingle flags Join(sep, x) when x is known to be single-valued.
func checkJoinSingle(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "Join" || len(n.Args) != 2 {
		return
	}
	src := n.Args[1]
	switch s := src.(type) {
	case *expr.AttrExpr:
		if c.ctx.MultiValued == nil {
			return // a multi-valued attribute is joined value by value
		}
		if multi, ok := c.ctx.MultiValued(s.Name); !ok || multi {
			return
		}
	case *expr.CallExpr:
		if s.Func == nil || multiValuedFuncs[s.Func.Name] {
			return
		}
	}
	c.report(r, n.Loc, p(src), "", "Join with a single source returns it unchanged: the separator %s is never used", p(n.Args[0]))
}

// isUnique reports whether n is a SelectUniqueValue call.
func isUnique(n *expr.CallExpr) bool { return n.Func.Name == "SelectUniqueValue" }

func checkUniqueAddOnly(c *checker, r *Rule, n *expr.CallExpr) {
	if !isUnique(n) || !c.ctx.Known || c.ctx.AddOnly || c.ctx.Matching {
		return
	}
	c.report(r, n.NameSpan, "", `set flowType to ObjectAddOnly ("Apply this mapping: Only during object creation")`,
		"SelectUniqueValue is only meant for object creation, but this mapping also applies on update")
}

func checkUniqueMatching(c *checker, r *Rule, n *expr.CallExpr) {
	if !isUnique(n) || !c.ctx.Matching {
		return
	}
	c.report(r, n.NameSpan, "", "match on a stable attribute (such as employeeId) and generate the unique value in a non-matching mapping",
		"SelectUniqueValue cannot be used in a matching attribute")
}

// uniqueSources and uniqueTargets name the directories of the rules where
// SelectUniqueValue is supported, compared ignoring case and spaces.
var (
	uniqueSources = []string{"workday", "successfactors", "api", "inbound"}
	uniqueTargets = []string{"activedirectory", "ad", "onpremisesactivedirectory"}
)

func normDir(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s))
}

func checkUniqueApp(c *checker, r *Rule, n *expr.CallExpr) {
	if !isUnique(n) || !c.ctx.Known || c.ctx.TargetDirectory == "" {
		return
	}
	src, tgt := normDir(c.ctx.SourceDirectory), normDir(c.ctx.TargetDirectory)
	okSrc := false
	for _, s := range uniqueSources {
		if strings.Contains(src, s) {
			okSrc = true
		}
	}
	okTgt := false
	for _, t := range uniqueTargets {
		if tgt == t || strings.Contains(tgt, "activedirectory") && !strings.Contains(tgt, "azure") && !strings.Contains(tgt, "entra") {
			okTgt = true
		}
	}
	if okSrc && okTgt {
		return
	}
	c.report(r, n.NameSpan, "", "generate the value with an expression that does not need a uniqueness check, or provision through a supported application",
		"SelectUniqueValue is only supported from Workday, SuccessFactors or API-driven provisioning to on-premises Active Directory (this rule maps %s to %s)",
		c.ctx.SourceDirectory, c.ctx.TargetDirectory)
}

// checkUniqueDiacritics flags each SelectUniqueValue rule that reads an
// attribute outside a NormalizeDiacritics call.
func checkUniqueDiacritics(c *checker, r *Rule, n *expr.CallExpr) {
	if !isUnique(n) {
		return
	}
	for _, rule := range n.Args {
		if bare := bareAttribute(rule); bare != nil {
			c.report(r, rule.Span(), "NormalizeDiacritics("+p(rule)+")", "",
				"SelectUniqueValue rule reads %s without NormalizeDiacritics: the LDAP uniqueness search fails on accented characters", p(bare))
		}
	}
}

// bareAttribute returns the first attribute read by n that no
// NormalizeDiacritics call encloses.
func bareAttribute(n expr.Node) *expr.AttrExpr {
	switch n := n.(type) {
	case *expr.AttrExpr:
		return n
	case *expr.CallExpr:
		if n.Func != nil && n.Func.Name == "NormalizeDiacritics" {
			return nil
		}
		for _, a := range n.Args {
			if at := bareAttribute(a); at != nil {
				return at
			}
		}
	case *expr.BinaryExpr:
		if at := bareAttribute(n.Left); at != nil {
			return at
		}
		return bareAttribute(n.Right)
	}
	return nil
}

// isComparison reports whether n is a comparison (not a concatenation).
func isComparison(n expr.Node) bool {
	b, ok := n.(*expr.BinaryExpr)
	return ok && b.Op != "&"
}

// checkIIFConcat flags IIF([a] = "x" & [b] = "y", ...), an attempt at AND.
// Because & binds tighter than =, that condition parses as
// ([a] = ("x" & [b])) = "y"; the parenthesized (A) & (B) form is caught too.
func checkIIFConcat(c *checker, r *Rule, n *expr.CallExpr) {
	if n.Func.Name != "IIF" {
		return
	}
	left, right, at, ok := andAttempt(n.Args[0])
	if !ok {
		return
	}
	// AND: nest along the true branch, as the reference shows.
	fix := fmt.Sprintf("IIF(%s, IIF(%s, %s, %s), %s)", left, right, p(n.Args[1]), p(n.Args[2]), p(n.Args[2]))
	c.report(r, at, "", "for AND, nest IIF along the true branch: "+fix+"; for OR, along the false branch",
		"& concatenates text; IIF has no AND or OR operator")
}

// andAttempt recognises the two shapes of "A & B" meant as a logical AND
// and returns the printed comparisons and the span of the &.
func andAttempt(cond expr.Node) (left, right string, at expr.Span, ok bool) {
	b, isBin := cond.(*expr.BinaryExpr)
	if !isBin {
		return "", "", at, false
	}
	if b.Op == "&" && isComparison(b.Left) && isComparison(b.Right) {
		return p(b.Left), p(b.Right), b.OpSpan, true
	}
	inner, isBin := b.Left.(*expr.BinaryExpr)
	if !isComparison(b) || !isBin || !isComparison(inner) {
		return "", "", at, false
	}
	cat, isBin := inner.Right.(*expr.BinaryExpr)
	if !isBin || cat.Op != "&" {
		return "", "", at, false
	}
	left = fmt.Sprintf("%s %s %s", p(inner.Left), inner.Op, p(cat.Left))
	right = fmt.Sprintf("%s %s %s", p(cat.Right), b.Op, p(b.Right))
	return left, right, cat.OpSpan, true
}
