package repl

import (
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// maxNodeText bounds the text of one node in a trace line; the children
// below it show the rest.
const maxNodeText = 48

func (s *Session) cmdTrace(arg string) (string, error) {
	p, err := s.compile(arg)
	if err != nil {
		return "", err
	}
	t, _, err := p.Trace(s.env(), s.evalOptions())
	var b strings.Builder
	writeTrace(&b, p.Root(), t, "", "")
	out := strings.TrimRight(b.String(), "\n")
	if err != nil {
		return out, err
	}
	return out, nil
}

// writeTrace writes one node and, indented below it, its arguments. Lines
// are "text => value"; literals show only their text, since their value is
// what they say.
func writeTrace(b *strings.Builder, n expr.Node, t *expr.Trace, first, rest string) {
	b.WriteString(first)
	b.WriteString(nodeText(n))
	switch {
	case t == nil:
		b.WriteString("  (not evaluated)")
	case t.Err != nil:
		b.WriteString("  => error: ")
		if e, ok := expr.AsError(t.Err); ok {
			b.WriteString(e.Msg)
		} else {
			b.WriteString(t.Err.Error())
		}
	case !isLiteral(n):
		b.WriteString("  => ")
		b.WriteString(Show(t.Value))
	}
	b.WriteByte('\n')
	var kids []expr.Node
	switch n := n.(type) {
	case *expr.CallExpr:
		kids = n.Args
	case *expr.BinaryExpr:
		kids = []expr.Node{n.Left, n.Right}
	}
	for i, k := range kids {
		var kt *expr.Trace
		if t != nil && i < len(t.Args) {
			kt = t.Args[i]
		}
		if _, empty := k.(*expr.EmptyArg); empty {
			kt = &expr.Trace{Node: k, Value: expr.Null}
		}
		if i == len(kids)-1 {
			writeTrace(b, k, kt, rest+"└─ ", rest+"   ")
		} else {
			writeTrace(b, k, kt, rest+"├─ ", rest+"│  ")
		}
	}
}

// isLiteral reports whether n is a constant written in the source.
func isLiteral(n expr.Node) bool {
	switch n.(type) {
	case *expr.StringLit, *expr.NumberLit, *expr.EnumLit:
		return true
	}
	return false
}

// nodeText prints a node for a trace line, eliding the middle of long
// calls (their arguments are on the lines below).
func nodeText(n expr.Node) string {
	if _, ok := n.(*expr.EmptyArg); ok {
		return "(empty)"
	}
	s := expr.Print(n)
	if r := []rune(s); len(r) > maxNodeText {
		if c, ok := n.(*expr.CallExpr); ok {
			return c.Func.Name + "(…)"
		}
		return string(r[:maxNodeText-1]) + "…"
	}
	return s
}
