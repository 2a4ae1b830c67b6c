package expr

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// exprNode is an operand followed by any number of operator/operand pairs;
// precedence is applied when lowering.
type exprNode struct {
	Pos    lexer.Position
	Left   *operandNode `parser:"@@"`
	Rest   []*opNode    `parser:"@@*"`
	EndPos lexer.Position
}

type opNode struct {
	Pos     lexer.Position
	Op      string       `parser:"@Op"`
	Operand *operandNode `parser:"@@"`
	EndPos  lexer.Position
}

type operandNode struct {
	Pos    lexer.Position
	Call   *callNode `parser:"  @@"`
	Attr   *string   `parser:"| @Attr"`
	Str    *string   `parser:"| @String"`
	Hex    *string   `parser:"| @Hex"`
	Num    *string   `parser:"| @Number"`
	Ident  *string   `parser:"| @Ident"`
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
	Pos    lexer.Position
	X      *exprNode `parser:"\",\" @@?"`
	EndPos lexer.Position
}

var parser = participle.MustBuild[exprNode](
	participle.Lexer(exprLexer),
	participle.Elide("Whitespace"),
	participle.UseLookahead(2),
)
