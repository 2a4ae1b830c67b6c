package main

import (
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
)

// TestDemo pins the demo output. It uses the real function registry, so a
// change in a function's behaviour shows up here; regenerate with -update
// once the change is intended.
func TestDemo(t *testing.T) {
	runTranscripts(t, "demo", []cliCase{
		{name: "demo", args: []string{"demo"}},
		{name: "extra argument", args: []string{"demo", "now"}},
	})
}

// TestDemoMappingsCompile reports a demo mapping that does not compile with
// the built-in functions.
func TestDemoMappingsCompile(t *testing.T) {
	for _, m := range demoMappings {
		if _, err := expr.Compile(m.expr); err != nil {
			t.Errorf("%s: %v", m.target, err)
		}
	}
}

// TestDemoKeepsTypes: the demo's plan shows the Boolean active attribute
// as the boolean it is on both sides, never the string "False" beside the
// boolean True (issue 17).
func TestDemoKeepsTypes(t *testing.T) {
	out := transcript([]string{"demo"}, "")
	for _, want := range []string{"    active = true\n", "    active: true -> false\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	for _, bad := range []string{`active = "True"`, `-> "False"`, `active: True`} {
		if strings.Contains(out, bad) {
			t.Errorf("demo output has %q", bad)
		}
	}
}
