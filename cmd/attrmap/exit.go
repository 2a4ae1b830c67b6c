package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/attrmap/attrmap/expr"
)

// Exit statuses: the one table the README documents under "Exit status".
// Every command ends with one of these, through the error it returns.
const (
	exitOK          = 0   // success
	exitFailure     = 1   // bad expression or input, a failed row or case, problems found, schemas differ
	exitUsage       = 2   // the command line is wrong
	exitInterrupted = 130 // stopped by Ctrl-C (SIGINT) or SIGTERM, 128+2 as shells report
)

// statusError is what a command returns to end with a given exit status.
// A nil error is exitOK, any other error exitFailure unless it is (or
// wraps) a statusError saying otherwise; context.Canceled is
// exitInterrupted.
type statusError struct {
	status int
	err    error // nil when the command has printed its diagnostics itself
	// bare prints err as it is, not after "attrmap CMD: " (messages that
	// start with the file they are about, expression errors with a caret).
	bare bool
	// usage adds "Run 'attrmap help CMD' for usage." after the message.
	usage bool
}

func (e *statusError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.status)
	}
	return e.err.Error()
}

func (e *statusError) Unwrap() error { return e.err }

// Errors that end a command without a message of their own.
var (
	// errReported: the command printed what went wrong (a list of
	// problems, failed rows) and fails.
	errReported error = &statusError{status: exitFailure}
	// errUsageReported: the flag package printed a bad flag; the command
	// line is wrong.
	errUsageReported error = &statusError{status: exitUsage}
	// errHelpShown: -h printed the usage; the command succeeded.
	errHelpShown error = &statusError{status: exitOK}
)

// usagef reports a wrong command line: exit status 2, with the hint to
// ask for help.
func usagef(format string, args ...any) error {
	return &statusError{status: exitUsage, err: fmt.Errorf(format, args...), usage: true}
}

// inFile reports a failure about a file: "FILE: message", exit status 1.
func inFile(path string, err error) error {
	return &statusError{status: exitFailure, err: fmt.Errorf("%s: %w", path, err), bare: true}
}

// exprFailure reports an expression error with its source line and caret
// (or err itself when it is no *expr.Error), exit status 1.
func exprFailure(err error) error {
	if e, ok := expr.AsError(err); ok {
		return &statusError{status: exitFailure, err: renderedError{e}, bare: true}
	}
	return &statusError{status: exitFailure, err: err, bare: true}
}

// renderedError prints an *expr.Error for people, with its caret and hint.
type renderedError struct{ e *expr.Error }

func (r renderedError) Error() string { return r.e.Render() }
func (r renderedError) Unwrap() error { return r.e }

// exitStatus returns the exit status err stands for.
func exitStatus(err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	var se *statusError
	if errors.As(err, &se) {
		return se.status
	}
	return exitFailure
}

// report prints err, as command name would, on w and returns its exit
// status.
func report(w io.Writer, name string, err error) int {
	status := exitStatus(err)
	if err == nil {
		return status
	}
	if status == exitInterrupted {
		fmt.Fprintf(w, "attrmap %s: interrupted\n", name)
		return status
	}
	var se *statusError
	if !errors.As(err, &se) {
		fmt.Fprintf(w, "attrmap %s: %v\n", name, err)
		return status
	}
	switch {
	case se.err == nil:
		// Printed by the command.
	case se.bare:
		fmt.Fprintln(w, se.err)
	default:
		fmt.Fprintf(w, "attrmap %s: %v\n", name, se.err)
	}
	if se.usage {
		fmt.Fprintf(w, "Run 'attrmap help %s' for usage.\n", name)
	}
	return status
}

// interruptible runs f in a goroutine and returns what it returns, or
// ctx's error as soon as ctx is cancelled. The command then ends at once;
// f must not write output, so nothing half-done is printed.
func interruptible(ctx context.Context, f func() error) error {
	if ctx.Done() == nil {
		return f()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		// Both may be ready at once; an interruption wins.
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// canceller checks ctx every checkEvery calls of err, so loops over
// millions of rows stop soon after Ctrl-C at no measurable cost.
type canceller struct {
	ctx context.Context
	n   int
}

const checkEvery = 256

func (c *canceller) err() error {
	c.n++
	if c.n%checkEvery != 0 {
		return nil
	}
	return c.ctx.Err()
}
