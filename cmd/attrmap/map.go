package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

const mapUsage = `Usage:

	attrmap map --schema FILE [--rule NAME] [--object NAME] [-i OBJECTS]

Applies an object mapping to source objects and prints, for each object in
scope, the target attribute set the provisioning service would compute: one
JSON object per line (attributes sorted by name), or with --table an aligned
table. Objects out of scope are reported on stderr and skipped, unless --all.

OBJECTS (default stdin) holds one JSON object, a JSON array of objects, JSON
lines, or CSV with a header row. --rule names a synchronization rule (by name
or id) or an object mapping; --object picks the object mapping of a rule with
several. Without --on-create the objects are updated, so mappings applied
only on creation (ObjectAddOnly) and default values do not flow.

Redacted values print as [Redact] unless --reveal.
`

// cmdMap implements "attrmap map".
func cmdMap(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("map", mapUsage, stderr)
	schemaFile := fs.String("schema", "", "the schema `FILE` (a synchronizationSchema, rule or objectMapping)")
	rule := fs.String("rule", "", "the synchronization rule or object mapping `NAME`")
	object := fs.String("object", "", "the object mapping `NAME` within the rule")
	input := fs.String("i", "-", "the source `OBJECTS` file; - for stdin")
	table := fs.Bool("table", false, "print a table instead of JSON lines")
	onCreate := fs.Bool("on-create", false, "apply as on object creation: ObjectAddOnly mappings and defaults flow")
	all := fs.Bool("all", false, "apply to objects out of scope too")
	explain := fs.Bool("explain", false, "print what happened to every attribute mapping")
	reveal := fs.Bool("reveal", false, "print redacted values instead of [Redact]")
	lenient := fs.Bool("lenient", false, "repair the schema's comments, trailing commas and placeholders")
	nowFlag := fs.String("now", "", "freeze the clock at this RFC 3339 `TIME`")
	quiet := fs.Bool("quiet", false, "do not report progress on a terminal")
	asJSON := fs.Bool("json", false, "print one JSON report per object: attributes, explanation and errors")
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *schemaFile == "" {
		return usagef("--schema is required")
	}
	if *asJSON && (*table || *explain) {
		return usagef("--json cannot be combined with --table or --explain (it holds the explanation)")
	}
	var now time.Time
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usagef("--now: %v", err)
		}
		now = t
	}

	cm, err := compileSchema(*schemaFile, *rule, *object, *lenient, stdin, stderr)
	if err != nil {
		return err
	}
	track := newProgress(stderr, "map", false, *quiet).track("objects", inputSize(*input))
	defer track.done()
	// The schema's source attributes name Graph properties, as plan's do.
	in, err := openObjects(*input, stdin, cm.SourceAttributeNames(), track.reader)
	if err != nil {
		return err
	}
	defer in.Close()
	rows := in.rows
	if in.single != nil {
		one := *in.single
		rows = func(yield func(row) bool) { yield(row{n: 1, key: rowKey(1, one.keys, one.attrs), obj: one}) }
	}
	var watch attrWatch
	err = mapRows(ctx, track, cm, watch.rows(rows), mapping.ApplyOptions{OnCreate: *onCreate, Now: now}, mapOutput{table: *table, all: *all, explain: *explain, reveal: *reveal, json: *asJSON}, stdout, stderr)
	var wanted []string
	for _, a := range cm.Attributes() {
		if a.Program != nil {
			wanted = append(wanted, a.Program.Attributes()...)
		}
	}
	// The attributes VirtualEnv supplies are never missing.
	virtual := func(name string) bool { _, ok := mapping.VirtualEnv(expr.MapEnv{}).Lookup(name); return ok }
	watch.warn(stderr, "map", wanted, virtual)
	warnIncomplete(stderr, "map", in)
	return err
}

// compileSchema loads the schema at path (or standard input) and compiles
// the chosen object mapping; map and plan share it.
func compileSchema(path, rule, object string, lenient bool, stdin io.Reader, stderr io.Writer) (*mapping.CompiledObjectMapping, error) {
	s, err := loadSchema(path, lenient, stdin, stderr)
	if err != nil {
		return nil, err
	}
	warnTextTree(stderr, path, s)
	cm, err := s.Compile(rule, object)
	if err != nil {
		return nil, schemaError(path, err)
	}
	return cm, nil
}

// compileRules is compileSchema for plan: every enabled object mapping of
// the rule (users and groups), or the one object names.
func compileRules(path, rule, object string, lenient bool, stdin io.Reader, stderr io.Writer) ([]*mapping.CompiledObjectMapping, error) {
	if object != "" {
		cm, err := compileSchema(path, rule, object, lenient, stdin, stderr)
		return []*mapping.CompiledObjectMapping{cm}, err
	}
	s, err := loadSchema(path, lenient, stdin, stderr)
	if err != nil {
		return nil, err
	}
	warnTextTree(stderr, path, s)
	rules, err := s.CompileRule(rule)
	if err != nil {
		return nil, schemaError(path, err)
	}
	return rules, nil
}

// loadSchema reads a schema file ("-" for standard input); with lenient,
// repairs are listed on stderr.
func loadSchema(path string, lenient bool, stdin io.Reader, stderr io.Writer) (*mapping.Schema, error) {
	in, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var opts []mapping.LoadOption
	if lenient {
		opts = append(opts, mapping.Lenient(func(r mapping.Repair) { fmt.Fprintf(stderr, "%s: repaired: %s\n", path, r) }))
	}
	s, err := mapping.Load(in, opts...)
	if err != nil {
		return nil, inFile(path, err)
	}
	return s, nil
}

// warnTextTree warns about attribute mappings whose expression text does
// not compile or disagrees with the tree: the commands use the tree, as
// the service does, and the text is what people read.
func warnTextTree(stderr io.Writer, path string, s *mapping.Schema) {
	for i := range s.SynchronizationRules {
		r := &s.SynchronizationRules[i]
		for j := range r.ObjectMappings {
			m := &r.ObjectMappings[j]
			for k := range m.AttributeMappings {
				a := &m.AttributeMappings[k]
				if a.Source == nil {
					continue
				}
				if err := a.Source.Check(); err != nil {
					fmt.Fprintf(stderr, "%s: warning: %s -> %s: %v\n", displayPath(path), m.TargetObjectName, a.TargetAttributeName, err)
				}
			}
		}
	}
}

// schemaError reports the problems of a schema, one line each, every line
// starting with the file.
func schemaError(path string, err error) error {
	if list, ok := err.(mapping.ErrorList); ok {
		lines := make([]string, len(list))
		for i, e := range list {
			lines[i] = fmt.Sprintf("%s: %s", path, e)
		}
		return &statusError{status: exitFailure, err: errors.New(strings.Join(lines, "\n")), bare: true}
	}
	switch {
	case errors.Is(err, mapping.ErrChooseRule):
		err = fmt.Errorf("%w\nhint: name one with --rule NAME", err)
	case errors.Is(err, mapping.ErrChooseObject):
		err = fmt.Errorf("%w\nhint: name one with --object NAME", err)
	}
	return inFile(path, err)
}

type mapOutput struct {
	table, all, explain, reveal, json bool
}

// mapReport is one line of map --json.
type mapReport struct {
	Row        int              `json:"row"`
	Key        string           `json:"key"`
	InScope    bool             `json:"in_scope"`
	Reason     string           `json:"reason,omitempty"`
	Attributes json.RawMessage  `json:"attributes"`
	Explain    []mapExplainJSON `json:"explain"`
	Errors     []*errorJSON     `json:"errors"`
}

// mapExplainJSON is what happened to one attribute mapping.
type mapExplainJSON struct {
	Target     string `json:"target"`
	Type       string `json:"type"`
	Expression string `json:"expression"`
	Outcome    string `json:"outcome"`
	Value      any    `json:"value"`
	Redacted   bool   `json:"redacted,omitempty"`
	Default    bool   `json:"default,omitempty"`
}

// writeMapReport writes the --json line of one object.
func writeMapReport(w io.Writer, r mapReport, t mapping.Target, applyErr error, reveal bool) {
	var b bytes.Buffer
	writeTargetJSON(&b, t, reveal)
	r.Attributes = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	r.Explain, r.Errors = []mapExplainJSON{}, []*errorJSON{}
	for _, ex := range t.Explain {
		e := mapExplainJSON{Target: ex.Target, Type: ex.Type.String(), Expression: ex.Expression, Outcome: ex.Outcome.String(), Redacted: ex.Redacted, Default: ex.DefaultUsed}
		if ex.Value != nil {
			e.Value = expr.ToGo(ex.Value)
			if ex.Redacted && !reveal {
				e.Value = "[Redact]"
			}
		}
		r.Explain = append(r.Explain, e)
	}
	if list, ok := applyErr.(mapping.ApplyErrors); ok {
		for _, e := range list {
			o := errorObject(e.Err, codeEval)
			o.Path = e.Target
			r.Errors = append(r.Errors, o)
		}
	}
	writeJSONLine(w, r)
}

// mapRows applies cm to every row and prints the results.
func mapRows(ctx context.Context, track *tracker, cm *mapping.CompiledObjectMapping, rows iter.Seq[row], opts mapping.ApplyOptions, out mapOutput, stdout, stderr io.Writer) error {
	var tw *tabwriter.Writer
	if out.table {
		tw = tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "OBJECT\tATTRIBUTE\tVALUE")
	}
	failed := false
	stop := canceller{ctx: ctx}
	for r := range rows {
		if err := stop.err(); err != nil {
			return err
		}
		track.add(1)
		label := fmt.Sprintf("#%d (%s)", r.n, r.key)
		if r.err != nil && out.json {
			writeJSONLine(stdout, mapReport{Row: r.n, Key: r.key, Attributes: json.RawMessage("null"), Explain: []mapExplainJSON{}, Errors: []*errorJSON{errorObject(r.err, codeInput)}})
			failed = true
			continue
		}
		if r.err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", label, r.err)
			failed = true
			continue
		}
		// The service's computed attributes (IsSoftDeleted) are supplied,
		// as the planner supplies them.
		env := mapping.VirtualEnv(expr.NewEnv(r.obj.attrs))
		in := true
		if !out.all {
			var err error
			if in, err = cm.MatchScope(env); err != nil {
				// A scoping regular expression that used up its budget
				// decides nothing: an error on this object.
				failed = true
				if out.json {
					writeJSONLine(stdout, mapReport{Row: r.n, Key: r.key, Attributes: json.RawMessage("null"), Explain: []mapExplainJSON{}, Errors: []*errorJSON{errorObject(err, codeEval)}})
					continue
				}
				fmt.Fprintf(stderr, "%s: %v\n", label, err)
				continue
			}
		}
		if !in {
			if out.json {
				writeJSONLine(stdout, mapReport{Row: r.n, Key: r.key, Reason: cm.Scope(env).Reason(), Attributes: json.RawMessage("null"), Explain: []mapExplainJSON{}, Errors: []*errorJSON{}})
				continue
			}
			fmt.Fprintf(stderr, "%s: %s\n", label, cm.Scope(env))
			continue
		}
		t, err := cm.Apply(env, opts)
		if out.json {
			if err != nil {
				failed = true
			}
			writeMapReport(stdout, mapReport{Row: r.n, Key: r.key, InScope: true}, t, err, out.reveal)
			continue
		}
		if err != nil {
			for _, e := range err.(mapping.ApplyErrors) {
				fmt.Fprintf(stderr, "%s: %s: %v\n", label, e.Target, e.Err)
			}
			failed = true
		}
		switch {
		case out.explain:
			fmt.Fprintf(stdout, "%s\n", label)
			for _, ex := range t.Explain {
				if out.reveal && ex.Redacted {
					ex.Redacted = false
				}
				fmt.Fprintf(stdout, "  %s\n", ex)
			}
		case out.table:
			key := r.key
			for _, a := range t.Attrs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", key, a.Name, mapDisplay(a, out.reveal))
				key = ""
			}
			if len(t.Attrs) == 0 {
				fmt.Fprintf(tw, "%s\t\t(nothing flows)\n", key)
			}
		default:
			writeTargetJSON(stdout, t, out.reveal)
		}
	}
	if tw != nil {
		tw.Flush()
	}
	if failed {
		return errReported
	}
	return nil
}

func mapDisplay(a mapping.TargetAttribute, reveal bool) string {
	if reveal {
		a.Redacted = false
	}
	return a.Display()
}

// writeTargetJSON writes the target attribute set as one JSON object with
// the attributes in Target order (sorted by name).
func writeTargetJSON(w io.Writer, t mapping.Target, reveal bool) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, a := range t.Attrs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonNoEscape(a.Name))
		b.WriteByte(':')
		var v any = expr.ToGo(a.Value)
		if a.Redacted && !reveal {
			v = "[Redact]"
		}
		b.Write(jsonNoEscape(v))
	}
	b.WriteString("}\n")
	w.Write(b.Bytes())
}

func jsonNoEscape(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return []byte(strings.TrimRight(b.String(), "\n"))
}
