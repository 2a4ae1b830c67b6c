package expr

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// parseDump parses src with the current parser (or the oracle) and renders
// the outcome: the error with its span and hint, or every node of the
// tree with its spans.
func parseDump(src string, oracle bool, opts ...Option) string {
	p := &Program{src: src, cfg: newConfig(opts)}
	var root Node
	var err error
	if oracle {
		root, err = p.oldParse()
	} else {
		root, err = p.parse()
	}
	if err != nil {
		if e, ok := AsError(err); ok {
			return fmt.Sprintf("error %v %q hint %q", e.Span, e.Error(), e.Hint)
		}
		return "error " + err.Error()
	}
	var b strings.Builder
	Walk(root, func(n Node) bool {
		switch n := n.(type) {
		case *CallExpr:
			fmt.Fprintf(&b, "call %s %v %v %d folded=%v;", n.Name, n.NameSpan, n.Loc, len(n.Args), n.folded)
		case *BinaryExpr:
			fmt.Fprintf(&b, "bin %s %v %v;", n.Op, n.OpSpan, n.Loc)
		default:
			fmt.Fprintf(&b, "%T %#v;", n, n)
		}
		return true
	})
	return b.String()
}

// lenient adds F, which takes any number of arguments and is never
// folded, so that generated calls get past the arity checks and reach
// the syntax errors further on.
var lenient = WithFunctions(&Func{Name: "F", MinArgs: 0, MaxArgs: -1, Impure: true,
	Impl: func(*Call, []Value) (Value, error) { return Null, nil }})

// genExpr builds a random expression from the language's tokens: mostly
// well formed, with a mutation now and then (a token dropped, doubled or
// replaced), so that both valid trees and every kind of syntax error
// come up.
func genExpr(r *rand.Rand) string {
	var b strings.Builder
	var gen func(depth int)
	leaf := func() {
		b.WriteString([]string{`"a"`, `"x\"y"`, `[givenName]`, `[ ]`, `1`, `-2.5`, `&H1F`, `vbTextCompare`, `True`, `""`, `.5`, `"a"`, `[b]`, `&HFFFFFFFFFFFFFFFFFF`, `foo`, `Join`}[r.Intn(15)])
	}
	space := func() {
		if r.Intn(4) == 0 {
			b.WriteString([]string{" ", "  ", "\n", "\u00a0", "\t"}[r.Intn(5)])
		}
	}
	gen = func(depth int) {
		space()
		switch k := r.Intn(10); {
		case depth > 3 || k < 4:
			leaf()
		case k < 8:
			b.WriteString([]string{"Join", "Trim", "IIF", "Switch", "Mid", "ToLower", "Replace", "Coalesce", "Jion", "Now", "Not", "F", "F", "F", "F", "F"}[r.Intn(16)])
			space()
			b.WriteString("(")
			n := r.Intn(5)
			for i := 0; i < n; i++ {
				if i > 0 {
					space()
					b.WriteString(",")
				}
				if r.Intn(6) > 0 {
					gen(depth + 1)
				}
			}
			space()
			b.WriteString(")")
		case k < 9:
			gen(depth + 1)
			space()
			b.WriteString([]string{"&", "=", "<>", "<", ">=", "&"}[r.Intn(6)])
			gen(depth + 1)
		default:
			b.WriteString("(")
			gen(depth + 1)
			b.WriteString(")")
		}
		space()
	}
	gen(0)
	s := b.String()
	if r.Intn(3) == 0 && len(s) > 0 {
		// Mutate: cut, insert or drop a byte of punctuation.
		i := r.Intn(len(s))
		for i > 0 && i < len(s) && s[i]&0xC0 == 0x80 {
			i--
		}
		switch r.Intn(4) {
		case 0:
			s = s[:i]
		case 1:
			s = s[:i] + []string{"(", ")", ",", "\"", "[", "&", "=", "'", "+", "x"}[r.Intn(10)] + s[i:]
		case 2:
			if j := strings.IndexAny(s[i:], "(),"); j >= 0 {
				s = s[:i+j] + s[i+j+1:]
			}
		case 3:
			s = s[:i] + "," + s[i:]
		}
	}
	return s
}

// TestParseMatchesOracle holds the parser to the grammar and lowering it
// replaced (oracle_test.go): the same tree, spans and folded constants,
// or the same error at the same place with the same hint, on every
// conformance expression and 3,000 generated ones, each also with a
// function F of any arity (to get past the arity checks) and with a low
// depth limit.
func TestParseMatchesOracle(t *testing.T) {
	var srcs []string
	for _, c := range loadCases(t) {
		srcs = append(srcs, c.Expr)
	}
	r := rand.New(rand.NewSource(1))
	n := 3000
	for i := 0; i < n; i++ {
		srcs = append(srcs, genExpr(r))
	}
	bad := 0
	for _, src := range srcs {
		for _, opts := range [][]Option{nil, {lenient}, {lenient, WithMaxDepth(3)}} {
			if got, want := parseDump(src, false, opts...), parseDump(src, true, opts...); got != want {
				t.Errorf("%q:\n got %s\nwant %s", src, got, want)
				if bad++; bad > 10 {
					t.Fatal("too many differences")
				}
			}
		}
	}
}

// FuzzParseMatchesOracle is TestParseMatchesOracle on any input.
func FuzzParseMatchesOracle(f *testing.F) {
	addSeeds(f)
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 200; i++ {
		f.Add(genExpr(r))
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, opts := range [][]Option{nil, {lenient}, {lenient, WithMaxDepth(3)}} {
			if got, want := parseDump(src, false, opts...), parseDump(src, true, opts...); got != want {
				t.Errorf("%q:\n got %s\nwant %s", src, got, want)
			}
		}
	})
}
