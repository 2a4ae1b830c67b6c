package dotnet

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
)

// Now is the clock of every generated case (none reads it, but Compile
// wants one to be reproducible).
var Now = time.Date(2021, 8, 25, 17, 41, 18, 0, time.UTC)

// Outcome is attrmap's answer to one case.
type Outcome struct {
	Expr  string
	Input map[string]any
	OK    bool
	Value string
	Err   string
}

// Evaluate answers c with the expression engine; aux is the oracle's
// generated source for cases with Build.
func Evaluate(c Case, aux string) Outcome {
	src, in := c.Expr, c.Input
	if c.Build != nil {
		src, in = c.Build(aux)
	}
	o := Outcome{Expr: src, Input: in}
	p, err := expr.Compile(src, expr.WithNow(Now))
	var v expr.Value
	if err == nil {
		v, err = p.Eval(expr.NewEnv(in))
	}
	if err != nil {
		o.Err = err.Error()
		return o
	}
	o.OK = true
	o.Value = expr.Render(v)
	return o
}

// Agrees reports whether attrmap and .NET give the same answer: the same
// text, or both an error.
func Agrees(o Outcome, a Answer) bool {
	if o.OK != a.OK {
		return false
	}
	return !o.OK || o.Value == a.Result
}

// Row is one line of the agreement table.
type Row struct {
	Family, Func string
	Cases, Agree int
	// MonoDiffers counts the cases where Mono's own answer differs from
	// the modern .NET answer the oracle gives.
	MonoDiffers int
	// Excluded counts the disagreements on characters whose case mapping
	// Mono's Unicode tables lack (see monoStaleCasing); modern .NET agrees
	// with attrmap there, so they are left out of Percent.
	Excluded int
	// Examples holds a few disagreements for the report.
	Examples []string
}

// Percent is the agreement in percent.
func (r Row) Percent() float64 { return 100 * float64(r.Agree) / float64(r.Cases-r.Excluded) }

// decided reports a disagreement that is a documented decision of the
// function (its Doc's Decisions): BitAnd rejects a numeric string with a
// fraction, where VB's CLng rounds it half to even.
func decided(c Case, o Outcome, a Answer) bool {
	return c.Func == "BitAnd" && a.OK && !o.OK && strings.Contains(o.Err, "expected an integer") &&
		strings.ContainsAny(c.Args[0], ".eE")
}

// monoStaleCategory reports whether s holds a letter whose Unicode
// category Mono's tables have wrong (as unassigned): the Cherokee small
// letters and the capitals, Lo before Unicode 8) and Georgian Mtavruli (Unicode 11), which modern
// .NET matches with \w, \p{L}, \p{Lu} and \p{Ll} as attrmap does.
func monoStaleCategory(s string) bool {
	for _, r := range s {
		if r >= 0x13A0 && r <= 0x13FD || r >= 0xAB70 && r <= 0xABBF || r >= 0x1C90 && r <= 0x1CBF {
			return true
		}
	}
	return false
}

// hasAstral reports whether s holds a character outside the Basic
// Multilingual Plane. Mono's collation gives such characters no weight
// (it finds "😀" in "🇫🇷" at position 1), so a text comparison that
// involves one is not evidence of modern .NET's answer.
func hasAstral(s string) bool {
	for _, r := range s {
		if r >= 0x10000 {
			return true
		}
	}
	return false
}

// monoStaleCasing reports whether s holds a character whose simple case
// mapping Mono's Unicode tables lack but modern .NET (ICU, Unicode 15) has:
// letters outside the Basic Multilingual Plane (Deseret, Osage, ...), the
// Cherokee small letters (Unicode 8), Georgian Mtavruli (Unicode 11), and
// the titlecase digraphs, which Mono leaves unchanged.
func monoStaleCasing(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x10000,
			r >= 0x13A0 && r <= 0x13FD, r >= 0xAB70 && r <= 0xABBF,
			r >= 0x10A0 && r <= 0x10FF, r >= 0x1C90 && r <= 0x1CBF, r >= 0x2D00 && r <= 0x2D2F,
			r == 0x01C5, r == 0x01C8, r == 0x01CB, r == 0x01F2:
			return true
		}
	}
	return false
}

// Tally builds the table rows of one family, ordered by function.
func Tally(cases []Case, answers []Answer, outcomes []Outcome, maxExamples int) []Row {
	rows := map[string]*Row{}
	for i, c := range cases {
		r := rows[c.Func]
		if r == nil {
			r = &Row{Family: c.Family, Func: c.Func}
			rows[c.Func] = r
		}
		r.Cases++
		if answers[i].MonoDiffs {
			r.MonoDiffers++
		}
		if Agrees(outcomes[i], answers[i]) {
			r.Agree++
		} else if c.Family == "casing" && monoStaleCasing(c.Args[0]) || c.Family == "regex" && monoStaleCategory(c.Args[0]) ||
			c.Op == "instrtext" && (hasAstral(c.Args[0]) || hasAstral(c.Args[1])) ||
			decided(c, outcomes[i], answers[i]) {
			r.Excluded++
		} else if len(r.Examples) < maxExamples {
			r.Examples = append(r.Examples, describe(outcomes[i], answers[i]))
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Func < out[j].Func })
	return out
}

func describe(o Outcome, a Answer) string {
	dotnet := fmt.Sprintf("%q", a.Result)
	if !a.OK {
		dotnet = a.Exception
	}
	ours := fmt.Sprintf("%q", o.Value)
	if !o.OK {
		ours = "error: " + o.Err
	}
	keys := make([]string, 0, len(o.Input))
	for k := range o.Input {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var in []string
	for _, k := range keys {
		in = append(in, fmt.Sprintf("%s=%q", k, o.Input[k]))
	}
	return fmt.Sprintf("`%s` %s: .NET %s, attrmap %s", o.Expr, strings.Join(in, " "), dotnet, ours)
}
