package expr

// Trace is the evaluation of one node of a program, with the traces of the
// arguments that were evaluated. Arguments a lazy function skipped (the
// branch IIF did not take, the Switch keys after the match) have no trace.
type Trace struct {
	Node  Node
	Value Value
	Err   error
	// Args holds one entry per argument of a call or operand of a binary
	// expression, nil where the argument was not evaluated.
	Args []*Trace
}

// Trace evaluates the program like EvalWith and records the value of every
// sub-expression evaluated, for the REPL's :trace and for explanations.
// It is slower than Eval; use it for people, not for bulk work.
func (p *Program) Trace(env Env, o EvalOptions) (*Trace, Value, error) {
	if env == nil {
		env = emptyEnv{}
	}
	st := getState(p, env, o)
	defer putState(st)
	rec := map[Node]*Trace{}
	st.hook = func(n Node, v Value, err error) {
		rec[n] = &Trace{Node: n, Value: v, Err: err}
	}
	v, err := p.run(st)
	st.hook = nil
	if err == nil && st.redacted {
		if _, ok := v.(Redacted); !ok {
			v = Redacted{V: v}
		}
	}
	return build(p.root, rec), v, err
}

// build assembles the recorded traces into a tree shaped like the AST.
func build(n Node, rec map[Node]*Trace) *Trace {
	t, ok := rec[n]
	if !ok {
		return nil
	}
	switch n := n.(type) {
	case *CallExpr:
		t.Args = make([]*Trace, len(n.Args))
		for i, a := range n.Args {
			t.Args[i] = build(a, rec)
		}
	case *BinaryExpr:
		t.Args = []*Trace{build(n.Left, rec), build(n.Right, rec)}
	}
	return t
}
