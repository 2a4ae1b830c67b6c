package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/attrmap/attrmap/internal/safeio"
	"github.com/attrmap/attrmap/sync/provision"
)

const applyUsage = `usage: attrmap apply --plan PLAN.json --target FILE [-o FILE] [--target-id ATTRIBUTE]

Apply carries out a plan (written by "attrmap plan --json") on a target
snapshot, as the target directory would, and writes the resulting snapshot
as a JSON array sorted by id: creates add objects under the id the plan
gave them, updates and disables write their changes, deletes remove
objects. Held and skipped operations are not applied. Planning again with
the result and the plan's new state (--out-state) gives an empty plan.
Values keep their JSON type: what the plan writes has the type the plan
gives it (a Boolean attribute true or false, an Integer a number), and
every other value stays as it was read (true stays true, "True" a string).

A redacted value is not in the plan's JSON, so it cannot be written; apply
says so on standard error. Problems never stop the other operations.

Exit status: 0 applied, 1 bad input or some operation could not be
applied, 2 usage error.
`

// cmdApply implements "attrmap apply".
func cmdApply(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("apply", applyUsage, stderr)
	planPath := fs.String("plan", "", "the plan `FILE` (JSON, \"-\" for standard input)")
	targetPath := fs.String("target", "", "the target snapshot `FILE` (\"-\" for standard input)")
	out := fs.String("o", "", "write the result to `FILE` instead of standard output")
	targetID := fs.String("target-id", "", "the target id `ATTRIBUTE` (default id, else objectId)")
	if err := parseNoArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	switch {
	case *planPath == "":
		return usagef("missing --plan FILE")
	case *targetPath == "":
		return usagef("missing --target FILE")
	case *planPath == "-" && *targetPath == "-":
		return usagef("--plan and --target cannot both come from standard input")
	}
	data, err := readPlanInput(*planPath, stdin)
	if err != nil {
		return err
	}
	var plan provision.Plan
	if err := plan.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("%s: %w", *planPath, err)
	}
	target, err := readSnapshot(*targetPath, *targetID, stdin, &progress{})
	if err != nil {
		return err
	}
	result, applyErr := provision.Apply(target, &plan)
	var problems *provision.ApplyError
	if applyErr != nil && !errors.As(applyErr, &problems) {
		return applyErr
	}
	w := stdout
	var file *safeio.File
	if *out != "" {
		// Atomic: the target file (often the input, in place) is replaced
		// only once the whole result is on disk.
		if file, err = safeio.Create(*out, 0o644); err != nil {
			return err
		}
		defer file.Abort()
		w = file
	}
	bw := bufio.NewWriter(w)
	err = result.WriteJSON(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && file != nil {
		err = file.Commit()
	}
	if err != nil {
		return err
	}
	if problems != nil {
		for _, p := range problems.Problems {
			fmt.Fprintf(stderr, "attrmap apply: %s\n", p)
		}
		return errReported
	}
	return nil
}
