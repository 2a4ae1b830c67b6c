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
	// ExistsIn names where Exists looks, for SelectUniqueValue's error
	// when every candidate is taken (expr.EvalOptions.ExistsIn).
	ExistsIn string
	// Slots and Values let a caller whose source objects keep their
	// values at fixed positions skip the attribute lookup of a bare
	// [attr] mapping (CompiledAttribute.BareAttribute): when Slots[k] >= 0
	// and mapping k is one, its value is Values[Slots[k]] where the
	// program would have asked src.Lookup; an index past Values or a nil
	// value is absent (null), as a lookup that finds nothing. Everything
	// after the lookup (Ignored, Redact, shape, defaults, Convert) is the
	// same. The caller promises that the slot holds what src.Lookup
	// returns for the name; Slots, when set, has one entry per mapping.
	Slots  []int
	Values []expr.Value
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
//   - A null result takes the mapping's default value on create; on update
//     only a None mapping (no source) fills a target attribute that
//     opts.Current shows empty (the rule and its evidence: "Default values"
//     in the package documentation). Otherwise a null does not flow: the
//     service does not provision null values. An empty string does flow.
//   - IgnoreFlowIfNullOrEmpty at the top of an expression stops the flow.
//   - Redact: the value flows, marked Redacted so that logs show [Redact].
//   - A multi-valued target attribute receives a Multi; a multi-valued
//     result for a single-valued attribute fails unless it has one value.
//
// The source object is not checked against the scoping filter (see
// InScope). Attribute failures do not stop the others: the Target is
// complete, and err, an ApplyErrors, lists the failures. Apply is ApplyTo
// plus the Target attribute set.
func (c *CompiledObjectMapping) Apply(src expr.Env, opts ApplyOptions) (Target, error) {
	t := Target{
		Attrs:   make([]TargetAttribute, 0, len(c.attrs)),
		Explain: make([]Explanation, len(c.attrs)),
	}
	failed := c.ApplyTo(src, opts, t.Explain)
	var errs ApplyErrors
	if failed > 0 {
		errs = make(ApplyErrors, 0, failed)
	}
	for k := range t.Explain {
		a, ex := &c.attrs[k], &t.Explain[k]
		switch ex.Outcome {
		case Failed:
			errs = append(errs, &AttributeError{Target: a.Target, Err: ex.Err})
		case Flowed:
			attr := TargetAttribute{Name: a.Target, Value: ex.Value, Redacted: ex.Redacted, DefaultUsed: ex.DefaultUsed, FlowType: a.FlowType, Export: true}
			if opts.Current != nil && a.Mapping.FlowBehavior != FlowAlways {
				current, _ := opts.Current.Lookup(a.Target)
				attr.Export = !a.Equal(current, ex.Value)
			}
			t.Attrs = append(t.Attrs, attr)
		}
	}
	if len(errs) > 0 {
		return t, errs
	}
	return t, nil
}

// ApplyTo is the one implementation of the attribute mapping rules that
// Apply describes: it applies every attribute mapping to src and writes
// what became of mapping k (the k-th of Attributes) to out[k], which must
// have len(Attributes()) elements. It returns the number of failed
// mappings. It allocates nothing beyond what expression evaluation does,
// and it asks opts only what a mapping needs: Current on update and for
// SelectUniqueValue's kept value, Exists for SelectUniqueValue, Rand for
// Guid and RandomString. The sync planner calls it for every object of a
// cycle with buffers it reuses; Apply, the map command, the REPL and
// every explanation go through it too.
func (c *CompiledObjectMapping) ApplyTo(src expr.Env, opts ApplyOptions, out []Explanation) (failed int) {
	out = out[:len(c.attrs)]
	slots := opts.Slots
	if slots != nil {
		slots = slots[:len(c.attrs)]
	}
	for k := range c.attrs {
		a, ex := &c.attrs[k], &out[k]
		*ex = Explanation{Target: a.Target, Type: a.Type, Expression: a.Text}
		slot := -1
		if slots != nil && a.bare != "" {
			slot = slots[k]
		}
		if err := a.apply(src, &opts, slot, ex); err != nil {
			ex.Outcome, ex.Value, ex.Redacted, ex.DefaultUsed, ex.Err = Failed, nil, false, false, err
			failed++
		}
	}
	return failed
}

// apply applies the attribute mapping into ex; see Apply for the rules.
// A slot >= 0 is the position in opts.Values of a bare [attr] mapping's
// attribute (ApplyOptions.Slots).
func (a *CompiledAttribute) apply(src expr.Env, opts *ApplyOptions, slot int, ex *Explanation) error {
	if a.FlowType == ObjectAddOnly && !opts.OnCreate {
		ex.Outcome = SkippedOnUpdate
		return nil
	}
	// The current value matters on update (AttributeAddOnly, defaults) and
	// to SelectUniqueValue; look it up only then. An attribute absent
	// from a known target object is empty.
	var current expr.Value
	known := false
	if opts.Current != nil && (!opts.OnCreate || (a.unique && opts.Exists != nil)) {
		current, _ = opts.Current.Lookup(a.Target)
		known = true
	}
	if a.FlowType == AttributeAddOnly && !opts.OnCreate && known && !expr.IsNullOrEmpty(current) {
		ex.Outcome = SkippedHasValue
		return nil
	}
	v := expr.Null
	switch {
	case slot >= 0:
		// What Program.EvalWith does for a bare attribute reference.
		if slot < len(opts.Values) && opts.Values[slot] != nil {
			v = opts.Values[slot]
		}
	case a.Program != nil:
		eo := expr.EvalOptions{Now: opts.Now}
		if a.random && opts.Rand != nil {
			eo.Rand = opts.Rand(a.Target)
		}
		var err error
		if a.unique && opts.Exists != nil {
			exists, target := opts.Exists, a.Target
			eo.Exists, eo.ExistsIn = func(v string) bool { return exists(target, v) }, opts.ExistsIn
			v, err = a.evalUnique(src, eo, current)
		} else {
			v, err = a.Program.EvalWith(src, eo)
		}
		if err != nil {
			return err
		}
	}
	if v.Kind() == expr.KindIgnored {
		ex.Outcome = Ignored
		return nil
	}
	v, ex.Redacted = expr.Unwrap(v)
	if def := a.Definition; def != nil {
		var err error
		if v, err = shape(v, def); err != nil {
			return err
		}
	}
	if expr.IsNull(v) {
		dflt := a.Mapping.DefaultValue
		// Default values: see "Default values" in doc.go.
		fill := opts.OnCreate || a.Program == nil && known && expr.IsNullOrEmpty(current)
		if dflt == "" || !fill {
			ex.Outcome, ex.Redacted = NullResult, false
			return nil
		}
		v, ex.DefaultUsed, ex.Redacted = expr.String(dflt), true, false
		if def := a.Definition; def != nil && def.Multivalued {
			v = expr.Multi{dflt}
		}
	}
	// The target attribute's type decides the value's type (Convert).
	cv, err := a.Definition.Convert(v)
	if err != nil {
		if ex.DefaultUsed {
			return fmt.Errorf("default value: %w", err)
		}
		return err
	}
	ex.Outcome, ex.Value = Flowed, cv
	return nil
}

// evalUnique evaluates a mapping that uses SelectUniqueValue. When the
// target object's current value is known, still one of the candidates and
// free (eo.Exists says no), that value is kept: an object is not renamed
// because an earlier candidate became free. This is a decision, as the
// documentation is silent on updates; without it a second cycle would
// change what the first wrote. Otherwise the first free candidate wins, as
// on create. The current value is compared as Equal compares: ignoring
// case unless the attribute is caseExact.
func (a *CompiledAttribute) evalUnique(src expr.Env, eo expr.EvalOptions, current expr.Value) (expr.Value, error) {
	if current != nil {
		cur, _ := expr.Unwrap(current)
		if s, ok := cur.(expr.String); ok && s != "" && !eo.Exists(string(s)) {
			sticky := eo
			exact := a.exact
			sticky.Exists = func(v string) bool {
				if exact {
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

// BareAttribute returns the source attribute of a mapping whose
// expression is a bare attribute reference ([mail]), and whether it is
// one: its value is the attribute's, unchanged until the conversion to
// the target's type (see ApplyOptions.Slots).
func (a *CompiledAttribute) BareAttribute() (string, bool) { return a.bare, a.bare != "" }

// CaseExact reports whether values of the target attribute compare
// exactly: its definition says caseExact and it is not a Boolean. Equal,
// SelectUniqueValue's kept value and the sync core's lookups all use it.
func (a *CompiledAttribute) CaseExact() bool { return a.exact }

// Equal reports whether two values of the mapping's target attribute are
// the same, as the service decides whether an update is needed: ignoring
// case unless the attribute is caseExact (Boolean attributes always ignore
// case), multi-valued values as sets, and null equal to empty.
func (a *CompiledAttribute) Equal(x, y expr.Value) bool { return equalValues(a.Definition, x, y) }

// caseExact is the comparison rule of a target attribute: exact when its
// definition says caseExact, except for Booleans.
func caseExact(def *AttributeDefinition) bool {
	return def != nil && def.CaseExact && def.Type != TypeBoolean
}

func equalValues(def *AttributeDefinition, a, b expr.Value) bool {
	if as, ok := a.(expr.String); ok {
		if bs, ok := b.(expr.String); ok && as == bs {
			return true // the same text is equal under every rule below
		}
	}
	a, _ = expr.Unwrap(a)
	b, _ = expr.Unwrap(b)
	if expr.IsNullOrEmpty(a) || expr.IsNullOrEmpty(b) {
		return expr.IsNullOrEmpty(a) && expr.IsNullOrEmpty(b)
	}
	fold := !caseExact(def)
	_, am := a.(expr.Multi)
	_, bm := b.(expr.Multi)
	if am || bm || (def != nil && def.Multivalued) {
		return sameSet(expr.Strings(a), expr.Strings(b), fold)
	}
	as, ok1 := a.(expr.String)
	bs, ok2 := b.(expr.String)
	if !ok1 || !ok2 {
		as, bs = expr.String(expr.Render(a)), expr.String(expr.Render(b))
	}
	if fold {
		return as == bs || strings.EqualFold(string(as), string(bs))
	}
	return as == bs
}

// sameSet compares two lists as sets, ignoring empty strings.
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
