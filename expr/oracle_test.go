package expr

// The grammar and lowering that Compile used before the argument fast
// path (grammar.go), kept verbatim as the oracle that TestParseMatchesOracle
// and FuzzParseMatchesOracle hold the current parser to: the same trees,
// spans and errors.

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// oldExprNode is an operand followed by any number of operator/operand pairs;
// precedence is applied when lowering. Ops[i] stands between operand i
// (Left being operand 0) and Rest[i]. The pairs are not a node of their
// own: participle would build one, and drop it, after every operand.
type oldExprNode struct {
	Left *oldOperandNode   `parser:"@@"`
	Ops  []string          `parser:"( @Op"`
	Rest []*oldOperandNode `parser:"  @@ )*"`
}

// oldOperandNode lists the single-token operands first: an alternative that
// fails on its first token costs participle little, while trying the call
// first would build (and drop) a oldCallNode for every string and attribute.
// Only Call must come before Ident, which it starts with.
type oldOperandNode struct {
	Pos    lexer.Position
	Str    *string      `parser:"  @String"`
	Attr   *string      `parser:"| @Attr"`
	Call   *oldCallNode `parser:"| @@"`
	Ident  *string      `parser:"| @Ident"`
	Num    *string      `parser:"| @Number"`
	Hex    *string      `parser:"| @Hex"`
	Paren  *oldExprNode `parser:"| \"(\" @@ \")\""`
	EndPos lexer.Position
}

// oldCallNode is Name(args). Arguments may be empty, so the first is
// optional and each further one is a comma followed by an optional
// expression.
type oldCallNode struct {
	Pos    lexer.Position
	Name   string        `parser:"@Ident \"(\""`
	First  *oldExprNode  `parser:"@@?"`
	Rest   []*oldArgNode `parser:"@@* \")\""`
	EndPos lexer.Position
}

type oldArgNode struct {
	Pos lexer.Position
	X   *oldExprNode `parser:"\",\" @@?"`
}

var oldParser = participle.MustBuild[oldExprNode](
	participle.Lexer(exprLexer),
	participle.UseLookahead(2),
)

type oldLowerer struct{ lowerer }

// oldParse is Program.parse with the oracle grammar and lowering.
func (p *Program) oldParse() (Node, error) {
	src := p.src
	if len(src) > p.cfg.maxLen {
		return nil, newError(src, Span{p.cfg.maxLen, len(src)}, "",
			"expression too long (%d bytes, at most %d)", len(src), p.cfg.maxLen)
	}
	if err := checkDepth(src, p.cfg.maxDepth); err != nil {
		return nil, err
	}
	if strings.TrimSpace(src) == "" {
		return nil, newError(src, Span{len(src), len(src)}, `write a function call, an attribute such as [givenName] or a string such as "text"`, "empty expression")
	}
	cst, err := oldParser.ParseString("", src)
	if err != nil {
		return nil, p.syntaxError(err)
	}
	l := oldLowerer{lowerer{p: p}}
	root, err := l.expr(cst, 0)
	if err != nil {
		return nil, err
	}
	if err := l.check(root, true); err != nil {
		return nil, err
	}
	return root, nil
}

func (l *oldLowerer) expr(e *oldExprNode, depth int) (Node, error) {
	left, err := l.operand(e.Left, depth)
	if err != nil {
		return nil, err
	}
	if len(e.Rest) == 0 {
		return left, nil
	}
	operands := []Node{left}
	type op struct {
		op   string
		span Span
	}
	var ops []op
	prev := e.Left
	for i, r := range e.Rest {
		n, err := l.operand(r, depth)
		if err != nil {
			return nil, err
		}
		operands = append(operands, n)
		// The operand before the operator ends where the next token, the
		// operator, starts.
		at := prev.EndPos.Offset
		ops = append(ops, op{e.Ops[i], Span{at, at + len(e.Ops[i])}})
		prev = r
	}
	// Each operator of a chain is one level of the tree it builds (left
	// to right, a & b & c is (a & b) & c), so the chain counts toward the
	// depth limit like nested calls.
	if max := l.p.cfg.maxDepth; depth+len(ops) > max {
		at := ops[0]
		if i := max - depth; i > 0 {
			at = ops[i]
		}
		return nil, newError(l.p.src, at.span, "split the expression or raise the limit with WithMaxDepth",
			"expression nested too deeply (a chain of %d operators here counts %d levels; at most %d)", len(ops), len(ops), max)
	}
	bin := func(o op, lhs, rhs Node) Node {
		return &BinaryExpr{Op: o.op, Left: lhs, Right: rhs, Loc: Span{lhs.Span().Start, rhs.Span().End}, OpSpan: o.span}
	}
	// Fold the tighter operator (&) first, then the comparisons, both left
	// to right, in one pass each: linear in the length of the chain.
	var cmpOperands []Node
	var cmpOps []op
	cur := operands[0]
	for i, o := range ops {
		if precedence(o.op) == 2 {
			cur = bin(o, cur, operands[i+1])
			continue
		}
		cmpOperands, cmpOps = append(cmpOperands, cur), append(cmpOps, o)
		cur = operands[i+1]
	}
	cmpOperands = append(cmpOperands, cur)
	res := cmpOperands[0]
	for j, o := range cmpOps {
		res = bin(o, res, cmpOperands[j+1])
	}
	return res, nil
}

func (l *oldLowerer) operand(o *oldOperandNode, depth int) (Node, error) {
	span := Span{o.Pos.Offset, l.end(o.EndPos)}
	switch {
	case o.Call != nil:
		return l.call(o.Call, depth+1)
	case o.Attr != nil:
		name := (*o.Attr)[1 : len(*o.Attr)-1]
		if strings.TrimSpace(name) == "" {
			return nil, l.err(span, "write the attribute name between the brackets, such as [givenName]", "empty attribute name")
		}
		return &AttrExpr{Name: name, Loc: span}, nil
	case o.Str != nil:
		s := unquote(*o.Str)
		return &StringLit{Value: s, Loc: span, v: String(s)}, nil
	case o.Hex != nil:
		n, ok := parseHex(*o.Hex)
		if !ok {
			return nil, l.err(span, "", "hexadecimal number %s out of range", *o.Hex)
		}
		return &NumberLit{Value: Int(n), Hex: true, Loc: span, v: Int(n)}, nil
	case o.Num != nil:
		num, err := parseNumber(*o.Num)
		if err != nil {
			return nil, l.err(span, "", "invalid number %s", *o.Num)
		}
		return &NumberLit{Value: num, Loc: span, v: num}, nil
	case o.Ident != nil:
		return l.ident(*o.Ident, span)
	case o.Paren != nil:
		return l.expr(o.Paren, depth+1)
	}
	return nil, l.err(span, "", "empty operand")
}

func (l *oldLowerer) call(c *oldCallNode, depth int) (Node, error) {
	src := l.p.src
	nameSpan := Span{c.Pos.Offset, c.Pos.Offset + len(c.Name)}
	call := &CallExpr{Name: c.Name, NameSpan: nameSpan, Loc: Span{c.Pos.Offset, l.end(c.EndPos)}}
	f, ok := l.p.cfg.funcs.Lookup(c.Name)
	if !ok {
		return nil, l.err(nameSpan, didYouMean(c.Name, l.p.cfg.funcs.Names()), "unknown function %q", c.Name)
	}
	call.Func = f
	if c.First != nil || len(c.Rest) > 0 {
		if c.First != nil {
			a, err := l.expr(c.First, depth)
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, a)
		} else {
			// The first argument is empty: it sits right after "(".
			off := nameSpan.End
			for off < len(src) && src[off] != '(' {
				off++
			}
			call.Args = append(call.Args, &EmptyArg{Loc: Span{off + 1, off + 1}})
		}
		for _, r := range c.Rest {
			if r.X == nil {
				call.Args = append(call.Args, &EmptyArg{Loc: Span{r.Pos.Offset + 1, r.Pos.Offset + 1}})
				continue
			}
			a, err := l.expr(r.X, depth)
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, a)
		}
	}
	if n := len(call.Args); n < f.MinArgs || (f.MaxArgs >= 0 && n > f.MaxArgs) {
		closing := Span{call.Loc.End - 1, call.Loc.End}
		return nil, l.err(closing, "usage: "+f.Signature(),
			"invalid number of arguments for %s (expected %s, got %d)", f.Name, arity(f), n)
	}
	return call, nil
}
