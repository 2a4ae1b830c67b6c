package schemadiff

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/scoping"
)

// ChangeOp says how an element differs between two schemas.
type ChangeOp string

// The kinds of change.
const (
	Added   ChangeOp = "added"
	Removed ChangeOp = "removed"
	Changed ChangeOp = "changed"
)

// Change is one difference between two schemas, found by Diff.
type Change struct {
	Op ChangeOp
	// Rule, Object and Attribute locate the change: the synchronization
	// rule, the object mapping within it, and the target attribute of an
	// attribute mapping; the later ones are empty for a change above them.
	Rule, Object, Attribute string
	// Group is the scoping filter group of a scope change.
	Group string
	// Field is what differs: "rule", "object mapping" or "attribute
	// mapping" for an element added or removed whole, else the member
	// ("expression", "matchingPriority", "flowType", "flowBehavior",
	// "defaultValue", "exportMissingReferences", "enabled", "flowTypes",
	// "sourceObjectName", "targetObjectName", "sourceDirectoryName",
	// "targetDirectoryName") or "scope group" and "scope clause".
	Field string
	// Old and New are the values as text: an expression in its
	// canonical form, a clause as `department EQUALS "Sales"`. Old is
	// empty for Added, New for Removed.
	Old, New string
}

// String formats the change on one line, for logs and tests.
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(string(c.Op))
	for _, p := range [][2]string{{"rule", c.Rule}, {"object", c.Object}, {"attribute", c.Attribute}, {"group", c.Group}} {
		if p[1] != "" {
			fmt.Fprintf(&b, " %s %q", p[0], p[1])
		}
	}
	fmt.Fprintf(&b, " %s", c.Field)
	switch c.Op {
	case Added:
		fmt.Fprintf(&b, ": %s", c.New)
	case Removed:
		fmt.Fprintf(&b, ": %s", c.Old)
	default:
		fmt.Fprintf(&b, ": %s -> %s", c.Old, c.New)
	}
	return b.String()
}

// Diff compares two schemas semantically, as a reviewer of a provisioning
// change would: synchronization rules (by name, else id), their object
// mappings (by name, else source and target object), attribute mappings
// (by target attribute, ignoring case), each mapping's expression in its
// canonical form (so spacing and the case of function names are no
// change), matching priority, flow type and behaviour, default value, the
// object mappings' flowTypes, objects and enabled flag, and scoping
// filters (groups by name, clauses as a set, since they are ANDed). Order
// of elements is no change. Members attrmap does not model are not
// compared. The changes come in the order of new's elements, removals
// after the elements that remain; equal schemas give none.
func Diff(old, new *mapping.Schema) []Change {
	var d differ
	d.rules(old.SynchronizationRules, new.SynchronizationRules)
	return d.out
}

type differ struct {
	out []Change
	at  Change // the location being compared
}

func (d *differ) add(op ChangeOp, field, oldText, newText string) {
	c := d.at
	c.Op, c.Field, c.Old, c.New = op, field, oldText, newText
	d.out = append(d.out, c)
}

// field records a change of a member when the texts differ.
func (d *differ) field(name, a, b string) {
	if a != b {
		d.add(Changed, name, a, b)
	}
}

// pair matches the elements of two lists by key (first match, in order),
// calling both for each pair and gone or added for the rest.
func pair[T any](old, new []T, key func(*T) string, both func(o, n *T), gone, added func(*T)) {
	used := make([]bool, len(old))
	for i := range new {
		k := key(&new[i])
		j := -1
		for oi := range old {
			if !used[oi] && strings.EqualFold(key(&old[oi]), k) {
				j = oi
				break
			}
		}
		if j < 0 {
			added(&new[i])
			continue
		}
		used[j] = true
		both(&old[j], &new[i])
	}
	for oi := range old {
		if !used[oi] {
			gone(&old[oi])
		}
	}
}

func ruleKey(r *mapping.SynchronizationRule) string { return cmp.Or(r.Name, r.ID) }

func (d *differ) rules(old, new []mapping.SynchronizationRule) {
	pair(old, new, ruleKey, func(o, n *mapping.SynchronizationRule) {
		d.at = Change{Rule: ruleKey(n)}
		d.field("sourceDirectoryName", o.SourceDirectoryName, n.SourceDirectoryName)
		d.field("targetDirectoryName", o.TargetDirectoryName, n.TargetDirectoryName)
		d.objects(o.ObjectMappings, n.ObjectMappings)
	}, func(o *mapping.SynchronizationRule) {
		d.at = Change{Rule: ruleKey(o)}
		d.add(Removed, "rule", fmt.Sprintf("%s -> %s (%s)", o.SourceDirectoryName, o.TargetDirectoryName, plural(len(o.ObjectMappings), "object mapping")), "")
	}, func(n *mapping.SynchronizationRule) {
		d.at = Change{Rule: ruleKey(n)}
		d.add(Added, "rule", "", fmt.Sprintf("%s -> %s (%s)", n.SourceDirectoryName, n.TargetDirectoryName, plural(len(n.ObjectMappings), "object mapping")))
	})
}

// objectKey names an object mapping: its name, else its objects, else ""
// (a bare objectMapping document with neither).
func objectKey(m *mapping.ObjectMapping) string {
	if m.Name != "" || m.SourceObjectName == "" && m.TargetObjectName == "" {
		return m.Name
	}
	return m.SourceObjectName + " -> " + m.TargetObjectName
}

func (d *differ) objects(old, new []mapping.ObjectMapping) {
	rule := d.at.Rule
	summary := func(m *mapping.ObjectMapping) string {
		return fmt.Sprintf("%s -> %s (%s)", m.SourceObjectName, m.TargetObjectName, plural(len(m.AttributeMappings), "attribute mapping"))
	}
	pair(old, new, objectKey, func(o, n *mapping.ObjectMapping) {
		d.at = Change{Rule: rule, Object: objectKey(n)}
		d.field("enabled", strconv.FormatBool(o.Enabled), strconv.FormatBool(n.Enabled))
		d.field("sourceObjectName", o.SourceObjectName, n.SourceObjectName)
		d.field("targetObjectName", o.TargetObjectName, n.TargetObjectName)
		d.field("flowTypes", flowTypesText(o), flowTypesText(n))
		d.scope(o.Scope, n.Scope)
		d.at = Change{Rule: rule, Object: objectKey(n)}
		d.attributes(o.AttributeMappings, n.AttributeMappings)
	}, func(o *mapping.ObjectMapping) {
		d.at = Change{Rule: rule, Object: objectKey(o)}
		d.add(Removed, "object mapping", summary(o), "")
	}, func(n *mapping.ObjectMapping) {
		d.at = Change{Rule: rule, Object: objectKey(n)}
		d.add(Added, "object mapping", "", summary(n))
	})
}

// flowTypesText is the set of flows, so "Add,Update" and "Update, Add"
// are the same.
func flowTypesText(m *mapping.ObjectMapping) string {
	f := m.Flows()
	var names []string
	for _, x := range []struct {
		on   bool
		name string
	}{{f.Add, "Add"}, {f.Update, "Update"}, {f.Delete, "Delete"}} {
		if x.on {
			names = append(names, x.name)
		}
	}
	return strings.Join(names, ", ")
}

func (d *differ) attributes(old, new []mapping.AttributeMapping) {
	at := d.at
	pair(old, new, func(m *mapping.AttributeMapping) string { return m.TargetAttributeName }, func(o, n *mapping.AttributeMapping) {
		d.at = at
		d.at.Attribute = n.TargetAttributeName
		d.field("expression", sourceText(o), sourceText(n))
		d.field("matchingPriority", strconv.Itoa(int(o.MatchingPriority)), strconv.Itoa(int(n.MatchingPriority)))
		d.field("flowType", string(cmp.Or(o.FlowType, mapping.Always)), string(cmp.Or(n.FlowType, mapping.Always)))
		d.field("flowBehavior", string(cmp.Or(o.FlowBehavior, mapping.FlowWhenChanged)), string(cmp.Or(n.FlowBehavior, mapping.FlowWhenChanged)))
		d.field("defaultValue", o.DefaultValue, n.DefaultValue)
		d.field("exportMissingReferences", strconv.FormatBool(o.ExportMissingReferences), strconv.FormatBool(n.ExportMissingReferences))
	}, func(o *mapping.AttributeMapping) {
		d.at = at
		d.at.Attribute = o.TargetAttributeName
		d.add(Removed, "attribute mapping", sourceText(o), "")
	}, func(n *mapping.AttributeMapping) {
		d.at = at
		d.at.Attribute = n.TargetAttributeName
		d.add(Added, "attribute mapping", "", sourceText(n))
	})
}

// sourceText is the expression of an attribute mapping in canonical form
// (as expr prints a compiled program), or its text as written when it does
// not compile; "" for a mapping without source.
func sourceText(m *mapping.AttributeMapping) string {
	if m.Source == nil {
		return ""
	}
	text, err := m.Source.Text()
	if err != nil {
		return strings.TrimSpace(m.Source.Expression)
	}
	if p, err := expr.Compile(text); err == nil {
		return p.String()
	}
	return strings.TrimSpace(text)
}

// scope compares two scoping filters: groups by name (an unnamed group by
// its clauses), clauses as sets.
func (d *differ) scope(old, new *scoping.Filter) {
	at := d.at
	groups := func(f *scoping.Filter) []scoping.Group {
		if f == nil {
			return nil
		}
		var gs []scoping.Group
		gs = append(gs, f.Groups...)
		gs = append(gs, f.InputFilterGroups...)
		gs = append(gs, f.CategoryFilterGroups...)
		return gs
	}
	clauses := func(g *scoping.Group) []string {
		out := make([]string, len(g.Clauses))
		for i, c := range g.Clauses {
			out[i] = c.String()
		}
		slices.Sort(out)
		return out
	}
	groupKey := func(g *scoping.Group) string {
		return cmp.Or(g.Name, strings.Join(clauses(g), " AND "))
	}
	pair(groups(old), groups(new), groupKey, func(o, n *scoping.Group) {
		d.at = at
		d.at.Group = groupKey(n)
		oc, nc := clauses(o), clauses(n)
		for _, c := range oc {
			if !slices.Contains(nc, c) {
				d.add(Removed, "scope clause", c, "")
			}
		}
		for _, c := range nc {
			if !slices.Contains(oc, c) {
				d.add(Added, "scope clause", "", c)
			}
		}
	}, func(o *scoping.Group) {
		d.at = at
		d.at.Group = groupKey(o)
		d.add(Removed, "scope group", strings.Join(clauses(o), " AND "), "")
	}, func(n *scoping.Group) {
		d.at = at
		d.at.Group = groupKey(n)
		d.add(Added, "scope group", "", strings.Join(clauses(n), " AND "))
	})
}

// plural formats a count with its noun.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
