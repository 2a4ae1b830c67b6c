package expr

import (
	"fmt"
	"strings"
	"testing"
)

// TestRegistryDocs requires documentation and at least one example for
// every function, so that the generated reference is complete.
func TestRegistryDocs(t *testing.T) {
	for _, f := range Default().Funcs() {
		if strings.TrimSpace(f.Doc) == "" {
			t.Errorf("%s has no Doc", f.Name)
		}
		if len(f.Examples) == 0 {
			t.Errorf("%s has no Examples", f.Name)
		}
		if f.Category == "" {
			t.Errorf("%s has no Category", f.Name)
		}
		if (f.Impl == nil) == (f.Lazy == nil) {
			t.Errorf("%s must have exactly one of Impl and Lazy", f.Name)
		}
		if len(f.Params) == 0 && f.MaxArgs != 0 {
			t.Errorf("%s has no Params", f.Name)
		}
	}
}

// TestRegistryExamples evaluates every example of every function, so the
// reference cannot drift from the code.
func TestRegistryExamples(t *testing.T) {
	for _, f := range Default().Funcs() {
		for i, ex := range f.Examples {
			t.Run(fmt.Sprintf("%s/%d", f.Name, i), func(t *testing.T) {
				testCase{
					Expr: ex.Expr, Input: ex.Input, Now: ex.Now, Existing: ex.Existing,
					Want: ex.Want, Ignored: ex.Ignored, Redacted: isRedactExample(ex),
				}.run(t)
			})
		}
	}
}

// isRedactExample reports whether an example's result is redacted: the
// examples of Redact itself are.
func isRedactExample(ex Example) bool {
	return strings.Contains(strings.ToLower(ex.Expr), "redact(")
}

// TestRegistryLookup checks case-insensitive lookup and canonical names.
func TestRegistryLookup(t *testing.T) {
	for _, f := range Default().Funcs() {
		for _, name := range []string{f.Name, strings.ToLower(f.Name), strings.ToUpper(f.Name)} {
			got, ok := Default().Lookup(name)
			if !ok || got != f {
				t.Errorf("Lookup(%q) = %v, %v; want %s", name, got, ok, f.Name)
			}
		}
	}
}
