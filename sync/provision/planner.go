package provision

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/attrmap/attrmap/mapping"
)

// Options configures a Planner. The zero value is the service's default: only
// assigned objects are in scope, out-of-scope objects are disabled, and
// there is no accidental-deletion guard.
type Options struct {
	// SyncAll puts every source object in scope regardless of assignment
	// (the portal's "Sync all users and groups"); by default only
	// assigned objects are.
	SyncAll bool
	// SkipOutOfScopeDeletions leaves provisioned objects alone when their
	// source goes out of scope, is unassigned, disabled or soft-deleted
	// (the job secret of that name). Hard deletes still delete.
	SkipOutOfScopeDeletions bool
	// DeletionThreshold turns on the accidental-deletion guard: when the
	// plan holds more disables and deletes than this, they are held back
	// (Plan.Held). 0 turns the guard off.
	DeletionThreshold int
	// AllowDeletions lets a plan over the threshold through, as an admin's
	// "Allow deletes" does.
	AllowDeletions bool
	// AllowSourceLoss lets a source through that lost most of the objects
	// the state links (or all of them: an empty source), which plans
	// deleting their targets. Without it such a cycle is refused (an
	// *InputError from Plan): an empty or truncated export looks exactly like it.
	AllowSourceLoss bool
	// AllowOtherTypes leaves out the source and target objects, and the
	// links, of types no object mapping of the planner plans (planning one
	// object mapping of a rule that has several). Without it they are
	// refused: an object whose objectType is misspelt would otherwise be
	// dropped, and its target deleted as gone from the source.
	AllowOtherTypes bool
	// Now is the clock of Now and the date functions. Zero keeps the
	// clock the mapping was compiled with; set it for reproducible plans.
	Now time.Time
	// NewTargetID gives the id of the target object a Create makes, from
	// the source object's id. nil uses the source id. When the id is
	// already taken in the target, "#2", "#3", ... is appended.
	NewTargetID func(sourceID string) string
	// Workers bounds the goroutines evaluating objects; 0 means GOMAXPROCS.
	Workers int
	// Progress, if set, is called at the end of each stage with the number
	// of items it handled. It is called from Plan's goroutine only.
	Progress func(stage string, count int)
}

// Planner plans the provisioning cycles of a synchronization rule: its
// object mappings, such as users and groups (mapping.Schema.CompileRule
// compiles them), prepared once, then planned and explained any number of
// times. It is immutable and safe for concurrent use.
//
// Each object mapping plans its own objects (see the package
// documentation); then the steps that need all of them run: ids for
// created objects, the accidental-deletion guard over the whole plan, and
// references (manager, group members), which resolve through the links of
// the object mapping they point to. The plan lists the operations of an
// object mapping before those of the mappings that reference it (users
// before the groups that contain them), within each kind.
type Planner struct {
	opts  Options
	rules []*prepared // in the order given
	order []int       // positions in rules, in dependency order
	// srcNames and tgtNames are the source and target object types of
	// rules, which tell the snapshots' and the state's objects apart.
	srcNames, tgtNames []string
	rank               map[string]int // target object name -> position in the plan order
	name               string         // Plan.Rule
}

// NewPlanner prepares the object mappings of one synchronization rule
// with the options of every cycle it plans. The snapshots hold the
// objects of every type, told apart by Object.Type (empty means the first
// mapping's type); the state holds the links of every type, told apart by
// Link.Type.
func NewPlanner(rules []*mapping.CompiledObjectMapping, opts Options) (*Planner, error) {
	if len(rules) == 0 {
		return nil, errors.New("provision: no object mapping")
	}
	p := &Planner{opts: opts, rank: map[string]int{}}
	for _, r := range rules {
		if r == nil {
			return nil, errors.New("provision: nil object mapping")
		}
		p.rules = append(p.rules, prepare(r))
		p.srcNames = append(p.srcNames, r.SourceObjectName())
		p.tgtNames = append(p.tgtNames, r.TargetObjectName())
	}
	p.order = dependencyOrder(rules)
	names := make([]string, len(p.order))
	for pos, i := range p.order {
		names[pos] = p.rules[i].name
		for _, n := range []string{p.tgtNames[i], strings.ToLower(p.tgtNames[i])} {
			if _, dup := p.rank[n]; !dup {
				p.rank[n] = pos
			}
		}
	}
	p.name = strings.Join(names, " + ")
	return p, nil
}

// Plan computes the plan of one provisioning cycle and the state to keep
// for the next one. It is a pure function of its arguments: no I/O, no
// clock (see Options.Now), no globals, and the same plan for any order of
// the snapshots' objects. Errors on single objects are in Plan.Errors.
//
// source holds the source objects with their flags; target the target
// objects; state the links of the previous cycle, or nil for an initial
// cycle. A nil snapshot is an empty one.
//
// Inputs that must not be planned from (see guard.go) give an *InputError with a plan without
// operations whose Errors hold the reasons (stage "input"), and the state
// unchanged, so that a caller that ignores the error changes nothing.
//
// Plan stops soon after ctx is cancelled (it looks every few hundred
// objects) and then returns nil, nil and ctx.Err().
func (p *Planner) Plan(ctx context.Context, source, target *Snapshot, state *State) (*Plan, *State, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	in := p.newInputs(source, target, state)
	if err := p.check(in); err != nil {
		plan, next := p.refused(err, state)
		return plan, next, err
	}
	return newCycle(p, in, p.opts).plan(ctx)
}

// refused is the plan of inputs Check refused.
func (p *Planner) refused(err error, state *State) (*Plan, *State) {
	plan := &Plan{Rule: p.name, Initial: state == nil}
	for _, msg := range err.(*InputError).Problems {
		plan.Errors = append(plan.Errors, ObjectError{Stage: "input", Err: errors.New(msg)})
	}
	plan.Stats.Errors = len(plan.Errors)
	next := &State{Rule: p.name}
	if state != nil {
		next = &State{Rule: state.Rule, Links: slices.Clone(state.Links)}
	}
	return plan, next
}

// prepared is one object mapping as a Planner keeps it: what the engine
// needs to know of its attributes, found once.
type prepared struct {
	rule      *mapping.CompiledObjectMapping
	name      string // the object mapping's name, or "Source to Target"
	attrs     []mapping.CompiledAttribute
	flows     mapping.ObjectFlows
	caseExact []bool // per attribute: CompiledAttribute.CaseExact
	multi     []bool // per attribute: multi-valued
	unique    []int  // the attributes using SelectUniqueValue
	soft      []int  // attributes whose expression reads IsSoftDeleted (all are evaluated on a disable)
	match     []int  // matching attributes, by priority
	isRef     []bool // per attribute: a Reference, resolved after every rule ran
	refs      []int  // the reference attributes
	// attrsSorted reports that the attributes are in the order of an
	// operation's changes (compareNames), as mapping compiles them.
	attrsSorted bool
}

func prepare(rule *mapping.CompiledObjectMapping) *prepared {
	p := &prepared{rule: rule, name: ruleName(rule), attrs: rule.Attributes(), flows: rule.Mapping().Flows()}
	n := len(p.attrs)
	p.caseExact, p.multi = make([]bool, n), make([]bool, n)
	for k := range p.attrs {
		a := &p.attrs[k]
		p.caseExact[k] = a.CaseExact()
		if d := a.Definition; d != nil {
			p.multi[k] = d.Multivalued
			if d.Type == mapping.TypeReference && a.Program != nil {
				if p.isRef == nil {
					p.isRef = make([]bool, n)
				}
				p.isRef[k] = true
				p.refs = append(p.refs, k)
			}
		}
		if a.Program != nil && slices.Contains(a.Program.Functions(), "SelectUniqueValue") {
			p.unique = append(p.unique, k)
		}
	}
	for k := range p.attrs {
		if readsSoftDelete(&p.attrs[k]) {
			p.soft = append(p.soft, k)
		}
	}
	p.attrsSorted = slices.IsSortedFunc(p.attrs, func(a, b mapping.CompiledAttribute) int { return compareNames(a.Target, b.Target) })
	for _, m := range rule.Matching() {
		for k := range p.attrs {
			if p.attrs[k].Mapping == m.Mapping {
				p.match = append(p.match, k)
			}
		}
	}
	return p
}

func ruleName(c *mapping.CompiledObjectMapping) string {
	m := c.Mapping()
	if m.Name != "" {
		return m.Name
	}
	return m.SourceObjectName + " to " + m.TargetObjectName
}

// dependencyOrder returns the positions of the object mappings, each after
// the ones its reference attributes point to (ignoring references to itself), keeping the
// schema's order otherwise; a cycle is broken in schema order.
func dependencyOrder(rules []*mapping.CompiledObjectMapping) []int {
	deps := make([][]int, len(rules))
	for i, r := range rules {
		for _, a := range r.Attributes() {
			d := a.Definition
			if d == nil || d.Type != mapping.TypeReference {
				continue
			}
			for _, ro := range d.ReferencedObjects {
				for j, other := range rules {
					if j != i && strings.EqualFold(other.TargetObjectName(), ro.ReferencedObjectName) && !slices.Contains(deps[i], j) {
						deps[i] = append(deps[i], j)
					}
				}
			}
		}
	}
	placed := make([]bool, len(rules))
	out := make([]int, 0, len(rules))
	for len(out) < len(rules) {
		pick := -1
		for i := range rules {
			if placed[i] {
				continue
			}
			ready := true
			for _, j := range deps[i] {
				ready = ready && placed[j]
			}
			if ready {
				pick = i
				break
			}
		}
		if pick < 0 { // a cycle: take the first left
			pick = slices.Index(placed, false)
		}
		placed[pick] = true
		out = append(out, pick)
	}
	return out
}

// readsSoftDelete reports whether a mapping's expression reads the virtual
// attribute IsSoftDeleted. A schema can set several target attributes from
// it (active and a custom flag); a disable evaluates every one of them.
func readsSoftDelete(a *mapping.CompiledAttribute) bool {
	p := a.Program
	return p != nil && slices.ContainsFunc(p.Attributes(), func(n string) bool { return strings.EqualFold(n, softDeleteAttr) })
}
