package sync

import (
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/mapping"
)

// Step is one step of an explanation.
type Step struct {
	// Stage is "source", "scope", "map", "match" or "action".
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
	// Held reports that Op was held by the accidental-deletion guard.
	Held bool
	// Err is the object's error, nil if none.
	Err *ObjectError
}

// Explain computes the plan as Diff does and explains what it decides for
// one object, named by its source id or by the target id it is linked to.
func Explain(rule *mapping.CompiledObjectMapping, source, target *Snapshot, state *State, opts Options, id string) (*Explanation, error) {
	plan, _, err := Diff(rule, source, target, state, opts)
	if err != nil {
		return nil, err
	}
	e, err := newEngine(rule, source, target, state, Options{SyncAll: opts.SyncAll, SkipOutOfScopeDeletions: opts.SkipOutOfScopeDeletions, Now: opts.Now, NewTargetID: opts.NewTargetID})
	if err != nil {
		return nil, err
	}
	key := id
	if _, ok := e.srcByID[key]; !ok {
		if _, linked := e.oldLink(key); !linked && state != nil {
			for _, l := range state.Links {
				if l.Target == id {
					key = l.Source
					break
				}
			}
		}
	}
	x := &Explanation{Key: key}
	tr := &tracer{}
	if i, ok := e.srcByID[key]; ok {
		if i < 0 {
			tr.add("source", "the source snapshot holds more than one object with id %s", key)
		} else {
			e.object(e.newWorker(), int(i), tr)
		}
	} else if l, ok := e.oldLink(key); ok {
		tr.add("source", "gone from the source snapshot: hard-deleted")
		tr.add("match", "linked by state to target %s (%s)", l.Target, provisionedWord(l.Provisioned))
		switch _, there := e.targetByID[l.Target]; {
		case !l.Provisioned:
			tr.add("action", "none: target %s was deprovisioned earlier and is no longer managed", l.Target)
		case !there:
			tr.add("action", "none: the linked target %s is gone too", l.Target)
		}
	} else {
		return nil, fmt.Errorf("no source object and no link with id %q", id)
	}
	x.Steps = tr.steps
	find := func(ops []Op) *Op {
		for i := range ops {
			if ops[i].Key == key {
				return &ops[i]
			}
		}
		return nil
	}
	x.Op = find(plan.Ops)
	if x.Op == nil {
		x.Op = find(plan.Skipped)
	}
	if x.Op == nil && plan.Held != nil {
		x.Op, x.Held = find(plan.Held.Ops), true
		x.Held = x.Op != nil
	}
	for i := range plan.Errors {
		if plan.Errors[i].Key == key {
			x.Err = &plan.Errors[i]
			break
		}
	}
	return x, nil
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
		var ob strings.Builder
		writeOp(&ob, x.Op, "")
		lines := strings.Split(strings.TrimSuffix(ob.String(), "\n"), "\n")
		head := lines[0][2:]
		switch {
		case x.Held:
			head += " (held by the accidental-deletion guard)"
		case x.Op.Kind == Skip:
			head = "skipped " + head
		}
		fmt.Fprintf(&b, "  %-7s %s\n", "result:", head)
		for _, l := range lines[1:] {
			l = strings.TrimPrefix(l, "    ")
			if strings.HasPrefix(l, "match: ") || (strings.HasPrefix(l, "why: ") && x.Op.Kind != Skip) {
				continue // the steps above say it already
			}
			fmt.Fprintf(&b, "          %s\n", l)
		}
	}
	return b.String()
}
