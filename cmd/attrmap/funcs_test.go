package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
)

// fixedRegistry stands in for the built-in one in golden tests, whose
// output would otherwise change each time a function lands.
func fixedRegistry() *expr.Registry {
	return expr.NewRegistry(
		&expr.Func{
			Name: "Join", Category: "String", MinArgs: 2, MaxArgs: -1, Params: []string{"separator", "source"},
			Doc: "Joins the `source` values into one string, with `separator` between them.\n\nNull and empty sources are skipped.",
			Examples: []expr.Example{
				{Expr: `Join("@", [givenName], "contoso.com")`, Input: map[string]any{"givenName": "John"}, Want: "John@contoso.com"},
				{Expr: `Join(",", [proxyAddresses])`, Input: map[string]any{"proxyAddresses": []any{"a", "b"}}, Want: "a,b", Note: "every value of a multi-valued source is joined"},
			},
		},
		&expr.Func{
			Name: "Mid", Category: "String", MinArgs: 3, MaxArgs: 3, Params: []string{"source", "start", "length"},
			Doc: "Returns `length` characters of `source` from position `start` (1-based, e.g. 1 is the first).",
		},
		&expr.Func{
			Name: "IgnoreFlowIfNullOrEmpty", Category: "Flow", MinArgs: 1, MaxArgs: 1, Params: []string{"expression"},
			Doc:      "Drops the target attribute from the flow when the expression is null or empty.",
			Examples: []expr.Example{{Expr: `IgnoreFlowIfNullOrEmpty([department])`, Ignored: true}},
		},
		&expr.Func{
			Name: "SelectUniqueValue", Category: "Flow", MinArgs: 2, MaxArgs: -1, Params: []string{"uniqueValueRule"},
			Doc: "Returns the first value that does not exist in the target yet.",
			Examples: []expr.Example{
				{Expr: `SelectUniqueValue("a@x", "b@x")`, Existing: []string{"a@x"}, Want: "b@x"},
			},
		},
		&expr.Func{
			Name: "Now", Aliases: []string{"UtcNow"}, MinArgs: 0, MaxArgs: 0,
			Doc:      "Returns the current time.",
			Examples: []expr.Example{{Expr: `Now()`, Now: "2024-07-01T09:00:00Z", Want: "7/1/2024 9:00:00 AM"}},
		},
	)
}

func TestFuncs(t *testing.T) {
	old := funcsRegistry
	funcsRegistry = fixedRegistry
	t.Cleanup(func() { funcsRegistry = old })
	runTranscripts(t, "funcs", []cliCase{
		{name: "list", args: []string{"funcs"}},
		{name: "one", args: []string{"funcs", "join"}},
		{name: "one with ignored and existing", args: []string{"funcs", "SelectUniqueValue"}},
		{name: "ignored example", args: []string{"funcs", "ignoreflowifnullorempty"}},
		{name: "alias", args: []string{"funcs", "utcnow"}},
		{name: "unknown", args: []string{"funcs", "Jion"}},
		{name: "unknown far from any", args: []string{"funcs", "Frobnicate"}},
		{name: "too many", args: []string{"funcs", "Join", "Mid"}},
	})
}

// TestFuncsBuiltin checks the real registry without pinning its text: every
// function is listed, and each one's page starts with its signature.
func TestFuncsBuiltin(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"funcs"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	list := stdout.String()
	for _, f := range expr.Default().Funcs() {
		if !strings.Contains(list, "  "+f.Signature()+" ") && !strings.Contains(list, "  "+f.Signature()+"\n") {
			t.Errorf("list lacks %s", f.Signature())
		}
		stdout.Reset()
		if code := run([]string{"funcs", strings.ToLower(f.Name)}, nil, &stdout, &stderr); code != exitOK {
			t.Errorf("funcs %s: exit %d: %s", f.Name, code, stderr.String())
		}
		if !strings.HasPrefix(stdout.String(), f.Signature()+"\n") {
			t.Errorf("funcs %s starts with %q", f.Name, strings.SplitN(stdout.String(), "\n", 2)[0])
		}
	}
}

func TestSummary(t *testing.T) {
	tests := map[string]string{
		"One. Two.":                       "One.",
		"Returns `a. b` here. Then more.": "Returns `a. b` here.",
		"No period":                       "No period",
		"Wrapped\nline. Next":             "Wrapped line.",
		"First para.\n\nSecond.":          "First para.",
		"Uses e.g. abbreviations":         "Uses e.g. abbreviations",
		"Version 1.5 is fine. Next.":      "Version 1.5 is fine.",
	}
	for in, want := range tests {
		if got := summary(in); got != want {
			t.Errorf("summary(%q) = %q, want %q", in, got, want)
		}
	}
}
