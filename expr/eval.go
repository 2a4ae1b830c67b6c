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
	prog     *Program
	env      Env
	o        EvalOptions
	stack    []Value // arguments of eager calls in progress
	calls    []Call  // call contexts in progress
	redacted bool    // a redacted value was consumed
	// hook, when set, sees every node's result (Program.Trace).
	hook func(n Node, v Value, err error)
}

var statePool = sync.Pool{New: func() any {
	return &evalState{stack: make([]Value, 0, 32), calls: make([]Call, 0, 16)}
}}

func getState(p *Program, env Env, o EvalOptions) *evalState {
	st := statePool.Get().(*evalState)
	st.prog, st.env, st.o, st.redacted = p, env, o, false
	return st
}

func putState(st *evalState) {
	// call pops (and clears) what it pushes, so both stacks are empty
	// here; clearing their whole capacity would cost more than the
	// evaluation of a short expression.
	st.stack = st.stack[:0]
	st.calls = st.calls[:0]
	st.prog, st.env, st.o, st.hook = nil, nil, EvalOptions{}, nil
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
	st := getState(p, env, o)
	v, err := st.eval(p.root)
	redacted := st.redacted
	putState(st)
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

func (st *evalState) eval(n Node) (Value, error) {
	if st.hook != nil {
		h := st.hook
		v, err := st.evalNode(n)
		h(n, v, err)
		return v, err
	}
	return st.evalNode(n)
}

func (st *evalState) evalNode(n Node) (Value, error) {
	switch n := n.(type) {
	case *CallExpr:
		if n.folded != nil {
			return n.folded, nil
		}
		return st.call(n)
	case *AttrExpr:
		v, ok := st.env.Lookup(n.Name)
		if !ok || v == nil {
			return Null, nil
		}
		return v, nil
	case *StringLit:
		return n.v, nil
	case *NumberLit:
		return n.v, nil
	case *EnumLit:
		return n.Value, nil
	case *EmptyArg:
		return Null, nil
	case *BinaryExpr:
		return st.binary(n)
	}
	panic("expr: unknown node")
}

func (st *evalState) call(n *CallExpr) (Value, error) {
	f := n.Func
	st.calls = append(st.calls, Call{expr: n, st: st})
	c := &st.calls[len(st.calls)-1]
	defer func() {
		st.calls[len(st.calls)-1] = Call{}
		st.calls = st.calls[:len(st.calls)-1]
	}()
	var (
		v   Value
		err error
	)
	if f.Lazy != nil {
		v, err = f.Lazy(c)
	} else {
		base := len(st.stack)
		for _, a := range n.Args {
			av, err := st.eval(a)
			if err != nil {
				clear(st.stack[base:])
				st.stack = st.stack[:base]
				return nil, err
			}
			st.stack = append(st.stack, st.strip(av))
		}
		c.args = st.stack[base:]
		v, err = f.Impl(c, c.args)
		clear(st.stack[base:])
		st.stack = st.stack[:base]
	}
	if err != nil {
		return nil, st.prog.wrapError(n, err)
	}
	if v == nil {
		v = Null
	}
	return v, nil
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
func (st *evalState) binary(n *BinaryExpr) (Value, error) {
	lv, err := st.eval(n.Left)
	if err != nil {
		return nil, err
	}
	rv, err := st.eval(n.Right)
	if err != nil {
		return nil, err
	}
	lv, rv = st.strip(lv), st.strip(rv)
	if n.Op == "&" {
		return String(Render(lv) + Render(rv)), nil
	}
	if IsNullOrEmpty(lv) || IsNullOrEmpty(rv) {
		return Bool(false), nil
	}
	if m, ok := lv.(Multi); ok {
		for _, s := range m {
			if compare(n.Op, String(s), rv) {
				return Bool(true), nil
			}
		}
		return Bool(false), nil
	}
	if m, ok := rv.(Multi); ok {
		for _, s := range m {
			if compare(n.Op, lv, String(s)) {
				return Bool(true), nil
			}
		}
		return Bool(false), nil
	}
	return Bool(compare(n.Op, lv, rv)), nil
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
