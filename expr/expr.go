package expr

import (
	"sort"
	"sync"

	"github.com/attrmap/attrmap/internal/rxlimit"
)

// Program is a compiled expression. It is immutable and safe for
// concurrent use: compile once, evaluate many times.
type Program struct {
	src  string
	root Node
	cfg  config
	run  evalFn // the compiled root
	// fast is the fast path (fast.go), nil when the program has none.
	fast fastFn
	// konst is the value of a constant program and attr the name of a
	// program that is a bare attribute reference; both evaluate without
	// an evaluation state.
	konst Value
	attr  string

	mu      sync.Mutex
	regexps map[string]*regex
}

// Compile parses src, resolves function names (case-insensitively), checks
// argument counts and every constraint that does not depend on the object
// (Switch pairs, SelectUniqueValue placement, literal regular expressions,
// interval and format names), folds constant calls and precompiles literal
// regular expressions. The error, if any, is an *Error.
func Compile(src string, opts ...Option) (*Program, error) {
	p := &Program{src: src, cfg: newConfig(opts)}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	p.root = root
	p.run = p.compile(root)
	p.fast = p.compileFast(root)
	switch n := root.(type) {
	case *AttrExpr:
		p.attr = n.Name
	case *CallExpr:
		p.konst = n.folded
	case *StringLit, *NumberLit, *EnumLit:
		p.konst, _ = literalValue(n)
	}
	return p, nil
}

// MustCompile is like Compile but panics on error; for tests and package
// variables.
func MustCompile(src string, opts ...Option) *Program {
	p, err := Compile(src, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// Eval compiles and evaluates src against env in one go. Prefer Compile
// when the expression is evaluated more than once.
func Eval(src string, env Env, opts ...Option) (Value, error) {
	p, err := Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	return p.Eval(env)
}

// Source returns the text the program was compiled from.
func (p *Program) Source() string { return p.src }

// Root returns the syntax tree. It must not be modified.
func (p *Program) Root() Node { return p.root }

// String returns the canonical text of the program: canonical function
// names, one space after each comma, escaped strings.
func (p *Program) String() string { return Print(p.root) }

// Attributes returns the names of the attributes the program reads, sorted
// and without duplicates.
func (p *Program) Attributes() []string {
	seen := map[string]bool{}
	var names []string
	Walk(p.root, func(n Node) bool {
		if a, ok := n.(*AttrExpr); ok && !seen[a.Name] {
			seen[a.Name] = true
			names = append(names, a.Name)
		}
		return true
	})
	sort.Strings(names)
	return names
}

// Functions returns the canonical names of the functions the program calls,
// sorted and without duplicates.
func (p *Program) Functions() []string {
	seen := map[string]bool{}
	var names []string
	Walk(p.root, func(n Node) bool {
		if c, ok := n.(*CallExpr); ok && !seen[c.Func.Name] {
			seen[c.Func.Name] = true
			names = append(names, c.Func.Name)
		}
		return true
	})
	sort.Strings(names)
	return names
}

// regexpCacheSize bounds the cache of non-literal patterns per program.
const regexpCacheSize = 128

// regexp compiles pattern with .NET semantics and the match timeout,
// caching the result.
func (p *Program) regexp(pattern string) (*regex, error) {
	p.mu.Lock()
	re, ok := p.regexps[pattern]
	p.mu.Unlock()
	if ok {
		return re, nil
	}
	re, err := rxlimit.Compile(netPattern(pattern), p.cfg.regexTimeout) // netregex.go
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	if p.regexps == nil || len(p.regexps) >= regexpCacheSize {
		p.regexps = make(map[string]*regex)
	}
	p.regexps[pattern] = re
	p.mu.Unlock()
	return re, nil
}
