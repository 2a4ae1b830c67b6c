package expr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPrintRoundTrip prints every conformance expression that compiles and
// requires the printed text to compile to the same tree and to print the
// same again.
func TestPrintRoundTrip(t *testing.T) {
	for _, c := range loadCases(t) {
		p, err := Compile(c.Expr)
		if err != nil {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			checkRoundTrip(t, p)
		})
	}
}

func checkRoundTrip(t *testing.T, p *Program) {
	t.Helper()
	printed := p.String()
	q, err := Compile(printed)
	if err != nil {
		t.Fatalf("printed text does not compile: %v\nsource:  %s\nprinted: %s", err, p.Source(), printed)
	}
	if diff := cmp.Diff(shape(p.Root()), shape(q.Root())); diff != "" {
		t.Errorf("tree changed after printing (-want +got):\n%s\nprinted: %s", diff, printed)
	}
	if again := q.String(); again != printed {
		t.Errorf("printing is not stable:\nfirst:  %s\nsecond: %s", printed, again)
	}
}

// shape reduces a tree to a comparable form without spans.
func shape(n Node) any {
	switch n := n.(type) {
	case *CallExpr:
		args := []any{n.Func.Name}
		for _, a := range n.Args {
			args = append(args, shape(a))
		}
		return args
	case *AttrExpr:
		return "[" + n.Name + "]"
	case *StringLit:
		return "s:" + n.Value
	case *NumberLit:
		return "n:" + n.Value.String()
	case *EnumLit:
		return "e:" + n.Name
	case *EmptyArg:
		return "<empty>"
	case *BinaryExpr:
		return []any{n.Op, shape(n.Left), shape(n.Right)}
	}
	return nil
}

func TestPrintCanonical(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"names", `join ( "@" ,[a],"b")`, `Join("@", [a], "b")`},
		{"empty args", `Replace([x], , "re", , "", , )`, `Replace([x], , "re", , "", , )`},
		{"switch empty default", `switch([a],,"1","x")`, `Switch([a], , "1", "x")`},
		{"escapes", `Join("", "a\"b", "c\\d")`, `Join("", "a\"b", "c\\d")`},
		{"hex", `BitAnd(&hf, &HF7)`, `BitAnd(&HF, &HF7)`},
		{"enum", `InStr("a", "b", 1, VBTEXTCOMPARE)`, `InStr("a", "b", 1, vbTextCompare)`},
		{"comparison", `IIF([a]="x","y","n")`, `IIF([a] = "x", "y", "n")`},
		{"concat chain", `"a" & [b] & "c"`, `"a" & [b] & "c"`},
		{"concat in comparison", `IIF("a" & [b] = "ab", "y", "n")`, `IIF("a" & [b] = "ab", "y", "n")`},
		{"right nested", `"a" & ("b" & "c")`, `"a" & ("b" & "c")`},
		{"negative", `Left("abc", -1)`, `Left("abc", -1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, p.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			checkRoundTrip(t, p)
		})
	}
}

func TestFormat(t *testing.T) {
	src := `SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"))`
	p := MustCompile(src)
	want := `SelectUniqueValue(
  Join(
    "@",
    NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))),
    "contoso.com"
  ),
  Join(
    "@",
    NormalizeDiacritics(
      StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))
    ),
    "contoso.com"
  )
)`
	got := Format(p.Root(), 90)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	q := MustCompile(got)
	if diff := cmp.Diff(shape(p.Root()), shape(q.Root())); diff != "" {
		t.Errorf("formatted text compiles to another tree (-want +got):\n%s", diff)
	}
}

func TestFormatEmptyArgs(t *testing.T) {
	p := MustCompile(`Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber", , [mobile], )`)
	want := "Replace(\n  [telephoneNumber], ,\n  \"\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})\",\n  \"phoneNumber\", ,\n  [mobile],\n)"
	got := Format(p.Root(), 40)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	q := MustCompile(got)
	if diff := cmp.Diff(shape(p.Root()), shape(q.Root())); diff != "" {
		t.Errorf("formatted text compiles to another tree (-want +got):\n%s", diff)
	}
}

func TestTrace(t *testing.T) {
	p := MustCompile(`IIF([a] = "x", Join("-", [a], "y"), ToUpper([a]))`)
	tr, v, err := p.Trace(MapEnv{"a": String("x")}, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if Render(v) != "x-y" {
		t.Fatalf("value %s", Display(v))
	}
	var lines []string
	var walk func(t *Trace, depth int)
	walk = func(t *Trace, depth int) {
		if t == nil {
			lines = append(lines, strings.Repeat("  ", depth)+"(not evaluated)")
			return
		}
		lines = append(lines, strings.Repeat("  ", depth)+Print(t.Node)+" = "+Display(t.Value))
		for _, a := range t.Args {
			walk(a, depth+1)
		}
	}
	walk(tr, 0)
	want := []string{
		`IIF([a] = "x", Join("-", [a], "y"), ToUpper([a])) = "x-y"`,
		`  [a] = "x" = True`,
		`    [a] = "x"`,
		`    "x" = "x"`,
		`  Join("-", [a], "y") = "x-y"`,
		`    "-" = "-"`,
		`    [a] = "x"`,
		`    "y" = "y"`,
		`  (not evaluated)`,
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
