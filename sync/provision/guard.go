package provision

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The checks of this file refuse inputs that would make a destructive plan
// out of a mistake: a state from another job, objects of a type no object
// mapping knows, target ids that are not unique, two sources linked to one
// target, and a source that lost most of the objects the state links (an
// empty or truncated export, which would delete every target). Each is an
// *InputError; only the last can be allowed, with Options.AllowSourceLoss.

// sourceLossMin is the number of missing linked objects from which a
// source that lost more than half of them is refused. A source with no
// object at all of a linked type is refused whatever the number.
const sourceLossMin = 10

// InputError reports inputs the planner refuses to plan from.
type InputError struct {
	// Problems describes each problem on one line.
	Problems []string
}

func (e *InputError) Error() string {
	if len(e.Problems) == 1 {
		return "refusing to plan: " + e.Problems[0]
	}
	return "refusing to plan:\n  " + strings.Join(e.Problems, "\n  ")
}

// check returns an *InputError when the snapshots and the state (indexed
// once, which Plan then plans with) must not be planned from, and nil
// otherwise. Plan calls it first.
func (p *Planner) check(in *inputs) error {
	source, target, state := in.source, in.target, in.state
	var probs []string
	add := func(format string, args ...any) {
		if len(probs) < 20 {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	if state != nil && state.Rule != "" && !p.sameJob(state.Rule) {
		add("the state is for %q, not %q: it belongs to another job (omit the state for an initial cycle, or use this job's state)", state.Rule, p.name)
	}
	// Every message names the smallest id concerned, so that the refusal,
	// like the plan, does not depend on the order of the inputs.
	if !p.opts.AllowOtherTypes {
		unknownSrc := unknownTypes(source, p.srcNames) // type -> smallest id
		for _, typ := range slices.Sorted(maps.Keys(unknownSrc)) {
			add("source object %q has objectType %q, which no object mapping syncs (expected %s; --allow-other-types leaves such objects out)", unknownSrc[typ], typ, strings.Join(p.srcNames, " or "))
		}
	}
	if target != nil {
		if !p.opts.AllowOtherTypes {
			unknown := unknownTypes(target, p.tgtNames)
			for _, typ := range slices.Sorted(maps.Keys(unknown)) {
				add("target object %q has objectType %q, which no object mapping provisions (expected %s; --allow-other-types leaves such objects out)", unknown[typ], typ, strings.Join(p.tgtNames, " or "))
			}
		}
		dups := map[string]string{} // "type\x00id" -> message
		for k, pi := range in.parts {
			for _, id := range pi.tgtDups {
				dups[p.tgtNames[k]+"\x00"+id] = fmt.Sprintf("the target snapshot holds more than one %s with id %q: the plan would depend on their order", p.tgtNames[k], id)
			}
		}
		for i, k := range slices.Sorted(maps.Keys(dups)) {
			if i == 3 {
				add("... and %d more duplicate target ids", len(dups)-3)
				break
			}
			add("%s", dups[k])
		}
	}
	if state != nil {
		if !p.opts.AllowOtherTypes {
			unknown := map[string]string{}
			for _, l := range state.Links {
				if typeIndex(p.srcNames, l.Type) < 0 {
					minID(unknown, l.Type, l.Source)
				}
			}
			for _, typ := range slices.Sorted(maps.Keys(unknown)) {
				add("the state links source %q of type %q, which no object mapping syncs (expected %s)", unknown[typ], typ, strings.Join(p.srcNames, " or "))
			}
		}
		for _, pi := range in.parts {
			if len(pi.conflicts) == 0 {
				continue
			}
			srcs := map[string][]string{}
			for _, tid := range pi.conflicts {
				srcs[tid] = nil
			}
			for _, l := range pi.state.Links {
				if l2, ok := srcs[l.Target]; ok {
					srcs[l.Target] = append(l2, l.Source)
				}
			}
			for _, tid := range slices.Sorted(maps.Keys(srcs)) {
				s := srcs[tid]
				slices.Sort(s)
				s = slices.Compact(s)
				add("the state links sources %q and %q to the same target %q: their updates would conflict", s[0], s[1], tid)
			}
		}
		for k, pi := range in.parts {
			if len(pi.relinked) == 0 {
				continue
			}
			srcs := slices.Clone(pi.relinked)
			slices.Sort(srcs)
			add("the state links %s %q more than once, to different targets or with different flags: the plan would depend on the order of its links", p.srcNames[k], srcs[0])
		}
		if !p.opts.AllowSourceLoss {
			for k, pi := range in.parts {
				links, m := 0, 0
				if pi.state != nil {
					links = len(pi.state.Links)
					for _, s := range pi.linkSrc {
						if s == -1 {
							m++
						}
					}
				}
				have := len(pi.srcByID)
				if m == 0 || (have > 0 && (m*2 <= links || m < sourceLossMin)) {
					continue
				}
				add("the source lost %d of the %d %s objects the state links (it holds %d %s objects): their targets would be deleted; "+
					"if the export is complete and they really are gone, allow it with --allow-source-loss (Options.AllowSourceLoss)",
					m, links, p.srcNames[k], have, p.srcNames[k])
			}
		}
	}
	if probs != nil {
		return &InputError{Problems: probs}
	}
	return nil
}

// unknownTypes returns, per object type no name in names has, the
// smallest id of the snapshot's objects of that type.
func unknownTypes(s *Snapshot, names []string) map[string]string {
	unknown := map[string]string{}
	if s == nil {
		return unknown
	}
	for i := range s.Objects {
		o := &s.Objects[i]
		if o.Type != "" && typeIndex(names, o.Type) < 0 {
			minID(unknown, o.Type, o.ID)
		}
	}
	return unknown
}

// sameJob reports whether a state written for rule (Plan.Rule: object
// mapping names joined with " + ") belongs to this planner's job: it
// shares an object mapping with it, so adding or planning alone one
// mapping of a rule keeps its state.
func (p *Planner) sameJob(rule string) bool {
	if rule == p.name {
		return true
	}
	for _, a := range strings.Split(rule, " + ") {
		for _, r := range p.rules {
			if a == r.name {
				return true
			}
		}
	}
	return false
}

// minID keeps in m, per key, the smallest id.
func minID(m map[string]string, key, id string) {
	if cur, ok := m[key]; !ok || id < cur {
		m[key] = id
	}
}

// typeIndex is the object mapping of an object type among names, as
// partition finds it: "" is the first; -1 for a type none has.
func typeIndex(names []string, typ string) int {
	if typ == "" {
		return 0
	}
	for i, n := range names {
		if strings.EqualFold(n, typ) {
			return i
		}
	}
	return -1
}
