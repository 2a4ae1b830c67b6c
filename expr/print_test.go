package expr

import (
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
