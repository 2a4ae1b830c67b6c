package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/lint"
	"github.com/attrmap/attrmap/mapping"
)

const lintUsage = `usage: attrmap lint [--json] [--strict] FILE|EXPRESSION
       attrmap lint --rules

Lint warns about expressions that compile but do not do what they seem to
once the provisioning service runs them: the pitfalls the Microsoft Entra
reference pages document (IsPresent as the source of a Switch, an IIF
testing an attribute for null, Item with index 0, SelectUniqueValue where
it is not supported, Switch keys that differ only in case, ...). Each
warning has a stable code (AM001...), the position of the problem with a
caret under it, and a suggested rewrite. --rules lists the rules.

The argument is, in order of preference:

	a schema file    a synchronizationSchema, synchronizationRule or
	                 objectMapping document (JSON): every attribute mapping
	                 expression is linted with what the schema says about
	                 it (target attribute type, matching, flow type,
	                 directories); warnings carry the JSON path
	a text file      one expression per line (blank lines and lines
	                 starting with # are skipped), or - for stdin
	an expression    anything else

--json prints a JSON array of warnings instead, each with code, rule,
path, line, col, offset, end, message, suggestion, fix and source.

Exit status: 1 when an expression does not compile, or when there are
warnings and --strict is given; else 0.
`

// cmdLint implements "attrmap lint".
func cmdLint(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("lint", lintUsage, stderr)
	asJSON := fs.Bool("json", false, "print the warnings as a JSON array")
	strict := fs.Bool("strict", false, "exit with status 1 when there are warnings")
	listRules := fs.Bool("rules", false, "list the rules and exit")
	rest, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if *listRules {
		printRules(stdout)
		return nil
	}
	if len(rest) != 1 {
		return usagef("expected one FILE or EXPRESSION (got %d arguments)", len(rest))
	}
	ws, err := lintTarget(rest[0], stdin)
	if err != nil {
		if _, ok := expr.AsError(err); ok {
			return exprFailure(err)
		}
		return err
	}
	if *asJSON {
		writeLintJSON(stdout, ws)
	} else {
		writeLintText(stdout, ws)
	}
	for _, w := range ws {
		if w.Code == lint.CompileErrorCode {
			return errReported
		}
	}
	if *strict && len(ws) > 0 {
		return errReported
	}
	return nil
}

// lintTarget lints a schema file, a file of expressions, or an expression.
func lintTarget(arg string, stdin io.Reader) ([]lint.Warning, error) {
	var data []byte
	switch {
	case arg == "-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, err
		}
		data = b
	default:
		b, err := os.ReadFile(arg)
		if err != nil {
			if _, statErr := os.Stat(arg); statErr == nil {
				return nil, err // exists but unreadable
			}
			return lint.Lint(arg) // not a file: an expression
		}
		data = b
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '{' {
		s, err := mapping.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", arg, err)
		}
		return lint.LintSchema(s), nil
	}
	return lintLines(arg, data), nil
}

// lintLines lints one expression per line; the path of each warning is
// FILE:LINE. Compile errors become AM000 entries so that one bad line does
// not hide the others.
func lintLines(name string, data []byte) []lint.Warning {
	var out []lint.Warning
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		path := fmt.Sprintf("%s:%d", name, n)
		ws, err := lint.Lint(line)
		if err != nil {
			w := lint.Warning{Code: lint.CompileErrorCode, Rule: "compile-error", Msg: err.Error(), Path: path, Source: line, Line: 1, Col: 1}
			if e, ok := expr.AsError(err); ok {
				w.Msg, w.Span, w.Line, w.Col, w.Suggestion = e.Msg, e.Span, e.Line, e.Col, e.Hint
			}
			out = append(out, w)
			continue
		}
		for _, w := range ws {
			w.Path = path
			out = append(out, w)
		}
	}
	return out
}

// writeLintText prints each warning with its caret, then a count.
func writeLintText(w io.Writer, ws []lint.Warning) {
	for _, x := range ws {
		fmt.Fprintln(w, x.Render())
		fmt.Fprintln(w)
	}
	errs := 0
	for _, x := range ws {
		if x.Code == lint.CompileErrorCode {
			errs++
		}
	}
	summary := count(len(ws)-errs, "warning")
	if errs > 0 {
		summary += ", " + plural(errs, "error")
	}
	fmt.Fprintln(w, summary)
}

// count says "no warnings", "1 warning" or "3 warnings".
func count(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// lintJSON is the --json form of a warning.
type lintJSON struct {
	Code       string `json:"code"`
	Rule       string `json:"rule"`
	Path       string `json:"path,omitempty"`
	Line       int    `json:"line"`
	Col        int    `json:"col"`
	Offset     int    `json:"offset"`
	End        int    `json:"end"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
	Fix        string `json:"fix,omitempty"`
	Source     string `json:"source"`
}

func writeLintJSON(w io.Writer, ws []lint.Warning) {
	out := make([]lintJSON, len(ws))
	for i, x := range ws {
		out[i] = lintJSON{x.Code, x.Rule, x.Path, x.Line, x.Col, x.Span.Start, x.Span.End, x.Msg, x.Suggestion, x.Fix, x.Source}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// printRules lists the rules with their codes.
func printRules(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, r := range lint.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Code, r.Name, r.Summary)
	}
	tw.Flush()
}
