package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/diag"
)

// Warning is one pitfall found in an expression. Span, Line and Col locate
// it the way expr.Error does, so Render looks like a compile error.
type Warning struct {
	// Code is the stable id of the rule, such as "AM004".
	Code string `json:"code"`
	// Rule is the rule's short name, such as "item-index-zero".
	Rule string `json:"rule"`
	// Span locates the problem in Source (byte offsets).
	Span expr.Span `json:"span"`
	// Line and Col are 1-based; Col counts runes.
	Line int `json:"line"`
	Col  int `json:"col"`
	// Msg says what is wrong, in lower case without a trailing period.
	Msg string `json:"message"`
	// Suggestion says how to fix it: a rewrite of the text at Span when
	// Fix is set, otherwise advice.
	Suggestion string `json:"suggestion,omitempty"`
	// Fix is the exact replacement for the text at Span, or "" when the
	// fix cannot be written mechanically.
	Fix string `json:"fix,omitempty"`
	// Path is the JSON path of the expression in a schema document, or ""
	// for a lone expression.
	Path string `json:"path,omitempty"`
	// Source is the whole expression text.
	Source string `json:"source"`
}

// String formats the warning on one line: "AM004 msg (line:col)", preceded
// by the JSON path when there is one.
func (w Warning) String() string {
	s := fmt.Sprintf("%s %s (%d:%d)", w.Code, w.Msg, w.Line, w.Col)
	if w.Path != "" {
		s = w.Path + ": " + s
	}
	return s
}

// Render formats the warning for people, like expr.Error.Render: the
// message, the source line with a caret under the problem, then the
// suggestion.
//
//	AM004 Item indexes start at 1: index 0 returns nothing (1:24)
//	 | Item([proxyAddresses], 0)
//	 | .......................^
//	suggestion: Item([proxyAddresses], 1)
func (w Warning) Render() string {
	e := &expr.Error{Span: w.Span, Line: w.Line, Col: w.Col, Msg: w.Code + " " + w.Msg, Source: w.Source}
	var b strings.Builder
	if w.Path != "" {
		b.WriteString(w.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Render())
	if w.Suggestion != "" {
		b.WriteString("\nsuggestion: ")
		b.WriteString(w.Suggestion)
	}
	return b.String()
}

// Context tells the rules where an expression is used. The zero Context
// stands for a lone expression: rules that need to know the target
// attribute or the application stay silent.
type Context struct {
	// Known says the fields below were filled from a schema.
	Known bool
	// TargetAttribute is the target attribute the expression maps to.
	TargetAttribute string
	// TargetIsReference says the target attribute is a reference (such as
	// manager).
	TargetIsReference bool
	// Matching says the mapping is a matching attribute (matchingPriority
	// above 0).
	Matching bool
	// AddOnly says the mapping applies only when objects are created
	// (flowType ObjectAddOnly).
	AddOnly bool
	// SourceDirectory and TargetDirectory name the directories of the
	// synchronization rule, such as "Workday" and "Active Directory".
	SourceDirectory, TargetDirectory string
	// Required reports whether a source attribute always has a value; nil
	// means nothing is known and every attribute may be null.
	Required func(attr string) bool
	// MultiValued reports whether a source attribute is known to be
	// multi-valued (true) or single-valued (false); ok is false when
	// unknown.
	MultiValued func(attr string) (multi, ok bool)
}

// Lint compiles src and checks it as a lone expression. A compile error is
// returned as is (an *expr.Error), with no warnings.
func Lint(src string) ([]Warning, error) {
	p, err := expr.Compile(src)
	if err != nil {
		return nil, err
	}
	return LintProgram(p), nil
}

// LintProgram checks a compiled expression as a lone expression.
func LintProgram(p *expr.Program) []Warning {
	return LintIn(p, Context{})
}

// LintIn checks a compiled expression used where ctx says. Warnings are
// sorted by position, then code.
func LintIn(p *expr.Program, ctx Context) []Warning {
	c := &checker{src: p.Source(), ctx: ctx, root: p.Root()}
	expr.Walk(p.Root(), func(n expr.Node) bool {
		switch n := n.(type) {
		case *expr.CallExpr:
			for _, r := range rules {
				if r.call != nil {
					r.call(c, r, n)
				}
			}
		case *expr.BinaryExpr:
			for _, r := range rules {
				if r.binary != nil {
					r.binary(c, r, n)
				}
			}
		}
		return true
	})
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i], c.out[j]
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Code < b.Code
	})
	return c.out
}

// checker collects the warnings of one expression.
type checker struct {
	src  string
	ctx  Context
	root expr.Node
	out  []Warning
}

// report adds a warning of rule r located at span.
func (c *checker) report(r *Rule, span expr.Span, fix, suggestion, format string, args ...any) {
	w := Warning{
		Code: r.Code, Rule: r.Name, Span: span,
		Msg: fmt.Sprintf(format, args...), Fix: fix, Suggestion: suggestion, Source: c.src,
	}
	if w.Suggestion == "" {
		w.Suggestion = fix
	}
	w.Line, w.Col = diag.LineCol(c.src, span.Start)
	c.out = append(c.out, w)
}

// required reports whether attr is known to always have a value.
func (c *checker) required(attr string) bool {
	return c.ctx.Required != nil && c.ctx.Required(attr)
}

// Apply returns src with the Fix of every warning applied. Warnings
// without a Fix, and fixes that overlap an earlier one, are left out.
func Apply(src string, ws []Warning) string {
	fixes := make([]Warning, 0, len(ws))
	for _, w := range ws {
		if w.Fix != "" {
			fixes = append(fixes, w)
		}
	}
	sort.SliceStable(fixes, func(i, j int) bool { return fixes[i].Span.Start < fixes[j].Span.Start })
	var b strings.Builder
	at := 0
	for _, w := range fixes {
		if w.Span.Start < at || w.Span.End > len(src) {
			continue // overlaps a fix already applied
		}
		b.WriteString(src[at:w.Span.Start])
		b.WriteString(w.Fix)
		at = w.Span.End
	}
	b.WriteString(src[at:])
	return b.String()
}
