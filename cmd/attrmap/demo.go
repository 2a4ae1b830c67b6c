package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
)

const demoUsage = `usage: attrmap demo

Demo evaluates a few typical attribute mappings (Workday or HR to Entra ID)
on eight embedded sample users and prints, per user, each target attribute
with the value it would receive. Then it plans a provisioning cycle of
sample users against a sample SCIM app, as "attrmap plan" does. The clock
is frozen at ` + demoNow + `, so the output is the same on every run.
`

// demoNow is the frozen clock of the demo.
const demoNow = "2024-07-01T09:00:00Z"

// demoUsers holds the sample users: diacritics (Zoë, José, Björn), a
// two-word given name, missing and empty attributes, multi-valued
// proxyAddresses and Workday-style hire dates (yyyy-MM-ddzzz).
//
//go:embed demodata/users.json
var demoUsers []byte

// demoMapping is one target attribute and the expression that computes it.
type demoMapping struct {
	target string
	expr   string
	why    string // printed under the expression
}

// demoMappings are the sample mappings, in the order they are printed.
var demoMappings = []demoMapping{
	{
		"userPrincipalName",
		`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com")`,
		"given.surname without spaces or diacritics, the documented UPN recipe",
	},
	{
		"mailNickname",
		`ToLower(NormalizeDiacritics(StripSpaces(Join(".", Left([givenName], 1), [surname]))))`,
		"first initial and surname, lower case",
	},
	{
		"displayName",
		`Join(" ", [givenName], [surname])`,
		"diacritics kept where people read the name",
	},
	{
		"usageLocation",
		`IgnoreFlowIfNullOrEmpty(Switch([country], "", "United States", "US", "Germany", "DE", "Spain", "ES", "Sweden", "SE", "Ireland", "IE", "China", "CN"))`,
		"country name to ISO code; unknown or missing countries leave the target unchanged",
	},
	{
		"department",
		`IgnoreFlowIfNullOrEmpty([department])`,
		"an empty or missing department does not clear the target",
	},
	{
		"employeeHireDate",
		`FormatDateTime([hireDate], , "yyyy-MM-ddzzz", "yyyyMMddHHmmss.fZ")`,
		"Workday date with offset to a UTC timestamp, as the Workday tutorial does",
	},
	{
		"proxyAddresses",
		`[proxyAddresses]`,
		"multi-valued: flows value by value",
	},
}

// cmdDemo implements "attrmap demo".
func cmdDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", demoUsage, stderr)
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	// Users are kept raw and decoded one by one with decodeObject, which
	// keeps the attribute order rowKey relies on.
	var users []json.RawMessage
	if err := json.Unmarshal(demoUsers, &users); err != nil {
		panic("demo: embedded users: " + err.Error()) // a broken build, not bad input
	}
	now, _ := time.Parse(time.RFC3339, demoNow)

	// Compile once; a mapping that does not compile (a function not
	// implemented yet) is reported and shown as unavailable, so the demo
	// still runs.
	width := 0
	progs := make([]*expr.Program, len(demoMappings))
	fmt.Fprintf(stdout, "Mappings (clock frozen at %s):\n", demoNow)
	for i, m := range demoMappings {
		width = max(width, len(m.target))
		fmt.Fprintf(stdout, "\n  %s ← %s\n      %s\n", m.target, m.expr, m.why)
		p, err := expr.Compile(m.expr, expr.WithNow(now))
		if err != nil {
			fmt.Fprintf(stdout, "      not available: %v\n", err)
			continue
		}
		progs[i] = p
	}

	for n, raw := range users {
		if err := ctx.Err(); err != nil {
			return err
		}
		obj, err := decodeObject(raw)
		if err != nil {
			panic(fmt.Sprintf("demo: embedded user %d: %v", n+1, err))
		}
		// Display the outcome as eval's table does, so the demo teaches
		// the same notation: quoted strings, (ignored), (null).
		env := expr.NewEnv(obj.attrs)
		fmt.Fprintf(stdout, "\n%s\n", demoTitle(n+1, obj))
		for i, m := range demoMappings {
			text := "(not available)"
			if progs[i] != nil {
				text = newOutcome(progs[i].Eval(env)).text
			}
			fmt.Fprintf(stdout, "  %-*s ← %s\n", width, m.target, text)
		}
	}
	// Then a provisioning cycle over sample snapshots (plan.go).
	return demoPlan(ctx, now, stdout, stderr)
}

// demoTitle names a sample user: "Zoë Müller (id 2002)".
func demoTitle(n int, obj object) string {
	name := strings.TrimSpace(expr.Render(expr.FromGo(obj.attrs["givenName"])) + " " +
		expr.Render(expr.FromGo(obj.attrs["surname"])))
	return fmt.Sprintf("%s (id %s)", name, rowKey(n, obj.keys, obj.attrs))
}
