package expr

import (
	"errors"
	"strings"

	"github.com/attrmap/attrmap/internal/rxlimit"
)

// Replace has one signature and five behaviours, chosen by which of its
// optional arguments are written. The choice is syntactic (Call.Provided),
// so Check makes it once at Compile time and rejects combinations the
// documentation does not describe, rather than guessing what they mean.

// replaceMode is one documented behaviour of Replace.
type replaceMode uint8

const (
	// replaceText: oldValue and replacementValue.
	replaceText replaceMode = iota
	// replaceTemplate: oldValue and template.
	replaceTemplate
	// replaceRegex: regexPattern and replacementValue.
	replaceRegex
	// replaceGroup: regexPattern, regexGroupName and replacementValue.
	replaceGroup
	// replaceFallback: regexPattern, regexGroupName and
	// replacementAttributeName.
	replaceFallback
)

// Argument indexes of Replace.
const (
	rpSource = iota
	rpOldValue
	rpPattern
	rpGroup
	rpReplacement
	rpAttr
	rpTemplate
)

// replaceData is what Check precomputes for a Replace call site.
type replaceData struct {
	mode replaceMode
	// re is the compiled pattern when it is a literal.
	re *regex
}

// replaceModeOf selects the mode from the arguments that are provided. It
// blames the first argument that does not fit any documented combination.
func replaceModeOf(provided func(int) bool) (replaceMode, error) {
	old, pat := provided(rpOldValue), provided(rpPattern)
	group, repl := provided(rpGroup), provided(rpReplacement)
	attr, tmpl := provided(rpAttr), provided(rpTemplate)
	switch {
	case old && pat:
		return 0, argErrorf(rpPattern, "regexPattern cannot be combined with oldValue (expected one of them)")
	case old:
		switch {
		case group:
			return 0, argErrorf(rpGroup, "regexGroupName is only used with regexPattern (got oldValue)")
		case attr:
			return 0, argErrorf(rpAttr, "replacementAttributeName is only used with regexPattern (got oldValue)")
		case repl && tmpl:
			return 0, argErrorf(rpTemplate, "template cannot be combined with replacementValue (expected one of them)")
		case repl:
			return replaceText, nil
		case tmpl:
			return replaceTemplate, nil
		}
		return 0, argErrorf(rpOldValue, "oldValue needs replacementValue (argument 5) or template (argument 7)")
	case pat:
		switch {
		case tmpl:
			return 0, argErrorf(rpTemplate, "template is only used with oldValue (got regexPattern)")
		case group && repl && attr:
			return 0, argErrorf(rpAttr, "replacementAttributeName cannot be combined with replacementValue (expected one of them)")
		case group && repl:
			return replaceGroup, nil
		case group && attr:
			return replaceFallback, nil
		case group:
			return 0, argErrorf(rpGroup, "regexGroupName needs replacementValue (argument 5) or replacementAttributeName (argument 6)")
		case attr:
			return 0, argErrorf(rpAttr, "replacementAttributeName needs regexGroupName (argument 4)")
		case repl:
			return replaceRegex, nil
		}
		return 0, argErrorf(rpPattern, "regexPattern needs replacementValue (argument 5)")
	}
	return 0, argErrorf(rpOldValue, "Replace needs oldValue (argument 2) or regexPattern (argument 3), "+
		"as in Replace(source, oldValue, , , replacementValue, , )")
}

// checkReplace fixes the mode at Compile time and, when the pattern is a
// constant, compiles it once, so that a bad pattern or group name is
// reported before any object is evaluated.
func checkReplace(ck *CheckContext) error {
	mode, err := replaceModeOf(ck.Provided)
	if err != nil {
		return err
	}
	d := &replaceData{mode: mode}
	if mode >= replaceRegex {
		if v, ok := ck.Literal(rpPattern); ok {
			pattern := str(v)
			re, err := ck.regexp(pattern)
			if err != nil {
				return ck.ArgErrorf(rpPattern, "invalid regular expression %s (%v)", quoteShort(pattern), err)
			}
			d.re = re
			if v, ok := ck.Literal(rpGroup); ok && mode != replaceRegex {
				if _, err := groupNumber(re, rpGroup, str(v)); err != nil {
					return err
				}
			}
		}
	}
	if mode == replaceFallback {
		// The documentation writes this argument as an attribute
		// reference ([mobile]) whose value is searched. A constant string
		// would search its own text, which is never what was meant.
		if _, ok := ck.Call.Args[rpAttr].(*StringLit); ok {
			return ck.ArgErrorf(rpAttr, "expected an attribute reference such as [mobile] (got a string constant)")
		}
	}
	ck.SetData(d)
	return nil
}

// implReplace evaluates one Replace call in the mode Check chose.
func implReplace(c *Call, args []Value) (Value, error) {
	d, _ := c.Data().(*replaceData)
	if d == nil {
		// Check always runs in Compile; this keeps a Func reused in a
		// custom registry without its Check working.
		mode, err := replaceModeOf(c.Provided)
		if err != nil {
			return nil, err
		}
		d = &replaceData{mode: mode}
	}
	// Arguments past the written ones (Replace([a], "x", , , "y")) read
	// as empty text.
	arg := func(i int) string {
		if i < len(args) {
			return str(args[i])
		}
		return ""
	}
	src := args[rpSource]

	var re *regex
	if d.mode >= replaceRegex {
		re = d.re
		if re == nil {
			// .NET throws on a null pattern; an empty one would match
			// between every two characters, which a missing attribute
			// never means.
			if IsNull(args[rpPattern]) {
				return nil, argErrorf(rpPattern, "expected a regular expression (got null)")
			}
			pattern := arg(rpPattern)
			var err error
			if re, err = c.regexp(pattern); err != nil {
				return nil, argErrorf(rpPattern, "invalid regular expression %s (%v)", quoteShort(pattern), err)
			}
		}
	}

	if d.mode == replaceFallback {
		// The source wins whenever it has a value; only an absent or empty
		// source is filled from the other attribute.
		if !IsNullOrEmpty(src) {
			return src, nil
		}
		num, err := groupNumber(re, rpGroup, arg(rpGroup))
		if err != nil {
			return nil, err
		}
		var from string
		if i := rpAttr; i < len(args) {
			if s := Strings(args[i]); len(s) > 0 {
				from = s[0]
			}
		}
		got, ok, err := regexExtractGroup(re, from, num)
		if err != nil {
			return nil, regexError(re, err)
		}
		if !ok {
			return src, nil
		}
		return String(got), nil
	}

	if IsNull(src) {
		return Null, nil
	}
	if s, ok := src.(String); ok && d.mode == replaceText {
		// The common case, without the per-value machinery below.
		return replaceString(src, string(s), arg(rpOldValue), arg(rpReplacement)), nil
	}
	// one processes one string; multi-valued sources go through it value
	// by value.
	var one func(s string) (string, error)
	switch d.mode {
	case replaceText:
		old, repl := arg(rpOldValue), arg(rpReplacement)
		one = func(s string) (string, error) {
			if err := checkSize(len(s) + strings.Count(s, old)*(len(repl)-len(old))); old != "" && err != nil {
				return "", err
			}
			return replaceOrdinal(s, old, repl), nil
		}
	case replaceTemplate:
		old, tmpl := arg(rpOldValue), arg(rpTemplate)
		one = func(s string) (string, error) {
			if err := checkSize(len(tmpl) + strings.Count(tmpl, old)*(len(s)-len(old))); old != "" && err != nil {
				return "", err
			}
			return replaceOrdinal(tmpl, old, s), nil
		}
	case replaceRegex:
		repl := arg(rpReplacement)
		one = func(s string) (string, error) { return regexReplace(re, s, repl) }
	case replaceGroup:
		num, err := groupNumber(re, rpGroup, arg(rpGroup))
		if err != nil {
			return nil, err
		}
		repl := arg(rpReplacement)
		one = func(s string) (string, error) { return regexReplaceGroup(re, s, num, repl) }
	}
	if m, ok := src.(Multi); ok {
		out := make(Multi, len(m))
		for i, s := range m {
			r, err := one(s)
			if err != nil {
				return nil, regexError(re, err)
			}
			out[i] = r
		}
		return out, nil
	}
	r, err := one(str(src))
	if err != nil {
		return nil, regexError(re, err)
	}
	return String(r), nil
}

// replaceOrdinal replaces every occurrence of old in s with repl, ordinally
// and case-sensitively, as .NET's String.Replace does. .NET throws on an
// empty old value; an empty search text has no occurrences, so s is
// returned unchanged instead of failing the object.
func replaceOrdinal(s, old, repl string) string {
	if old == "" {
		return s
	}
	return strings.ReplaceAll(s, old, repl)
}

// groupNumber resolves a group name (or number) of re, blaming argument i
// when the pattern has no such group.
func groupNumber(re *regex, i int, name string) (int, error) {
	if name == "" {
		return 0, argErrorf(i, "expected a group name of regexPattern (got \"\")")
	}
	n := re.GroupNumberFromName(name)
	if n < 0 {
		return 0, argErrorf(i, "regexPattern has no group %q (expected one of %s)", name, strings.Join(re.GetGroupNames(), ", "))
	}
	return n, nil
}

// regexError turns a matching failure into an error blaming the pattern.
// regexp2's timeout message quotes the whole input, which may be personal
// data, so it is replaced.
func regexError(re *regex, err error) error {
	if se := (*SizeError)(nil); errors.As(err, &se) {
		return se // the result's size, not the pattern, is at fault
	}
	var te *rxlimit.TimeoutError
	if errors.As(err, &te) {
		return argErrorf(rpPattern, "%v (simplify the pattern: overlapping alternatives such as (a|aa)+ backtrack exponentially)", te)
	}
	return argErrorf(rpPattern, "regular expression failed (%v)", err)
}

// quoteShort quotes s for an error message, eliding the middle of long
// values.
func quoteShort(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		s = string(r[:max/2]) + "…" + string(r[len(r)-max/2:])
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func init() {
	register(&Func{
		Name:     "Replace",
		Category: "String",
		MinArgs:  2,
		MaxArgs:  7,
		Params:   []string{"source", "oldValue", "regexPattern", "regexGroupName", "replacementValue", "replacementAttributeName", "template"},
		Check:    checkReplace,
		Impl:     implReplace,
		Doc: `Replaces text in **source**, case-sensitively. Which optional arguments are written (an empty
argument, as in ` + "`Replace([a], , \"x\", , \"\", , )`" + `, is not written; an empty string ` + "`\"\"`" + ` is) selects one
of five behaviours:

| written | result |
| --- | --- |
| oldValue, replacementValue | every occurrence of oldValue in source replaced by replacementValue |
| oldValue, template | every occurrence of oldValue in template replaced by source |
| regexPattern, replacementValue | .NET ` + "`Regex.Replace(source, regexPattern, replacementValue)`" + `: every match replaced, with substitutions ` + "`${name}`, `$1`, `$&`, `` $` ``, `$'`, `$+`, `$_`, `$$`" + ` |
| regexPattern, regexGroupName, replacementValue | in every match, the text captured by the group replaced by replacementValue (taken literally) |
| regexPattern, regexGroupName, replacementAttributeName | source if it has a value; otherwise what the group captures in the first match of the pattern in replacementAttributeName |

Patterns use .NET syntax (named groups ` + "`(?<name>...)`" + `, lookarounds, lazy quantifiers, and the named blocks
` + "`\\p{IsGreek}`, `\\p{IsCyrillic}`, `\\p{IsBasicLatin}`" + `... of .NET's table) and match as .NET does, on UTF-16 code
units: a character outside the Basic Multilingual Plane (an emoji) is two characters to ` + "`.`" + `, ` + "`\\w`" + ` and
positions, and a replacement that splits one leaves U+FFFD. The one construct known to differ from .NET:
` + "`\\W`" + ` inside a character class does not match U+200C and U+200D (the engine counts them as word characters
there; .NET does so only for ` + "`\\b`" + `). Patterns run with a match
budget of 100 ms of CPU time (unless configured); a match that uses it up is an evaluation error, never a value. Nested unbounded quantifiers such as ` + "`(\\w+\\s?)*`" + ` are a compile error (write the group atomic, ` + "`(?>...)`" + `). A constant pattern is
compiled by Compile, so a bad pattern, or a constant regexGroupName the pattern does not define, is a
compile error on that argument. As in .NET, groups are numbered with the unnamed ones first and the named
ones after them, so in ` + "`(?<user>\\w+)@(\\w+)`" + ` $1 is the domain; prefer names.
Remember that in a string constant a backslash is written ` + "`\\\\`" + `:
` + "`\"\\\\d+\"`" + ` is the pattern ` + "`\\d+`" + ` (a lone backslash before another character is kept as it is).

Decisions where the documentation is silent or contradicts itself:

- Any other combination of arguments (oldValue with regexPattern, replacementValue with template, a group name
  without a replacement, ...) is rejected at Compile time instead of being guessed at.
- A null source gives null in the first four behaviours (there is nothing to replace in, and a template filled
  with nothing would produce a wrong value such as "@contoso.com"); an empty string is processed.
- A multi-valued source is processed value by value and stays multi-valued; in the last behaviour it is
  returned as it is when it has any value.
- replacementAttributeName is written as an attribute reference (` + "`[mobile]`" + ` in the documentation's
  Example 5): its value is searched, its first value if multi-valued. A string constant there is a compile
  error, since it would search its own text. The cloud sync reference describes the opposite behaviour ("if
  source has no value, source is returned"); we follow the main reference, whose Example 5 shows a
  value extracted from [mobile] when telephoneNumber is empty. When the pattern does not match, or the group
  takes no part, the (empty) source is returned.
- An empty oldValue (where .NET's String.Replace throws) replaces nothing. A null regexPattern (an absent
  attribute) is an error, as in .NET; the empty pattern "" matches everywhere, as in .NET.
- With a group name, only the group's last capture in each match is replaced, the one .NET's
  ` + "`Match.Groups[name]`" + ` exposes; matches where it did not take part are kept.
- The documentation's Example 6 lists "john_doe72" as **oldValue**; it is the value of the source
  [mailNickname] (the cloud sync reference gives it as the input), and no oldValue is written.
- The cloud sync reference documents the same seven-parameter Replace; there is no shorter signature to
  support.`,
		Examples: []Example{
			{Expr: `Replace([BusinessTitle], "Product Developer", , , "Software Engineer", , )`, Input: map[string]any{"BusinessTitle": "Product Developer"}, Want: "Software Engineer"},
			{Expr: `Replace([UserID], "<username>", , , , , "<username>@contoso.com")`, Input: map[string]any{"UserID": "jsmith"}, Want: "jsmith@contoso.com"},
			{Expr: `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`, Input: map[string]any{"telephoneNumber": "+91 9998887777"}, Want: "9998887777"},
			{Expr: `Replace([mobile], , "[()\\s-]+", , "", , )`, Input: map[string]any{"mobile": "+1 (999) 888-7777"}, Want: "+19998887777",
				Note: "the documentation states 19998887777, but the pattern [()\\s-]+ does not match the +; the Workday guide's same expression keeps it (+15551234567)"},
			{Expr: `Replace([AddressLineData], , "(?<streetNumber>^\\d*)", "streetNumber", "888", , )`, Input: map[string]any{"AddressLineData": "545 Tremont Street"}, Want: "888 Tremont Street"},
			{Expr: `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber", , [mobile], )`, Input: map[string]any{"telephoneNumber": "", "mobile": "+91 8887779999"}, Want: "8887779999"},
			{Expr: `Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`, Input: map[string]any{"mailNickname": "john_doe72"}, Want: "72"},
			{Expr: `Replace([mail], "@contoso.com", , , "", , )`, Input: map[string]any{"mail": "john.doe@contoso.com"}, Want: "john.doe"},
		},
	})
}
