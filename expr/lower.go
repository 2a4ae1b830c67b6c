package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// enums are the bare words the language accepts as constants, keyed by
// lower-case name. VBA's comparison constants keep their VBA values;
// encodings (for ConvertFromBase64) are their names.
var enums = map[string]*EnumLit{}

func init() {
	for _, e := range []*EnumLit{
		{Name: "vbBinaryCompare", Value: Int(0)},
		{Name: "vbTextCompare", Value: Int(1)},
		{Name: "vbDatabaseCompare", Value: Int(2)},
		{Name: "True", Value: Bool(true)},
		{Name: "False", Value: Bool(false)},
		{Name: "Unicode", Value: String("Unicode")},
		{Name: "UTF8", Value: String("UTF8")},
		{Name: "ASCII", Value: String("ASCII")},
		{Name: "CaseSensitive", Value: String("CaseSensitive")},
		// The Workday guide's flow constants: IgnoreAttributeFlow leaves the
		// attribute out of the flow, IgnoreObjectFlow the whole object.
		{Name: "IgnoreAttributeFlow", Value: Ignored},
		{Name: "IgnoreObjectFlow", Value: IgnoredObject},
		{Name: "CaseInsensitive", Value: String("CaseInsensitive")},
	} {
		enums[strings.ToLower(e.Name)] = e
	}
}

// EnumNames returns the bare words the language accepts, for completion.
func EnumNames() []string {
	names := make([]string, 0, len(enums))
	for _, e := range enums {
		names = append(names, e.Name)
	}
	return names
}

var tokenNames = func() map[lexer.TokenType]string {
	m := map[lexer.TokenType]string{}
	for name, t := range exprSymbols {
		m[t] = name
	}
	return m
}()

// parse turns p.src into a checked syntax tree.
func (p *Program) parse() (Node, error) {
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
	cst, err := parser.ParseString("", src)
	if err != nil {
		return nil, p.syntaxError(err)
	}
	l := lowerer{p: p}
	root, err := l.expr(cst, 0)
	if err != nil {
		return nil, err
	}
	if err := l.check(root, true); err != nil {
		return nil, err
	}
	return root, nil
}

// checkDepth rejects nesting deeper than max before the recursive parser
// sees it, so that no input can exhaust the stack.
func checkDepth(src string, max int) error {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '[':
			for i < len(src) && src[i] != ']' {
				i++
			}
		case '(':
			depth++
			if depth > max {
				return newError(src, Span{i, i + 1}, "split the expression or raise the limit with WithMaxDepth",
					"expression nested too deeply (more than %d levels)", max)
			}
		case ')':
			depth--
		}
	}
	return nil
}

// syntaxError converts a participle error to an *Error.
func (p *Program) syntaxError(err error) error {
	src := p.src
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		tok := ute.Unexpected
		span := Span{tok.Pos.Offset, tok.Pos.Offset + len(tok.Value)}
		switch tokenNames[tok.Type] {
		case "BadString":
			return newError(src, Span{span.Start, span.Start + 1}, `close it with " (write \" for a quote inside a string)`, "unterminated string literal")
		case "BadAttr":
			return newError(src, Span{span.Start, span.Start + 1}, "close it with ]", "unterminated attribute reference")
		}
		expect := ""
		if ute.Expect != "" {
			expect = " (expected " + ute.Expect + ")"
		}
		if tok.EOF() {
			return newError(src, Span{len(src), len(src)}, missingHint(src), "unexpected end of expression%s", expect)
		}
		return newError(src, span, unexpectedHint(src, tok), "unexpected %s%s", describeToken(tok), expect)
	}
	var perr participle.Error
	if errors.As(err, &perr) {
		pos := perr.Position()
		msg := perr.Message()
		if strings.Contains(msg, "invalid input text") && pos.Offset < len(src) {
			r := []rune(src[pos.Offset:])[0]
			return newError(src, Span{pos.Offset, pos.Offset + len(string(r))}, characterHint(src, pos.Offset, r), "unexpected character %q", r)
		}
		return newError(src, Span{pos.Offset, pos.Offset}, "", "%s", msg)
	}
	return newError(src, Span{}, "", "%s", err.Error())
}

func describeToken(tok lexer.Token) string {
	switch tokenNames[tok.Type] {
	case "String":
		return "string " + tok.Value
	case "Attr":
		return "attribute " + tok.Value
	case "Number", "Hex":
		return "number " + tok.Value
	case "Ident":
		return fmt.Sprintf("name %q", tok.Value)
	}
	return strconv.Quote(tok.Value)
}

func unexpectedHint(src string, tok lexer.Token) string {
	// A doubled operator, as C-like languages write them.
	if at := tok.Pos.Offset; at < len(src) && (at > 0 && src[at-1] == src[at] || at+1 < len(src) && src[at+1] == src[at]) {
		switch tok.Value {
		case "=":
			if fixed := strings.Replace(src, "==", "=", 1); len(fixed) <= 80 && !strings.Contains(fixed, "\n") {
				return "compare with a single =: " + fixed
			}
			return "compare with a single =, as in [a] = \"x\""
		case "&":
			return "there is no &&: a condition is one comparison; test several with nested IIF or with Switch, such as IIF([a] = \"x\", IIF([b] = \"y\", \"both\", \"a only\"), \"neither\")"
		}
	}
	switch tokenNames[tok.Type] {
	case "String", "Attr", "Number", "Hex", "Ident":
		return "a comma may be missing between two arguments"
	}
	if tok.Value == ")" {
		return "this parenthesis closes nothing"
	}
	return ""
}

// characterHint explains a character the language does not have, with
// the fix when one is clear.
func characterHint(src string, at int, r rune) string {
	switch r {
	case '\'', '\u2018', '\u2019', '\u201C', '\u201D':
		closing := map[rune]string{'\'': "'", '\u2018': "\u2019\u2018'", '\u2019': "\u2019'", '\u201C': "\u201D\u201C\"", '\u201D': "\u201D\""}[r]
		rest := src[at+len(string(r)):]
		fix := ""
		if end := strings.IndexAny(rest, closing); end >= 0 {
			// Only \" needs escaping: other backslashes are kept as written.
			fix = `: "` + strings.ReplaceAll(rest[:end], `"`, `\"`) + `"`
		}
		if r == '\'' {
			return "strings are written in double quotes" + fix
		}
		return "replace the curly quotes with straight double quotes" + fix
	case '+':
		return "+ does not join text: use Join(\"\", [a], [b]) (or & in cloud sync expressions)"
	case '|':
		return "there is no ||: test several conditions with Switch or nested IIF"
	case '!':
		return "negate with Not(...) and compare with <>"
	}
	return ""
}

// missingHint says which delimiter an incomplete expression lacks.
func missingHint(src string) string {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			depth--
		}
	}
	if depth > 0 {
		return fmt.Sprintf("%d parenthes%s to close", depth, map[bool]string{true: "is", false: "es"}[depth == 1])
	}
	return ""
}

type lowerer struct {
	p *Program
}

func (l *lowerer) err(span Span, hint, format string, args ...any) error {
	return newError(l.p.src, span, hint, format, args...)
}

// end returns where a node ends, given participle's end position: the
// start of the next token, before which the lexer skipped any white space.
func (l *lowerer) end(pos lexer.Position) int {
	src := l.p.src[:min(pos.Offset, len(l.p.src))]
	for {
		switch {
		case src == "":
			return 0
		case strings.HasSuffix(src, "\u00A0"):
			src = src[:len(src)-2]
		case strings.HasSuffix(src, "\uFEFF"):
			src = src[:len(src)-3]
		case scanSpace(src[len(src)-1:]) == 1:
			src = src[:len(src)-1]
		default:
			return len(src)
		}
	}
}

// precedence of the binary operators: & binds tighter than comparisons,
// as in VBA.
func precedence(op string) int {
	if op == "&" {
		return 2
	}
	return 1
}

func (l *lowerer) expr(e *exprNode, depth int) (Node, error) {
	left, err := l.operand(&e.operandNode, depth)
	if err != nil {
		return nil, err
	}
	if len(e.Rest) == 0 {
		return left, nil
	}
	operands := make([]Node, 1, len(e.Rest)+1)
	operands[0] = left
	type op struct {
		op   string
		span Span
	}
	ops := make([]op, 0, len(e.Ops))
	for i := range e.Rest {
		n, err := l.operand(&e.Rest[i], depth)
		if err != nil {
			return nil, err
		}
		operands = append(operands, n)
		ops = append(ops, op{e.Ops[i].Value, e.Ops[i].span()})
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

// operand lowers the one alternative of an operand that matched. A
// parenthesised expression's span is that of the expression inside.
func (l *lowerer) operand(o *operandNode, depth int) (Node, error) {
	switch {
	case o.LeafCall.Type != 0:
		return l.leafCall(&o.LeafCall)
	case o.Call != nil:
		return l.call(o.Call, depth+1)
	case o.Leaf.Type != 0:
		return l.leaf(o.Leaf.token)
	case o.Word.Type != 0:
		return l.leaf(o.Word.token)
	case o.Paren != nil:
		return l.expr(o.Paren, depth+1)
	}
	return nil, l.err(Span{}, "", "empty operand")
}

// leaf lowers a single-token operand.
func (l *lowerer) leaf(t token) (Node, error) {
	span := t.span()
	switch t.Type {
	case tokAttr:
		return l.attr(t.Value, span)
	case tokString:
		return l.str(t.Value, span), nil
	case tokHex:
		return l.hex(t.Value, span)
	case tokNumber:
		return l.number(t.Value, span)
	}
	return l.ident(t.Value, span)
}

func (l *lowerer) attr(lit string, span Span) (Node, error) {
	name := lit[1 : len(lit)-1]
	if strings.TrimSpace(name) == "" {
		return nil, l.err(span, "write the attribute name between the brackets, such as [givenName]", "empty attribute name")
	}
	return &AttrExpr{Name: name, Loc: span}, nil
}

func (l *lowerer) str(lit string, span Span) Node {
	s := unquote(lit)
	return &StringLit{Value: s, Loc: span, v: String(s)}
}

func (l *lowerer) hex(lit string, span Span) (Node, error) {
	n, ok := parseHex(lit)
	if !ok {
		return nil, l.err(span, "", "hexadecimal number %s out of range", lit)
	}
	return &NumberLit{Value: Int(n), Hex: true, Loc: span, v: Int(n)}, nil
}

func (l *lowerer) number(lit string, span Span) (Node, error) {
	num, err := parseNumber(lit)
	if err != nil {
		return nil, l.err(span, "", "invalid number %s", lit)
	}
	return &NumberLit{Value: num, Loc: span, v: num}, nil
}

func parseNumber(s string) (Number, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return Int(i), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Number{}, err
	}
	return Float(f), nil
}

// unquote removes the quotes of a string literal and resolves the two
// escapes the language has, \\ and \". Any other backslash is kept as it
// is, so that regular expressions written with single backslashes (as
// pasted from many examples) keep working.
func unquote(lit string) string {
	body := lit[1 : len(lit)-1]
	if !strings.Contains(body, `\`) {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' && i+1 < len(body) && (body[i+1] == '\\' || body[i+1] == '"') {
			b.WriteByte(body[i+1])
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (l *lowerer) ident(name string, span Span) (Node, error) {
	if e, ok := enums[strings.ToLower(name)]; ok {
		return &EnumLit{Name: e.Name, Value: e.Value, Loc: span}, nil
	}
	if f, ok := l.p.cfg.funcs.Lookup(name); ok {
		return nil, l.err(span, fmt.Sprintf("call it with parentheses: %s(...)", f.Name), "function %s used without arguments", f.Name)
	}
	hint := didYouMean(name, EnumNames())
	if hint == "" {
		hint = fmt.Sprintf("attribute names go in brackets: [%s]; strings in quotes: %q", name, name)
	}
	return nil, l.err(span, hint, "unknown name %q", name)
}

func (l *lowerer) call(c *callNode, depth int) (Node, error) {
	call, err := l.callee(c.Head, l.end(c.EndPos))
	if err != nil {
		return nil, err
	}
	if call.Args, err = l.args(c, depth); err != nil {
		return nil, err
	}
	return l.arity(call)
}

// leafCall lowers a call whose arguments are all leaves or empty.
func (l *lowerer) leafCall(c *leafCall) (Node, error) {
	call, err := l.callee(c.callHead, c.End)
	if err != nil {
		return nil, err
	}
	if c.Args.ok {
		call.Args = make([]Node, 0, c.Args.args())
		if call.Args, err = l.run(call.Args, &c.Args.leafRun, c.callHead); err != nil {
			return nil, err
		}
	}
	return l.arity(call)
}

// callee starts the CallExpr of a call that ends at end, resolving the
// function's name.
func (l *lowerer) callee(head callHead, end int) (*CallExpr, error) {
	nameSpan := head.span()
	f, ok := l.p.cfg.funcs.Lookup(head.Value)
	if !ok {
		return nil, l.err(nameSpan, didYouMean(head.Value, l.p.cfg.funcs.Names()), "unknown function %q", head.Value)
	}
	return &CallExpr{Func: f, Name: head.Value, NameSpan: nameSpan, Loc: Span{nameSpan.Start, end}}, nil
}

// arity checks the number of arguments of call.
func (l *lowerer) arity(call *CallExpr) (Node, error) {
	f := call.Func
	if n := len(call.Args); n < f.MinArgs || (f.MaxArgs >= 0 && n > f.MaxArgs) {
		closing := Span{call.Loc.End - 1, call.Loc.End}
		return nil, l.err(closing, "usage: "+f.Signature(),
			"invalid number of arguments for %s (expected %s, got %d)", f.Name, arity(f), n)
	}
	return call, nil
}

// run appends the arguments of a run of leaves to args.
func (l *lowerer) run(args []Node, r *leafRun, head callHead) ([]Node, error) {
	for i := range r.args() {
		a := r.at(i)
		var n Node
		var err error
		switch {
		case a.call != nil:
			n, err = l.leafCall(a.call)
		case a.Type == 0:
			n = l.empty(head, a.Comma)
		default:
			n, err = l.leaf(a.token)
		}
		if err != nil {
			return nil, err
		}
		args = append(args, n)
	}
	return args, nil
}

// empty returns an argument left empty: it sits right after the comma
// before it, at offset comma, or after the opening parenthesis (comma -1).
func (l *lowerer) empty(head callHead, comma int) Node {
	if comma < 0 {
		comma = l.openParen(head.span().End)
	}
	return &EmptyArg{Loc: Span{comma + 1, comma + 1}}
}

// args lowers the arguments of a call: nil for (), an EmptyArg for each
// argument left empty.
func (l *lowerer) args(c *callNode, depth int) ([]Node, error) {
	if !c.First.ok && c.FirstX == nil && len(c.Commas) == 0 {
		return nil, nil
	}
	if len(c.Xs) != len(c.Commas) {
		// A comma that no expression follows can only be the last thing
		// before a syntax error: the parse fails before lowering.
		return nil, l.err(c.Head.span(), "", "internal error: argument list without its expressions")
	}
	n := 1 + len(c.Commas)
	if c.First.ok {
		n = c.First.args() + len(c.Commas)
	}
	if c.Run0.ok {
		n += c.Run0.args()
	}
	for i := range c.Runs {
		n += c.Runs[i].args()
	}
	args := make([]Node, 0, n)
	run := func(r *leafRun) (err error) {
		args, err = l.run(args, r, c.Head)
		return err
	}
	var err error
	switch {
	case c.First.ok:
		err = run(&c.First.leafRun)
	case c.FirstX != nil:
		var first Node
		if first, err = l.expr(c.FirstX, depth); err == nil {
			args = append(args, first)
			if c.Run0.ok {
				err = run(&c.Run0.leafRun)
			}
		}
	default:
		args = append(args, l.empty(c.Head, -1))
	}
	if err != nil {
		return nil, err
	}
	// Merge the expressions and the runs in the order of their commas.
	i, j := 0, 0
	for i < len(c.Runs) || j < len(c.Commas) {
		if j == len(c.Commas) || i < len(c.Runs) && c.Runs[i].One.Comma < c.Commas[j].Offset {
			if err := run(&c.Runs[i].leafRun); err != nil {
				return nil, err
			}
			i++
			continue
		}
		a, err := l.expr(c.Xs[j], depth)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		j++
	}
	return args, nil
}

// openParen returns the offset of the first "(" from off on.
func (l *lowerer) openParen(off int) int {
	src := l.p.src
	for off < len(src) && src[off] != '(' {
		off++
	}
	return off
}

func arity(f *Func) string {
	switch {
	case f.MaxArgs < 0:
		return fmt.Sprintf("at least %d", f.MinArgs)
	case f.MinArgs == f.MaxArgs:
		return strconv.Itoa(f.MinArgs)
	}
	return fmt.Sprintf("%d to %d", f.MinArgs, f.MaxArgs)
}

// check runs, bottom up, each function's own checks, enforces top-level
// placement, and folds calls whose arguments are all constant.
func (l *lowerer) check(n Node, top bool) error {
	switch n := n.(type) {
	case *BinaryExpr:
		if err := l.check(n.Left, false); err != nil {
			return err
		}
		return l.check(n.Right, false)
	case *CallExpr:
		for _, a := range n.Args {
			if err := l.check(a, false); err != nil {
				return err
			}
		}
		f := n.Func
		if f.TopLevel && !top {
			return l.err(n.NameSpan, fmt.Sprintf("use %s as the whole expression, with the other functions inside it", f.Name),
				"%s must be the outermost function of the expression", f.Name)
		}
		if f.Check != nil {
			ck := &CheckContext{Call: n, TopLevel: top, prog: l.p}
			if err := f.Check(ck); err != nil {
				return l.p.wrapError(n, err)
			}
		}
		return l.fold(n)
	}
	return nil
}

// fold evaluates a pure call whose arguments are all constants once, at
// Compile time; an error is then a compile error.
func (l *lowerer) fold(n *CallExpr) error {
	if n.Func.Impure {
		return nil
	}
	for _, a := range n.Args {
		if _, ok := a.(*EmptyArg); ok {
			continue
		}
		if _, ok := literalValue(a); !ok {
			return nil
		}
	}
	st := getState(l.p, emptyEnv{}, EvalOptions{})
	defer putState(st)
	v, err := l.p.compile(n)(st)
	if err != nil {
		return err
	}
	if st.redacted {
		v = Redacted{V: v}
	}
	n.folded = v
	return nil
}

type emptyEnv struct{}

func (emptyEnv) Lookup(string) (Value, bool) { return nil, false }
