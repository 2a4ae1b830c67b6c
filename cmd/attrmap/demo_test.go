package main

import (
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
