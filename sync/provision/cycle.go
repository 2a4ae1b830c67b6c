package provision

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// cycle is one Plan: an engine per object mapping, in dependency order.
type cycle struct {
	opts    Options
	initial bool
	engines []*engine
	parts   []*part
	rank    map[string]int // the Planner's
	name    string         // the Planner's
}

// newCycle makes an engine per object mapping, over its share of the
// inputs. Objects and links without a type belong to the first mapping as
// given; the engines run, and their operations are listed, in dependency
// order.
func newCycle(p *Planner, in *inputs, opts Options) *cycle {
	c := &cycle{opts: opts, initial: in.state == nil, rank: p.rank, name: p.name}
	for _, i := range p.order {
		c.engines = append(c.engines, newEngine(p.rules[i], in.parts[i], opts))
	}
	return c
}

// partition splits a snapshot by object type: names[i] is the type of
// part i, and an object without a type belongs to part 0. Objects of a
// type no part has are left out. When every object belongs to part 0, the
// snapshot itself is part 0 (no copy); otherwise each part holds copies
// of its Object headers, sharing their values and the attribute table.
func partition(s *Snapshot, names []string) []*Snapshot {
	out := make([]*Snapshot, len(names))
	ix := s.index()
	for i := range out {
		out[i] = &Snapshot{Attributes: s.Attributes}
		out[i].ix.Store(ix)
	}
	all0 := true
	for i := range s.Objects {
		if t := s.Objects[i].Type; t != "" && typeIndex(names, t) != 0 {
			all0 = false
			break
		}
	}
	if all0 {
		out[0] = s
		return out
	}
	for i := range s.Objects {
		if p := typeIndex(names, s.Objects[i].Type); p >= 0 {
			out[p].Objects = append(out[p].Objects, s.Objects[i])
		}
	}
	return out
}

// partitionState splits the links by source object type, as partition
// does. A nil state stays nil (an initial cycle).
func partitionState(s *State, names []string) []*State {
	out := make([]*State, len(names))
	if s == nil {
		return out
	}
	for i := range out {
		out[i] = &State{Rule: s.Rule}
	}
	if !slices.ContainsFunc(s.Links, func(l Link) bool { return l.Type != "" && !strings.EqualFold(l.Type, names[0]) }) {
		out[0] = s // one type: no copy
		return out
	}
	for _, l := range s.Links {
		p := 0
		if l.Type != "" {
			p = -1
			for i, n := range names {
				if strings.EqualFold(n, l.Type) {
					p = i
					break
				}
			}
		}
		if p >= 0 {
			out[p].Links = append(out[p].Links, l)
		}
	}
	return out
}

// plan runs every engine and assembles the plan and the new state, in
// stages: evaluate each object mapping's objects, give created objects
// their ids, hold deletions back, compute the new links, resolve
// references, then gather and count the operations. It returns ctx.Err()
// when ctx is cancelled before the plan is complete.
func (c *cycle) plan(ctx context.Context) (*Plan, *State, error) {
	for _, e := range c.engines {
		res := e.run(ctx)
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		e.claimUnique(res)
		c.parts = append(c.parts, e.collect(res))
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
	}
	assignIDs(c.parts, c.opts)
	p := &Plan{Rule: c.name, Initial: c.initial}
	c.holdDeletions(p)
	for _, pt := range c.parts {
		pt.newLinks()
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	c.resolveReferences(p)
	c.gather(p)
	c.engines[0].progress("plan", len(p.Ops))
	next := c.nextState(p.Rule)
	c.engines[0].progress("state", len(next.Links))
	return p, next, nil
}

// holdDeletions is the accidental-deletion guard: when the whole plan
// holds more disables and deletes than the threshold, they move to
// Plan.Held, unless deletions are allowed.
func (c *cycle) holdDeletions(p *Plan) {
	nDel := 0
	for _, pt := range c.parts {
		for i := range pt.ops {
			if k := pt.ops[i].Kind; k == Disable || k == Delete {
				nDel++
			}
		}
	}
	t := c.opts.DeletionThreshold
	if t <= 0 || nDel <= t || c.opts.AllowDeletions {
		return
	}
	p.Held = &HeldDeletions{Threshold: t}
	for _, pt := range c.parts {
		pt.held = map[string]bool{}
		kept := pt.ops[:0]
		for _, op := range pt.ops {
			if op.Kind == Disable || op.Kind == Delete {
				p.Held.Ops = append(p.Held.Ops, op)
				pt.held[op.Key] = true
			} else {
				kept = append(kept, op)
			}
		}
		pt.ops = kept
	}
}

// gather puts every part's operations, skips and errors in the plan, in
// plan order, and counts them.
func (c *cycle) gather(p *Plan) {
	for _, pt := range c.parts {
		st := &pt.stats
		p.Stats.Source += st.Source
		p.Stats.Target += st.Target
		p.Stats.InScope += st.InScope
		p.Stats.OutOfScope += st.OutOfScope
		p.Stats.Gone += st.Gone
		p.Stats.Linked += st.Linked
		p.Stats.Matched += st.Matched
		p.Stats.Unchanged += st.Unchanged
		p.Ops = appendShare(p.Ops, pt.ops, len(c.parts))
		p.Skipped = appendShare(p.Skipped, pt.skipped, len(c.parts))
		p.Errors = appendShare(p.Errors, pt.errors, len(c.parts))
	}
	c.sortOps(p.Ops)
	c.sortSkipped(p.Skipped)
	if p.Held != nil {
		c.sortOps(p.Held.Ops)
		p.Stats.Held = len(p.Held.Ops)
	}
	p.Stats.Create, p.Stats.Update, p.Stats.Disable, p.Stats.Delete = p.counts()
	p.Stats.Skipped, p.Stats.Errors, p.Stats.Unresolved = len(p.Skipped), len(p.Errors), len(p.Unresolved)
}

// appendShare appends one part's list to the plan's: the part's own list
// when it is the only part (the cycle is done with it), without a copy.
func appendShare[T any](list, share []T, parts int) []T {
	if parts == 1 && len(list) == 0 && len(share) > 0 {
		return share
	}
	return append(list, share...)
}

// nextState is the state to keep for the next cycle: every part's links.
func (c *cycle) nextState(rule string) *State {
	next := &State{Rule: rule}
	if len(c.parts) == 1 {
		next.Links = c.parts[0].links // sorted, and the cycle is done with it
		return next
	}
	n := 0
	for _, pt := range c.parts {
		n += len(pt.links)
	}
	next.Links = make([]Link, 0, n)
	for _, pt := range c.parts {
		next.Links = append(next.Links, pt.links...)
	}
	if len(c.parts) > 1 {
		sortLinks(next.Links)
	}
	return next
}

// assignIDs gives each created object its target id, unique in every
// target snapshot and among the plan's creates, in rule then key order.
func assignIDs(parts []*part, opts Options) {
	taken := map[string]bool{}
	for _, pt := range parts {
		var keys []string
		for i := range pt.ops {
			if pt.ops[i].Kind == Create {
				keys = append(keys, pt.ops[i].Key)
			}
		}
		if len(keys) == 0 {
			continue
		}
		sortStrings(keys)
		pt.newIDs = make(map[string]string, len(keys))
		for _, k := range keys {
			base := k
			if opts.NewTargetID != nil {
				base = opts.NewTargetID(k)
			}
			id := base
			for n := 2; taken[id] || hasTarget(parts, id); n++ {
				id = fmt.Sprintf("%s#%d", base, n)
			}
			taken[id] = true
			pt.newIDs[k] = id
		}
		for i := range pt.ops {
			if pt.ops[i].Kind == Create {
				pt.ops[i].Target = pt.newIDs[pt.ops[i].Key]
			}
		}
	}
}

func hasTarget(parts []*part, id string) bool {
	for _, pt := range parts {
		if pt.e.hasTarget(id) {
			return true
		}
	}
	return false
}
