package mapping

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/scoping"
)

// The listing is a readable text form of a schema's mappings, for code
// review and text editors: one line per attribute mapping,
//
//	target <- expression | markers
//
// grouped under "rule" and "object" header lines. The markers are
// match=N (matchingPriority), on-create (flowType ObjectAddOnly),
// flow=T (another flowType), always-export (flowBehavior FlowAlways),
// refs (exportMissingReferences) and default="..." (defaultValue). A
// mapping without source is written "(none)". Lines starting with # are
// comments. Directories and unmodelled members are not part of the
// listing: ImportListing merges a listing back into the schema it came
// from, which keeps them.

// listingHeader starts every listing WriteListing writes.
const listingHeader = `# attrmap mapping listing: target <- expression | markers
# markers: match=N  on-create  flow=TYPE  always-export  refs  default="VALUE"
`

// WriteListing writes the mappings of every rule of s as a listing.
func (s *Schema) WriteListing(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString(listingHeader)
	for i := range s.SynchronizationRules {
		r := &s.SynchronizationRules[i]
		fmt.Fprintf(&b, "\nrule %s", strconv.Quote(r.Name))
		if r.ID != "" {
			fmt.Fprintf(&b, " id=%s", strconv.Quote(r.ID))
		}
		if r.SourceDirectoryName != "" || r.TargetDirectoryName != "" {
			fmt.Fprintf(&b, " from=%s to=%s", strconv.Quote(r.SourceDirectoryName), strconv.Quote(r.TargetDirectoryName))
		}
		b.WriteByte('\n')
		for j := range r.ObjectMappings {
			if err := writeObjectListing(&b, &r.ObjectMappings[j]); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeObjectListing(b *bytes.Buffer, m *ObjectMapping) error {
	fmt.Fprintf(b, "\nobject %s from=%s to=%s", strconv.Quote(m.Name), strconv.Quote(m.SourceObjectName), strconv.Quote(m.TargetObjectName))
	if m.FlowTypes != "" {
		fmt.Fprintf(b, " flowTypes=%s", strconv.Quote(m.FlowTypes))
	}
	if !m.Enabled {
		b.WriteString(" disabled")
	}
	b.WriteByte('\n')
	if m.Scope != nil {
		var buf bytes.Buffer
		writeFilter(&buf, m.Scope)
		fmt.Fprintf(b, "scope %s\n", buf.Bytes())
	}
	// Align the arrows, but let very long targets (SCIM extension URNs)
	// stick out rather than push every line to the right.
	const maxWidth = 40
	width := 0
	for k := range m.AttributeMappings {
		if n := len(listingTarget(m.AttributeMappings[k].TargetAttributeName)); n <= maxWidth {
			width = max(width, n)
		}
	}
	for k := range m.AttributeMappings {
		a := &m.AttributeMappings[k]
		text := "(none)"
		if a.Source != nil {
			t, err := a.Source.Text()
			if err != nil {
				return fmt.Errorf("mapping of %q: %w", a.TargetAttributeName, err)
			}
			text = t
		}
		target := listingTarget(a.TargetAttributeName)
		fmt.Fprintf(b, "  %-*s <- %s", width, target, text)
		if marks := markers(a); marks != "" {
			b.WriteString(" | ")
			b.WriteString(marks)
		}
		b.WriteByte('\n')
	}
	return nil
}

// listingTarget quotes a target name that would not read back as written.
func listingTarget(name string) string {
	if name == "" || strings.Contains(name, " <- ") || strings.HasPrefix(name, `"`) || strings.HasPrefix(name, "#") || strings.TrimSpace(name) != name {
		return strconv.Quote(name)
	}
	return name
}

func markers(a *AttributeMapping) string {
	var ms []string
	if a.MatchingPriority != 0 {
		ms = append(ms, fmt.Sprintf("match=%d", a.MatchingPriority))
	}
	switch a.FlowType {
	case "", Always:
	case ObjectAddOnly:
		ms = append(ms, "on-create")
	default:
		ms = append(ms, "flow="+string(a.FlowType))
	}
	switch a.FlowBehavior {
	case "", FlowWhenChanged:
	case FlowAlways:
		ms = append(ms, "always-export")
	default:
		ms = append(ms, "behavior="+strconv.Quote(string(a.FlowBehavior)))
	}
	if a.ExportMissingReferences {
		ms = append(ms, "refs")
	}
	if a.DefaultValue != "" {
		ms = append(ms, "default="+strconv.Quote(a.DefaultValue))
	}
	return strings.Join(ms, " ")
}

// ImportListing reads a listing. With into nil it returns a new schema
// holding only the listed rules (no directories), in the full Graph form.
// With into set, it merges the listing into that schema and returns it:
// rules and object mappings are matched by name, each listed object
// mapping's attribute mappings are replaced by the listed ones, and a
// mapping whose target and expression are unchanged keeps its source tree
// and unmodelled members, so that exporting a schema as a listing and
// importing it back into the same schema changes nothing. A line that
// cannot be read is a *LoadError with its line (and no column).
func ImportListing(r io.Reader, into *Schema) (*Schema, error) {
	rules, err := parseListing(r)
	if err != nil {
		return nil, err
	}
	if into == nil {
		return &Schema{SynchronizationRules: rules}, nil
	}
	for _, lr := range rules {
		var dst *SynchronizationRule
		for i := range into.SynchronizationRules {
			x := &into.SynchronizationRules[i]
			if x.Name == lr.Name && (lr.ID == "" || x.ID == lr.ID) {
				dst = x
				break
			}
		}
		if dst == nil {
			if into.Form != FormSchema {
				return nil, fmt.Errorf("the listing has rule %q, which the %s document does not", lr.Name, into.Form)
			}
			into.SynchronizationRules = append(into.SynchronizationRules, lr)
			continue
		}
		for _, lm := range lr.ObjectMappings {
			var om *ObjectMapping
			for j := range dst.ObjectMappings {
				if dst.ObjectMappings[j].Name == lm.Name {
					om = &dst.ObjectMappings[j]
					break
				}
			}
			if om == nil {
				dst.ObjectMappings = append(dst.ObjectMappings, lm)
				continue
			}
			mergeObjectMapping(om, &lm)
		}
	}
	return into, nil
}

// mergeObjectMapping copies the listed settings of src into dst, keeping
// what the listing does not express.
func mergeObjectMapping(dst, src *ObjectMapping) {
	dst.SourceObjectName, dst.TargetObjectName = src.SourceObjectName, src.TargetObjectName
	dst.Enabled = src.Enabled
	if src.FlowTypes != "" || dst.FlowTypes != "" {
		dst.FlowTypes = src.FlowTypes
	}
	if !sameFilter(dst.Scope, src.Scope) {
		dst.Scope = src.Scope
	}
	old := dst.AttributeMappings
	used := make([]bool, len(old))
	merged := make([]AttributeMapping, 0, len(src.AttributeMappings))
	for _, n := range src.AttributeMappings {
		k := -1
		for i := range old {
			if !used[i] && old[i].TargetAttributeName == n.TargetAttributeName {
				k = i
				break
			}
		}
		if k < 0 {
			merged = append(merged, n)
			continue
		}
		used[k] = true
		o := old[k]
		o.DefaultValue = n.DefaultValue
		o.ExportMissingReferences = n.ExportMissingReferences
		o.MatchingPriority = n.MatchingPriority
		if o.FlowType != "" || n.FlowType != Always {
			o.FlowType = n.FlowType
		}
		if o.FlowBehavior != "" || n.FlowBehavior != FlowWhenChanged {
			o.FlowBehavior = n.FlowBehavior
		}
		switch {
		case n.Source == nil:
			o.Source = nil
		case o.Source == nil:
			o.Source = n.Source
		default:
			if t, err := o.Source.Text(); err != nil || t != n.Source.Expression {
				o.Source = n.Source
			}
		}
		merged = append(merged, o)
	}
	dst.AttributeMappings = merged
}

func sameFilter(a, b *scoping.Filter) bool {
	if a == nil || b == nil {
		return a == b
	}
	var x, y bytes.Buffer
	writeFilter(&x, a)
	writeFilter(&y, b)
	return bytes.Equal(x.Bytes(), y.Bytes())
}

func parseListing(r io.Reader) ([]SynchronizationRule, error) {
	var (
		rules []SynchronizationRule
		om    *ObjectMapping
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimSpace(line)
		fail := func(format string, args ...any) error {
			return &LoadError{Line: n, Msg: fmt.Sprintf(format, args...)}
		}
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case strings.HasPrefix(line, "rule "):
			name, attrs, err := headerLine(line[len("rule "):])
			if err != nil {
				return nil, fail("%v", err)
			}
			rules = append(rules, SynchronizationRule{
				Editable: true, ID: attrs["id"], Name: name, Priority: 1,
				SourceDirectoryName: attrs["from"], TargetDirectoryName: attrs["to"],
				ObjectMappings: []ObjectMapping{},
			})
			om = nil
		case strings.HasPrefix(line, "object "):
			if len(rules) == 0 {
				return nil, fail("object before any rule line")
			}
			name, attrs, err := headerLine(line[len("object "):])
			if err != nil {
				return nil, fail("%v", err)
			}
			r := &rules[len(rules)-1]
			_, disabled := attrs["disabled"]
			r.ObjectMappings = append(r.ObjectMappings, ObjectMapping{
				AttributeMappings: []AttributeMapping{},
				Enabled:           !disabled, FlowTypes: attrs["flowTypes"], Name: name,
				SourceObjectName: attrs["from"], TargetObjectName: attrs["to"],
			})
			om = &r.ObjectMappings[len(r.ObjectMappings)-1]
		case strings.HasPrefix(line, "scope "):
			if om == nil {
				return nil, fail("scope before any object line")
			}
			f, err := scoping.Decode([]byte(line[len("scope "):]))
			if err != nil {
				return nil, fail("scope: %v", err)
			}
			om.Scope = f
		case line[0] == ' ' || line[0] == '\t':
			if om == nil {
				return nil, fail("mapping before any object line")
			}
			a, err := mappingLine(trimmed)
			if err != nil {
				return nil, fail("%v", err)
			}
			om.AttributeMappings = append(om.AttributeMappings, a)
		default:
			return nil, fail("unexpected line (expected rule, object, scope or an indented mapping)")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return rules, nil
}

// headerLine reads `"name" key="value" key=word flag ...`.
func headerLine(s string) (string, map[string]string, error) {
	toks, err := tokens(s)
	if err != nil {
		return "", nil, err
	}
	if len(toks) == 0 {
		return "", nil, fmt.Errorf("missing name")
	}
	attrs := map[string]string{}
	for _, t := range toks[1:] {
		k, v, _ := strings.Cut(t, "=")
		attrs[k] = v
	}
	return toks[0], attrs, nil
}

// tokens splits s at spaces outside double-quoted Go strings and unquotes
// them; key="v" yields key=v.
func tokens(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		var cur strings.Builder
		for s != "" && s[0] != ' ' && s[0] != '\t' {
			if s[0] == '"' {
				q, err := strconv.QuotedPrefix(s)
				if err != nil {
					return nil, fmt.Errorf("bad quoted string %s", s)
				}
				u, _ := strconv.Unquote(q)
				cur.WriteString(u)
				s = s[len(q):]
				continue
			}
			cur.WriteByte(s[0])
			s = s[1:]
		}
		out = append(out, cur.String())
	}
	return out, nil
}

// mappingLine reads `target <- expression | markers`.
func mappingLine(s string) (AttributeMapping, error) {
	a := AttributeMapping{FlowBehavior: FlowWhenChanged, FlowType: Always}
	var target, rest string
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return a, fmt.Errorf("bad quoted target %s", s)
		}
		target, _ = strconv.Unquote(q)
		rest = strings.TrimSpace(s[len(q):])
		if !strings.HasPrefix(rest, "<-") {
			return a, fmt.Errorf(`expected "<-" after the target`)
		}
		rest = rest[2:]
	} else {
		var ok bool
		target, rest, ok = strings.Cut(s, " <- ")
		if !ok {
			if t, ok2 := strings.CutSuffix(s, " <-"); ok2 {
				target, rest, ok = t, "", true
			}
		}
		if !ok {
			return a, fmt.Errorf(`expected "target <- expression"`)
		}
		target = strings.TrimSpace(target)
	}
	a.TargetAttributeName = target
	text, marks := splitMarkers(rest)
	text = strings.TrimSpace(text)
	toks, err := tokens(marks)
	if err != nil {
		return a, err
	}
	for _, t := range toks {
		k, v, hasValue := strings.Cut(t, "=")
		switch {
		case k == "match" && hasValue:
			p, err := strconv.ParseInt(v, 10, 32)
			if err != nil {
				return a, fmt.Errorf("match=%s: expected an integer", v)
			}
			a.MatchingPriority = int32(p)
		case k == "on-create" && !hasValue:
			a.FlowType = ObjectAddOnly
		case k == "flow" && hasValue:
			a.FlowType = FlowType(v)
		case k == "always-export" && !hasValue:
			a.FlowBehavior = FlowAlways
		case k == "behavior" && hasValue:
			a.FlowBehavior = FlowBehavior(v)
		case k == "refs" && !hasValue:
			a.ExportMissingReferences = true
		case k == "default" && hasValue:
			a.DefaultValue = v
		default:
			return a, fmt.Errorf("unknown marker %q (expected match=N, on-create, flow=TYPE, always-export, refs or default=\"VALUE\")", t)
		}
	}
	if text == "(none)" || text == "" {
		return a, nil
	}
	src, err := SourceFromExpression(text)
	if err != nil {
		return a, fmt.Errorf("expression for %s: %v", target, err)
	}
	a.Source = src
	return a, nil
}

// splitMarkers splits "expression | markers" at the first | outside
// string literals and attribute brackets.
func splitMarkers(s string) (string, string) {
	inStr, inAttr := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inStr && c == '\\':
			i++
		case c == '"' && !inAttr:
			inStr = !inStr
		case !inStr && c == '[':
			inAttr = true
		case !inStr && c == ']':
			inAttr = false
		case !inStr && !inAttr && c == '|':
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
