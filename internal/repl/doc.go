// Package repl is the core of "attrmap repl", the interactive shell in
// which admins test an attribute-mapping expression against a user before
// saving it. It does no terminal I/O: a front end (cmd/attrmap, with line
// editing, history and tab completion) reads a line, passes it to
// Session.Process and prints the answer, so the whole behaviour is
// testable without a terminal, through golden transcripts in
// testdata/cli/repl.
//
//	s := repl.New()
//	for sc.Scan() {
//		out, quit, err := s.Process(sc.Text())
//		if out != "" {
//			fmt.Println(out)
//		}
//		if err != nil {
//			fmt.Println(repl.ErrorText(err)) // caret under the problem, did-you-mean hint
//		}
//		if quit {
//			break
//		}
//	}
//
// A line is an expression, evaluated against the current object, or a
// command starting with ":" (:set, :unset, :load, :show, :now, :existing,
// :trace, :fmt, :lint, :funcs, :help, :schema, :map, :scope, :quit; :help
// describes each). While parentheses, brackets or quotes are open, Process
// keeps the line and Prompt returns ".. " until the entry is complete.
// Complete returns tab completions for a line and cursor position.
//
// Values are shown as people need them: strings quoted, multi-valued
// values as a list, <null>, <ignored: not flowed>, and redacted values in
// clear but marked, since logs and plans will show [Redact] instead.
package repl
