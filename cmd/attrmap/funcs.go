package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/attrmap/attrmap/expr"
)

const funcsUsage = `usage: attrmap funcs [NAME]

Funcs lists the functions of the expression language, grouped by category,
with their signature and a one-line summary. With NAME (any case), it
prints the full documentation and the examples of that function instead.
`

// funcsRegistry is the registry funcs describes; tests replace it with a
// fixed one so their golden output does not change as functions land.
var funcsRegistry = expr.Default

// cmdFuncs implements "attrmap funcs".
func cmdFuncs(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("funcs", funcsUsage, stderr)
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	reg := funcsRegistry()
	switch len(pos) {
	case 0:
		listFuncs(stdout, reg.Funcs())
		return nil
	case 1:
	default:
		return usagef("too many arguments")
	}
	// Lookup ignores case and knows aliases, like the compiler, so any
	// spelling an expression accepts finds the page.
	f, ok := reg.Lookup(pos[0])
	if !ok {
		fmt.Fprintf(stderr, "attrmap funcs: unknown function %q\n", pos[0])
		if s := suggest(pos[0], reg.Names()); s != "" {
			fmt.Fprintf(stderr, "hint: did you mean %q?\n", s)
		}
		return errReported
	}
	describeFunc(stdout, f)
	return nil
}

// listFuncs prints the functions grouped by category, categories and
// functions in alphabetical order.
func listFuncs(w io.Writer, funcs []*expr.Func) {
	groups := map[string][]*expr.Func{}
	for _, f := range funcs {
		c := f.Category
		if c == "" {
			c = "Other"
		}
		groups[c] = append(groups[c], f)
	}
	// Categories in alphabetical order: the registry gives no order of its
	// own, and map order must not leak into the output.
	cats := make([]string, 0, len(groups))
	for c := range groups {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	// Signatures align across groups, up to maxSigWidth: a longer one gets
	// its summary on the next line, so one long signature does not push
	// every summary off the screen.
	width := 0
	for _, f := range funcs {
		if n := utf8.RuneCountInString(f.Signature()); n <= maxSigWidth {
			width = max(width, n)
		}
	}
	indent := strings.Repeat(" ", 2+width+2)
	for i, c := range cats {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, c)
		for _, f := range groups[c] {
			sig := f.Signature()
			sum := truncate(summary(f.Doc), maxLineWidth-len(indent))
			if n := utf8.RuneCountInString(sig); n > width {
				fmt.Fprintf(w, "  %s\n%s%s\n", sig, indent, sum)
			} else {
				fmt.Fprintf(w, "  %s%s  %s\n", sig, strings.Repeat(" ", width-n), sum)
			}
		}
	}
	fmt.Fprintf(w, "\n%d functions. Run 'attrmap funcs NAME' for the documentation of one.\n", len(funcs))
}

// Layout of the function list.
const (
	maxSigWidth  = 48  // longer signatures put their summary on the next line
	maxLineWidth = 120 // summaries are cut to fit
)

// truncate cuts s to at most n runes at a word boundary, marking the cut
// with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + " …"
	}
	return string(r) + "…"
}

// summary returns the first sentence of a Markdown doc, on one line.
func summary(doc string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(doc), "\n\n")
	para = strings.Join(strings.Fields(para), " ")
	// A sentence ends at ". ", but not inside a code span such as `a. b`
	// nor after an abbreviation with inner dots such as "e.g.".
	inCode := false
	for i := 0; i < len(para); i++ {
		switch para[i] {
		case '`':
			inCode = !inCode
		case '.':
			word := para[strings.LastIndexByte(para[:i], ' ')+1 : i]
			if !inCode && (i+1 == len(para) || para[i+1] == ' ') && !strings.Contains(word, ".") {
				return para[:i+1]
			}
		}
	}
	return para
}

// describeFunc prints the documentation of one function and its examples.
func describeFunc(w io.Writer, f *expr.Func) {
	fmt.Fprintln(w, f.Signature())
	cat := f.Category
	if cat == "" {
		cat = "Other"
	}
	fmt.Fprintf(w, "Category: %s\n", cat)
	if len(f.Aliases) > 0 {
		fmt.Fprintf(w, "Also spelled: %s\n", strings.Join(f.Aliases, ", "))
	}
	fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(f.Doc))
	if len(f.Examples) == 0 {
		return
	}
	fmt.Fprintln(w, "\nExamples:")
	for _, ex := range f.Examples {
		// The same fields the registry tests run the example with, so the
		// page shows everything needed to reproduce it with eval.
		fmt.Fprintf(w, "\n  %s\n", ex.Expr)
		if len(ex.Input) > 0 {
			fmt.Fprintf(w, "    input:    %s\n", marshalJSON(ex.Input)) // map keys come out sorted
		}
		if ex.Now != "" {
			fmt.Fprintf(w, "    now:      %s\n", ex.Now)
		}
		if len(ex.Existing) > 0 {
			fmt.Fprintf(w, "    existing: %s\n", marshalJSON(ex.Existing))
		}
		fmt.Fprintf(w, "    result:   %s\n", exampleResult(ex))
		if ex.Note != "" {
			fmt.Fprintf(w, "    note:     %s\n", ex.Note)
		}
	}
}

// exampleResult renders an example's expected result as the table of eval
// shows outcomes.
func exampleResult(ex expr.Example) string {
	switch want := ex.Want.(type) {
	case nil:
		if ex.Ignored {
			return "(ignored)"
		}
		return "(null)"
	case string:
		return expr.Display(expr.String(want))
	case []string:
		return expr.Display(expr.Multi(want))
	case []any:
		return expr.Display(expr.FromGo(want))
	}
	return string(marshalJSON(ex.Want))
}
