package expr

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// exprNode is an operand followed by any number of operator/operand pairs;
// precedence is applied when lowering. Ops[i] stands between operand i
// (Left being operand 0) and Rest[i]. The pairs are not a node of their
// own: participle would build one, and drop it, after every operand.
type exprNode struct {
	Left *operandNode   `parser:"@@"`
	Ops  []string       `parser:"( @Op"`
	Rest []*operandNode `parser:"  @@ )*"`
}

// operandNode lists the single-token operands first: an alternative that
// fails on its first token costs participle little, while trying the call
// first would build (and drop) a callNode for every string and attribute.
// Only Call must come before Ident, which it starts with.
type operandNode struct {
	Pos    lexer.Position
	Str    *string   `parser:"  @String"`
	Attr   *string   `parser:"| @Attr"`
	Call   *callNode `parser:"| @@"`
	Ident  *string   `parser:"| @Ident"`
	Num    *string   `parser:"| @Number"`
	Hex    *string   `parser:"| @Hex"`
	Paren  *exprNode `parser:"| \"(\" @@ \")\""`
	EndPos lexer.Position
}

// callNode is Name(args). Arguments may be empty, so the first is
// optional and each further one is a comma followed by an optional
// expression.
type callNode struct {
	Pos    lexer.Position
	Name   string     `parser:"@Ident \"(\""`
	First  *exprNode  `parser:"@@?"`
	Rest   []*argNode `parser:"@@* \")\""`
	EndPos lexer.Position
}

type argNode struct {
	Pos lexer.Position
	X   *exprNode `parser:"\",\" @@?"`
}

var parser = participle.MustBuild[exprNode](
	participle.Lexer(exprLexer),
	participle.UseLookahead(2),
)
