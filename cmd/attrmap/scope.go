package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/attrmap/attrmap/internal/diag"
	"github.com/attrmap/attrmap/scoping"
)

const scopeUsage = `usage: attrmap scope --filter FILTER.json [-i OBJECTS] [--explain]
       attrmap scope --batch FILE

Evaluate a scoping filter (objectMapping.scope) against source objects.

FILTER.json is a Graph filter object, {"groups": [...]}, a bare array of
filter groups, or an objectMapping with a "scope" member.

OBJECTS (standard input when absent or "-") is a JSON object, a JSON array
of objects, JSON lines, or CSV with a header row. One line is printed per
object, "NAME: in scope" or "NAME: out of scope", where NAME is the object's
id, objectId or userPrincipalName, else (for CSV) its first column, else its
position (#1, #2, ...).
--explain adds why: the group that matched, or for each group the first
clause that failed. --json prints one JSON line per object instead, as
--batch does: {"id", "in_scope", "reason"}; a bad filter or input is a
line {"error": {"message", "line", "column", "hint", "code"}}.

--batch FILE (or "-") reads JSON lines {"id", "filter", "object"} and writes
one JSON line per input line, in order: {"id", "in_scope", "reason"} or
{"id", "error"}. A bad line is reported on its own output line and never
stops the batch; blank lines are skipped.

Exit status: 0 success (whoever is in or out of scope), 1 bad filter or
input or a --batch case that failed, 2 usage error, 130 interrupted.
`

// cmdScope implements "attrmap scope".
func cmdScope(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("scope", scopeUsage, stderr)
	filterPath := fs.String("filter", "", "the scoping filter `FILE` (JSON)")
	input := fs.String("i", "", "the objects `FILE`: JSON, JSON lines or CSV (default standard input)")
	fs.StringVar(input, "input", "", "same as -i")
	explain := fs.Bool("explain", false, "print why each object is in or out of scope")
	batch := fs.String("batch", "", "evaluate JSON lines {id, filter, object} from `FILE` (\"-\" for standard input)")
	asJSON := fs.Bool("json", false, "print one JSON line per object: {\"id\", \"in_scope\", \"reason\"}")
	if err := parseNoArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	switch {
	case *batch != "" && (*filterPath != "" || *input != "" || *explain || *asJSON):
		return usagef("--batch cannot be combined with --filter, -i, --explain or --json (it prints JSON already)")
	case *batch != "":
		return scopeBatch(ctx, *batch, stdin, stdout)
	case *filterPath == "":
		return usagef("missing --filter FILE (or --batch FILE)")
	case *filterPath == "-" && (*input == "" || *input == "-"):
		return usagef("--filter and the objects cannot both come from standard input")
	}

	// With --json, a bad filter or input is a JSON line too.
	fail := func(err error, code string) error {
		if !*asJSON {
			return err
		}
		writeJSONLine(stdout, scopeBatchResult{Error: errorObject(err, code)})
		return errReported
	}
	m, err := scopeLoadMatcher(*filterPath, stdin)
	if err != nil {
		return fail(err, codeFilter)
	}
	path := *input
	if path == "" {
		path = "-"
	}
	in, err := openObjects(path, stdin, nil, nil)
	if err != nil {
		return fail(err, codeInput)
	}
	defer in.Close()
	rows := in.rows
	if in.single != nil {
		one := *in.single
		rows = func(yield func(row) bool) { yield(row{n: 1, key: rowKey(1, one.keys, one.attrs), obj: one}) }
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	stop := canceller{ctx: ctx}
	for r := range rows {
		if err := stop.err(); err != nil {
			return err
		}
		if r.err != nil {
			w.Flush()
			return fail(r.err, codeInput)
		}
		obj := scoping.MapObject(r.obj.attrs)
		// A regular expression that used up its budget decides nothing:
		// it is an error on that object, never "out of scope".
		in, err := m.Match(obj)
		switch {
		case err != nil:
			w.Flush()
			return fmt.Errorf("%s: %w", r.key, err)
		case *asJSON:
			d := m.Explain(obj)
			writeJSONLine(w, scopeBatchResult{ID: marshalJSON(r.key), InScope: &d.InScope, Reason: d.Reason()})
		case *explain:
			fmt.Fprintf(w, "%s: %s\n", r.key, m.Explain(obj))
		case in:
			fmt.Fprintf(w, "%s: in scope\n", r.key)
		default:
			fmt.Fprintf(w, "%s: out of scope\n", r.key)
		}
	}
	w.Flush()
	warnIncomplete(stderr, "scope", in)
	return nil
}

// scopeLoadMatcher reads, decodes and compiles the filter file; errors name the file.
func scopeLoadMatcher(path string, stdin io.Reader) (*scoping.Matcher, error) {
	data, name, err := scopeReadInput(path, stdin)
	if err != nil {
		return nil, err
	}
	f, err := scoping.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m, err := f.Compile()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// scopeReadInput reads a file, or standard input for "" and "-", and returns the
// name to use in messages.
func scopeReadInput(path string, stdin io.Reader) ([]byte, string, error) {
	if path == "" || path == "-" {
		data, err := io.ReadAll(stdin)
		return data, "<stdin>", err
	}
	data, err := os.ReadFile(path)
	return bytes.TrimPrefix(data, []byte("\ufeff")), path, err
}

// scopeDecodeObject decodes one JSON object with json.Number, so large
// integers keep every digit.
func scopeDecodeObject(raw json.RawMessage) (scoping.MapObject, error) {
	if k := diag.JSONKind(raw); k != "object" {
		return nil, fmt.Errorf("expected a JSON object, got %s", k)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	obj := scoping.MapObject{}
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// scopeBatchLine is one input line of --batch; other members (notes,
// want_in_scope, ...) are ignored, so conformance files can be fed as is.
type scopeBatchLine struct {
	ID     json.RawMessage `json:"id"`
	Filter json.RawMessage `json:"filter"`
	Object json.RawMessage `json:"object"`
}

// scopeBatchResult is one output line of --batch.
type scopeBatchResult struct {
	ID      json.RawMessage `json:"id,omitempty"`
	InScope *bool           `json:"in_scope,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	Error   *errorJSON      `json:"error,omitempty"`
}

// scopeBatch implements --batch. Only failing to read the input is fatal.
func scopeBatch(ctx context.Context, path string, stdin io.Reader, stdout io.Writer) error {
	var in io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	r := bufio.NewReader(in)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	total, failed := 0, 0
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			res := scopeEvalBatchLine(line, n)
			total++
			if res.Error != nil {
				failed++
			}
			if err := enc.Encode(res); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			if failed > 0 {
				w.Flush()
				return fmt.Errorf("%d of %s failed", failed, plural(total, "case"))
			}
			return nil
		}
		if err != nil {
			w.Flush()
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}

// scopeEvalBatchLine evaluates one batch line; every failure becomes the result's error.
func scopeEvalBatchLine(line []byte, n int) scopeBatchResult {
	var bl scopeBatchLine
	if err := json.Unmarshal(line, &bl); err != nil {
		return scopeBatchResult{ID: json.RawMessage("null"), Error: errorObject(fmt.Errorf("line %d: %w", n, err), codeInput)}
	}
	res := scopeBatchResult{ID: bl.ID}
	if res.ID == nil {
		res.ID = json.RawMessage("null")
	}
	fail := func(code, format string, args ...any) scopeBatchResult {
		res.Error = errorObject(fmt.Errorf("line %d: "+format, append([]any{n}, args...)...), code)
		return res
	}
	if bl.Filter == nil {
		return fail(codeInput, `missing "filter" (use null for no filter)`)
	}
	if bl.Object == nil {
		return fail(codeInput, `missing "object"`)
	}
	f, err := scoping.Decode(bl.Filter)
	if err != nil {
		return fail(codeFilter, "filter: %w", err)
	}
	m, err := f.Compile()
	if err != nil {
		return fail(codeFilter, "filter: %w", err)
	}
	obj, err := scopeDecodeObject(bl.Object)
	if err != nil {
		return fail(codeInput, "object: %w", err)
	}
	d := m.Explain(obj)
	if d.Err != nil {
		return fail(codeEval, "object: %w", d.Err)
	}
	res.InScope, res.Reason = &d.InScope, d.Reason()
	return res
}
