// Package peerbench compares attrmap's evaluator with expr-lang/expr and
// google/cel-go on the same work. It is a separate module so that the main
// module does not depend on either. Run it with:
//
//	cd internal/peerbench && go test -bench . -benchmem
//
// or, for the figures the README quotes (interleaved rounds, process CPU
// time, median ratio per shape):
//
//	cd internal/peerbench && PEERBENCH_ROUNDS=15 go test -run TestRatios -v
package peerbench

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	exprlang "github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	celgo "github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"golang.org/x/text/unicode/norm"

	"github.com/attrmap/attrmap/expr"
)

// shape is one piece of work written in the three languages.
type shape struct {
	name                   string
	attrmap, exprlang, cel string
}

// The work: the UPN of the Workday guide, a mail-domain rewrite, and a
// three-key Switch.
var (
	upn = shape{
		name:     "upn",
		attrmap:  `Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com")`,
		exprlang: `normalize(replace(givenName + "." + surname, " ", "")) + "@" + "contoso.com"`,
		cel:      `normalize((givenName + "." + surname).replace(" ", "")) + "@" + "contoso.com"`,
	}
	mail = shape{
		name:     "replace-lower",
		attrmap:  `ToLower(Replace([mail], "@old.com", , , "@new.com", , ))`,
		exprlang: `lower(replace(mail, "@old.com", "@new.com"))`,
		cel:      `lower(mail.replace("@old.com", "@new.com"))`,
	}
	switch3 = shape{
		name:     "switch",
		attrmap:  `Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`,
		exprlang: `state == "NSW" ? "Australia/Sydney" : state == "QLD" ? "Australia/Brisbane" : state == "SA" ? "Australia/Adelaide" : "Australia/Sydney"`,
		cel:      `state == "NSW" ? "Australia/Sydney" : state == "QLD" ? "Australia/Brisbane" : state == "SA" ? "Australia/Adelaide" : "Australia/Sydney"`,
	}
	shapes = []shape{upn, mail, switch3}
)

// normalize removes diacritics the way NormalizeDiacritics does for the
// benchmark's inputs: an ASCII fast path, then NFD without combining marks.
func normalize(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// object is the single object the per-shape benchmarks evaluate against.
var object = map[string]any{
	"givenName": "John", "surname": "Smith", "mail": "John.Smith@old.com", "state": "QLD",
}

// objects returns n distinct objects as decoded JSON gives them, with a
// dozen attributes each, as a directory export has.
func objects(n int) []map[string]any {
	states := []string{"NSW", "QLD", "SA", "WA", "VIC"}
	firsts := []string{"John", "Mary", "Ann", "Peter", "Zoë", "Luis"}
	out := make([]map[string]any, n)
	for i := range out {
		first, last := firsts[i%len(firsts)], fmt.Sprintf("Smith%d", i)
		out[i] = map[string]any{
			"id": fmt.Sprintf("u%07d", i), "givenName": first, "surname": last,
			"mail":       fmt.Sprintf("%s.%s@old.com", first, last),
			"state":      states[i%len(states)],
			"department": "Sales", "city": "Sydney", "country": "AU", "jobTitle": "Engineer",
			"employeeId": fmt.Sprintf("%d", 100000+i), "accountEnabled": i%7 != 0,
			"officePhone": "+61 2 5550 1234",
		}
	}
	return out
}

func celEnv() (*celgo.Env, error) {
	var vars []celgo.EnvOption
	for _, k := range []string{"givenName", "surname", "mail", "state"} {
		vars = append(vars, celgo.Variable(k, celgo.StringType))
	}
	return celgo.NewEnv(append(vars,
		celgo.Function("normalize", celgo.Overload("normalize_string", []*celgo.Type{celgo.StringType}, celgo.StringType,
			celgo.UnaryBinding(func(v ref.Val) ref.Val { return types.String(normalize(string(v.(types.String)))) }))),
		celgo.Function("lower", celgo.Overload("lower_string", []*celgo.Type{celgo.StringType}, celgo.StringType,
			celgo.UnaryBinding(func(v ref.Val) ref.Val { return types.String(strings.ToLower(string(v.(types.String)))) }))),
		celgo.Function("replace", celgo.MemberOverload("string_replace_string_string", []*celgo.Type{celgo.StringType, celgo.StringType, celgo.StringType}, celgo.StringType,
			celgo.FunctionBinding(func(args ...ref.Val) ref.Val {
				return types.String(strings.ReplaceAll(string(args[0].(types.String)), string(args[1].(types.String)), string(args[2].(types.String))))
			}))),
	)...)
}

func compileCEL(env *celgo.Env, src string) (celgo.Program, error) {
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	return env.Program(ast)
}

func exprlangOptions() []exprlang.Option {
	return []exprlang.Option{exprlang.Env(object),
		exprlang.Function("normalize", func(args ...any) (any, error) { return normalize(args[0].(string)), nil }, normalize)}
}

// engine runs n iterations of one piece of work.
type engine func(n int) error

// engines builds, for one shape, the three engines' loops evaluating it
// against obj, each in the engine's own form of an object (for attrmap a
// MapEnv).
func engines(s shape, obj map[string]any) (map[string]engine, error) {
	p, err := expr.Compile(s.attrmap)
	if err != nil {
		return nil, err
	}
	// attrmap's own object type, built once, as the peers get theirs.
	env := expr.MapEnv{}
	for k, v := range obj {
		env[k] = expr.FromGo(v)
	}
	ep, err := exprlang.Compile(s.exprlang, exprlangOptions()...)
	if err != nil {
		return nil, err
	}
	ce, err := celEnv()
	if err != nil {
		return nil, err
	}
	cp, err := compileCEL(ce, s.cel)
	if err != nil {
		return nil, err
	}
	var m vm.VM
	return map[string]engine{
		"attrmap": func(n int) error {
			for range n {
				if _, err := p.Eval(env); err != nil {
					return err
				}
			}
			return nil
		},
		"exprlang": func(n int) error {
			for range n {
				if _, err := m.Run(ep, obj); err != nil {
					return err
				}
			}
			return nil
		},
		"celgo": func(n int) error {
			for range n {
				if _, _, err := cp.Eval(obj); err != nil {
					return err
				}
			}
			return nil
		},
	}, nil
}

// objectEngines evaluates the three shapes over distinct objects, each
// given as decoded JSON (map input): attrmap converts it with expr.NewEnv,
// the peers take the map as it is. One iteration is one object.
func objectEngines(objs []map[string]any) (map[string]engine, error) {
	var (
		ap []*expr.Program
		ep []*vm.Program
		cp []celgo.Program
	)
	ce, err := celEnv()
	if err != nil {
		return nil, err
	}
	for _, s := range shapes {
		p, err := expr.Compile(s.attrmap)
		if err != nil {
			return nil, err
		}
		ap = append(ap, p)
		e, err := exprlang.Compile(s.exprlang, exprlangOptions()...)
		if err != nil {
			return nil, err
		}
		ep = append(ep, e)
		c, err := compileCEL(ce, s.cel)
		if err != nil {
			return nil, err
		}
		cp = append(cp, c)
	}
	next := 0
	obj := func() map[string]any {
		o := objs[next]
		next = (next + 1) % len(objs)
		return o
	}
	var m vm.VM
	return map[string]engine{
		"attrmap": func(n int) error {
			for range n {
				env := expr.NewEnv(obj())
				for _, p := range ap {
					if _, err := p.Eval(env); err != nil {
						return err
					}
				}
			}
			return nil
		},
		"exprlang": func(n int) error {
			for range n {
				o := obj()
				for _, p := range ep {
					if _, err := m.Run(p, o); err != nil {
						return err
					}
				}
			}
			return nil
		},
		"celgo": func(n int) error {
			for range n {
				o := obj()
				for _, p := range cp {
					if _, _, err := p.Eval(o); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}, nil
}

// compileEngines compiles the UPN expression.
func compileEngines() (map[string]engine, error) {
	ce, err := celEnv()
	if err != nil {
		return nil, err
	}
	opts := exprlangOptions()
	return map[string]engine{
		"attrmap": func(n int) error {
			for range n {
				if _, err := expr.Compile(upn.attrmap); err != nil {
					return err
				}
			}
			return nil
		},
		"exprlang": func(n int) error {
			for range n {
				if _, err := exprlang.Compile(upn.exprlang, opts...); err != nil {
					return err
				}
			}
			return nil
		},
		"celgo": func(n int) error {
			for range n {
				if _, err := compileCEL(ce, upn.cel); err != nil {
					return err
				}
			}
			return nil
		},
	}, nil
}

// workloads lists every comparison, by name; the one over distinct
// objects only when objs is not nil.
func workloads(objs []map[string]any) ([]string, map[string]map[string]engine, error) {
	names := []string{}
	all := map[string]map[string]engine{}
	for _, s := range shapes {
		e, err := engines(s, object)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.name, err)
		}
		names = append(names, s.name)
		all[s.name] = e
	}
	if objs != nil {
		e, err := objectEngines(objs)
		if err != nil {
			return nil, nil, err
		}
		names = append(names, "objects-map-input")
		all["objects-map-input"] = e
	}
	e, err := compileEngines()
	if err != nil {
		return nil, nil, err
	}
	names = append(names, "compile-upn")
	all["compile-upn"] = e
	return names, all, nil
}

var engineNames = []string{"attrmap", "exprlang", "celgo"}

func BenchmarkPeers(b *testing.B) {
	names, all, err := workloads(objects(100_000))
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range names {
		for _, name := range engineNames {
			run := all[w][name]
			b.Run(w+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				if err := run(b.N); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// BenchmarkUPN keeps the diacritics input, where NormalizeDiacritics has
// work to do.
func BenchmarkUPN(b *testing.B) {
	obj := map[string]any{"givenName": "Zoë", "surname": "Van der Berg", "mail": "", "state": ""}
	e, err := engines(upn, obj)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range engineNames {
		b.Run(name+"/diacritics", func(b *testing.B) {
			b.ReportAllocs()
			if err := e[name](b.N); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// TestSameResults keeps the engines honest: they must compute the same
// strings on every shape and object.
func TestSameResults(t *testing.T) {
	ce, err := celEnv()
	if err != nil {
		t.Fatal(err)
	}
	objs := append(objects(30), map[string]any{"givenName": "Zoë", "surname": "Van der Berg", "mail": "A@old.com", "state": "XX"})
	for _, s := range shapes {
		p := expr.MustCompile(s.attrmap)
		ep, err := exprlang.Compile(s.exprlang, exprlangOptions()...)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := compileCEL(ce, s.cel)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			v, err := p.Eval(expr.NewEnv(o))
			if err != nil {
				t.Fatal(err)
			}
			got, err := exprlang.Run(ep, o)
			if err != nil {
				t.Fatal(err)
			}
			cv, _, err := cp.Eval(o)
			if err != nil {
				t.Fatal(err)
			}
			if expr.Render(v) != got || got != cv.Value() {
				t.Errorf("%s on %v: attrmap %q, expr-lang %q, cel-go %q", s.name, o, expr.Render(v), got, cv.Value())
			}
		}
	}
}
