package expr

// Node is a node of the abstract syntax tree that Compile builds. The set is
// sealed: CallExpr, AttrExpr, StringLit, NumberLit, EnumLit, EmptyArg and
// BinaryExpr.
type Node interface {
	// Span locates the node in the source text.
	Span() Span
	node()
}

// CallExpr is a function call. Func is resolved at Compile time.
type CallExpr struct {
	Func *Func
	// Name is the name as written in the source.
	Name string
	Args []Node
	// NameSpan covers the name; Loc covers the whole call, up to and
	// including the closing parenthesis.
	NameSpan, Loc Span

	data   any      // set by the function's Check
	folded Value    // the constant result, when Compile could compute it
	fns    []evalFn // the compiled arguments
}

// AttrExpr is an attribute reference, [name].
type AttrExpr struct {
	Name string
	Loc  Span
}

// StringLit is a string constant; Value holds the unescaped text.
type StringLit struct {
	Value string
	Loc   Span
	v     Value // Value, boxed once
}

// NumberLit is a numeric constant: a decimal number, possibly negative, or
// a VBA hexadecimal literal such as &HF7 (Hex is then true).
type NumberLit struct {
	Value Number
	Hex   bool
	Loc   Span
	v     Value // Value, boxed once
}

// EnumLit is a bare word naming a constant, such as vbTextCompare or True.
type EnumLit struct {
	// Name is the canonical spelling.
	Name  string
	Value Value
	Loc   Span
}

// EmptyArg is an argument left empty, as in Switch([a], , "1", "x"). It
// evaluates to Null; Call.Provided reports it as not provided.
type EmptyArg struct {
	Loc Span
}

// BinaryExpr is a comparison (=, <>, <, <=, >, >=) or a concatenation (&).
type BinaryExpr struct {
	Op          string
	Left, Right Node
	Loc         Span
	// OpSpan covers the operator.
	OpSpan Span
}

// Span implements Node.
func (n *CallExpr) Span() Span { return n.Loc }

// Span implements Node.
func (n *AttrExpr) Span() Span { return n.Loc }

// Span implements Node.
func (n *StringLit) Span() Span { return n.Loc }

// Span implements Node.
func (n *NumberLit) Span() Span { return n.Loc }

// Span implements Node.
func (n *EnumLit) Span() Span { return n.Loc }

// Span implements Node.
func (n *EmptyArg) Span() Span { return n.Loc }

// Span implements Node.
func (n *BinaryExpr) Span() Span { return n.Loc }

func (*CallExpr) node()   {}
func (*AttrExpr) node()   {}
func (*StringLit) node()  {}
func (*NumberLit) node()  {}
func (*EnumLit) node()    {}
func (*EmptyArg) node()   {}
func (*BinaryExpr) node() {}

// Walk calls fn for n and, depth first, every node below it, until fn
// returns false.
func Walk(n Node, fn func(Node) bool) bool {
	if !fn(n) {
		return false
	}
	switch n := n.(type) {
	case *CallExpr:
		for _, a := range n.Args {
			if !Walk(a, fn) {
				return false
			}
		}
	case *BinaryExpr:
		return Walk(n.Left, fn) && Walk(n.Right, fn)
	}
	return true
}
