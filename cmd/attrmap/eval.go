package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/attrmap/attrmap/expr"
)

const evalUsage = `usage: attrmap eval [-i FILE [--schema FILE]] [--now TIME] [--existing FILE] [--seed N] [--json] EXPRESSION
       attrmap eval -f FILE [-i FILE] [options]     (the expression from FILE, - for stdin)
       attrmap eval - [-i FILE] [options]           (the expression from stdin)
       attrmap eval --batch FILE [--now TIME] [--existing FILE] [--seed N]
       attrmap eval --parse-expression FILE [--now TIME] [--seed N]

Eval compiles EXPRESSION once and evaluates it.

--parse-expression FILE (- for stdin) answers Graph's parseExpression
action offline: FILE is its request body ({"expression", "testInputObject":
{"properties": [{"key", "value"}]}, "targetAttributeDefinition"}) and the
output is the documented response: parsingSucceeded, parsedExpression (the
attributeMappingSource tree), evaluationSucceeded, evaluationResult (a
string collection, converted to the target attribute's type: a Boolean
target gets "True" or "False") and error.

With no -i, the object is empty. With -i FILE (or -i - for stdin) holding
one JSON object (attribute -> string, number, boolean, null or array), the
result is printed for people:

	single value   as it would flow to the target, on one line
	multi-valued   one value per line (<no values> when there are none)
	null           <null>
	ignored        <ignored: attribute does not flow>
	redacted       the value itself, with a note on stderr (the CLI is a
	               test tool; logs and plans show [Redact] instead)

--json prints {"value": <string | [strings] | null>, "ignored": bool,
"redacted": bool} instead.

With -i FILE holding many objects (a CSV file with a header row, JSON lines,
or a JSON array of objects; detected from the extension .csv, .jsonl or
.ndjson, else from the content), eval prints a table with one row per
object: its key (the id, objectId or userPrincipalName column if present,
else the first column, else the row number), the output and the error, then
how many rows gave each distinct outcome. Empty CSV cells are absent
attributes. Tables are aligned in blocks of 10000 rows. --json prints one
JSON line per row instead. The exit status is 1 if any row failed.

-i also reads Graph and SCIM exports (see "Reading real exports" in the
README). --schema FILE names flattened Graph properties by the source
attributes of the schema (its "Azure Active Directory" directory), as map
and plan do; without it a built-in table names them
(onPremisesExtensionAttributes.extensionAttribute1 is [extensionAttribute1]).

--batch FILE (or - for stdin) reads JSON lines, each
{"id", "expression", "input", "now"?, "existing_values"?}, and writes one
JSON line per case in the same order: {"id", "value"}, {"id", "ignored":
true} or {"id", "error"}, with "redacted": true when so; "line" replaces
"id" when the case has none. Bad lines are reported and never stop the
batch; blank lines are skipped. The exit status is 1 when any case failed
(an error line), as when reading fails.

On a terminal, a live line on stderr shows the rows done, the rate, and
for a file the percentage and the time left; --quiet turns it off.

With -i and many rows, SelectUniqueValue is previewed across the rows as
plan gives it out: rows in the order of their keys (plan's source id order)
see the values earlier rows took, so three John Smiths get the first, second
and third candidates (the rows are held in memory for this). --independent
evaluates each row on its own.

--existing FILE lists the values that already exist in the target, for
SelectUniqueValue: one per line, or a JSON array. They are compared
ignoring case, as directory uniqueness is. Guid and RandomString are random
unless --seed is given; with --seed, one reproducible stream feeds every
evaluation in order, so output is byte-identical across runs.

Errors in the expression are shown with a caret under the problem and exit
with status 1.
`

// evalConfig is the parsed command line of eval.
type evalConfig struct {
	input, existing, batch string
	now                    time.Time
	json                   bool
	rand                   io.Reader // nil: the expr default (crypto/rand)
	exists                 func(string) bool
	quiet                  bool
}

// cmdEval implements "attrmap eval".
func cmdEval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", evalUsage, stderr)
	var cfg evalConfig
	var nowText string
	var seed int64
	fs.StringVar(&cfg.input, "i", "", "read the object(s) from `FILE` (- for stdin)")
	fs.StringVar(&nowText, "now", "", "freeze the clock at `TIME` (RFC 3339, such as 2024-07-01T09:00:00Z)")
	fs.StringVar(&cfg.existing, "existing", "", "read existing target values for SelectUniqueValue from `FILE`")
	fs.BoolVar(&cfg.json, "json", false, "print JSON instead of text")
	fs.StringVar(&cfg.batch, "batch", "", "evaluate the JSON-lines cases in `FILE` (- for stdin)")
	fs.Int64Var(&seed, "seed", 0, "make Guid and RandomString reproducible from seed `N`")
	fs.BoolVar(&cfg.quiet, "quiet", false, "do not report progress on a terminal")
	exprFile := fs.String("f", "", "read the expression from `FILE` (- for stdin); it may span lines")
	independent := fs.Bool("independent", false, "with -i, evaluate SelectUniqueValue for each row on its own, not across rows as plan does")
	parseFile := fs.String("parse-expression", "", "answer the Graph parseExpression request body in `FILE` (- for stdin), offline")
	schemaFile := fs.String("schema", "", "with -i, name Graph properties by the source attributes of the schema `FILE`, as plan and map do")
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	// --seed 0 is a valid seed, so "given" is told apart from the default
	// by visiting the flags that were set.
	seedSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			seedSet = true
		}
	})

	// Validate the combination before reading anything.
	// "attrmap eval -" reads the expression from stdin, as -f - does.
	if len(pos) == 1 && pos[0] == "-" && *exprFile == "" {
		*exprFile, pos = "-", nil
	}
	switch {
	case *parseFile != "" && (len(pos) > 0 || cfg.input != "" || cfg.batch != "" || *exprFile != ""):
		return usagef("--parse-expression takes the expression and the test object from the request body; drop -i, -f, --batch and the expression argument")
	case countStdin(cfg.input, cfg.existing, cfg.batch, *exprFile, *parseFile, *schemaFile) > 1:
		return usagef("only one of -i, -f, --existing, --batch and --schema can read stdin")
	case *schemaFile != "" && cfg.input == "":
		return usagef("--schema names the attributes of -i FILE; give -i")
	case cfg.batch != "" && cfg.input != "":
		return usagef("--batch and -i cannot be used together")
	case cfg.batch != "" && (len(pos) > 0 || *exprFile != ""):
		return usagef("--batch takes its expressions from the file, not the command line or -f")
	case *exprFile != "" && len(pos) > 0:
		return usagef("the expression comes from -f %s; drop the argument %q", *exprFile, pos[0])
	case cfg.batch == "" && *exprFile == "" && *parseFile == "" && len(pos) == 0:
		return usagef("missing expression (give it as an argument, with -f FILE, or on stdin with -)")
	case cfg.batch == "" && len(pos) > 1:
		return usagef("too many arguments; quote the expression as one argument")
	}
	if nowText != "" {
		t, err := time.Parse(time.RFC3339, nowText)
		if err != nil {
			return usagef("--now %q is not an RFC 3339 time such as 2024-07-01T09:00:00Z", nowText)
		}
		cfg.now = t
	}
	if seedSet {
		cfg.rand = seededRand(seed)
	}
	if cfg.existing != "" {
		values, err := readExisting(cfg.existing, stdin)
		if err != nil {
			return err
		}
		cfg.exists = existsIn(values)
	}

	if *parseFile != "" {
		return parseExpression(&cfg, *parseFile, stdin, stdout)
	}
	if cfg.batch != "" {
		return evalBatch(ctx, &cfg, stdin, stdout)
	}
	// Compile before reading the input: a typo in the expression is
	// reported at once, even when the input is a large file or a pipe.
	var src string
	if *exprFile != "" {
		text, err := readExprFile(*exprFile, stdin)
		if err != nil {
			return cfg.fail(stdout, err, codeInput)
		}
		src = text
	} else {
		src = pos[0]
	}
	prog, err := expr.Compile(src)
	if err != nil {
		return cfg.fail(stdout, exprFailure(err), codeCompile)
	}
	if cfg.input == "" {
		return evalOne(&cfg, prog, expr.MapEnv{}, stdout, stderr)
	}
	track := newProgress(stderr, "eval", false, cfg.quiet).track("rows", inputSize(cfg.input))
	defer track.done()
	var sources []string
	if *schemaFile != "" {
		s, err := loadSchema(*schemaFile, false, stdin, stderr)
		if err != nil {
			return cfg.fail(stdout, err, codeInput)
		}
		sources = s.SourceAttributeNames()
	}
	in, err := openObjects(cfg.input, stdin, sources, track.reader)
	if err != nil {
		return cfg.fail(stdout, err, codeInput)
	}
	defer in.Close()
	var watch attrWatch
	if in.single != nil {
		watch.see(in.single.keys)
		watch.warn(stderr, "eval", prog.Attributes(), nil)
		return evalOne(&cfg, prog, expr.NewEnv(in.single.attrs), stdout, stderr)
	}
	rows := watch.rows(in.rows)
	if !*independent && slices.Contains(prog.Functions(), "SelectUniqueValue") {
		rows = claimUnique(rows, prog, &cfg)
	}
	err = evalRows(ctx, &cfg, prog, rows, track, stdout, stderr)
	watch.warn(stderr, "eval", prog.Attributes(), nil)
	warnIncomplete(stderr, "eval", in)
	return err
}

// options returns the per-evaluation settings, with per-case overrides.
// Zero values leave the program's defaults (the real clock, crypto/rand,
// and no existing values) in place.
func (cfg *evalConfig) options(now time.Time, exists func(string) bool) expr.EvalOptions {
	o := expr.EvalOptions{Now: cfg.now, Rand: cfg.rand, Exists: cfg.exists}
	if !now.IsZero() {
		o.Now = now
	}
	if exists != nil {
		o.Exists = exists
	}
	return o
}

// readExprFile reads an expression from a file or stdin ("-"): a byte
// order mark and the line ends around it go, CRLF line ends inside become
// LF, so that positions in errors are the same on Windows.
func readExprFile(path string, stdin io.Reader) (string, error) {
	in, err := openInput(path, stdin)
	if err != nil {
		return "", err
	}
	defer in.Close()
	data, err := io.ReadAll(in)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimRight(text, "\n")
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s: no expression in it", displayPath(path))
	}
	return text, nil
}

// displayPath names a file in messages: <stdin> for "-".
func displayPath(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return path
}

// fail ends eval with err. With --json, the error is printed on stdout as
// {"error": {message, line, column, hint, code}} instead of on stderr, so
// a script reads one JSON document whatever happened.
func (cfg *evalConfig) fail(stdout io.Writer, err error, code string) error {
	if !cfg.json {
		return err
	}
	writeJSONLine(stdout, struct {
		Error *errorJSON `json:"error"`
	}{errorObject(err, code)})
	return errReported
}

// evalOne evaluates prog against one object and prints the result.
func evalOne(cfg *evalConfig, prog *expr.Program, env expr.Env, stdout, stderr io.Writer) error {
	v, err := prog.EvalWith(env, cfg.options(time.Time{}, nil))
	if err != nil {
		return cfg.fail(stdout, exprFailure(err), codeEval)
	}
	// Redaction hides values from logs; this is a test tool run by the
	// admin who owns the data, so the value is shown and only flagged.
	inner, redacted := expr.Unwrap(v)
	if cfg.json {
		writeJSONLine(stdout, struct {
			Value         any  `json:"value"`
			Ignored       bool `json:"ignored"`
			Redacted      bool `json:"redacted"`
			IgnoredObject bool `json:"ignored_object,omitempty"`
		}{expr.ToGo(inner), inner.Kind() == expr.KindIgnored, redacted, inner.Kind() == expr.KindIgnoredObject})
		return nil
	}
	switch inner.Kind() {
	case expr.KindIgnored:
		fmt.Fprintln(stdout, "<ignored: attribute does not flow>")
	case expr.KindIgnoredObject:
		fmt.Fprintln(stdout, "<ignored object: the object does not flow>")
	case expr.KindNull:
		fmt.Fprintln(stdout, "<null>")
	case expr.KindMulti:
		// One value per line reads better than a JSON array and pipes
		// into sort, grep and wc; --json gives the array.
		values := expr.Strings(inner)
		if len(values) == 0 {
			fmt.Fprintln(stdout, "<no values>")
		}
		for _, s := range values {
			fmt.Fprintln(stdout, s)
		}
	default:
		fmt.Fprintln(stdout, expr.Render(inner))
	}
	if redacted {
		fmt.Fprintln(stderr, "note: the value is redacted: it flows to the target, but logs and plans show [Redact]")
	}
	return nil
}

// outcome is the result of one evaluation, in the shape of a JSON output
// line. Value holds the JSON of the value when there is one, so that null
// is printed as null rather than omitted.
type outcome struct {
	ID       json.RawMessage `json:"id,omitempty"`
	Line     int             `json:"line,omitempty"`
	Row      int             `json:"row,omitempty"`
	Key      string          `json:"key,omitempty"`
	Value    json.RawMessage `json:"value,omitempty"`
	Ignored  bool            `json:"ignored,omitempty"`
	Redacted bool            `json:"redacted,omitempty"`
	Error    *errorJSON      `json:"error,omitempty"`
	// IgnoredObject is set for IgnoreObjectFlow: the whole object does not
	// flow.
	IgnoredObject bool `json:"ignored_object,omitempty"`

	text    string // the outcome for people, as in the table and summary
	errText string // the error for people, "" if none
}

// newOutcome converts an evaluation result.
func newOutcome(v expr.Value, err error) outcome {
	if err != nil {
		return errOutcome(err, codeEval)
	}
	inner, redacted := expr.Unwrap(v)
	o := outcome{Redacted: redacted}
	switch inner.Kind() {
	case expr.KindIgnored:
		o.Ignored, o.text = true, "(ignored)"
	case expr.KindIgnoredObject:
		o.IgnoredObject, o.text = true, "(ignored object)"
	case expr.KindNull:
		o.Value, o.text = json.RawMessage("null"), "(null)"
	default:
		o.Value = marshalJSON(expr.ToGo(inner))
		o.text = displayValue(inner)
	}
	if redacted {
		o.text += " (redacted)"
	}
	return o
}

// errOutcome reports err on one line; code is its errorJSON code.
func errOutcome(err error, code string) outcome {
	msg := err.Error()
	return outcome{Error: errorObject(err, code), errText: msg, text: "error: " + msg}
}

// at sets the line of an outcome that has no id.
func (o outcome) at(line int) outcome {
	o.Line = line
	return o
}

// displayValue renders a value for the table: strings quoted (so spaces
// and empty strings show), multi-valued ones as a bracketed list, others
// as they flow.
func displayValue(v expr.Value) string {
	switch v.Kind() {
	case expr.KindString, expr.KindMulti, expr.KindNull, expr.KindIgnored:
		return expr.Display(v)
	}
	return expr.Render(v)
}

// marshalJSON encodes v without HTML escaping, which would turn the < and
// > of expressions into \u003c and \u003e.
func marshalJSON(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only strings, slices and bools are encoded
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// writeJSONLine writes v as one line of JSON.
func writeJSONLine(w io.Writer, v any) {
	b := marshalJSON(v)
	w.Write(append(b, '\n'))
}

// seededRand returns a reproducible random stream for Guid and RandomString.
func seededRand(seed int64) io.Reader {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], uint64(seed))
	return rand.NewChaCha8(s)
}

// existsIn returns a uniqueness check over values, ignoring case.
func existsIn(values []string) func(string) bool {
	set := make(map[string]bool, len(values))
	for _, v := range values {
		set[strings.ToLower(v)] = true
	}
	return func(v string) bool { return set[strings.ToLower(v)] }
}

// readExisting reads existing target values: a JSON array of strings, or
// one value per line (blank lines skipped, spaces kept).
func readExisting(path string, stdin io.Reader) ([]string, error) {
	in, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		var values []string
		if err := json.Unmarshal(t, &values); err != nil {
			return nil, fmt.Errorf("%s: not a JSON array of strings: %v", path, err)
		}
		return values, nil
	}
	var values []string
	// Lines are kept as they are (only the CR of CRLF files goes): a value
	// with a trailing space is a different value.
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) != "" {
			values = append(values, line)
		}
	}
	return values, nil
}

// openInput opens path, or stdin for "-".
//
// A UTF-8 byte order mark at the start, as Windows editors write, is
// skipped, so every command reads such files as their editors show them.
func openInput(path string, stdin io.Reader) (io.ReadCloser, error) {
	var rc io.ReadCloser = io.NopCloser(stdin)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		rc = f
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return struct {
		io.Reader
		io.Closer
	}{br, rc}, nil
}

// object is one decoded input object. keys keeps the document order, for
// the "first column" rule of table keys.
type object struct {
	keys  []string
	attrs map[string]any
}

// decodeObject decodes one JSON object of attributes. Numbers keep their
// text (json.Number), so large integers such as AD file times stay exact.
func decodeObject(data []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	obj := object{attrs: map[string]any{}}
	tok, err := dec.Token()
	if err != nil {
		return obj, fmt.Errorf("invalid JSON: %v", err)
	}
	if tok != json.Delim('{') {
		return obj, errors.New("expected a JSON object of attributes")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return obj, fmt.Errorf("invalid JSON: %v", err)
		}
		key := tok.(string) // object keys are always strings
		var v any
		if err := dec.Decode(&v); err != nil {
			return obj, fmt.Errorf("invalid JSON: %v", err)
		}
		if err := checkAttr(key, v); err != nil {
			return obj, err
		}
		// A repeated key keeps its first position and its last value, as
		// encoding/json does for maps.
		if _, dup := obj.attrs[key]; !dup {
			obj.keys = append(obj.keys, key)
		}
		obj.attrs[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return obj, fmt.Errorf("invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return obj, errors.New("invalid JSON: text after the object")
	}
	return obj, nil
}

// checkAttr rejects values an attribute cannot have: objects, and arrays
// of arrays or objects.
func checkAttr(key string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		return fmt.Errorf("attribute %q: nested objects are not supported", key)
	case []any:
		for _, e := range v {
			switch e.(type) {
			case map[string]any, []any:
				return fmt.Errorf("attribute %q: values of a multi-valued attribute must be strings, numbers or booleans", key)
			}
		}
	}
	return nil
}

// row is one object of a multi-object input, or the error reading it.
type row struct {
	n     int // 1-based
	key   string
	obj   object
	err   error
	fatal bool // reading cannot go on after err
	// pre marks a row evaluated in advance (claimUnique), with its result.
	pre    bool
	preV   expr.Value
	preErr error
	paged  bool // the object came from a Graph or SCIM page
}

// lineReader yields the non-blank lines of a reader with their numbers.
type lineReader struct {
	br *bufio.Reader
	n  int
}

func newLineReader(br *bufio.Reader) *lineReader { return &lineReader{br: br} }

// next returns the next non-blank line, trimmed, or io.EOF.
func (lr *lineReader) next() ([]byte, int, error) {
	for {
		line, err := lr.br.ReadBytes('\n')
		if len(line) > 0 {
			lr.n++
			if t := bytes.TrimSpace(line); len(t) > 0 {
				return t, lr.n, nil
			}
		}
		if err != nil {
			return nil, lr.n, err
		}
	}
}

// keyColumns are the attributes that identify a row, in order of
// preference.
var keyColumns = []string{"id", "objectId", "userPrincipalName"}

// rowKey picks the key of a row: a key column, else the first column, else
// the row number.
func rowKey(n int, keys []string, attrs map[string]any) string {
	for _, want := range keyColumns {
		for _, k := range keys {
			if strings.EqualFold(k, want) {
				if s := expr.Render(expr.FromGo(attrs[k])); s != "" {
					return s
				}
			}
		}
	}
	if len(keys) > 0 {
		if s := expr.Render(expr.FromGo(attrs[keys[0]])); s != "" {
			return s
		}
	}
	return "#" + strconv.Itoa(n)
}

// Bounds of the table mode.
const (
	tableBlock      = 10000 // rows aligned together before the table is flushed
	maxOutcomes     = 10000 // distinct outcomes counted; the rest are "other"
	summaryOutcomes = 20    // outcomes listed in the summary
)

// evalRows evaluates prog for every row and prints a table and a summary,
// or JSON lines.
func evalRows(ctx context.Context, cfg *evalConfig, prog *expr.Program, rows iter.Seq[row], track *tracker, stdout, stderr io.Writer) error {
	counts := map[string]int{}
	other, total, failed := 0, 0, 0
	var tw *tabwriter.Writer
	if !cfg.json {
		// Most rows have no error: trim the padding tabwriter leaves
		// before the empty last cell.
		tw = tabwriter.NewWriter(&trimWriter{w: stdout}, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "KEY\tOUTPUT\tERROR")
	}
	// One set of options for every row: with --seed the random stream runs
	// on from row to row, so rows get different but reproducible values.
	opts := cfg.options(time.Time{}, nil)
	stop := canceller{ctx: ctx}
	for r := range rows {
		if err := stop.err(); err != nil {
			return err
		}
		track.add(1)
		total++
		var o outcome
		if r.err != nil {
			o = errOutcome(fmt.Errorf("bad input: %w", r.err), codeInput)
		} else {
			if r.pre {
				o = newOutcome(r.preV, r.preErr)
			} else {
				o = newOutcome(prog.EvalWith(expr.NewEnv(r.obj.attrs), opts))
			}
		}
		if o.Error != nil {
			failed++
		}
		// Unique values (a UPN per user) would grow the map with the
		// input; past maxOutcomes new outcomes are only counted.
		if _, ok := counts[o.text]; ok || len(counts) < maxOutcomes {
			counts[o.text]++
		} else {
			other++
		}
		if cfg.json {
			o.Row, o.Key = r.n, r.key
			writeJSONLine(stdout, o)
			continue
		}
		// An error row's outcome text is the error itself; show it once, in
		// the ERROR column.
		output := o.text
		if o.Error != nil {
			output = ""
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", cell(r.key), cell(output), cell(o.errText))
		// tabwriter buffers until Flush; flushing per block bounds memory
		// at the cost of realigning the columns every tableBlock rows.
		if total%tableBlock == 0 {
			tw.Flush()
		}
	}
	track.done() // before the summary, so the live line does not cut into it
	if !cfg.json {
		tw.Flush()
		printSummary(stdout, counts, other, total)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d rows failed", failed, total)
	}
	return nil
}

// trimWriter drops the spaces at the end of each line it passes on.
type trimWriter struct {
	w      io.Writer
	spaces int // spaces held back until something else follows them
}

// Write implements io.Writer.
func (t *trimWriter) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	for _, b := range p {
		switch b {
		case ' ':
			t.spaces++
			continue
		case '\n':
			t.spaces = 0
		default:
			for ; t.spaces > 0; t.spaces-- {
				out = append(out, ' ')
			}
		}
		out = append(out, b)
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// cell keeps a table cell on one line and its tabs out of the alignment.
func cell(s string) string {
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", `\t`, "\r", `\r`, "\n", `\n`).Replace(s)
	}
	return s
}

// printSummary lists the outcomes by count, most frequent first, ties by
// outcome text, so the output does not depend on map order.
func printSummary(w io.Writer, counts map[string]int, other, total int) {
	type entry struct {
		text  string
		count int
	}
	entries := make([]entry, 0, len(counts))
	for text, n := range counts {
		entries = append(entries, entry{text, n})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].count != entries[j].count {
			return entries[i].count > entries[j].count
		}
		return entries[i].text < entries[j].text
	})
	distinct := len(entries)
	fmt.Fprintf(w, "\n%s, %s:\n", plural(total, "row"), plural(distinct, "distinct outcome"))
	width := len(strconv.Itoa(max(total, 1)))
	shown := 0
	for _, e := range entries {
		if shown == summaryOutcomes {
			break
		}
		fmt.Fprintf(w, "  %*d  %s\n", width, e.count, cell(e.text))
		shown++
	}
	if rest := distinct - shown; rest > 0 {
		n := other
		for _, e := range entries[shown:] {
			n += e.count
		}
		fmt.Fprintf(w, "  %*d  (%s more)\n", width, n, plural(rest, "outcome"))
	} else if other > 0 {
		fmt.Fprintf(w, "  %*d  (other outcomes, not counted separately)\n", width, other)
	}
}

// plural formats a count with its noun.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// batchCase is one line of --batch input. Unknown fields (want, notes...)
// are ignored, so conformance files can be fed in directly.
type batchCase struct {
	ID             json.RawMessage `json:"id"`
	Expression     *string         `json:"expression"`
	Input          json.RawMessage `json:"input"`
	Now            string          `json:"now"`
	ExistingValues *[]string       `json:"existing_values"`
}

// evalBatch evaluates the JSON-lines cases of cfg.batch.
func evalBatch(ctx context.Context, cfg *evalConfig, stdin io.Reader, stdout io.Writer) error {
	in, err := openInput(cfg.batch, stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	lr := newLineReader(bufio.NewReaderSize(in, 64<<10))
	stop := canceller{ctx: ctx}
	total, failed := 0, 0
	for {
		if err := stop.err(); err != nil {
			return err
		}
		line, n, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", cfg.batch, err)
		}
		o := evalCase(cfg, line, n)
		total++
		if o.Error != nil {
			failed++
		}
		writeJSONLine(stdout, o)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %s failed", failed, plural(total, "case"))
	}
	return nil
}

// evalCase evaluates one batch line; every failure becomes an error line.
func evalCase(cfg *evalConfig, line []byte, n int) outcome {
	var c batchCase
	if err := json.Unmarshal(line, &c); err != nil {
		return errOutcome(fmt.Errorf("invalid JSON: %w", err), codeInput).at(n)
	}
	// The closure lets every failure return early while the id (or line
	// number) is still attached below, so each output line can be matched
	// with its case.
	o := func() outcome {
		if c.Expression == nil {
			return errOutcome(errors.New(`missing "expression"`), codeInput)
		}
		obj := object{attrs: map[string]any{}}
		if len(c.Input) > 0 && string(c.Input) != "null" {
			var err error
			if obj, err = decodeObject(c.Input); err != nil {
				return errOutcome(fmt.Errorf("input: %w", err), codeInput)
			}
		}
		var now time.Time
		if c.Now != "" {
			var err error
			if now, err = time.Parse(time.RFC3339, c.Now); err != nil {
				return errOutcome(fmt.Errorf("now: %q is not an RFC 3339 time", c.Now), codeInput)
			}
		}
		var exists func(string) bool
		if c.ExistingValues != nil {
			exists = existsIn(*c.ExistingValues)
		}
		// Cases are independent, so each one is compiled; a batch is a
		// test run, not a hot path.
		prog, err := expr.Compile(*c.Expression)
		if err != nil {
			return errOutcome(err, codeCompile)
		}
		return newOutcome(prog.EvalWith(expr.NewEnv(obj.attrs), cfg.options(now, exists)))
	}()
	if len(c.ID) > 0 && string(c.ID) != "null" {
		o.ID = c.ID
	} else {
		o.Line = n
	}
	return o
}

// claimUnique evaluates an expression using SelectUniqueValue across the
// rows as plan does: in the order of their keys (plan's source id order),
// each row sees the values earlier rows were given as taken, besides
// --existing, so that three John Smiths get john.smith@, then the next
// candidates. The rows are held in memory, and come out in input order.
// --independent evaluates each row on its own instead.
func claimUnique(rows iter.Seq[row], prog *expr.Program, cfg *evalConfig) iter.Seq[row] {
	return func(yield func(row) bool) {
		var all []row
		for r := range rows {
			all = append(all, r)
			if r.fatal {
				break
			}
		}
		order := make([]int, len(all))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(all[a].key, all[b].key) })
		taken := map[string]bool{}
		exists := func(v string) bool {
			return taken[strings.ToLower(v)] || cfg.exists != nil && cfg.exists(v)
		}
		opts := cfg.options(time.Time{}, exists)
		for _, i := range order {
			r := &all[i]
			if r.err != nil {
				continue
			}
			r.pre = true
			r.preV, r.preErr = prog.EvalWith(expr.NewEnv(r.obj.attrs), opts)
			if r.preErr == nil {
				if v, _ := expr.Unwrap(r.preV); v != nil && v.Kind() != expr.KindNull && v.Kind() != expr.KindIgnored && v.Kind() != expr.KindIgnoredObject {
					for _, s := range expr.Strings(v) {
						taken[strings.ToLower(s)] = true
					}
				}
			}
		}
		for _, r := range all {
			if !yield(r) {
				return
			}
		}
	}
}
