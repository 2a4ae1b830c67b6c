package repl

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/attrmap/attrmap/internal/lint"
	"github.com/attrmap/attrmap/mapping"
)

// errNoSchema is returned by :map and :scope before :schema.
var errNoSchema = errors.New("no schema loaded (use :schema FILE)")

// maxExprText bounds the expression column of :map.
const maxExprText = 56

func (s *Session) cmdSchema(arg string) (string, error) {
	fields := strings.Fields(arg)
	if len(fields) == 0 {
		if s.schema == nil {
			return "", errNoSchema
		}
		return s.listMappings(), nil
	}
	name, sel := fields[0], strings.TrimSpace(strings.TrimPrefix(arg, fields[0]))
	data, err := s.readFile(name)
	if err != nil {
		return "", err
	}
	sch, err := mapping.Decode(data)
	if err != nil {
		return "", fmt.Errorf("%s: %v", name, err)
	}
	rule, obj, err := selectMapping(sch, sel)
	if err != nil {
		return "", err
	}
	s.schema, s.schemaPath, s.rule, s.objMp = sch, name, rule, obj
	return s.listMappings(), nil
}

// selectMapping picks the object mapping named by sel: a number from 1 in
// the order listMappings shows, a name understood by Schema.Find, or
// nothing for the first enabled mapping.
func selectMapping(sch *mapping.Schema, sel string) (rule, obj int, err error) {
	type ref struct{ r, o int }
	var all, enabled []ref
	for i := range sch.SynchronizationRules {
		for j, m := range sch.SynchronizationRules[i].ObjectMappings {
			all = append(all, ref{i, j})
			if m.Enabled {
				enabled = append(enabled, ref{i, j})
			}
		}
	}
	if len(all) == 0 {
		return 0, 0, errors.New("the schema has no object mappings")
	}
	if sel == "" {
		if len(enabled) > 0 {
			return enabled[0].r, enabled[0].o, nil
		}
		return 0, 0, nil
	}
	if n, err := strconv.Atoi(sel); err == nil {
		if n < 1 || n > len(all) {
			return 0, 0, fmt.Errorf("no object mapping %d (the schema has %d)", n, len(all))
		}
		return all[n-1].r, all[n-1].o, nil
	}
	r, m, err := sch.Find(sel, "")
	if err != nil {
		var err2 error
		if r, m, err2 = sch.Find("", sel); err2 != nil {
			return 0, 0, err
		}
	}
	for _, x := range all {
		rr := &sch.SynchronizationRules[x.r]
		if rr == r && &rr.ObjectMappings[x.o] == m {
			return x.r, x.o, nil
		}
	}
	return 0, 0, fmt.Errorf("no object mapping %q", sel)
}

// listMappings shows the object mappings of the schema, marking the one
// :map and :scope use.
func (s *Session) listMappings() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema %s:", s.schemaPath)
	n := 0
	for i := range s.schema.SynchronizationRules {
		r := &s.schema.SynchronizationRules[i]
		for j := range r.ObjectMappings {
			m := &r.ObjectMappings[j]
			n++
			mark := " "
			if i == s.rule && j == s.objMp {
				mark = "*"
			}
			state := ""
			if !m.Enabled {
				state = " (disabled)"
			}
			dirs := ""
			if r.SourceDirectoryName != "" || r.TargetDirectoryName != "" {
				dirs = fmt.Sprintf(" [%s -> %s]", r.SourceDirectoryName, r.TargetDirectoryName)
			}
			fmt.Fprintf(&b, "\n%s %d. %s: %s -> %s, %d attribute mappings%s%s", mark, n,
				cmp.Or(m.Name, "(unnamed)"), m.SourceObjectName, m.TargetObjectName, len(m.AttributeMappings), dirs, state)
		}
	}
	b.WriteString("\n:map and :scope use the mapping marked *; :schema FILE N picks another.")
	return b.String()
}

// compiled compiles the selected object mapping.
func (s *Session) compiled() (*mapping.CompiledObjectMapping, *mapping.SynchronizationRule, error) {
	if s.schema == nil {
		return nil, nil, errNoSchema
	}
	r := &s.schema.SynchronizationRules[s.rule]
	m := &r.ObjectMappings[s.objMp]
	src := s.schema.Directory(r.SourceDirectoryName).Object(m.SourceObjectName)
	tgt := s.schema.Directory(r.TargetDirectoryName).Object(m.TargetObjectName)
	c, err := mapping.Compile(m, mapping.WithDefinitions(src, tgt))
	return c, r, err
}

func (s *Session) cmdMap(arg string) (string, error) {
	onCreate := true
	switch strings.ToLower(arg) {
	case "", "create":
	case "update":
		onCreate = false
	default:
		return "", fmt.Errorf("usage: :map [create|update]")
	}
	c, _, err := s.compiled()
	if err != nil {
		return "", err
	}
	opts := mapping.ApplyOptions{OnCreate: onCreate, Now: s.now}
	if exists := s.evalOptions().Exists; exists != nil {
		opts.Exists = func(_, v string) bool { return exists(v) }
	}
	// The service's computed attributes (IsSoftDeleted false) are
	// supplied, as the planner supplies them.
	t, _ := c.Apply(mapping.VirtualEnv(s.env()), opts) // failures are in the explanations
	var b strings.Builder
	when := "on create"
	if !onCreate {
		when = "on update"
	}
	fmt.Fprintf(&b, "%s (%s -> %s), %s\n%s\n", cmp.Or(c.Mapping().Name, "object mapping"), c.SourceObjectName(), c.TargetObjectName(), when, c.Scope(s.env()))
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	for _, e := range t.Explain {
		fmt.Fprintf(tw, "%s\t%s\t<- %s\n", e.Target, outcomeText(e), exprText(e.Expression))
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n"), nil
}

// outcomeText renders what happened to one attribute mapping, showing
// redacted values with a mark instead of hiding them.
func outcomeText(e mapping.Explanation) string {
	switch e.Outcome {
	case mapping.Flowed:
		v := Show(e.Value)
		if e.Redacted {
			v += " [Redact]"
		}
		if e.DefaultUsed {
			v += " (default)"
		}
		return "= " + v
	case mapping.Failed:
		msg := e.Err.Error()
		if ee, ok := asExprError(e.Err); ok {
			msg = ee
		}
		return "error: " + msg
	}
	return e.Outcome.String()
}

// asExprError returns the message of an expression error without its
// position, which refers to a text the table does not show in full.
func asExprError(err error) (string, bool) {
	var pe interface{ Render() string }
	if errors.As(err, &pe) {
		first, _, _ := strings.Cut(pe.Render(), "\n")
		return first, true
	}
	return "", false
}

// exprText shortens an expression for the :map table.
func exprText(s string) string {
	if s == "" {
		return "(none)"
	}
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxExprText {
		return string(r[:maxExprText-1]) + "…"
	}
	return s
}

func (s *Session) cmdScope(arg string) (string, error) {
	if arg != "" {
		return "", usageError(":scope")
	}
	c, _, err := s.compiled()
	if err != nil {
		return "", err
	}
	d := c.Scope(s.env())
	if d.InScope || len(d.Reasons) <= 1 {
		return d.String(), nil
	}
	// One failing group per line reads better than the "; " list.
	var b strings.Builder
	b.WriteString("out of scope: no group matched")
	for _, r := range d.Reasons {
		b.WriteString("\n  ")
		b.WriteString(r.String())
	}
	return b.String(), nil
}

// schemaLint lints the selected mapping, for :map's sibling :lint with no
// argument.
func (s *Session) schemaLint() (string, error) {
	if s.schema == nil {
		return "", errNoSchema
	}
	return renderWarnings(lint.LintSchema(s.schema)), nil
}
