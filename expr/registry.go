package expr

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Func declares one function of the language: its canonical name, its
// arity, its documentation with runnable examples, and its implementation.
// The engine checks arity at Compile time, so an implementation can index
// its arguments without checking their number.
type Func struct {
	// Name is the canonical spelling, used when printing programs.
	Name string
	// Aliases are other accepted spellings (matched case-insensitively,
	// printed as Name).
	Aliases []string
	// Category groups functions in the reference ("String", "Date", ...).
	Category string
	// MinArgs and MaxArgs bound the argument count; MaxArgs -1 is variadic.
	MinArgs, MaxArgs int
	// Params names the parameters, for signatures and error messages. For a
	// variadic function the last VarParams names repeat.
	Params []string
	// VarParams is how many trailing Params repeat in a variadic function
	// (Switch repeats its key and value); 0 means 1.
	VarParams int
	// Doc is the Markdown documentation. It records every decision taken
	// where the reference documentation is silent or contradicts itself.
	Doc string
	// Examples are executed by the tests and printed in the reference.
	Examples []Example

	// Impl computes the result from evaluated arguments. Empty arguments
	// arrive as Null (use Call.Provided to tell them apart); redacted and
	// ignored markers are already stripped. It must not retain args.
	Impl func(c *Call, args []Value) (Value, error)
	// Lazy, instead of Impl, evaluates arguments on demand with Call.Arg;
	// for IIF, Switch, Coalesce and SelectUniqueValue.
	Lazy func(c *Call) (Value, error)
	// Check runs at Compile time after arity checking: it validates literal
	// arguments (a regular expression, an interval name) and may store
	// precomputed data with CheckContext.SetData for the Impl to read back
	// with Call.Data.
	Check func(ck *CheckContext) error
	// Impure marks functions whose result is not determined by their
	// arguments (Now, Guid, RandomString, SelectUniqueValue): they are
	// never folded into constants.
	Impure bool
	// TopLevel marks functions that may only be the outermost call.
	TopLevel bool
}

// Example is one documented use of a function, executed by the tests and
// printed in the function reference.
type Example struct {
	// Expr is the expression text.
	Expr string `json:"expr"`
	// Input holds the attributes of the object, as decoded JSON.
	Input map[string]any `json:"input,omitempty"`
	// Now fixes the clock (RFC 3339), for Now, DateDiff and friends.
	Now string `json:"now,omitempty"`
	// Existing lists values that already exist in the target, for
	// SelectUniqueValue.
	Existing []string `json:"existing,omitempty"`
	// Want is the rendered result: a string, a []string for multi-valued
	// results, or nil for null.
	Want any `json:"want"`
	// Ignored says the result is "do not flow" (IgnoreFlowIfNullOrEmpty).
	Ignored bool `json:"ignored,omitempty"`
	// Note explains the example, in particular where the reference
	// documentation states a different result and why we differ.
	Note string `json:"note,omitempty"`
}

// Signature returns the call signature, such as "Mid(source, start, length)".
func (f *Func) Signature() string {
	var b strings.Builder
	b.WriteString(f.Name)
	b.WriteByte('(')
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		if i >= f.MinArgs && f.MaxArgs >= 0 {
			b.WriteByte('[')
			b.WriteString(p)
			b.WriteByte(']')
		} else {
			b.WriteString(p)
		}
		if f.MaxArgs < 0 && i == len(f.Params)-1 {
			b.WriteString(", ...")
		}
	}
	b.WriteByte(')')
	return b.String()
}

// Registry is a set of functions looked up case-insensitively.
type Registry struct {
	byName map[string]*Func
	funcs  []*Func
}

// NewRegistry builds a registry from fs. A later function replaces an
// earlier one with the same name.
func NewRegistry(fs ...*Func) *Registry {
	r := &Registry{byName: make(map[string]*Func, len(fs))}
	for _, f := range fs {
		r.add(f)
	}
	return r
}

func (r *Registry) add(f *Func) {
	key := strings.ToLower(f.Name)
	if old, ok := r.byName[key]; ok {
		for i, g := range r.funcs {
			if g == old {
				r.funcs = append(r.funcs[:i], r.funcs[i+1:]...)
				break
			}
		}
	}
	r.byName[key] = f
	for _, a := range f.Aliases {
		r.byName[strings.ToLower(a)] = f
	}
	r.funcs = append(r.funcs, f)
	sort.Slice(r.funcs, func(i, j int) bool {
		return strings.ToLower(r.funcs[i].Name) < strings.ToLower(r.funcs[j].Name)
	})
}

// Lookup finds a function by name, ignoring case.
func (r *Registry) Lookup(name string) (*Func, bool) {
	// A short ASCII name is lowered on the stack: the lookup of a
	// []byte converted in the index expression does not allocate.
	var buf [32]byte
	if len(name) <= len(buf) {
		for i := 0; i < len(name); i++ {
			c := name[i]
			if c >= utf8.RuneSelf {
				f, ok := r.byName[strings.ToLower(name)]
				return f, ok
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		f, ok := r.byName[string(buf[:len(name)])]
		return f, ok
	}
	f, ok := r.byName[strings.ToLower(name)]
	return f, ok
}

// Funcs returns the functions sorted by name. The slice must not be
// modified.
func (r *Registry) Funcs() []*Func { return r.funcs }

// Names returns the canonical names and aliases, for suggestions and
// completion.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for _, f := range r.funcs {
		names = append(names, f.Name)
		names = append(names, f.Aliases...)
	}
	return names
}

// extend returns a registry holding r's functions and fs.
func (r *Registry) extend(fs ...*Func) *Registry {
	all := append(append([]*Func(nil), r.funcs...), fs...)
	return NewRegistry(all...)
}

// builtins collects the functions declared by the funcs_*.go files through
// register in their init functions.
var builtins []*Func

func register(fs ...*Func) { builtins = append(builtins, fs...) }

var (
	defaultOnce sync.Once
	defaultReg  *Registry
)

// Default returns the registry of every built-in function.
func Default() *Registry {
	defaultOnce.Do(func() { defaultReg = NewRegistry(builtins...) })
	return defaultReg
}

// ParamName returns the name of parameter i, cycling through the repeating
// parameters of a variadic function.
func (f *Func) ParamName(i int) string {
	n := len(f.Params)
	if n == 0 {
		return ""
	}
	if i < n {
		return f.Params[i]
	}
	rep := max(f.VarParams, 1)
	if f.MaxArgs >= 0 || rep > n {
		return f.Params[n-1]
	}
	return f.Params[n-rep+(i-n)%rep]
}
