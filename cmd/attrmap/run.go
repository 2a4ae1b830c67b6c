package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/attrmap/attrmap/internal/diag"
	"github.com/attrmap/attrmap/internal/safeio"
)

// cmdFunc is the signature of a command: it gets the arguments after its
// name and returns nil on success or an error carrying its exit status
// (exit.go). ctx is cancelled by Ctrl-C; long work stops when it is.
type cmdFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error

// command is one entry of the command table.
type command struct {
	name    string
	summary string
	fn      cmdFunc
}

// commands lists the subcommands in the order "attrmap help" shows them.
// It is filled in init because help refers back to it.
var commands []command

func init() {
	commands = []command{
		{"eval", "evaluate an expression against one object, a file of objects, or a batch of cases", cmdEval},
		{"funcs", "list the functions, or show the documentation of one", cmdFuncs},
		{"scope", "evaluate a scoping filter against objects", cmdScope},
		{"demo", "run sample mappings on embedded sample users", cmdDemo},
		{"schema", "validate, format, export and import synchronization schemas", cmdSchema},
		{"map", "apply an object mapping to source objects", cmdMap},
		{"plan", "compute the provisioning plan between a source and a target snapshot", cmdPlan},
		{"apply", "apply a plan to a target snapshot", cmdApply},
		{"run", "provision a live SCIM app: plan, send the requests, keep state, escrow and logs", cmdRun},
		{"repl", "interactive expression shell with completion, history, :trace and :map", cmdRepl},
		{"lint", "warn about documented pitfalls in expressions and schemas", cmdLint},
		{"completion", "print a shell completion script (bash, zsh, fish, powershell)", cmdCompletion},
		{"version", "print the version, VCS revision and Go version of this build", cmdVersion},
		{"help", "show this help, or the help of a command", cmdHelp},
	}
}

// run is the whole program without a way to interrupt it; tests call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is the whole program: it dispatches args[0] to its command
// and returns the exit status. It never touches the process (no os.Exit,
// no os.Args, no signals): main passes a ctx that Ctrl-C cancels.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "-version", "--version":
		return invoke(ctx, "version", cmdVersion, args[1:], stdin, stdout, stderr)
	}
	if c, ok := lookupCommand(name); ok {
		return invoke(ctx, c.name, c.fn, args[1:], stdin, stdout, stderr)
	}
	if strings.HasPrefix(name, "-") {
		fmt.Fprintf(stderr, "attrmap: flag %s given before a command\n", name)
	} else {
		fmt.Fprintf(stderr, "attrmap: unknown command %q\n", name)
		if s := suggest(name, commandNames()); s != "" {
			fmt.Fprintf(stderr, "hint: did you mean %q?\n", s)
		}
	}
	fmt.Fprintln(stderr, "Run 'attrmap help' for usage.")
	return exitUsage
}

// invoke runs one command, prints the error it returns and gives its exit
// status.
//
// A failed write to standard output (a full disk, a closed pipe) is an
// error however the command wrote it: the first one is kept, later writes
// fail at once, and the exit status is not 0.
func invoke(ctx context.Context, name string, fn cmdFunc, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := safeio.NewWriter(stdout)
	err := fn(ctx, args, stdin, out, stderr)
	werr := out.Err()
	if werr == nil {
		return report(stderr, name, err)
	}
	if err == nil {
		return report(stderr, name, fmt.Errorf("writing standard output: %w", werr))
	}
	// The command failed too (lint exits 1 when it finds problems): both
	// are reported, and the status stays non-zero.
	status := report(stderr, name, err)
	fmt.Fprintf(stderr, "attrmap %s: writing standard output: %v\n", name, werr)
	return status
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}

// usage prints the list of commands.
func usage(w io.Writer) {
	fmt.Fprint(w, `attrmap evaluates Microsoft Entra ID attribute-mapping expressions.

Usage:

	attrmap <command> [arguments]

Commands:

`)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "\t%s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, `
Run 'attrmap help <command>' for the flags of a command.
Exit status: 0 success, 1 failure (bad expression or input, a failed row
or case, problems found, schemas that differ), 2 usage error, 130 interrupted.
`)
}

// cmdHelp implements "attrmap help [COMMAND]".
func cmdHelp(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 0:
		usage(stdout)
		return nil
	case len(args) > 1:
		fmt.Fprintln(stderr, "usage: attrmap help [command]")
		return errUsageReported
	case args[0] == "help":
		usage(stdout)
		return nil
	}
	if _, ok := lookupCommand(args[0]); !ok {
		// Reuse run's message and suggestion for unknown names.
		return &statusError{status: runContext(ctx, args, stdin, stdout, stderr)}
	}
	return &statusError{status: runContext(ctx, []string{args[0], "-h"}, stdin, stdout, stderr)}
}

// flagSet is a command's flag set with its usage text.
type flagSet struct {
	*flag.FlagSet
	usage string
}

// newFlagSet returns a flag set that prints nothing itself: parseFlags
// reports bad flags on stderr, and prints the help to stdout for -h.
func newFlagSet(name, usageText string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags reports errors itself
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, usage: usageText}
}

// printUsage writes the usage text followed by the flags.
func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprint(w, fs.usage)
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// parseNoArgs is parseFlags for a command that takes flags only: a
// positional argument is a usage error.
func parseNoArgs(fs *flagSet, args []string, stdout, stderr io.Writer) error {
	positional, err := parseFlags(fs, args, stdout, stderr)
	if err == nil && len(positional) > 0 {
		err = usagef("unexpected argument %q", positional[0])
	}
	return err
}

// parseFlags parses args, allowing flags after positional arguments (so
// "attrmap eval EXPR --json" works), and returns the positional ones. A
// "--" ends the flags. A non-nil error ends the command with it: -h
// printed the usage to stdout (errHelpShown, exit status 0), or a bad flag
// was reported on stderr (exit status 2).
func parseFlags(fs *flagSet, args []string, stdout, stderr io.Writer) (positional []string, err error) {
	if probe != nil {
		// commandFlags is asking which flags the command defines.
		fs.VisitAll(func(f *flag.Flag) { *probe = append(*probe, f) })
		return nil, errHelpShown
	}
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage(stdout)
			return nil, errHelpShown
		}
		if err != nil {
			// The flag package's output is discarded: say it the
			// attrmap way, with the flag that was probably meant.
			if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
				fmt.Fprintf(stderr, "attrmap %s: unknown flag %s\n", fs.Name(), name)
				if s := suggestFlag(fs.FlagSet, name); s != "" {
					fmt.Fprintf(stderr, "hint: did you mean %s?\n", s)
				}
			} else {
				fmt.Fprintf(stderr, "attrmap %s: %v\n", fs.Name(), err)
			}
			fmt.Fprintf(stderr, "Run 'attrmap help %s' for usage.\n", fs.Name())
			return nil, errUsageReported
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// suggestFlag returns the flag of fs closest to the mistyped name ("-jsn"
// or "--jsn"), spelled as the README does (--json, -i), or "".
func suggestFlag(fs *flag.FlagSet, name string) string {
	name = strings.TrimLeft(name, "-")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	s := suggest(name, names)
	switch {
	case s == "":
		return ""
	case len(s) == 1:
		return "-" + s
	}
	return "--" + s
}

// suggest is diag.Suggest: one "did you mean" for the whole tool.
func suggest(name string, candidates []string) string { return diag.Suggest(name, candidates) }
