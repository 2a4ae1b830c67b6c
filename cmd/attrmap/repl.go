package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/attrmap/attrmap/internal/safeio"
	"github.com/peterh/liner"

	"github.com/attrmap/attrmap/internal/repl"
)

const replUsage = `usage: attrmap repl [-i FILE] [--schema FILE] [--now TIME] [--history FILE | --no-history]

Repl is an interactive shell for expressions: type one and see its value
against the current object. Type :help for the commands (:set, :load,
:trace, :fmt, :map, :scope, ...), Tab to complete function names,
[attribute names and :commands, Ctrl-D or :quit to leave. An entry may
span lines while parentheses or quotes are open (Ctrl-C cancels it).

-i, --schema and --now run :load, :schema and :now before the first prompt.

On a terminal, lines are edited in place and kept in a history file
(default: attrmap/history under the user configuration directory). When
standard input is not a terminal, repl reads it line by line without
prompts, so it can be scripted:

	echo ':set givenName = "Zoë"
	NormalizeDiacritics([givenName])' | attrmap repl

In that mode errors go to standard error and the exit status is 1 if any
entry failed.
`

// cmdRepl implements "attrmap repl".
func cmdRepl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("repl", replUsage, stderr)
	input := fs.String("i", "", "load the current object from `FILE` (:load)")
	schema := fs.String("schema", "", "load a synchronization schema from `FILE` (:schema)")
	now := fs.String("now", "", "freeze the clock at `TIME`, RFC 3339 (:now)")
	history := fs.String("history", "", "keep the line history in `FILE` instead of the default")
	noHistory := fs.Bool("no-history", false, "do not read or write a history file")
	rest, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	s := repl.New()
	for _, pre := range []struct{ cmd, arg string }{{":now", *now}, {":schema", *schema}, {":load", *input}} {
		if pre.arg == "" {
			continue
		}
		if _, _, err := s.Process(pre.cmd + " " + pre.arg); err != nil {
			return &statusError{status: exitFailure, err: errors.New(repl.ErrorText(err)), bare: true}
		}
	}
	if !isTerminal(stdin) || !isTerminal(stdout) {
		return replScript(s, stdin, stdout, stderr)
	}
	hist := *history
	if *noHistory {
		hist = ""
	} else if hist == "" {
		hist = defaultHistory()
	}
	return replInteractive(s, hist, stdout, stderr)
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f any) bool {
	if u, ok := f.(interface{ Unwrap() io.Writer }); ok { // safeio.Writer
		f = u.Unwrap()
	}
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// defaultHistory returns the history file under the user configuration
// directory, or "" when there is none.
func defaultHistory() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "attrmap", "history")
}

// replScript runs lines from a pipe or file: no prompts, no echo, errors
// on stderr.
func replScript(s *repl.Session, stdin io.Reader, stdout, stderr io.Writer) error {
	sc := bufio.NewScanner(stdin)
	sc.Buffer(nil, 1<<20)
	var failed error
	handle := func(line string) bool {
		out, quit, err := s.Process(line)
		if out != "" {
			fmt.Fprintln(stdout, out)
		}
		if err != nil {
			fmt.Fprintln(stderr, repl.ErrorText(err))
			failed = errReported
		}
		return quit
	}
	for sc.Scan() {
		if handle(sc.Text()) {
			return failed
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if s.Prompt() == repl.PromptMore {
		handle("") // end the unfinished entry, reporting what is missing
	}
	return failed
}

// replInteractive runs the line editor on the terminal.
func replInteractive(s *repl.Session, history string, stdout, stderr io.Writer) error {
	ed := liner.NewLiner()
	defer ed.Close()
	ed.SetCtrlCAborts(true)
	ed.SetMultiLineMode(true)
	ed.SetTabCompletionStyle(liner.TabPrints)
	ed.SetWordCompleter(s.Complete)
	if history != "" {
		if f, err := os.Open(history); err == nil {
			ed.ReadHistory(f)
			f.Close()
		}
	}
	fmt.Fprintln(stdout, "attrmap repl: type an expression, :help for commands, Ctrl-D to quit")
	var entry entryLines
	for {
		line, err := ed.Prompt(s.Prompt())
		if errors.Is(err, liner.ErrPromptAborted) {
			s.Reset()
			entry.reset()
			continue
		}
		if err != nil { // io.EOF: Ctrl-D
			fmt.Fprintln(stdout)
			break
		}
		out, quit, perr := s.Process(line)
		for _, h := range entry.add(line, s.Prompt() != repl.PromptMore) {
			ed.AppendHistory(h)
		}
		if out != "" {
			fmt.Fprintln(stdout, out)
		}
		if perr != nil {
			fmt.Fprintln(stdout, repl.ErrorText(perr))
		}
		if quit {
			break
		}
	}
	if history != "" {
		if err := saveHistory(ed, history); err != nil {
			fmt.Fprintf(stderr, "attrmap repl: history not saved: %v\n", err)
		}
	}
	return nil
}

// entryLines collects the lines of one REPL entry, so that the history
// keeps an entry typed over several lines as one entry: Up recalls it
// whole. The lines are joined with a space, which the language reads as
// it reads the line break, except inside a string literal: an entry with a
// line break inside a string goes to the history line by line, as typed,
// since the history holds one line per entry.
type entryLines struct{ lines []string }

// add takes one line typed at the prompt and, when the entry is complete,
// returns what goes to the history.
func (e *entryLines) add(line string, complete bool) []string {
	e.lines = append(e.lines, line)
	if !complete {
		return nil
	}
	defer e.reset()
	var parts []string
	for _, l := range e.lines {
		if t := strings.TrimSpace(l); t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	for _, l := range e.lines[:len(e.lines)-1] {
		if inString(l) {
			return parts
		}
	}
	return []string{strings.Join(parts, " ")}
}

func (e *entryLines) reset() { e.lines = e.lines[:0] }

// inString reports whether text ends inside a string literal ("..." with
// \" and \\ escapes), given the text before it is complete; the entry's
// lines are checked one after the other, so a string still open at the end
// of a line is seen on that line.
func inString(line string) bool {
	in := false
	for i := 0; i < len(line); i++ {
		switch {
		case in && line[i] == '\\':
			i++
		case line[i] == '"':
			in = !in
		case !in && line[i] == '[':
			// An attribute name may hold quotes: skip to its ].
			if j := strings.IndexByte(line[i:], ']'); j >= 0 {
				i += j
			}
		}
	}
	return in
}

// saveHistory writes the history file, creating its directory.
func saveHistory(ed *liner.State, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := safeio.Create(path, 0o600) // atomic: a failure keeps the old history
	if err != nil {
		return err
	}
	if _, err := ed.WriteHistory(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
