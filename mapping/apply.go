package mapping

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
)

// ApplyOptions describe the situation in which a mapping is applied.
type ApplyOptions struct {
	// OnCreate says the target object is being created: ObjectAddOnly
	// mappings flow and default values apply. Otherwise the object is being
	// updated.
	OnCreate bool
	// Now freezes the clock of Now() and the date functions; zero keeps the
	// programs' clock.
	Now time.Time
	// Exists is the uniqueness check of SelectUniqueValue: it reports
	// whether value is already taken for the target attribute attr.
	Exists func(attr, value string) bool
	// Rand, when set, gives the random source of Guid and RandomString for
	// one target attribute; the sync core seeds it from the object and the
	// attribute so that plans are reproducible.
	Rand func(attr string) io.Reader
	// Current holds the target object's current values, when known. On
	// update it lets defaults fill empty target attributes, AttributeAddOnly
	// skip attributes that have a value, and FlowWhenChanged tell which
	// values would be exported; with Exists, SelectUniqueValue keeps a
	// current value that is still a free candidate.
	Current expr.Env
}

// Target is the result of applying an object mapping to one source object.
type Target struct {
	// Attrs is the target attribute set: every attribute that flows, sorted
	// by name (ignoring case).
	Attrs []TargetAttribute
	// Explain has one entry per attribute mapping, sorted the same way,
	// saying what happened to it.
	Explain []Explanation
}

// TargetAttribute is one attribute of the target attribute set.
type TargetAttribute struct {
	Name string
	// Value is what flows: never Null, Ignored or a Redacted wrapper; a
	// Multi for a multi-valued target attribute.
	Value expr.Value
	// Redacted marks a value computed from Redact: it flows, but Display
	// shows [Redact].
	Redacted bool
	// DefaultUsed says the mapping's default value replaced a null result.
	DefaultUsed bool
	// FlowType is the mapping's flow type (MultiValueAddOnly and friends
	// tell the sync engine to add values only).
	FlowType FlowType
	// Export says the value would be exported: always without
	// ApplyOptions.Current; otherwise when it differs from the current
	// value (honouring caseExact) or the mapping is FlowAlways.
	Export bool
}

// Display renders the value for logs: [Redact] for a redacted value.
func (a TargetAttribute) Display() string {
	if a.Redacted {
		return "[Redact]"
	}
	return expr.Display(a.Value)
}

// Outcome says what happened to one attribute mapping.
type Outcome uint8

// The outcomes of an attribute mapping.
const (
	// Flowed: the value is in the target attribute set.
	Flowed Outcome = iota
	// SkippedOnUpdate: an ObjectAddOnly mapping on update, not evaluated.
	SkippedOnUpdate
	// SkippedHasValue: an AttributeAddOnly mapping whose target already
	// has a value.
	SkippedHasValue
	// Ignored: IgnoreFlowIfNullOrEmpty stopped the flow.
	Ignored
	// NullResult: the result was null and no default applied; the service
	// does not flow null values.
	NullResult
	// Failed: evaluation failed; Explanation.Err says why.
	Failed
)

var outcomeNames = [...]string{"flowed", "skipped on update (ObjectAddOnly)", "skipped (AttributeAddOnly: target has a value)", "ignored (IgnoreFlowIfNullOrEmpty)", "null: not flowed", "failed"}

// String describes the outcome.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	panic("mapping: unknown outcome")
}

// Explanation says how one attribute mapping was applied.
type Explanation struct {
	Target string
	Type   MappingType
	// Expression is the expression text, "" for a mapping without source.
	Expression string
	Outcome    Outcome
	// Value is the flowed value (nil unless Outcome is Flowed).
	Value       expr.Value
	Redacted    bool
	DefaultUsed bool
	// Err is the evaluation error when Outcome is Failed.
	Err error
}

// String formats the explanation on one line, with redacted values shown
// as [Redact]:
//
//	mail <- [userPrincipalName] = "john@contoso.com"
//	IsActive <- Not([IsSoftDeleted]) = "True" (default)
//	password <- Redact([pwd]) = [Redact]
func (e Explanation) String() string {
	var b strings.Builder
	b.WriteString(e.Target)
	b.WriteString(" <- ")
	if e.Expression == "" {
		b.WriteString("(none)")
	} else {
		b.WriteString(e.Expression)
	}
	switch e.Outcome {
	case Flowed:
		b.WriteString(" = ")
		if e.Redacted {
			b.WriteString("[Redact]")
		} else {
			b.WriteString(expr.Display(e.Value))
		}
		if e.DefaultUsed {
			b.WriteString(" (default)")
		}
	case Failed:
		fmt.Fprintf(&b, ": error: %v", e.Err)
	default:
		b.WriteString(": ")
		b.WriteString(e.Outcome.String())
	}
	return b.String()
}

// AttributeError is the failure of one attribute mapping.
type AttributeError struct {
	Target string
	Err    error
}

func (e *AttributeError) Error() string { return e.Target + ": " + e.Err.Error() }

// Unwrap returns the evaluation error.
func (e *AttributeError) Unwrap() error { return e.Err }

// ApplyErrors lists the attribute mappings that failed for one object.
type ApplyErrors []*AttributeError

func (l ApplyErrors) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the attribute errors, for errors.Is and errors.As.
func (l ApplyErrors) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Apply computes the target attribute set of one source object, as the
// provisioning service does:
//
//   - Direct, Constant and Expression mappings evaluate their source; a
//     mapping without source (None) evaluates to null.
//   - ObjectAddOnly mappings flow only when opts.OnCreate is set.
//   - A null result takes the mapping's default value on create, or on
//     update when opts.Current shows the target attribute empty (the
//     documented "default value when null isn't provisioned when updating
//     an existing user"). Otherwise a null does not flow: the service does
//     not provision null values. An empty string does flow.
//   - IgnoreFlowIfNullOrEmpty at the top of an expression stops the flow.
//   - Redact: the value flows, marked Redacted so that logs show [Redact].
//   - A multi-valued target attribute receives a Multi; a multi-valued
//     result for a single-valued attribute fails unless it has one value.
//
// The source object is not checked against the scoping filter (see
// InScope). Attribute failures do not stop the others: the Target is
// complete, and err, an ApplyErrors, lists the failures.
func (c *CompiledObjectMapping) Apply(src expr.Env, opts ApplyOptions) (Target, error) {
	t := Target{
		Attrs:   make([]TargetAttribute, 0, len(c.attrs)),
		Explain: make([]Explanation, len(c.attrs)),
	}
	var errs ApplyErrors
	for i := range c.attrs {
		a := &c.attrs[i]
		ex := &t.Explain[i]
		*ex = Explanation{Target: a.Target, Type: a.Type, Expression: a.Text}
		attr, err := c.applyOne(a, src, opts, ex)
		if err != nil {
			ex.Outcome, ex.Err = Failed, err
			errs = append(errs, &AttributeError{Target: a.Target, Err: err})
			continue
		}
		if ex.Outcome == Flowed {
			ex.Value, ex.Redacted, ex.DefaultUsed = attr.Value, attr.Redacted, attr.DefaultUsed
			t.Attrs = append(t.Attrs, attr)
		}
	}
	if len(errs) > 0 {
		return t, errs
	}
	return t, nil
}

// evalUnique evaluates an attribute mapping. When the mapping uses
// SelectUniqueValue and the target object's current value is known, still
// one of the candidates and free (eo.Exists says no), that value is kept:
// an object is not renamed because an earlier candidate became free. This
// is a decision, as the documentation is silent on updates; without it a
// second cycle would change what the first wrote. Otherwise the first free
// candidate wins, as on create.
func evalUnique(a *CompiledAttribute, src expr.Env, eo expr.EvalOptions, current expr.Value) (expr.Value, error) {
	if eo.Exists != nil && current != nil && usesSelectUniqueValue(a) {
		cur, _ := expr.Unwrap(current)
		if s, ok := cur.(expr.String); ok && s != "" && !eo.Exists(string(s)) {
			caseExact := a.Definition != nil && a.Definition.CaseExact
			sticky := eo
			sticky.Exists = func(v string) bool {
				if caseExact {
					return v != string(s)
				}
				return !strings.EqualFold(v, string(s))
			}
			if v, err := a.Program.EvalWith(src, sticky); err == nil {
				return v, nil
			}
		}
	}
	return a.Program.EvalWith(src, eo)
}

func usesSelectUniqueValue(a *CompiledAttribute) bool {
	return a.Program != nil && slices.Contains(a.Program.Functions(), "SelectUniqueValue")
}

func (c *CompiledObjectMapping) applyOne(a *CompiledAttribute, src expr.Env, opts ApplyOptions, ex *Explanation) (TargetAttribute, error) {
	out := TargetAttribute{Name: a.Target, FlowType: a.FlowType, Export: true}
	if a.FlowType == ObjectAddOnly && !opts.OnCreate {
		ex.Outcome = SkippedOnUpdate
		return out, nil
	}
	var current expr.Value
	haveCurrent := false
	if opts.Current != nil {
		current, haveCurrent = opts.Current.Lookup(a.Target)
		haveCurrent = true // absent from a known target object means empty
	}
	if a.FlowType == AttributeAddOnly && !opts.OnCreate && haveCurrent && !expr.IsNullOrEmpty(current) {
		ex.Outcome = SkippedHasValue
		return out, nil
	}
	v := expr.Null
	if a.Program != nil {
		eo := expr.EvalOptions{Now: opts.Now}
		if opts.Rand != nil {
			eo.Rand = opts.Rand(a.Target)
		}
		if opts.Exists != nil {
			target := a.Target
			eo.Exists = func(value string) bool { return opts.Exists(target, value) }
		}
		var err error
		if v, err = evalUnique(a, src, eo, current); err != nil {
			return out, err
		}
	}
	if v.Kind() == expr.KindIgnored {
		ex.Outcome = Ignored
		return out, nil
	}
	v, out.Redacted = expr.Unwrap(v)
	if def := a.Definition; def != nil {
		var err error
		if v, err = shape(v, def); err != nil {
			return out, err
		}
	}
	if expr.IsNull(v) {
		dflt := a.Mapping.DefaultValue
		if dflt == "" || !(opts.OnCreate || (haveCurrent && expr.IsNullOrEmpty(current))) {
			ex.Outcome = NullResult
			return out, nil
		}
		v, out.DefaultUsed, out.Redacted = expr.String(dflt), true, false
		if def := a.Definition; def != nil && def.Multivalued {
			v = expr.Multi{dflt}
		}
	}
	out.Value = v
	if haveCurrent && a.Mapping.FlowBehavior != FlowAlways {
		out.Export = !c.equal(a.Definition, current, v)
	}
	ex.Outcome = Flowed
	return out, nil
}

// shape fits a value to its target attribute: a Multi for a multi-valued
// attribute, a single value otherwise.
func shape(v expr.Value, def *AttributeDefinition) (expr.Value, error) {
	m, isMulti := v.(expr.Multi)
	switch {
	case def.Multivalued && !isMulti && !expr.IsNull(v):
		return expr.Multi(expr.Strings(v)), nil
	case def.Multivalued && isMulti && len(m) == 0:
		return expr.Null, nil
	case !def.Multivalued && isMulti:
		switch len(m) {
		case 0:
			return expr.Null, nil
		case 1:
			return expr.String(m[0]), nil
		}
		return nil, fmt.Errorf("%d values for single-valued attribute %s (pick one with Item or Join them)", len(m), def.Name)
	}
	return v, nil
}

// Equal reports whether two values of the target attribute attr are the
// same, as the service decides whether an update is needed: ignoring case
// unless the attribute is caseExact (Boolean attributes always ignore
// case), multi-valued values as sets, and null equal to empty.
func (c *CompiledObjectMapping) Equal(attr string, a, b expr.Value) bool {
	return c.equal(c.target.Attribute(attr), a, b)
}

func (c *CompiledObjectMapping) equal(def *AttributeDefinition, a, b expr.Value) bool {
	a, _ = expr.Unwrap(a)
	b, _ = expr.Unwrap(b)
	if expr.IsNullOrEmpty(a) || expr.IsNullOrEmpty(b) {
		return expr.IsNullOrEmpty(a) && expr.IsNullOrEmpty(b)
	}
	fold := def == nil || !def.CaseExact || def.Type == TypeBoolean
	_, am := a.(expr.Multi)
	_, bm := b.(expr.Multi)
	if am || bm || (def != nil && def.Multivalued) {
		return sameSet(expr.Strings(a), expr.Strings(b), fold)
	}
	if fold {
		return strings.EqualFold(expr.Render(a), expr.Render(b))
	}
	return expr.Render(a) == expr.Render(b)
}

// sameSet compares two lists as sets.
func sameSet(a, b []string, fold bool) bool {
	norm := func(xs []string) []string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			if x == "" {
				continue
			}
			if fold {
				x = strings.ToLower(x)
			}
			out = append(out, x)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}
