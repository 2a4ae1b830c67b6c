package provision

import (
	"context"
	"fmt"
	"strings"
)

// Step is one step of an explanation.
type Step struct {
	// Stage is "source", "scope", "map", "match", "action" or "refs".
	Stage string
	Text  string
}

// Explanation walks one object through a cycle, as the portal's
// provision-on-demand does: the scope decision and the clause or group
// that made it, each attribute's expression and value, the match, and the
// action with its changes.
type Explanation struct {
	// Key is the source object's id.
	Key   string
	Steps []Step
	// Op is the object's operation or skipped action, nil if none.
	Op *Op
	// FollowUp is the update that sets, after the creates, the
	// references of a created object to objects created in the same
	// plan; nil if none.
	FollowUp *Op
	// Held reports that Op was held by the accidental-deletion guard.
	Held bool
	// Err is the object's error, nil if none.
	Err *ObjectError
}

// Explain plans the cycle as Plan does and explains what it decides for
// one object, named by its source id or by the target id it is linked to.
// An id found in several object mappings (a user and a group with the
// same id) is explained for the first, in plan order. Options.Progress is
// not called. Like Plan, it stops with ctx.Err() when ctx is cancelled.
func (p *Planner) Explain(ctx context.Context, source, target *Snapshot, state *State, id string) (*Explanation, error) {
	opts := p.opts
	opts.Progress = nil
	c := newCycle(p, p.newInputs(source, target, state), opts)
	plan, _, err := c.plan(ctx)
	if err != nil {
		return nil, err
	}
	e, key := c.find(id)
	if e == nil {
		return nil, fmt.Errorf("no source object and no link with id %q", id)
	}
	tr := &steps{}
	c.walk(e, key, tr)
	obj := e.rule.TargetObjectName()
	find := func(ops []Op, followUp bool) *Op {
		for i := range ops {
			if ops[i].Key == key && strings.EqualFold(ops[i].Object, obj) && ops[i].FollowUp == followUp {
				return &ops[i]
			}
		}
		return nil
	}
	x := &Explanation{Key: key, Op: find(plan.Ops, false), FollowUp: find(plan.Ops, true)}
	for _, u := range plan.Unresolved {
		if u.Key == key && strings.EqualFold(u.Object, obj) {
			tr.stepf("refs", "%s = %q left out: %s", u.Attribute, u.Value, u.Reason)
		}
	}
	for _, op := range []*Op{x.Op, x.FollowUp} {
		if op == nil {
			continue
		}
		for _, ch := range op.Changes {
			if ch.Ref != "" {
				tr.stepf("refs", "%s resolved through the %s links%s", ch.Name, ch.Ref, followUpWord(op.FollowUp))
			}
		}
	}
	x.Steps = *tr
	if x.Op == nil {
		x.Op = find(plan.Skipped, false)
	}
	if x.Op == nil && plan.Held != nil {
		x.Op = find(plan.Held.Ops, false)
		x.Held = x.Op != nil
	}
	for i := range plan.Errors {
		if plan.Errors[i].Key == key && strings.EqualFold(plan.Errors[i].Object, obj) {
			x.Err = &plan.Errors[i]
			break
		}
	}
	return x, nil
}

// find finds the object an explanation is asked for: a source id, a
// linked source id, or a linked target id. It returns its object
// mapping's engine and its source id, or a nil engine.
func (c *cycle) find(id string) (*engine, string) {
	for _, e := range c.engines {
		if _, ok := e.srcByID[id]; ok {
			return e, id
		}
	}
	for _, e := range c.engines {
		if _, ok := e.oldLink(id); ok {
			return e, id
		}
	}
	for _, e := range c.engines {
		if e.state == nil {
			continue
		}
		for _, l := range e.state.Links {
			if l.Target == id {
				return e, l.Source
			}
		}
	}
	return nil, ""
}

// walk traces the object through the engine's stages again, as the plan
// decided it: a source object through engine.object, a hard-deleted one
// through its link.
func (c *cycle) walk(e *engine, key string, tr *steps) {
	if i, ok := e.srcByID[key]; ok {
		if i < 0 {
			tr.stepf("source", "the source snapshot holds more than one object with id %s", key)
			return
		}
		if len(c.engines) > 1 {
			tr.stepf("source", "%s, planned by the object mapping %s", e.rule.SourceObjectName(), ruleName(e.rule))
		}
		e.object(e.newWorker(), int(i), tr)
		return
	}
	if l, ok := e.oldLink(key); ok {
		tr.stepf("source", "gone from the source snapshot: hard-deleted")
		tr.stepf("match", "linked by state to target %s (%s)", l.Target, provisionedWord(l.Provisioned))
		switch _, there := e.targetByID[l.Target]; {
		case !l.Provisioned:
			tr.stepf("action", "none: target %s was deprovisioned earlier and is no longer managed", l.Target)
		case !there:
			tr.stepf("action", "none: the linked target %s is gone too", l.Target)
		}
	}
}

func followUpWord(f bool) string {
	if f {
		return ", set by a follow-up update after the creates"
	}
	return ""
}

// String lays the explanation out for people, one step per line.
func (x *Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "object %s\n", x.Key)
	for _, s := range x.Steps {
		fmt.Fprintf(&b, "  %-7s %s\n", s.Stage+":", s.Text)
	}
	switch {
	case x.Err != nil:
		fmt.Fprintf(&b, "  %-7s none: error in %s: %s\n", "result:", x.Err.Stage, x.Err.Err)
	case x.Op == nil:
		fmt.Fprintf(&b, "  %-7s nothing to do\n", "result:")
	default:
		x.writeResult(&b, x.Op)
		if x.FollowUp != nil {
			x.writeResult(&b, x.FollowUp)
		}
	}
	return b.String()
}

// writeResult writes one operation as a result line and its changes.
func (x *Explanation) writeResult(b *strings.Builder, op *Op) {
	var ob strings.Builder
	writeOp(&ob, op, "")
	lines := strings.Split(strings.TrimSuffix(ob.String(), "\n"), "\n")
	head := lines[0][2:]
	switch {
	case x.Held:
		head += " (held by the accidental-deletion guard)"
	case op.Kind == Skip:
		head = "skipped " + head
	}
	fmt.Fprintf(b, "  %-7s %s\n", "result:", head)
	for _, l := range lines[1:] {
		l = strings.TrimPrefix(l, "    ")
		if strings.HasPrefix(l, "match: ") || (strings.HasPrefix(l, "why: ") && op.Kind != Skip && !op.FollowUp) {
			continue // the steps above say it already
		}
		fmt.Fprintf(b, "          %s\n", l)
	}
}
