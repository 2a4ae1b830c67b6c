package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/lint"
	"github.com/attrmap/attrmap/mapping"
)

const lintUsage = `usage: attrmap lint [--json] [--strict] FILE...|EXPRESSION
       attrmap lint --rules

Lint warns about expressions that compile but do not do what they seem to
once the provisioning service runs them: the pitfalls the Microsoft Entra
reference pages document (IsPresent as the source of a Switch, an IIF
testing an attribute for null, Item with index 0, SelectUniqueValue where
it is not supported, Switch keys that differ only in case, ...). Each
warning has a stable code (AM001...), the position of the problem with a
caret under it, and a suggested rewrite. --rules lists the rules.

Each argument is one of:

	a schema file    a synchronizationSchema, synchronizationRule or
	                 objectMapping document (JSON): every attribute mapping
	                 expression is linted with what the schema says about
	                 it (target attribute type, matching, flow type,
	                 directories); warnings carry the JSON path
	a text file      one expression per line (blank lines and lines
	                 starting with # are skipped), or - for stdin
	an expression    when there is one argument and it is no file; an
	                 argument that looks like a path (a .json or .txt name,
	                 or one with a slash and no brackets or quotes) and
	                 does not exist is reported as a missing file

With several arguments, every one is a file (lint *.json).

--json prints {"version": 1, "warnings": [...]}, each warning with code,
rule, file, path, line, column, offset, end, message, hint (the suggested
rewrite), fix and source. An expression that does not compile is a
warning with code AM000.

Exit status: 1 when an expression does not compile or a file cannot be
read, or when there are warnings and --strict is given; else 0.
`

// cmdLint implements "attrmap lint".
func cmdLint(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("lint", lintUsage, stderr)
	asJSON := fs.Bool("json", false, "print the warnings as JSON")
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
	if len(rest) == 0 {
		return usagef("expected a FILE or an EXPRESSION")
	}
	if countStdin(rest...) > 1 {
		return usagef("only one argument can be - (standard input)")
	}
	var ws []lint.Warning
	failed := 0
	for _, arg := range rest {
		if err := ctx.Err(); err != nil {
			return err
		}
		w, err := lintTarget(arg, stdin, len(rest) > 1)
		if err != nil {
			if len(rest) == 1 {
				if _, ok := expr.AsError(err); ok {
					return exprFailure(err)
				}
				return err
			}
			report(stderr, "lint", err)
			failed++
			continue
		}
		ws = append(ws, w...)
	}
	if *asJSON {
		writeLintJSON(stdout, ws)
	} else {
		writeLintText(stdout, ws)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %s could not be linted", failed, plural(len(rest), "file"))
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

// lintTarget lints a schema file, a file of expressions, or (unless
// filesOnly) an expression. The warnings' File is the file.
func lintTarget(arg string, stdin io.Reader, filesOnly bool) ([]lint.Warning, error) {
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
				return nil, err // there but unreadable
			}
			if filesOnly || looksLikePath(arg) {
				return nil, fmt.Errorf("%s: no such file (an expression to lint needs its brackets or quotes)", arg)
			}
			return lint.Lint(arg) // not a file: an expression
		}
		data = b
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '{' {
		s, err := mapping.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		ws := lint.LintSchema(s)
		for i := range ws {
			ws[i].Path = arg + ": " + ws[i].Path
		}
		return ws, nil
	}
	return lintLines(arg, data), nil
}

// looksLikePath reports whether a lint argument that is no file was meant
// as one: a name ending in a file extension lint reads, or one with a path
// separator and none of the brackets, parentheses and quotes expressions
// are made of.
func looksLikePath(arg string) bool {
	if strings.ContainsAny(arg, "[]()\"\u201c\u201d") {
		return false
	}
	switch strings.ToLower(filepath.Ext(arg)) {
	case ".json", ".txt", ".jsonl", ".expr":
		return true
	}
	return strings.ContainsAny(arg, "/\\")
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

// lintJSON is the --json form of a warning: the members of every JSON
// error (message, line, column, hint, code) and the warning's own.
type lintJSON struct {
	Code    string `json:"code"`
	Rule    string `json:"rule"`
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Offset  int    `json:"offset"`
	End     int    `json:"end"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
	Fix     string `json:"fix,omitempty"`
	Source  string `json:"source"`
}

func writeLintJSON(w io.Writer, ws []lint.Warning) {
	out := struct {
		Version  int        `json:"version"`
		Warnings []lintJSON `json:"warnings"`
	}{jsonVersion, make([]lintJSON, len(ws))}
	for i, x := range ws {
		out.Warnings[i] = lintJSON{x.Code, x.Rule, x.Path, x.Line, x.Col, x.Span.Start, x.Span.End, x.Msg, x.Suggestion, x.Fix, x.Source}
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
