package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/attrmap/attrmap/internal/safeio"
	"github.com/attrmap/attrmap/mapping"
)

const schemaUsage = `Usage:

	attrmap schema validate FILE...
	                               report every problem, with its JSON path
	attrmap schema fmt FILE        print the canonical JSON (-w rewrites FILE)
	attrmap schema export FILE     print Graph-ready JSON: sources written as
	                               {"expression": ...} get their source tree
	attrmap schema export FILE --text
	                               print the readable listing, one line per
	                               mapping: target <- expression | markers
	attrmap schema import LISTING  turn a listing back into JSON; with
	                               --into FILE, merge it into that schema
	attrmap schema diff OLD NEW    print what changed between two schemas

FILE is a synchronizationSchema as Microsoft Graph exports it, or a bare
synchronizationRule or objectMapping; "-" reads stdin. Invalid JSON is
reported with its line and column; --lenient repairs comments, trailing
commas, "..." placeholders and unquoted keys, and says what it repaired.

validate --json prints {"version": 1, "files": [{"file", "ok", "form",
"rules", "objectMappings", "attributeMappings", "repairs", "problems"}]},
each problem {"message", "line", "column", "hint", "code", "path"}.

diff compares semantically: rules, object mappings and attribute mappings
are matched by name (target attribute for attribute mappings), expressions
in their canonical form, scoping clauses as sets; order and spacing are no
change. --json prints {"version": 1, "old", "new", "changes": [{"op",
"rule", "object", "attribute", "group", "field", "old", "new"}]}.

Exit status: 0 success (diff: the schemas are the same), 1 problems found
or a file that cannot be read (diff: the schemas differ), 2 usage error
(diff: also a file that cannot be read or decoded, as diff(1) does, so 1
always means "they differ").
`

// cmdSchema implements "attrmap schema".
func cmdSchema(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("schema", schemaUsage, stderr)
	lenient := fs.Bool("lenient", false, "repair comments, trailing commas, placeholders and unquoted keys")
	text := fs.Bool("text", false, "export: print the readable listing instead of JSON")
	write := fs.Bool("w", false, "fmt: rewrite FILE in place instead of printing")
	into := fs.String("into", "", "import: merge the listing into this schema file")
	asJSON := fs.Bool("json", false, "validate, diff: print JSON")
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	subs := []string{"validate", "fmt", "export", "import", "diff"}
	if len(pos) == 0 {
		return usagef("expected a subcommand (validate, fmt, export, import, diff) and a FILE")
	}
	sub, files := pos[0], pos[1:]
	if !slices.Contains(subs, sub) {
		if s := suggest(sub, subs); s != "" {
			return usagef("unknown subcommand %q; did you mean %q?", sub, s)
		}
		return usagef("unknown subcommand %q (expected validate, fmt, export, import or diff)", sub)
	}
	switch {
	case sub == "validate" && len(files) == 0:
		return usagef("validate needs at least one FILE")
	case sub == "diff" && len(files) != 2:
		return usagef("diff needs two files, OLD and NEW (got %d)", len(files))
	case sub != "validate" && sub != "diff" && len(files) != 1:
		return usagef("%s takes one FILE (got %d)", sub, len(files))
	case *asJSON && sub != "validate" && sub != "diff":
		return usagef("--json is for validate and diff")
	case countStdin(files...) > 1:
		return usagef("only one FILE can be standard input")
	}
	load := func(path string) (*mapping.Schema, error) { return loadSchema(path, *lenient, stdin, stderr) }
	switch sub {
	case "validate":
		if *asJSON {
			return validateJSON(files, *lenient, stdin, stdout)
		}
		return validateText(files, load, stdout, stderr)
	case "diff":
		return schemaDiff(files[0], files[1], *lenient, *asJSON, stdin, stdout, stderr)
	case "fmt", "export":
		file := files[0]
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
			return safeio.WriteFile(file, out.Bytes(), 0o644) // atomic
		}
		stdout.Write(out.Bytes())
		return nil
	default: // import
		file := files[0]
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
}

// validateText validates each file, printing its problems or "ok"; a file
// that cannot be read does not stop the others.
func validateText(files []string, load func(string) (*mapping.Schema, error), stdout, stderr io.Writer) error {
	failed := 0
	for _, file := range files {
		s, err := load(file)
		if err != nil {
			report(stderr, "schema", err)
			failed++
			continue
		}
		errs := s.Validate()
		for _, e := range errs {
			fmt.Fprintf(stdout, "%s: %s\n", file, e)
		}
		if len(errs) > 0 {
			fmt.Fprintf(stderr, "%s: %s\n", file, plural(len(errs), "problem"))
			failed++
			continue
		}
		fmt.Fprintf(stdout, "%s: ok (%s)\n", file, describeSchema(s))
	}
	if failed > 0 {
		if len(files) > 1 {
			return fmt.Errorf("%d of %s failed", failed, plural(len(files), "file"))
		}
		return errReported
	}
	return nil
}

// validateFile is one file of validate --json.
type validateFile struct {
	File              string       `json:"file"`
	OK                bool         `json:"ok"`
	Form              string       `json:"form,omitempty"`
	Rules             int          `json:"rules"`
	ObjectMappings    int          `json:"objectMappings"`
	AttributeMappings int          `json:"attributeMappings"`
	Repairs           []*errorJSON `json:"repairs"`
	Problems          []*errorJSON `json:"problems"`
}

// validateJSON is validate --json: one document for all the files.
func validateJSON(files []string, lenient bool, stdin io.Reader, stdout io.Writer) error {
	out := struct {
		Version int            `json:"version"`
		Files   []validateFile `json:"files"`
	}{Version: jsonVersion, Files: []validateFile{}}
	failed := false
	for _, file := range files {
		vf := validateFile{File: file, Repairs: []*errorJSON{}, Problems: []*errorJSON{}}
		var opts []mapping.LoadOption
		if lenient {
			opts = append(opts, mapping.Lenient(func(r mapping.Repair) {
				vf.Repairs = append(vf.Repairs, &errorJSON{Message: r.Msg, Line: r.Line, Column: r.Col, Code: "repaired"})
			}))
		}
		s, err := func() (*mapping.Schema, error) {
			in, err := openInput(file, stdin)
			if err != nil {
				return nil, err
			}
			defer in.Close()
			return mapping.Load(in, opts...)
		}()
		if err != nil {
			vf.Problems = append(vf.Problems, errorObject(err, codeInput))
		} else {
			vf.Form = s.Form.String()
			vf.Rules, vf.ObjectMappings, vf.AttributeMappings = schemaCounts(s)
			for _, e := range s.Validate() {
				vf.Problems = append(vf.Problems, errorObject(e, codeSchema))
			}
		}
		vf.OK = len(vf.Problems) == 0
		failed = failed || !vf.OK
		out.Files = append(out.Files, vf)
	}
	data, _ := json.MarshalIndent(out, "", "  ")
	stdout.Write(append(data, '\n'))
	if failed {
		return errReported
	}
	return nil
}

// describeSchema summarises a valid schema for "validate".
func describeSchema(s *mapping.Schema) string {
	rules, mappings, attrs := schemaCounts(s)
	return fmt.Sprintf("%s, %s, %s, %s", s.Form, plural(rules, "rule"), plural(mappings, "object mapping"), plural(attrs, "attribute mapping"))
}

// schemaCounts counts the rules, object mappings and attribute mappings.
func schemaCounts(s *mapping.Schema) (rules, mappings, attrs int) {
	for _, r := range s.SynchronizationRules {
		mappings += len(r.ObjectMappings)
		for _, m := range r.ObjectMappings {
			attrs += len(m.AttributeMappings)
		}
	}
	return len(s.SynchronizationRules), mappings, attrs
}
