package main

import (
	"bytes"
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
func cmdSchema(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("schema", schemaUsage, stderr)
	lenient := fs.Bool("lenient", false, "repair comments, trailing commas, placeholders and unquoted keys")
	text := fs.Bool("text", false, "export: print the readable listing instead of JSON")
	write := fs.Bool("w", false, "fmt: rewrite FILE in place instead of printing")
	into := fs.String("into", "", "import: merge the listing into this schema file")
	pos, code, ok := parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return usageError(stderr, "schema", "expected a subcommand (validate, fmt, export, import) and a FILE")
	}
	sub, file := pos[0], pos[1]
	load := func(path string) (*mapping.Schema, bool) {
		in, err := openInput(path, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "attrmap schema: %v\n", err)
			return nil, false
		}
		defer in.Close()
		var opts []mapping.LoadOption
		if *lenient {
			opts = append(opts, mapping.Lenient(func(r mapping.Repair) {
				fmt.Fprintf(stderr, "%s: repaired: %s\n", path, r)
			}))
		}
		s, err := mapping.Load(in, opts...)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
			return nil, false
		}
		return s, true
	}
	switch sub {
	case "validate":
		s, ok := load(file)
		if !ok {
			return exitFailure
		}
		errs := s.Validate()
		for _, e := range errs {
			fmt.Fprintf(stdout, "%s: %s\n", file, e)
		}
		if len(errs) > 0 {
			fmt.Fprintf(stderr, "%s: %s\n", file, plural(len(errs), "problem"))
			return exitFailure
		}
		fmt.Fprintf(stdout, "%s: ok (%s)\n", file, describeSchema(s))
		return exitOK
	case "fmt", "export":
		s, ok := load(file)
		if !ok {
			return exitFailure
		}
		var out bytes.Buffer
		switch {
		case sub == "export" && *text:
			if err := s.WriteListing(&out); err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", file, err)
				return exitFailure
			}
		default:
			if sub == "export" {
				for _, e := range s.CompleteSources() {
					fmt.Fprintf(stderr, "%s: %s\n", file, e)
				}
			}
			if err := s.Save(&out); err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", file, err)
				return exitFailure
			}
		}
		if *write {
			if sub != "fmt" || file == "-" {
				return usageError(stderr, "schema", "-w needs fmt and a FILE")
			}
			if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
				fmt.Fprintf(stderr, "attrmap schema: %v\n", err)
				return exitFailure
			}
			return exitOK
		}
		stdout.Write(out.Bytes())
		return exitOK
	case "import":
		var base *mapping.Schema
		if *into != "" {
			if base, ok = load(*into); !ok {
				return exitFailure
			}
		}
		in, err := openInput(file, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "attrmap schema: %v\n", err)
			return exitFailure
		}
		defer in.Close()
		s, err := mapping.ImportListing(in, base)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", file, err)
			return exitFailure
		}
		if err := s.Save(stdout); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", file, err)
			return exitFailure
		}
		return exitOK
	}
	return usageError(stderr, "schema", "unknown subcommand %q (expected validate, fmt, export or import)", sub)
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
