package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/attrmap/attrmap/mapping"
)

const schemaUsage = `Usage:

	attrmap schema validate FILE   report every problem, with its JSON path
	attrmap schema fmt FILE        print the canonical JSON (-w rewrites FILE)
	attrmap schema export FILE     print Graph-ready JSON: sources written as
	                               {"expression": ...} get their source tree
	attrmap schema export FILE --text
	                               print the readable listing, one line per
	                               mapping: target <- expression | markers
	attrmap schema import LISTING  turn a listing back into JSON; with
	                               --into FILE, merge it into that schema

FILE is a synchronizationSchema as Microsoft Graph exports it, or a bare
synchronizationRule or objectMapping; "-" reads stdin. Invalid JSON is
reported with its line and column; --lenient repairs comments, trailing
commas, "..." placeholders and unquoted keys, and says what it repaired.
`

// cmdSchema implements "attrmap schema".
func cmdSchema(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("schema", schemaUsage, stderr)
	lenient := fs.Bool("lenient", false, "repair comments, trailing commas, placeholders and unquoted keys")
	text := fs.Bool("text", false, "export: print the readable listing instead of JSON")
	write := fs.Bool("w", false, "fmt: rewrite FILE in place instead of printing")
	into := fs.String("into", "", "import: merge the listing into this schema file")
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("expected a subcommand (validate, fmt, export, import) and a FILE")
	}
	sub, file := pos[0], pos[1]
	load := func(path string) (*mapping.Schema, error) { return loadSchema(path, *lenient, stdin, stderr) }
	switch sub {
	case "validate":
		s, err := load(file)
		if err != nil {
			return err
		}
		errs := s.Validate()
		for _, e := range errs {
			fmt.Fprintf(stdout, "%s: %s\n", file, e)
		}
		if len(errs) > 0 {
			return inFile(file, errors.New(plural(len(errs), "problem")))
		}
		fmt.Fprintf(stdout, "%s: ok (%s)\n", file, describeSchema(s))
		return nil
	case "fmt", "export":
		s, err := load(file)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		switch {
		case sub == "export" && *text:
			if err := s.WriteListing(&out); err != nil {
				return inFile(file, err)
			}
		default:
			if sub == "export" {
				for _, e := range s.CompleteSources() {
					fmt.Fprintf(stderr, "%s: %s\n", file, e)
				}
			}
			if err := s.Save(&out); err != nil {
				return inFile(file, err)
			}
		}
		if *write {
			if sub != "fmt" || file == "-" {
				return usagef("-w needs fmt and a FILE")
			}
			return os.WriteFile(file, out.Bytes(), 0o644)
		}
		stdout.Write(out.Bytes())
		return nil
	case "import":
		var base *mapping.Schema
		if *into != "" {
			if base, err = load(*into); err != nil {
				return err
			}
		}
		in, err := openInput(file, stdin)
		if err != nil {
			return err
		}
		defer in.Close()
		s, err := mapping.ImportListing(in, base)
		if err != nil {
			return inFile(file, err)
		}
		if err := s.Save(stdout); err != nil {
			return inFile(file, err)
		}
		return nil
	}
	return usagef("unknown subcommand %q (expected validate, fmt, export or import)", sub)
}

// describeSchema summarises a valid schema for "validate".
func describeSchema(s *mapping.Schema) string {
	mappings, attrs := 0, 0
	for _, r := range s.SynchronizationRules {
		mappings += len(r.ObjectMappings)
		for _, m := range r.ObjectMappings {
			attrs += len(m.AttributeMappings)
		}
	}
	return fmt.Sprintf("%s, %s, %s, %s", s.Form, plural(len(s.SynchronizationRules), "rule"), plural(mappings, "object mapping"), plural(attrs, "attribute mapping"))
}
