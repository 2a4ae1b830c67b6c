package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

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
	positional, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	switch {
	case len(positional) > 0:
		return usagef("unexpected argument %q", positional[0])
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
	data, name, err := scopeReadInput(*input, stdin)
	if err != nil {
		return fail(err, codeInput)
	}
	objects, err := scopeParseObjects(data)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", name, err), codeInput)
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	stop := canceller{ctx: ctx}
	for _, o := range objects {
		if err := stop.err(); err != nil {
			return err
		}
		// A regular expression that used up its budget decides nothing:
		// it is an error on that object, never "out of scope".
		in, err := m.Match(o.obj)
		switch {
		case err != nil:
			w.Flush()
			return fmt.Errorf("%s: %w", o.name, err)
		case *asJSON:
			d := m.Explain(o.obj)
			writeJSONLine(w, scopeBatchResult{ID: marshalJSON(o.name), InScope: &d.InScope, Reason: d.Reason()})
		case *explain:
			fmt.Fprintf(w, "%s: %s\n", o.name, m.Explain(o.obj))
		case in:
			fmt.Fprintf(w, "%s: in scope\n", o.name)
		default:
			fmt.Fprintf(w, "%s: out of scope\n", o.name)
		}
	}
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
	return data, path, err
}

// scopeObject is one input object and the name its output line starts with.
type scopeObject struct {
	name string
	obj  scoping.MapObject
}

// scopeParseObjects detects the input format from its first significant byte:
// '[' a JSON array, '{' one or more JSON objects (a single object or JSON
// lines), anything else CSV with a header row.
func scopeParseObjects(data []byte) ([]scopeObject, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 BOM, as Excel writes
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil
	}
	switch trimmed[0] {
	case '[':
		return scopeParseJSONArray(data)
	case '{':
		return scopeParseJSONStream(data)
	}
	return scopeParseCSV(data)
}

func scopeParseJSONArray(data []byte) ([]scopeObject, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, scopeJSONError(data, err)
	}
	out := make([]scopeObject, 0, len(raws))
	for i, raw := range raws {
		obj, err := scopeDecodeObject(raw)
		if err != nil {
			return nil, fmt.Errorf("element %d: %v", i+1, err)
		}
		out = append(out, scopeObject{name: scopeObjectName(obj, "", i+1), obj: obj})
	}
	return out, nil
}

// scopeParseJSONStream reads consecutive JSON objects: one object, or JSON lines.
func scopeParseJSONStream(data []byte) ([]scopeObject, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []scopeObject
	for n := 1; ; n++ {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			at := start + 1
			var se *json.SyntaxError
			if errors.As(err, &se) {
				at = se.Offset // a Decoder counts from the start of the stream
			}
			line, col := scopeLineCol(data, at)
			return nil, fmt.Errorf("object %d: line %d, column %d: %v", n, line, col, err)
		}
		obj, err := scopeDecodeObject(raw)
		if err != nil {
			line, _ := scopeLineCol(data, start+1)
			return nil, fmt.Errorf("object %d (line %d): %v", n, line, err)
		}
		out = append(out, scopeObject{name: scopeObjectName(obj, "", n), obj: obj})
	}
}

// scopeParseCSV reads CSV with a header row; every cell is a single string value
// and an empty cell is an empty (null) attribute.
func scopeParseCSV(data []byte) ([]scopeObject, error) {
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("CSV header: %v", err)
	}
	var out []scopeObject
	for n := 1; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("CSV: %v", err)
		}
		obj := make(scoping.MapObject, len(header))
		for i, col := range header {
			obj[col] = rec[i]
		}
		out = append(out, scopeObject{name: scopeObjectName(obj, rec[0], n), obj: obj})
	}
}

// scopeDecodeObject decodes one JSON object with json.Number, so large
// integers keep every digit.
func scopeDecodeObject(raw json.RawMessage) (scoping.MapObject, error) {
	if k := scopeJSONKind(raw); k != "object" {
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

// scopeObjectName picks the label of an output line: id, then objectId, then
// userPrincipalName (as "attrmap eval" does), then the CSV first column, then
// the position.
func scopeObjectName(obj scoping.MapObject, first string, n int) string {
	for _, attr := range []string{"id", "objectId", "userPrincipalName"} {
		if vals, _ := obj.Values(attr); len(vals) > 0 && vals[0] != "" {
			return vals[0]
		}
	}
	if first != "" {
		return first
	}
	return "#" + strconv.Itoa(n)
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

// scopeJSONKind names the JSON type of raw for messages.
func scopeJSONKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// scopeJSONError adds a line and column to a JSON syntax error.
func scopeJSONError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := scopeLineCol(data, se.Offset)
		return fmt.Errorf("line %d, column %d: %v", line, col, err)
	}
	return err
}

// scopeLineCol converts a json offset (bytes consumed when the error was found)
// to the 1-based line and column of the byte at fault.
func scopeLineCol(data []byte, offset int64) (int, int) { return diag.LineCol(data, int(offset)-1) }
