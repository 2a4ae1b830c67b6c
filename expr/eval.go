package expr

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// evalState is the mutable part of one evaluation. Programs stay immutable;
// states are pooled so that an evaluation allocates little beyond its
// result.
type evalState struct {
	prog  *Program
	env   Env
	o     EvalOptions
	stack []Value // arguments of eager calls in progress
	// calls holds the contexts of the calls in progress, calls[depth-1]
	// being the innermost. Entries are reused, not cleared: each already
	// points at this state, so a call only sets its node and arguments.
	calls    []Call
	depth    int
	redacted bool // a redacted value was consumed
	// hook, when set, sees every node's result (Program.Trace).
	hook func(n Node, v Value, err error)
}

var statePool = sync.Pool{New: func() any {
	st := &evalState{stack: make([]Value, 0, 32)}
	st.growCalls()
	return st
}}

// growCalls makes room for more nested calls. A context handed to an outer
// call stays valid: it keeps pointing into the old array, which nothing
// writes to any more.
func (st *evalState) growCalls() {
	calls := make([]Call, max(16, 2*len(st.calls)))
	copy(calls, st.calls)
	for i := range calls {
		calls[i].st = st
	}
	st.calls = calls
}

// enter returns the context of a call of n, its arguments being args (nil
// for a lazy function). leave must follow.
func (st *evalState) enter(n *CallExpr, args []Value) *Call {
	if st.depth == len(st.calls) {
		st.growCalls()
	}
	c := &st.calls[st.depth]
	st.depth++
	c.expr, c.args = n, args
	return c
}

func (st *evalState) leave() { st.depth-- }

func getState(p *Program, env Env, o EvalOptions) *evalState {
	st := statePool.Get().(*evalState)
	st.prog, st.env, st.redacted = p, env, false
	if o.set() {
		st.o = o
	}
	return st
}

// putState returns a state to the pool. It writes as little as it can:
// while the collector runs, every pointer written costs a write barrier,
// which for a short expression costs more than evaluating it. So the
// argument stack and the call contexts are left as they are (the values
// they still hold are released when the slots are reused or when the pool
// drops the state, at the latest two collections later); only the
// references to the program and the object are dropped.
func putState(st *evalState) {
	st.stack, st.depth = st.stack[:0], 0
	st.prog, st.env, st.hook = nil, nil, nil
	if st.o.set() {
		st.o = EvalOptions{}
	}
	statePool.Put(st)
}

// Eval evaluates the program against the attributes in env. The result is
// Ignored when the attribute must not flow, and Redacted when a redacted
// value went into it. Errors are *Error values carrying the span of the
// call that failed.
func (p *Program) Eval(env Env) (Value, error) {
	return p.EvalWith(env, EvalOptions{})
}

// EvalWith is Eval with per-evaluation settings: a frozen clock, a random
// source, or the uniqueness check of SelectUniqueValue.
func (p *Program) EvalWith(env Env, o EvalOptions) (Value, error) {
	if env == nil {
		env = emptyEnv{}
	}
	switch {
	case p.konst != nil:
		return p.konst, nil
	case p.attr != "":
		// A bare attribute reference, the most common mapping: no state
		// is needed to look it up.
		v, ok := env.Lookup(p.attr)
		if !ok || v == nil {
			return Null, nil
		}
		return v, nil
	case p.fast != nil:
		if v, _, ok := p.fast(env); ok {
			return v, nil
		}
	}
	return p.evalFull(env, o)
}

// evalFull evaluates the program on the full path, with an evaluation
// state.
func (p *Program) evalFull(env Env, o EvalOptions) (Value, error) {
	st := getState(p, env, o)
	v, err := p.run(st)
	redacted := st.redacted
	putState(st)
	return finish(v, err, redacted)
}

// finish completes a program's result: nil is Null, and a result computed
// from a redacted value is redacted.
func finish(v Value, err error, redacted bool) (Value, error) {
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = Null
	}
	if redacted {
		if _, ok := v.(Redacted); !ok {
			v = Redacted{V: v}
		}
	}
	return v, nil
}

func (st *evalState) now() time.Time {
	if !st.o.Now.IsZero() {
		return st.o.Now
	}
	return st.prog.cfg.clock()
}

func (st *evalState) rand() io.Reader {
	if st.o.Rand != nil {
		return st.o.Rand
	}
	return st.prog.cfg.rand
}

func (st *evalState) exists() func(string) bool {
	if st.o.Exists != nil {
		return st.o.Exists
	}
	return st.prog.cfg.exists
}

// strip prepares a value to be an argument: redaction is remembered and
// removed, Ignored and nil read as Null.
func (st *evalState) strip(v Value) Value {
	for {
		switch x := v.(type) {
		case String:
			return v
		case Redacted:
			st.redacted = true
			v = x.V
			continue
		case nil, ignoredValue, ignoredObjectValue:
			return Null
		}
		return v
	}
}

// evalFn evaluates one node of a compiled program. Compile turns the tree
// into a tree of these closures once, so that evaluation neither switches
// on node types nor looks up what a call needs: each closure holds its
// children's closures, its function and its constants.
type evalFn func(st *evalState) (Value, error)

// traced hands a node's result to the trace hook.
func (st *evalState) traced(n Node, v Value, err error) (Value, error) {
	st.hook(n, v, err)
	return v, err
}

// compile builds the closure of node n and, for calls, of their arguments
// (kept in CallExpr.fns for lazy functions, which evaluate them through
// Call.Arg).
func (p *Program) compile(n Node) evalFn {
	switch n := n.(type) {
	case *CallExpr:
		return p.compileCall(n)
	case *AttrExpr:
		name := n.Name
		return func(st *evalState) (Value, error) {
			v, ok := st.env.Lookup(name)
			if !ok || v == nil {
				v = Null
			}
			if st.hook != nil {
				return st.traced(n, v, nil)
			}
			return v, nil
		}
	case *BinaryExpr:
		left, right := p.compile(n.Left), p.compile(n.Right)
		return func(st *evalState) (Value, error) {
			v, err := st.binary(n, left, right)
			if st.hook != nil {
				return st.traced(n, v, err)
			}
			return v, err
		}
	}
	v, ok := literalValue(n)
	if !ok {
		v = Null // EmptyArg
	}
	return constFn(n, v)
}

// constFn is the closure of a constant: a literal or a folded call.
func constFn(n Node, v Value) evalFn {
	return func(st *evalState) (Value, error) {
		if st.hook != nil {
			return st.traced(n, v, nil)
		}
		return v, nil
	}
}

func (p *Program) compileCall(n *CallExpr) evalFn {
	fns := make([]evalFn, len(n.Args))
	for i, a := range n.Args {
		fns[i] = p.compile(a)
	}
	n.fns = fns
	if n.folded != nil {
		return constFn(n, n.folded)
	}
	if lazy := n.Func.Lazy; lazy != nil {
		return func(st *evalState) (Value, error) {
			v, err := lazy(st.enter(n, nil))
			st.leave()
			return st.result(n, v, err)
		}
	}
	impl := n.Func.Impl
	return func(st *evalState) (Value, error) {
		base := len(st.stack)
		for _, fn := range fns {
			v, err := fn(st)
			if err != nil {
				st.stack = st.stack[:base]
				if st.hook != nil {
					return st.traced(n, nil, err)
				}
				return nil, err
			}
			st.stack = append(st.stack, st.strip(v))
		}
		args := st.stack[base:]
		v, err := impl(st.enter(n, args), args)
		st.leave()
		st.stack = st.stack[:base]
		return st.result(n, v, err)
	}
}

// result completes what the function of call n returned.
func (st *evalState) result(n *CallExpr, v Value, err error) (Value, error) {
	if err == nil {
		err = checkSize(valueSize(v)) // limits.go
	}
	if err != nil {
		v, err = nil, st.prog.wrapError(n, err)
	} else if v == nil {
		v = Null
	}
	if st.hook != nil {
		return st.traced(n, v, err)
	}
	return v, err
}

// wrapError positions an error raised by (or below) call n: an *Error
// passes through, an *ArgError points at its argument, anything else at
// the call.
func (p *Program) wrapError(n *CallExpr, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var ae *ArgError
	if errors.As(err, &ae) && ae.Index >= 0 && ae.Index < len(n.Args) {
		param := n.Func.ParamName(ae.Index)
		span := n.Args[ae.Index].Span()
		if _, empty := n.Args[ae.Index].(*EmptyArg); empty {
			span = n.NameSpan
		}
		e := newError(p.src, span, ae.Hint, "invalid argument %d (%s) to %s: %s", ae.Index+1, param, n.Func.Name, ae.Msg)
		e.Err = err
		return e
	}
	e = newError(p.src, n.NameSpan, "", "%s: %s", n.Func.Name, err.Error())
	e.Err = err
	return e
}

// binary evaluates a comparison or a concatenation.
//
// Comparisons follow the documented IIF limitation: when either operand is
// null or an empty string the condition fails, so every operator (also <>)
// yields False. Otherwise two numbers (or numeric strings) compare as
// numbers, two dates (a DateTime and a date string) as instants, and
// anything else as strings, ordinally and case-sensitively, as VBA's
// default Option Compare Binary does; a boolean compares with the text
// True or False ignoring case. A multi-valued operand matches when any of
// its values does.
func (st *evalState) binary(n *BinaryExpr, left, right evalFn) (Value, error) {
	lv, err := left(st)
	if err != nil {
		return nil, err
	}
	rv, err := right(st)
	if err != nil {
		return nil, err
	}
	lv, rv = st.strip(lv), st.strip(rv)
	if n.Op == "&" {
		a, b := Render(lv), Render(rv)
		if err := checkSize(len(a) + len(b)); err != nil {
			return nil, newError(st.prog.src, n.Span(), "", "&: %v", err)
		}
		return concat(a, b), nil
	}
	return Bool(compareValues(n.Op, lv, rv)), nil
}

// compareValues is a comparison of two stripped operands.
func compareValues(op string, lv, rv Value) bool {
	if IsNullOrEmpty(lv) || IsNullOrEmpty(rv) {
		return false
	}
	if m, ok := lv.(Multi); ok {
		for _, s := range m {
			if compare(op, String(s), rv) {
				return true
			}
		}
		return false
	}
	if m, ok := rv.(Multi); ok {
		for _, s := range m {
			if compare(op, lv, String(s)) {
				return true
			}
		}
		return false
	}
	return compare(op, lv, rv)
}

func compare(op string, a, b Value) bool {
	var c int
	if x, y, ok := bothNumbers(a, b); ok {
		switch {
		case x < y:
			c = -1
		case x > y:
			c = 1
		}
	} else if x, y, ok := bothDates(a, b); ok {
		c = x.Compare(y)
	} else {
		sa, sb := Render(a), Render(b)
		_, ab := a.(Bool)
		_, bb := b.(Bool)
		if ab || bb {
			sa, sb = strings.ToLower(sa), strings.ToLower(sb)
		}
		c = strings.Compare(sa, sb)
	}
	switch op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	panic("expr: unknown operator " + op)
}

func asFloat(v Value) (float64, bool) {
	switch v := v.(type) {
	case Number:
		return v.Float64(), true
	case String:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64)
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

func bothNumbers(a, b Value) (float64, float64, bool) {
	_, an := a.(Number)
	_, bn := b.(Number)
	if !an && !bn {
		// Two strings compare as strings, even when they look numeric,
		// unless one side is a number: "10" = "10.0" is False.
		return 0, 0, false
	}
	x, ok1 := asFloat(a)
	y, ok2 := asFloat(b)
	return x, y, ok1 && ok2
}

func bothDates(a, b Value) (time.Time, time.Time, bool) {
	da, aok := a.(DateTime)
	db, bok := b.(DateTime)
	if !aok && !bok {
		return time.Time{}, time.Time{}, false
	}
	var x, y time.Time
	if aok {
		x = da.Time()
	} else if t, err := toDate(0, a); err == nil {
		x = t
	} else {
		return x, y, false
	}
	if bok {
		y = db.Time()
	} else if t, err := toDate(1, b); err == nil {
		y = t
	} else {
		return x, y, false
	}
	return x, y, true
}
