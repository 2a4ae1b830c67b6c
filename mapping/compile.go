package mapping

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/scoping"
)

// CompileOption configures Compile.
type CompileOption func(*compileConfig)

type compileConfig struct {
	source, target *ObjectDefinition
	exprOpts       []expr.Option
}

// WithDefinitions supplies the source and target object definitions, from
// which Apply learns each target attribute's caseExact, multivalued and
// type. Either may be nil. Schema.Compile sets them from the schema's
// directories.
func WithDefinitions(source, target *ObjectDefinition) CompileOption {
	return func(c *compileConfig) { c.source, c.target = source, target }
}

// WithExprOptions passes options to expr.Compile for every expression,
// such as a clock (expr.WithNow) or extra functions.
func WithExprOptions(opts ...expr.Option) CompileOption {
	return func(c *compileConfig) { c.exprOpts = append(c.exprOpts, opts...) }
}

// CompiledObjectMapping is an object mapping ready to apply: one compiled
// program per attribute mapping and the compiled scoping filter. It is
// immutable and safe for concurrent use.
type CompiledObjectMapping struct {
	m       *ObjectMapping
	attrs   []CompiledAttribute // sorted by target name
	match   []int               // indexes into attrs, by matching priority
	matcher *scoping.Matcher
	source  *ObjectDefinition
	target  *ObjectDefinition
}

// CompiledAttribute is one compiled attribute mapping.
type CompiledAttribute struct {
	// Mapping is the attribute mapping as loaded. It must not be modified.
	Mapping *AttributeMapping
	// Target is the target attribute's name.
	Target string
	// Type is the portal's mapping type.
	Type MappingType
	// FlowType is the mapping's flow type, Always when the document leaves
	// it empty.
	FlowType FlowType
	// Text is the expression text ("" for a mapping without source).
	Text string
	// Program is the compiled expression, nil for a mapping without source.
	Program *expr.Program
	// Definition is the target attribute's definition, nil when unknown.
	Definition *AttributeDefinition

	// What ApplyTo needs to know of the program, found once at Compile.
	unique bool   // calls SelectUniqueValue
	random bool   // calls Guid or RandomString
	exact  bool   // caseExact(Definition)
	bare   string // the attribute of a bare [attr] program, "" otherwise
}

// Compile compiles every attribute mapping of m and its scoping filter.
// The error is an ErrorList with one entry per expression or filter that
// does not compile, with paths relative to the object mapping.
func Compile(m *ObjectMapping, opts ...CompileOption) (*CompiledObjectMapping, error) {
	var cfg compileConfig
	for _, o := range opts {
		o(&cfg)
	}
	c := &CompiledObjectMapping{m: m, source: cfg.source, target: cfg.target}
	var errs ErrorList
	for i := range m.AttributeMappings {
		a := &m.AttributeMappings[i]
		ca := CompiledAttribute{
			Mapping:    a,
			Target:     a.TargetAttributeName,
			Type:       a.mappingType(),
			FlowType:   cmp.Or(a.FlowType, Always),
			Definition: cfg.target.Attribute(a.TargetAttributeName),
		}
		path := fmt.Sprintf("attributeMappings[%d].source", i)
		if a.Source != nil {
			text, err := a.Source.Text()
			if err != nil {
				errs = append(errs, &Error{Path: path, Msg: err.Error(), Err: err})
				continue
			}
			prog, err := expr.Compile(text, cfg.exprOpts...)
			if err != nil {
				errs = append(errs, &Error{Path: path, Msg: fmt.Sprintf("expression %q does not compile: %v", text, err), Err: err})
				continue
			}
			ca.Text, ca.Program = text, prog
			fns := prog.Functions()
			ca.unique = slices.Contains(fns, "SelectUniqueValue")
			ca.random = slices.Contains(fns, "Guid") || slices.Contains(fns, "RandomString")
			if n, ok := prog.Root().(*expr.AttrExpr); ok {
				ca.bare = n.Name
			}
		}
		ca.exact = caseExact(ca.Definition)
		c.attrs = append(c.attrs, ca)
	}
	if m.Scope != nil {
		matcher, err := m.Scope.Compile()
		if err != nil {
			path := "scope"
			var ce *scoping.CompileError
			if errors.As(err, &ce) {
				path = joinPath(path, ce.Path())
			}
			errs = append(errs, &Error{Path: path, Msg: fmt.Sprintf("scoping filter does not compile: %v", err), Err: err})
		}
		c.matcher = matcher
	}
	if len(errs) > 0 {
		return nil, errs
	}
	slices.SortStableFunc(c.attrs, func(a, b CompiledAttribute) int { return compareNames(a.Target, b.Target) })
	for i := range c.attrs {
		if c.attrs[i].Mapping.MatchingPriority > 0 {
			c.match = append(c.match, i)
		}
	}
	slices.SortStableFunc(c.match, func(a, b int) int {
		return cmp.Compare(c.attrs[a].Mapping.MatchingPriority, c.attrs[b].Mapping.MatchingPriority)
	})
	return c, nil
}

// compareNames orders attribute names ignoring case, then by bytes, so the
// order never depends on input order.
func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// Compile finds an object mapping with Find and compiles it with the
// schema's source and target object definitions.
func (s *Schema) Compile(rule, object string, opts ...CompileOption) (*CompiledObjectMapping, error) {
	r, m, err := s.Find(rule, object)
	if err != nil {
		return nil, err
	}
	src, tgt := s.objectDefs(r, m)
	return Compile(m, append([]CompileOption{WithDefinitions(src, tgt)}, opts...)...)
}

// CompileRule compiles every enabled object mapping of a synchronization
// rule (an object mapping built in code counts as enabled), in the rule's
// order: the mappings one provisioning cycle runs, such as users and
// groups. rule is chosen as Find chooses it; empty when the schema has
// one rule. A rule without an enabled object mapping is an error.
func (s *Schema) CompileRule(rule string, opts ...CompileOption) ([]*CompiledObjectMapping, error) {
	r, m, err := s.Find(rule, "")
	switch {
	case err == nil && rule != "" && !strings.EqualFold(r.Name, rule) && !strings.EqualFold(r.ID, rule):
		// rule named one object mapping.
		src, tgt := s.objectDefs(r, m)
		c, err := Compile(m, append([]CompileOption{WithDefinitions(src, tgt)}, opts...)...)
		if err != nil {
			return nil, err
		}
		return []*CompiledObjectMapping{c}, nil
	case err != nil && r == nil:
		// Find also fails for a rule with several mappings; find the rule alone.
		if r = s.findRule(rule); r == nil {
			return nil, err
		}
	}
	var out []*CompiledObjectMapping
	for j := range r.ObjectMappings {
		m := &r.ObjectMappings[j]
		if !m.Enabled && m.w.decoded {
			continue
		}
		src, tgt := s.objectDefs(r, m)
		c, err := Compile(m, append([]CompileOption{WithDefinitions(src, tgt)}, opts...)...)
		if err != nil {
			return nil, fmt.Errorf("object mapping %q: %w", cmp.Or(m.Name, m.SourceObjectName), err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("rule %q has no enabled object mapping", cmp.Or(r.Name, r.ID))
	}
	return out, nil
}

// findRule returns the rule named rule (by name or id, ignoring case), or
// the only rule when rule is empty.
func (s *Schema) findRule(rule string) *SynchronizationRule {
	if rule == "" {
		if len(s.SynchronizationRules) == 1 {
			return &s.SynchronizationRules[0]
		}
		return nil
	}
	for i := range s.SynchronizationRules {
		x := &s.SynchronizationRules[i]
		if strings.EqualFold(x.Name, rule) || strings.EqualFold(x.ID, rule) {
			return x
		}
	}
	return nil
}

// Find returns an object mapping. rule names a synchronization rule by
// name or id, or directly an object mapping by name; it may be empty when
// the schema has one rule. object picks the object mapping within the rule
// by name, sourceObjectName or targetObjectName; it may be empty when the
// rule has one object mapping, or one enabled one. Names ignore case.
func (s *Schema) Find(rule, object string) (*SynchronizationRule, *ObjectMapping, error) {
	var r *SynchronizationRule
	switch {
	case rule == "" && len(s.SynchronizationRules) == 1:
		r = &s.SynchronizationRules[0]
	case rule == "":
		return nil, nil, chooseError{fmt.Sprintf("the schema has %d synchronization rules; choose one (%s)", len(s.SynchronizationRules), s.ruleNames()), ErrChooseRule}
	default:
		for i := range s.SynchronizationRules {
			x := &s.SynchronizationRules[i]
			if strings.EqualFold(x.Name, rule) || strings.EqualFold(x.ID, rule) {
				r = x
				break
			}
		}
		if r == nil && object == "" {
			for i := range s.SynchronizationRules {
				x := &s.SynchronizationRules[i]
				for j := range x.ObjectMappings {
					if strings.EqualFold(x.ObjectMappings[j].Name, rule) {
						return x, &x.ObjectMappings[j], nil
					}
				}
			}
		}
		if r == nil {
			return nil, nil, fmt.Errorf("no synchronization rule or object mapping named %q (have %s)", rule, s.ruleNames())
		}
	}
	if object == "" {
		var enabled []int
		for j := range r.ObjectMappings {
			if r.ObjectMappings[j].Enabled || !r.ObjectMappings[j].w.decoded {
				enabled = append(enabled, j)
			}
		}
		switch {
		case len(r.ObjectMappings) == 1:
			return r, &r.ObjectMappings[0], nil
		case len(enabled) == 1:
			return r, &r.ObjectMappings[enabled[0]], nil
		}
		return nil, nil, chooseError{fmt.Sprintf("rule %q has %d object mappings; choose one (%s)", r.Name, len(r.ObjectMappings), mappingNames(r)), ErrChooseObject}
	}
	for _, match := range []func(m *ObjectMapping) string{
		func(m *ObjectMapping) string { return m.Name },
		func(m *ObjectMapping) string { return m.SourceObjectName },
		func(m *ObjectMapping) string { return m.TargetObjectName },
	} {
		for j := range r.ObjectMappings {
			if strings.EqualFold(match(&r.ObjectMappings[j]), object) {
				return r, &r.ObjectMappings[j], nil
			}
		}
	}
	return nil, nil, fmt.Errorf("rule %q has no object mapping %q (have %s)", r.Name, object, mappingNames(r))
}

// Compile's errors match these (errors.Is) when a schema has several
// rules, or a rule several enabled object mappings, and none was named, so
// a caller can say how it names one.
var (
	ErrChooseRule   = errors.New("several synchronization rules and none named")
	ErrChooseObject = errors.New("several object mappings and none named")
)

// chooseError is the error of an ambiguous rule or object mapping.
type chooseError struct {
	msg  string
	kind error // ErrChooseRule or ErrChooseObject
}

func (e chooseError) Error() string        { return e.msg }
func (e chooseError) Is(target error) bool { return target == e.kind }

func (s *Schema) ruleNames() string {
	names := make([]string, len(s.SynchronizationRules))
	for i, r := range s.SynchronizationRules {
		names[i] = fmt.Sprintf("%q", cmp.Or(r.Name, r.ID))
	}
	return strings.Join(names, ", ")
}

func mappingNames(r *SynchronizationRule) string {
	names := make([]string, len(r.ObjectMappings))
	for i, m := range r.ObjectMappings {
		names[i] = fmt.Sprintf("%q", cmp.Or(m.Name, m.SourceObjectName))
	}
	return strings.Join(names, ", ")
}

// Mapping returns the object mapping that was compiled. It must not be
// modified.
func (c *CompiledObjectMapping) Mapping() *ObjectMapping { return c.m }

// SourceObjectName returns the source object type, such as User.
func (c *CompiledObjectMapping) SourceObjectName() string { return c.m.SourceObjectName }

// TargetObjectName returns the target object type.
func (c *CompiledObjectMapping) TargetObjectName() string { return c.m.TargetObjectName }

// SourceAttributeNames returns the attribute names the schema defines for
// the source object (User in the "Azure Active Directory" directory, say),
// in definition order, or nil when the schema does not define it. Readers
// of Graph exports take them as the table that names flattened Graph
// properties (provision.SnapshotOptions.SourceAttributes).
func (c *CompiledObjectMapping) SourceAttributeNames() []string {
	return attributeNames(nil, c.source)
}

// SourceAttributeNames returns the attribute names of every object of
// the schema's source directories: those its rules read from, else the
// directory named "Azure Active Directory". A name given twice (ignoring
// case) is listed once, in schema order; nil when there is no such
// directory.
func (s *Schema) SourceAttributeNames() []string {
	var dirs []*DirectoryDefinition
	for _, r := range s.SynchronizationRules {
		if d := s.Directory(r.SourceDirectoryName); d != nil && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		if d := s.Directory("Azure Active Directory"); d != nil {
			dirs = append(dirs, d)
		}
	}
	var names []string
	for _, d := range dirs {
		for i := range d.Objects {
			names = attributeNames(names, &d.Objects[i])
		}
	}
	return names
}

// attributeNames appends o's attribute names that names lacks (ignoring
// case).
func attributeNames(names []string, o *ObjectDefinition) []string {
	if o == nil {
		return names
	}
	for _, a := range o.Attributes {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, a.Name) }) {
			names = append(names, a.Name)
		}
	}
	return names
}

// Attributes returns the compiled attribute mappings sorted by target
// name. The slice must not be modified.
func (c *CompiledObjectMapping) Attributes() []CompiledAttribute { return c.attrs }

// Attribute returns the compiled mapping of a target attribute (ignoring
// case).
func (c *CompiledObjectMapping) Attribute(target string) (*CompiledAttribute, bool) {
	for i := range c.attrs {
		if strings.EqualFold(c.attrs[i].Target, target) {
			return &c.attrs[i], true
		}
	}
	return nil, false
}

// Matching returns the matching attributes in the order the service tries
// them: lowest matchingPriority first.
func (c *CompiledObjectMapping) Matching() []*CompiledAttribute {
	out := make([]*CompiledAttribute, len(c.match))
	for i, j := range c.match {
		out[i] = &c.attrs[j]
	}
	return out
}

// TargetDefinition returns the definition of a target attribute (ignoring
// case), or nil when the schema does not define it.
func (c *CompiledObjectMapping) TargetDefinition(name string) *AttributeDefinition {
	return c.target.Attribute(name)
}

// MatchScope reports whether the source object passes the scoping filter.
// An object mapping without a filter has every object in scope. A regular
// expression that used up its budget is a *scoping.TimeoutError: the
// object is then neither in nor out of scope.
func (c *CompiledObjectMapping) MatchScope(src expr.Env) (bool, error) {
	return c.matcher.Match(envObject{src})
}

// Scope evaluates the scoping filter and says why the object is in or out
// of scope.
func (c *CompiledObjectMapping) Scope(src expr.Env) scoping.Decision {
	return c.matcher.Explain(envObject{src})
}

// envObject lets the scoping matcher read an expr.Env.
type envObject struct{ env expr.Env }

// Values implements scoping.Object.
func (o envObject) Values(attr string) ([]string, bool) {
	if o.env == nil {
		return nil, false
	}
	v, ok := o.env.Lookup(attr)
	if !ok {
		return nil, false
	}
	return expr.Strings(v), true
}
