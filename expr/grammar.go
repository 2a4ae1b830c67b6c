package expr

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar is participle's, shaped for what participle charges: every
// struct node, capture, alternative tried and repetition costs it a few
// allocations, whatever it matches. So the nodes are few, and the
// productions that match one or two tokens are participle Parseable
// types (leafTok, wordTok, opTok, callHead, firstLeaf, restLeaf,
// commaTok), which read the tokens straight from participle's
// PeekingLexer and keep only their text and offset. Where a production
// can fail after its first token (callHead), it fails as participle's
// sequence would, at the same token, so that errors and the deepest
// error participle reports are unchanged; oracle_test.go keeps the plain
// grammar this replaced, and TestParseMatchesOracle and
// FuzzParseMatchesOracle hold the two to the same trees, spans and errors.

// exprNode is an operand followed by any number of operator/operand pairs;
// precedence is applied when lowering. Ops[i] stands between operand i
// (the first operand being the exprNode's own) and Rest[i]. The first
// operand is inline rather than a node of its own, since most expressions
// are one operand; the pairs are not a node either.
type exprNode struct {
	Leaf  leafTok       `parser:"( @@"`
	Call  *callNode     `parser:"| @@"`
	Word  wordTok       `parser:"| @@"`
	Paren *exprNode     `parser:"| \"(\" @@ \")\" )"`
	Ops   []opTok       `parser:"( @@"`
	Rest  []operandNode `parser:"  @@ )*"`
}

// operandNode is an operand after an operator. The single-token operands
// come first: an alternative that fails on its first token costs
// participle little, while trying the call first would build (and drop) a
// callNode for every string and attribute. Only Call must come before
// Word, a bare word, which a call starts with.
type operandNode struct {
	Leaf  leafTok   `parser:"  @@"`
	Call  *callNode `parser:"| @@"`
	Word  wordTok   `parser:"| @@"`
	Paren *exprNode `parser:"| \"(\" @@ \")\""`
}

// callNode is Name(args). Arguments may be empty, so the first is
// optional and each further one is a comma followed by an optional
// expression. Most arguments are a single string, attribute, number or
// bare word: firstLeaf and restLeaf take those whole, which spares
// participle building an expression node, with its branches, for each.
// Anything else goes through the grammar.
type callNode struct {
	Head   callHead  `parser:"@@"`
	First  firstLeaf `parser:"( @@"`
	FirstX *exprNode `parser:"| @@ )?"`
	Rest   []argNode `parser:"@@* \")\""`
	EndPos lexer.Position
}

// argNode is an argument after the first: a comma and a leaf, a comma
// alone (an empty argument), or a comma and an expression.
type argNode struct {
	Leaf  restLeaf  `parser:"  @@"`
	Comma commaTok  `parser:"| @@"`
	X     *exprNode `parser:"  @@?"`
}

// token is what the Parseable productions keep of a token.
type token struct {
	Type   lexer.TokenType // 0 when the production did not match
	Value  string
	Offset int
}

func tokenOf(t *lexer.Token) token { return token{t.Type, t.Value, t.Pos.Offset} }

// span covers the token.
func (t token) span() Span { return Span{t.Offset, t.Offset + len(t.Value)} }

// isPunct reports whether t is the punctuation s.
func isPunct(t *lexer.Token, s string) bool { return t.Type == tokPunct && t.Value == s }

// leafTok is a string, an attribute or a number.
type leafTok struct{ token }

// Parse implements participle.Parseable.
func (o *leafTok) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokString && t.Type != tokAttr && t.Type != tokNumber && t.Type != tokHex {
		return participle.NextMatch
	}
	o.token = tokenOf(lex.Next())
	return nil
}

// wordTok is a bare word that is not a call: a constant such as
// vbTextCompare, or a mistake that lowering explains.
type wordTok struct{ token }

// Parse implements participle.Parseable.
func (o *wordTok) Parse(lex *lexer.PeekingLexer) error {
	if lex.Peek().Type != tokIdent {
		return participle.NextMatch
	}
	o.token = tokenOf(lex.Next())
	return nil
}

// opTok is a binary operator.
type opTok struct{ token }

// Parse implements participle.Parseable.
func (o *opTok) Parse(lex *lexer.PeekingLexer) error {
	if lex.Peek().Type != tokOp {
		return participle.NextMatch
	}
	o.token = tokenOf(lex.Next())
	return nil
}

// callHead is a function name and the opening parenthesis. A name that
// no parenthesis follows fails at the token after it, as the sequence
// @Ident "(" does.
type callHead struct{ token }

// Parse implements participle.Parseable.
func (h *callHead) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokIdent {
		return participle.NextMatch
	}
	lex.Next()
	if p := lex.Peek(); !isPunct(p, "(") {
		return &participle.UnexpectedTokenError{Unexpected: *p}
	}
	lex.Next()
	h.token = tokenOf(t)
	return nil
}

// leafArg reports whether t is a single-token operand.
func leafArg(t *lexer.Token) bool {
	return t.Type == tokString || t.Type == tokAttr || t.Type == tokNumber || t.Type == tokHex || t.Type == tokIdent
}

// closesArg reports whether t ends an argument: a comma or the closing
// parenthesis.
func closesArg(t *lexer.Token) bool { return isPunct(t, ",") || isPunct(t, ")") }

// firstLeaf is a first argument that is one leaf token followed by a
// comma or the closing parenthesis: exactly what an expression would
// parse there, without its nodes.
type firstLeaf struct{ token }

// Parse implements participle.Parseable.
func (a *firstLeaf) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if !leafArg(t) {
		return participle.NextMatch
	}
	cp := lex.MakeCheckpoint()
	lex.Next()
	if !closesArg(lex.Peek()) {
		lex.LoadCheckpoint(cp)
		return participle.NextMatch
	}
	a.token = tokenOf(t)
	return nil
}

// restLeaf is an argument after the first that is empty or one leaf
// token: a comma, then nothing or the leaf, then a comma or the closing
// parenthesis (which it leaves to the next argument or the call).
type restLeaf struct {
	token     // Type 0 for an empty argument
	Comma int // the comma's offset
	ok    bool
}

// Parse implements participle.Parseable.
func (a *restLeaf) Parse(lex *lexer.PeekingLexer) error {
	c := lex.Peek()
	if !isPunct(c, ",") {
		return participle.NextMatch
	}
	cp := lex.MakeCheckpoint()
	lex.Next()
	t := lex.Peek()
	if closesArg(t) {
		a.Comma, a.ok = c.Pos.Offset, true
		return nil
	}
	if leafArg(t) {
		lex.Next()
		if closesArg(lex.Peek()) {
			a.token, a.Comma, a.ok = tokenOf(t), c.Pos.Offset, true
			return nil
		}
	}
	lex.LoadCheckpoint(cp)
	return participle.NextMatch
}

// commaTok is the comma before an argument that is an expression.
type commaTok struct {
	Offset int
	ok     bool
}

// Parse implements participle.Parseable.
func (c *commaTok) Parse(lex *lexer.PeekingLexer) error {
	if !isPunct(lex.Peek(), ",") {
		return participle.NextMatch
	}
	c.Offset, c.ok = lex.Next().Pos.Offset, true
	return nil
}

var parser = participle.MustBuild[exprNode](
	participle.Lexer(exprLexer),
	participle.UseLookahead(2),
)
