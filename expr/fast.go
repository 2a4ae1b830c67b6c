package expr

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// The fast path.
//
// Most mappings build a string from string attributes: Join, Replace with
// oldValue, ToLower, StripSpaces, Switch on constant keys, IIF on a
// comparison. For a program made only of such calls, Compile also builds a
// second tree of closures that evaluates without an evaluation state: no
// pooled state to get and put, no argument stack, no call contexts. It
// handles the values these programs usually see (strings and null) and
// gives up on anything else: another kind where a function reads text
// (a multi-valued attribute, a number, a redacted value), an error, or a
// result over MaxValueSize. EvalWith then evaluates the program again on
// the full path, which defines the semantics: the fast path either returns
// exactly what the full path returns or nothing. The functions it calls
// are pure (no clock, random source or uniqueness check) and environments
// only look values up, so evaluating twice changes nothing.
// TestFastMatchesFull holds the two paths to the same results on the
// conformance corpus and on generated inputs, and FuzzFastPath on fuzzed
// ones.
//
// Fresh strings: a string the fast path built in this evaluation (with
// newString) belongs to it alone until the program returns, so a function
// that receives it can change it in place instead of allocating again:
// ToLower(Replace(...)) lower-cases the bytes Replace wrote, and
// StripSpaces(Join(...)) closes the gaps in the block Join filled. Only
// such strings are written to; attribute values and constants never are.

// fastFn evaluates one node on the fast path. fresh reports that v is a
// String whose bytes this evaluation allocated and nothing else refers
// to; ok false means the fast path gives up.
type fastFn func(env Env) (v Value, fresh, ok bool)

// fastBuilder builds the fast closure of a call of one built-in function
// from its arguments' closures, or returns nil when the call (a culture or
// mode known only at run time, too many arguments) is left to the full
// path.
type fastBuilder func(n *CallExpr, args []fastFn) fastFn

var (
	fastOnce  sync.Once
	fastFuncs map[*Func]fastBuilder
)

// fastBuilders maps the built-in functions that have a fast path to their
// builders. Keys are the registered *Func values themselves, so a
// function of a custom registry that reuses a built-in's name (or copies
// it and changes Impl) is never taken for it.
func fastBuilders() map[*Func]fastBuilder {
	fastOnce.Do(func() {
		byName := map[string]fastBuilder{
			"Join":                fastJoin,
			"StripSpaces":         fastStripSpaces,
			"NormalizeDiacritics": fastNormalizeDiacritics,
			"ToLower":             fastLower,
			"Replace":             fastReplace,
			"Switch":              fastSwitch,
			"IIF":                 fastIIF,
		}
		fastFuncs = map[*Func]fastBuilder{}
		for _, f := range builtins {
			if b, ok := byName[f.Name]; ok {
				fastFuncs[f] = b
			}
		}
	})
	return fastFuncs
}

// compileFast builds the fast closure of node n, or nil when n or any node
// below it has no fast path.
func (p *Program) compileFast(n Node) fastFn {
	switch n := n.(type) {
	case *AttrExpr:
		name := n.Name
		return func(env Env) (Value, bool, bool) {
			v, ok := env.Lookup(name)
			if !ok || v == nil {
				return Null, false, true
			}
			return v, false, true
		}
	case *BinaryExpr:
		left, right := p.compileFast(n.Left), p.compileFast(n.Right)
		if left == nil || right == nil {
			return nil
		}
		if n.Op == "&" {
			return fastConcat(left, right)
		}
		return fastCompare(n.Op, left, right)
	case *CallExpr:
		if n.folded != nil {
			return fastConst(n.folded)
		}
		b := fastBuilders()[n.Func]
		if b == nil {
			return nil
		}
		args := make([]fastFn, len(n.Args))
		for i, a := range n.Args {
			if args[i] = p.compileFast(a); args[i] == nil {
				return nil
			}
		}
		return b(n, args)
	case *EmptyArg:
		return fastConst(Null)
	}
	if v, ok := literalValue(n); ok {
		return fastConst(v)
	}
	return nil
}

func fastConst(v Value) fastFn {
	return func(Env) (Value, bool, bool) { return v, false, true }
}

// constArg returns the value of argument i when it is a constant, an
// empty argument reading as Null.
func constArg(n *CallExpr, i int) (Value, bool) {
	if i >= len(n.Args) {
		return nil, false
	}
	if _, empty := n.Args[i].(*EmptyArg); empty {
		return Null, true
	}
	return literalValue(n.Args[i])
}

// constText is the text of a constant argument (strip, then Render);
// ok is false for a redacted constant, which the full path must see.
func constText(v Value) (string, bool) {
	if _, redacted := v.(Redacted); redacted {
		return "", false
	}
	return Render(v), true
}

// fastText reads an argument that a function uses as text, as the full
// path's strip and Render do, for the two kinds the fast path takes:
// a String, or Null (null true). ok is false for any other kind.
func fastText(v Value) (s string, null, ok bool) {
	switch x := v.(type) {
	case String:
		return string(x), false, true
	case nullValue:
		return "", true, true
	}
	return "", false, false
}

// fastStrip is strip for the fast path: nil and the flow markers read as
// Null; a redacted value (which the full path must remember) gives up.
func fastStrip(v Value) (Value, bool) {
	switch v.(type) {
	case Redacted:
		return nil, false
	case nil, ignoredValue, ignoredObjectValue:
		return Null, true
	}
	return v, true
}

// fastArg evaluates an argument and strips it as the full path does
// (fastStrip): ok is false when the fast path gives up on it.
func fastArg(f fastFn, env Env) (v Value, fresh, ok bool) {
	if v, fresh, ok = f(env); ok {
		v, ok = fastStrip(v)
	}
	return v, fresh, ok
}

// fits reports whether a result of n bytes is within MaxValueSize; the
// full path reports the error of one that is not.
func fits(n int) bool { return n <= MaxValueSize }

// fastResult checks what a call returns as it is (a Switch or IIF
// branch), as the full path's result does.
func fastResult(v Value, fresh, ok bool) (Value, bool, bool) {
	if !ok || !fits(valueSize(v)) {
		return nil, false, false
	}
	if v == nil {
		v = Null
	}
	return v, fresh, true
}

// bytesOf returns the bytes of a fresh string, to change in place.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// shorten sets the length of the fresh String v to n, in the header
// newString (or String) allocated for it. Only the length word is
// written, so the collector sees no pointer change.
func shorten(v Value, n int) {
	h := (*[2]uintptr)(words(v).data)
	h[1] = uintptr(n)
}

// fastJoin is Join (join) for up to eight values. Strings and nulls are
// joined here, with the freshness of a lone string kept; other kinds go
// through join.
func fastJoin(n *CallExpr, args []fastFn) fastFn {
	const maxArgs = 9
	if len(args) > maxArgs {
		return nil
	}
	return func(env Env) (Value, bool, bool) {
		var (
			vals  [maxArgs]Value
			strs  [maxArgs]string
			fresh [maxArgs]bool
		)
		plain := true
		for i, f := range args {
			v, fr, ok := fastArg(f, env)
			if !ok {
				return nil, false, false
			}
			s, _, ok := fastText(v)
			vals[i], strs[i], fresh[i] = v, s, fr
			plain = plain && ok
		}
		if !plain {
			v, err := join(vals[:len(args)])
			if err != nil || !fits(valueSize(v)) {
				return nil, false, false
			}
			return v, false, true
		}
		sep := strs[0]
		count, total, lone := 0, 0, -1
		for i, s := range strs[1:len(args)] {
			if s != "" {
				count++
				total += len(s)
				lone = i + 1
			}
		}
		switch count {
		case 0:
			return String(""), false, true
		case 1:
			if !fits(total) {
				return nil, false, false
			}
			return vals[lone], fresh[lone], true
		}
		size := total + (count-1)*len(sep)
		if !fits(size) || size < 0 {
			return nil, false, false
		}
		v, b := newString(size)
		at := 0
		for _, s := range strs[1:len(args)] {
			at = joinPart(b, at, s, sep)
		}
		return v, true, true
	}
}

// fastEach is mapEachNull on a value of a kind fastText does not take
// (a multi-valued value, a number, a boolean, a date).
func fastEach(v Value, f func(string) string) (Value, bool, bool) {
	v, ok := fastStrip(v)
	if !ok {
		return nil, false, false
	}
	r := mapEachNull(v, f)
	return r, false, fits(valueSize(r))
}

// oneText evaluates the source of a function of one text (StripSpaces,
// NormalizeDiacritics, ToLower). With done false, v is a String within
// MaxValueSize, s its text and fresh its freshness, for the function to
// work on. With done true, (v, fresh, ok) is already the function's
// result: the fast path gives up, a null source gives Null, and a value
// of a kind fastText does not take is mapped element by element with each
// (as the full path's mapEachNull).
func oneText(src fastFn, env Env, each func(string) string) (v Value, s string, fresh, ok, done bool) {
	if v, fresh, ok = src(env); !ok {
		return nil, "", false, false, true
	}
	s, null, ok := fastText(v)
	switch {
	case !ok:
		v, fresh, ok = fastEach(v, each)
		return v, "", fresh, ok, true
	case !fits(len(s)):
		return nil, "", false, false, true
	case null:
		return Null, "", false, true, true
	}
	return v, s, fresh, true, false
}

// fastStripSpaces is StripSpaces; a fresh string loses its spaces in
// place.
func fastStripSpaces(n *CallExpr, args []fastFn) fastFn {
	src := args[0]
	return func(env Env) (Value, bool, bool) {
		v, s, fresh, ok, done := oneText(src, env, stripSpaces)
		if done {
			return v, fresh, ok
		}
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			return v, fresh, true
		}
		var (
			out Value
			b   []byte
		)
		if fresh {
			out, b = v, bytesOf(s)
		} else {
			out, b = newString(len(s) - strings.Count(s, " "))
			copy(b, s[:i])
		}
		at := i
		for j := i + 1; j < len(s); j++ {
			if c := s[j]; c != ' ' {
				b[at] = c
				at++
			}
		}
		if fresh {
			shorten(out, at)
		}
		return out, true, true
	}
}

// fastNormalizeDiacritics is NormalizeDiacritics.
func fastNormalizeDiacritics(n *CallExpr, args []fastFn) fastFn {
	src := args[0]
	return func(env Env) (Value, bool, bool) {
		v, s, fresh, ok, done := oneText(src, env, normalizeDiacritics)
		if done {
			return v, fresh, ok
		}
		r := normalizeDiacritics(s)
		if r == s {
			return v, fresh, true
		}
		return String(r), false, fits(len(r))
	}
}

// fastLower is ToLower with the invariant culture or a constant one; a
// fresh ASCII string is lower-cased in place.
func fastLower(n *CallExpr, args []fastFn) fastFn {
	var sc cultureCase
	if d, ok := n.data.(*cultureData); ok {
		sc = d.sc
	} else if len(args) > 1 {
		if v, ok := constArg(n, 1); !ok || !IsNull(v) {
			return nil // a culture known only at run time
		}
	}
	src := args[0]
	lower := func(s string) string { return toLowerCulture(s, sc) }
	return func(env Env) (Value, bool, bool) {
		v, s, fresh, ok, done := oneText(src, env, lower)
		switch {
		case done:
			return v, fresh, ok
		case sc != nil:
			r := lower(s)
			if r == s {
				return v, fresh, true
			}
			return String(r), false, fits(len(r))
		}
		return lowerInvariant(v, s, fresh)
	}
}

// lowerInvariant is lowerString for the fast path: the ASCII upper-case
// letters of a fresh string are lowered in place.
func lowerInvariant(v Value, s string, fresh bool) (Value, bool, bool) {
	first := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			r := toLowerCulture(s, nil)
			if r == s {
				return v, fresh, fits(len(s))
			}
			return String(r), false, fits(len(r))
		}
		if first < 0 && 'A' <= c && c <= 'Z' {
			first = i
		}
	}
	if !fits(len(s)) {
		return nil, false, false
	}
	if first < 0 {
		return v, fresh, true
	}
	out, b := v, []byte(nil)
	if fresh {
		b = bytesOf(s)
	} else {
		out, b = newString(len(s))
		copy(b, s[:first])
	}
	for i := first; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return out, true, true
}

// fastReplace is Replace with oldValue and replacementValue (ordinal
// text replacement). With constant search and replacement texts, only the
// source is evaluated.
func fastReplace(n *CallExpr, args []fastFn) fastFn {
	d, _ := n.data.(*replaceData)
	if d == nil || d.mode != replaceText || len(args) > rpTemplate+1 {
		return nil
	}
	src := args[rpSource]
	old, oldConst := constArg(n, rpOldValue)
	repl, replConst := constArg(n, rpReplacement)
	if len(args) <= rpReplacement {
		repl, replConst = Null, true
	}
	if oldConst && replConst {
		o, ok1 := constText(old)
		r, ok2 := constText(repl)
		if ok1 && ok2 {
			// The other arguments are constants or empty: evaluating them
			// can neither fail nor change anything.
			return func(env Env) (Value, bool, bool) {
				v, fresh, ok := src(env)
				if !ok {
					return nil, false, false
				}
				return replaceFast(v, fresh, o, r)
			}
		}
	}
	return func(env Env) (Value, bool, bool) {
		// Every argument is evaluated, in order, as on the full path.
		var vals [rpTemplate + 1]Value
		var fresh bool
		for i, f := range args {
			v, fr, ok := f(env)
			if !ok {
				return nil, false, false
			}
			if _, _, ok := fastText(v); !ok {
				return nil, false, false
			}
			vals[i] = v
			if i == rpSource {
				fresh = fr
			}
		}
		o, _, _ := fastText(vals[rpOldValue])
		var r string
		if rpReplacement < len(args) {
			r, _, _ = fastText(vals[rpReplacement])
		}
		return replaceFast(vals[rpSource], fresh, o, r)
	}
}

// replaceFast replaces every occurrence of old in the source v (String or
// Null) with repl, as replaceString does, in one allocation.
func replaceFast(v Value, fresh bool, old, repl string) (Value, bool, bool) {
	s, null, ok := fastText(v)
	switch {
	case !ok:
		return nil, false, false
	case null:
		return Null, false, true
	}
	i := -1
	if old != "" {
		i = strings.Index(s, old)
	}
	if i < 0 {
		return v, fresh, fits(len(s))
	}
	count := 1 + strings.Count(s[i+len(old):], old)
	size := len(s) + count*(len(repl)-len(old))
	if !fits(size) || size < 0 {
		return nil, false, false
	}
	out, b := newString(size)
	at := copy(b, s[:i])
	fresh = size > 0
	for {
		at += copy(b[at:], repl)
		s = s[i+len(old):]
		if count--; count == 0 {
			break
		}
		i = strings.Index(s, old)
		at += copy(b[at:], s[:i])
	}
	copy(b[at:], s)
	return out, fresh, true
}

// fastSwitch is Switch with constant keys (rendered by its Check).
func fastSwitch(n *CallExpr, args []fastFn) fastFn {
	keys, ok := n.data.([]string)
	if !ok {
		return nil
	}
	src := args[0]
	return func(env Env) (Value, bool, bool) {
		v, _, ok := fastArg(src, env)
		if !ok {
			return nil, false, false
		}
		s := Render(v)
		for i, k := range keys {
			if k == s {
				return fastResult(args[2*i+3](env))
			}
		}
		return fastResult(args[1](env))
	}
}

// fastIIF is IIF.
func fastIIF(n *CallExpr, args []fastFn) fastFn {
	cond, yes, no := args[0], args[1], args[2]
	return func(env Env) (Value, bool, bool) {
		v, _, ok := cond(env)
		if !ok {
			return nil, false, false
		}
		if v, ok = fastStrip(v); !ok {
			return nil, false, false
		}
		b, ok := toBool(v)
		if !ok && !IsNullOrEmpty(v) {
			return nil, false, false // the full path reports the error
		}
		if b {
			return fastResult(yes(env))
		}
		return fastResult(no(env))
	}
}

// fastOperands evaluates the operands of a binary operator, left first;
// ok is false when the fast path gives up on either.
func fastOperands(left, right fastFn, env Env) (lv, rv Value, ok bool) {
	if lv, _, ok = left(env); ok {
		rv, _, ok = right(env)
	}
	return lv, rv, ok
}

// fastConcat is the & operator.
func fastConcat(left, right fastFn) fastFn {
	return func(env Env) (Value, bool, bool) {
		lv, rv, ok := fastOperands(left, right, env)
		if !ok {
			return nil, false, false
		}
		lv, ok1 := fastStrip(lv)
		rv, ok2 := fastStrip(rv)
		if !ok1 || !ok2 {
			return nil, false, false
		}
		a, b := Render(lv), Render(rv)
		size := len(a) + len(b)
		if !fits(size) {
			return nil, false, false
		}
		return concat(a, b), size > 0, true
	}
}

// fastCompare is a comparison. Two strings, the common case, compare
// here as compare compares them (ordinally, false when either is empty);
// other kinds go through compareValues.
func fastCompare(op string, left, right fastFn) fastFn {
	var want func(c int) bool
	switch op {
	case "=":
		want = func(c int) bool { return c == 0 }
	case "<>":
		want = func(c int) bool { return c != 0 }
	case "<":
		want = func(c int) bool { return c < 0 }
	case "<=":
		want = func(c int) bool { return c <= 0 }
	case ">":
		want = func(c int) bool { return c > 0 }
	case ">=":
		want = func(c int) bool { return c >= 0 }
	default:
		return nil
	}
	return func(env Env) (Value, bool, bool) {
		lv, rv, ok := fastOperands(left, right, env)
		if !ok {
			return nil, false, false
		}
		a, aok := lv.(String)
		b, bok := rv.(String)
		switch {
		case aok && bok && (a == "" || b == ""):
			return Bool(false), false, true
		case aok && bok:
			return Bool(want(strings.Compare(string(a), string(b)))), false, true
		}
		if lv, ok = fastStrip(lv); !ok {
			return nil, false, false
		}
		if rv, ok = fastStrip(rv); !ok {
			return nil, false, false
		}
		return Bool(compareValues(op, lv, rv)), false, true
	}
}
