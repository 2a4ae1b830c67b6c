package repl

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/diag"
	"github.com/attrmap/attrmap/internal/lint"
)

// command is one entry of the command table.
type command struct {
	name    string
	aliases []string
	args    string // argument synopsis, for help
	summary string
	help    string
	// takesExpr marks commands whose argument is an expression, which may
	// span lines like one typed at the prompt.
	takesExpr bool
	run       func(s *Session, arg string) (string, error)
}

// commands lists the commands in the order :help shows them. It is filled
// in init because :help refers back to it.
var commands []*command

func init() {
	commands = []*command{
		{name: ":set", args: "NAME = VALUE", summary: "set an attribute of the current object", run: (*Session).cmdSet,
			help: `VALUE is a JSON literal: a string ("Zoë"), a number, true or false,
null (the attribute is present but null), or a list of strings for a
multi-valued attribute (["SMTP:a@contoso.com", "smtp:b@contoso.com"]).
Anything else is taken as text, so :set department = Sales works.
The "=" may be left out.`},
		{name: ":unset", args: "NAME...", summary: "remove attributes from the current object", run: (*Session).cmdUnset,
			help: `An absent attribute evaluates to null. ":unset *" removes them all.`},
		{name: ":load", args: "FILE [ROW|KEY]", summary: "load the current object from a JSON or CSV file", run: (*Session).cmdLoad,
			help: `FILE holds one JSON object, a JSON array of objects, JSON lines, or
CSV with a header row (empty cells are absent attributes). For many
objects, ROW picks one by number (from 1) and KEY by its id, objectId,
userPrincipalName, mail, employeeId or first column; the default is
row 1. The loaded object replaces the current one.`},
		{name: ":show", summary: "show the current object, the clock and the existing values", run: (*Session).cmdShow},
		{name: ":now", args: "[RFC3339|off]", summary: "freeze the clock for Now and the date functions", run: (*Session).cmdNow,
			help: `":now 2024-05-01T09:00:00Z" freezes the clock, ":now off" lets it run,
and ":now" alone shows it. Dates without a zone are read as UTC.`},
		{name: ":existing", args: "[VALUE...|clear]", summary: "declare values that already exist in the target, for SelectUniqueValue", run: (*Session).cmdExisting,
			help: `Values are JSON strings or bare words, and add to the list; ":existing
clear" empties it and ":existing" alone shows it. They are compared
ignoring case, as directory uniqueness is.`},
		{name: ":trace", args: "EXPR", summary: "show the value of every sub-expression as a tree", run: (*Session).cmdTrace, takesExpr: true,
			help: `Arguments a function did not need (the branch IIF did not take, the
Switch keys after the match) are marked "not evaluated".`},
		{name: ":fmt", args: "EXPR", summary: "pretty-print an expression over several lines", run: (*Session).cmdFmt, takesExpr: true,
			help: `Calls that do not fit the line are broken one argument per line. The
result compiles to the same expression.`},
		{name: ":lint", args: "[EXPR]", summary: "warn about the pitfalls the reference documents", run: (*Session).cmdLint, takesExpr: true,
			help: `The same checks as "attrmap lint", for a lone expression. With no
EXPR, lints every expression of the schema :schema loaded.`},
		{name: ":funcs", args: "[CATEGORY|PREFIX]", summary: "list the functions", run: (*Session).cmdFuncs},
		{name: ":help", args: "[NAME|:command]", summary: "show help for a function or command", run: (*Session).cmdHelp},
		{name: ":schema", args: "FILE [MAPPING]", summary: "load a synchronization schema for :map and :scope", run: (*Session).cmdSchema,
			help: `FILE holds a synchronizationSchema, a synchronizationRule or an
objectMapping. MAPPING picks the object mapping by number (from 1, in
the order listed) or by name, source or target object; the default is
the first enabled one. ":schema" alone lists the mappings.`},
		{name: ":map", summary: "show what the object mapping produces for the current object", run: (*Session).cmdMap,
			help: `Each target attribute with its value, the mapping type, and the
default value or flow rule that applied. Needs :schema.`},
		{name: ":scope", summary: "show whether the current object is in scope, and why", run: (*Session).cmdScope,
			help: `Evaluates the scoping filter of the object mapping. Needs :schema.`},
		{name: ":quit", aliases: []string{":q", ":exit"}, summary: "leave (Ctrl-D works too)"},
	}
}

// lookupCommand finds a command by name or alias.
func lookupCommand(name string) (*command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
		for _, a := range c.aliases {
			if a == name {
				return c, true
			}
		}
	}
	return nil, false
}

// commandNames returns the names of the commands, for completion and
// suggestions.
func commandNames() []string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return names
}

// command runs a line starting with ":".
func (s *Session) command(line string) (string, bool, error) {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	c, ok := lookupCommand(name)
	if !ok {
		msg := fmt.Sprintf("unknown command %s", name)
		if hint := suggest(name, commandNames()); hint != "" {
			msg += fmt.Sprintf("; did you mean %s?", hint)
		}
		return "", false, errors.New(msg + " (:help lists them)")
	}
	if c.run == nil {
		return "", true, nil // :quit
	}
	out, err := c.run(s, arg)
	return out, false, err
}

// usageError reports a command used wrongly.
func usageError(c string) error {
	cmd, _ := lookupCommand(c)
	return fmt.Errorf("usage: %s %s", cmd.name, cmd.args)
}

// parseValue reads the value of :set: a JSON literal, or else text.
func parseValue(text string) expr.Value {
	text = strings.TrimSpace(text)
	var x any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&x); err == nil && !dec.More() {
		switch x := x.(type) {
		case map[string]any:
			// Objects are not attribute values: keep the text.
		case json.Number:
			return expr.FromGo(x)
		default:
			return expr.FromGo(x)
		}
	}
	return expr.String(text)
}

// attrName strips the brackets of an attribute written as [name].
func attrName(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	return s
}

// canonical returns the name under which the object already holds name
// (ignoring case), or name itself.
func (s *Session) canonical(name string) string {
	for k := range s.attrs {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

func (s *Session) cmdSet(arg string) (string, error) {
	name, value, ok := strings.Cut(arg, "=")
	if !ok {
		name, value, ok = strings.Cut(arg, " ")
	}
	name = attrName(name)
	if !ok || name == "" || strings.ContainsAny(name, " []") {
		return "", usageError(":set")
	}
	name = s.canonical(name)
	v := parseValue(value)
	s.attrs[name] = v
	return fmt.Sprintf("%s = %s", name, Show(v)), nil
}

func (s *Session) cmdUnset(arg string) (string, error) {
	if arg == "" {
		return "", usageError(":unset")
	}
	if arg == "*" {
		n := len(s.attrs)
		s.attrs = map[string]expr.Value{}
		return fmt.Sprintf("removed %d attributes", n), nil
	}
	var done []string
	for _, f := range strings.Fields(arg) {
		name := attrName(f)
		key := s.canonical(name)
		if _, ok := s.attrs[key]; !ok {
			msg := fmt.Sprintf("the object has no attribute %s", name)
			if hint := suggest(name, s.Attributes()); hint != "" {
				msg += fmt.Sprintf("; did you mean %s?", hint)
			}
			return strings.Join(done, "\n"), errors.New(msg)
		}
		delete(s.attrs, key)
		done = append(done, "unset "+key)
	}
	return strings.Join(done, "\n"), nil
}

func (s *Session) cmdShow(arg string) (string, error) {
	if arg != "" {
		return "", usageError(":show")
	}
	var b strings.Builder
	if len(s.attrs) == 0 {
		b.WriteString("(no attributes: use :set or :load)")
	}
	names := s.Attributes()
	w := 0
	for _, n := range names {
		w = max(w, len([]rune(n)))
	}
	for i, n := range names {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%-*s = %s", w, n, Show(s.attrs[n]))
	}
	if !s.now.IsZero() {
		fmt.Fprintf(&b, "\n(clock frozen at %s)", s.now.UTC().Format(time.RFC3339))
	}
	if len(s.existing) > 0 {
		fmt.Fprintf(&b, "\n(existing values: %s)", quoteList(s.existing))
	}
	return b.String(), nil
}

// quoteList renders strings as a JSON-like list.
func quoteList(vs []string) string { return expr.Display(expr.Multi(vs)) }

// timeLayouts are the forms :now accepts, most precise first.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"}

func (s *Session) cmdNow(arg string) (string, error) {
	switch strings.ToLower(arg) {
	case "":
		if s.now.IsZero() {
			return fmt.Sprintf("clock is live (now %s)", s.clock().UTC().Format(time.RFC3339)), nil
		}
		return "clock frozen at " + s.now.UTC().Format(time.RFC3339Nano), nil
	case "off", "live":
		s.now = time.Time{}
		return "clock is live", nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, arg); err == nil {
			s.now = t
			return "clock frozen at " + t.UTC().Format(time.RFC3339Nano), nil
		}
	}
	return "", fmt.Errorf("cannot read %q as a time (expected RFC 3339, such as 2024-05-01T09:00:00Z, or off)", arg)
}

func (s *Session) cmdExisting(arg string) (string, error) {
	switch {
	case arg == "":
	case strings.EqualFold(arg, "clear"):
		s.existing = nil
		return "no existing values", nil
	default:
		vals, err := splitValues(arg)
		if err != nil {
			return "", err
		}
		s.existing = append(s.existing, vals...)
	}
	if len(s.existing) == 0 {
		return "no existing values", nil
	}
	return "existing values: " + quoteList(s.existing), nil
}

// splitValues splits the argument of :existing into JSON strings and bare
// words; a JSON list is also accepted.
func splitValues(arg string) ([]string, error) {
	if strings.HasPrefix(arg, "[") {
		var vs []string
		if err := json.Unmarshal([]byte(arg), &vs); err != nil {
			return nil, fmt.Errorf("cannot read the list: %v", err)
		}
		return vs, nil
	}
	var vs []string
	for rest := strings.TrimSpace(arg); rest != ""; rest = strings.TrimSpace(rest) {
		if rest[0] != '"' {
			word, tail, _ := strings.Cut(rest, " ")
			vs, rest = append(vs, word), tail
			continue
		}
		dec := json.NewDecoder(strings.NewReader(rest))
		var v string
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("cannot read the quoted value %s: %v", rest, err)
		}
		vs, rest = append(vs, v), rest[dec.InputOffset():]
	}
	return vs, nil
}

func (s *Session) cmdFmt(arg string) (string, error) {
	p, err := s.compile(arg)
	if err != nil {
		return "", err
	}
	return expr.Format(p.Root(), s.width), nil
}

func (s *Session) cmdLint(arg string) (string, error) {
	if strings.TrimSpace(arg) == "" {
		return s.schemaLint()
	}
	p, err := s.compile(arg)
	if err != nil {
		return "", err
	}
	return renderWarnings(lint.LintProgram(p)), nil
}

// renderWarnings lays warnings out one after the other, or says there are
// none.
func renderWarnings(ws []lint.Warning) string {
	if len(ws) == 0 {
		return "no warnings"
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Render()
	}
	return strings.Join(parts, "\n")
}

// suggest returns the candidate closest to name (ignoring case) when it is
// close enough to be a typo, or "". Ties go to the first in sorted order.
func suggest(name string, candidates []string) string { return diag.Suggest(name, candidates) }
