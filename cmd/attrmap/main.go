// Command attrmap evaluates Entra ID attribute-mapping expressions, scoping
// filters and mappings from the command line. Run "attrmap help" for the
// list of commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	setMemoryLimit()
	installRenameKill() // test-only, inert unless ATTRMAP_TEST_KILL=rename
	// Ctrl-C (or SIGTERM) cancels ctx: long work stops, nothing half-done
	// is written, and the exit status is 130. A second Ctrl-C kills the
	// process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	status := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}
