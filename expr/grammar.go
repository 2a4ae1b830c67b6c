package expr

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar is participle's, shaped for what participle charges: every
// struct node, capture, alternative tried and repetition costs it a few
// allocations, whatever it matches. So the nodes are few, and the
// productions that match one or two tokens are participle Parseable
// types (leafCall, leafTok, wordTok, opTok, callHead, firstRun,
// restRun, commaTok), which read the tokens straight from participle's
// PeekingLexer and keep only their text and offset. Where a production
// can fail after its first token (callHead), it fails as participle's
// sequence would, at the same token, so that errors and the deepest
// error participle reports are unchanged; oracle_test.go keeps the plain
// grammar this replaced, and TestParseMatchesOracle and
// FuzzParseMatchesOracle hold the two to the same trees, spans and errors.

// exprNode is an operand followed by any number of operator/operand pairs;
// precedence is applied when lowering. Ops[i] stands between operand i
// (the first operand being the exprNode's own) and Rest[i]. The first
// operand is embedded rather than a node of its own, since most
// expressions are one operand; the pairs are not a node either.
type exprNode struct {
	operandNode
	Ops  []opTok       `parser:"( @@"`
	Rest []operandNode `parser:"  @@ )*"`
}

// operandNode is an operand. Call and LeafCall must come before Word, a
// bare word, which a call starts with, and LeafCall before Call, as it
// takes part of what Call does; the order of the others does not matter,
// as each fails on its first token without moving, so the most frequent,
// the calls, come first.
type operandNode struct {
	LeafCall leafCall  `parser:"( @@"`
	Call     *callNode `parser:"| @@"`
	Leaf     leafTok   `parser:"| @@"`
	Word     wordTok   `parser:"| @@"`
	Paren    *exprNode `parser:"| \"(\" @@ \")\" )"`
}

// leafCall is a call whose arguments are all single leaf tokens or empty,
// such as Join(".", [givenName], [surname]): read whole, what callHead, a
// firstRun and the closing parenthesis would read. Its own arguments are
// never calls, so that it reads one level and the nesting stays the
// grammar's.
type leafCall struct {
	callHead
	Args firstRun // not ok for ()
	End  int      // the offset after the closing parenthesis
}

// Parse implements participle.Parseable.
func (c *leafCall) Parse(lex *lexer.PeekingLexer) error {
	t := lex.Peek()
	if t.Type != tokIdent {
		return participle.NextMatch
	}
	cp := lex.MakeCheckpoint()
	lex.Next()
	if !isPunct(lex.Peek(), "(") {
		lex.LoadCheckpoint(cp)
		return participle.NextMatch
	}
	lex.Next()
	if !isPunct(lex.Peek(), ")") {
		if err := c.Args.parse(lex, false); err != nil || !isPunct(lex.Peek(), ")") {
			lex.LoadCheckpoint(cp)
			c.Args = firstRun{}
			return participle.NextMatch
		}
	}
	c.End = lex.Next().Pos.Offset + 1
	c.token = tokenOf(t)
	return nil
}

// callNode is Name(args) when leafCall does not take it. Arguments may be
// empty, so the first is optional and each further one is a comma
// followed by an optional expression. Most arguments are a single string,
// attribute, number or bare word, or a call of such: a run of them (or of
// empty ones) is read whole by firstRun or restRun, which spares
// participle building an argument and an expression node, with their
// branches, for each: StripSpaces(Join(".", [givenName], [surname])) is
// the name, one firstRun and the closing parenthesis. Anything else goes
// through the grammar: an argument that
// is an expression is a comma (Commas[i]) and the expression (Xs[i]),
// and each may be followed by a run (Run0 after the first, Runs[i]
// after Xs[i]), so that the repetition fails at the closing parenthesis
// on its first token.
type callNode struct {
	Head   callHead    `parser:"@@"`
	First  firstRun    `parser:"( @@"`
	FirstX *exprNode   `parser:"| @@"`
	Run0   restRun     `parser:"  @@? )?"`
	Commas []commaTok  `parser:"( @@"`
	Xs     []*exprNode `parser:"  @@?"`
	Runs   []restRun   `parser:"  @@? )* \")\""`
	EndPos lexer.Position
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

// isLeaf reports whether t is a single-token operand.
func isLeaf(t *lexer.Token) bool {
	return t.Type == tokString || t.Type == tokAttr || t.Type == tokNumber || t.Type == tokHex || t.Type == tokIdent
}

// closesArg reports whether t ends an argument: a comma or the closing
// parenthesis.
func closesArg(t *lexer.Token) bool { return isPunct(t, ",") || isPunct(t, ")") }

// leafRun is a run of arguments that are single leaf tokens, empty, or
// (in a call's own runs, not in a leafCall's) calls whose arguments are
// all such; each followed by a comma or the closing parenthesis (which
// the run leaves to the next production): exactly what the grammar's
// arguments would read there, without their nodes. firstRun starts with
// the first argument; restRun with the comma before an argument.
type leafRun struct {
	One  leafArg   // the first argument of the run
	More []leafArg // the others
	ok   bool
}

// leafArg is an argument of a leafRun: a token of Type 0 when it is
// empty, a call when call is set, and the offset of the comma before it
// (-1 for the first).
type leafArg struct {
	token
	call  *leafCall
	Comma int
}

// args returns the arguments of the run.
func (r *leafRun) args() int { return 1 + len(r.More) }

// at returns argument i of the run.
func (r *leafRun) at(i int) leafArg {
	if i == 0 {
		return r.One
	}
	return r.More[i-1]
}

// readArg reads an argument that a comma or the closing parenthesis
// follows: nothing (an empty argument), a leaf or, if calls, a leafCall.
// It reads nothing and reports false for anything else.
func readArg(lex *lexer.PeekingLexer, calls bool) (a leafArg, ok bool) {
	t := lex.Peek()
	if closesArg(t) {
		return a, true
	}
	if !isLeaf(t) {
		return a, false
	}
	cp := lex.MakeCheckpoint()
	lex.Next()
	if closesArg(lex.Peek()) {
		a.token = tokenOf(t)
		return a, true
	}
	if calls && t.Type == tokIdent && isPunct(lex.Peek(), "(") {
		lex.LoadCheckpoint(cp)
		c := &leafCall{}
		if c.Parse(lex) == nil && closesArg(lex.Peek()) {
			a.call = c
			return a, true
		}
	}
	lex.LoadCheckpoint(cp)
	return a, false
}

// nextLeafArg reads a comma and an argument that readArg reads, or
// nothing (ok false).
func nextLeafArg(lex *lexer.PeekingLexer, calls bool) (a leafArg, ok bool) {
	c := lex.Peek()
	if !isPunct(c, ",") {
		return a, false
	}
	cp := lex.MakeCheckpoint()
	lex.Next()
	if a, ok = readArg(lex, calls); !ok {
		lex.LoadCheckpoint(cp)
		return a, false
	}
	a.Comma = c.Pos.Offset
	return a, true
}

// more reads the rest of the run, gathering it on the stack so that it
// takes one allocation.
func (r *leafRun) more(lex *lexer.PeekingLexer, calls bool) {
	var buf [8]leafArg
	more := buf[:0]
	for {
		a, ok := nextLeafArg(lex, calls)
		if !ok {
			break
		}
		more = append(more, a)
	}
	if len(more) > 0 {
		r.More = append([]leafArg(nil), more...)
	}
}

type firstRun struct{ leafRun }

// Parse implements participle.Parseable.
func (r *firstRun) Parse(lex *lexer.PeekingLexer) error { return r.parse(lex, true) }

// parse reads a first argument and the run that follows it. A first
// argument left empty starts a run only when another argument follows it
// (the run must read a token): F(, x & y) is left to the grammar.
func (r *firstRun) parse(lex *lexer.PeekingLexer, calls bool) error {
	if isPunct(lex.Peek(), ",") {
		r.One, r.ok = leafArg{Comma: -1}, true
		if r.more(lex, calls); len(r.More) == 0 {
			return participle.NextMatch
		}
		return nil
	}
	if isPunct(lex.Peek(), ")") {
		return participle.NextMatch
	}
	a, ok := readArg(lex, calls)
	if !ok {
		return participle.NextMatch
	}
	a.Comma = -1
	r.One, r.ok = a, true
	r.more(lex, calls)
	return nil
}

type restRun struct{ leafRun }

// Parse implements participle.Parseable.
func (r *restRun) Parse(lex *lexer.PeekingLexer) error {
	a, ok := nextLeafArg(lex, true)
	if !ok {
		return participle.NextMatch
	}
	r.One, r.ok = a, true
	r.more(lex, true)
	return nil
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
