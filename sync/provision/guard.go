package provision

import (
	"errors"
	"fmt"
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

// ErrRefused is matched by errors.Is for every *InputError.
var ErrRefused = errors.New("refusing to plan")

// Is lets errors.Is(err, ErrRefused) find an InputError.
func (e *InputError) Is(target error) bool { return target == ErrRefused }

// Check returns an *InputError when the snapshots and the state must not be
// planned from, and nil otherwise. Plan and DiffRules call it first.
func (p *Planner) Check(source, target *Snapshot, state *State) error {
	var probs []string
	add := func(format string, args ...any) {
		if len(probs) < 20 {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	if state != nil && state.Rule != "" && !p.sameJob(state.Rule) {
		add("the state is for %q, not %q: it belongs to another job (omit the state for an initial cycle, or use this job's state)", state.Rule, p.name)
	}
	srcIDs := make([]map[string]bool, len(p.srcNames))
	for i := range srcIDs {
		srcIDs[i] = map[string]bool{}
	}
	if source != nil {
		unknown := map[string]int{}
		for i := range source.Objects {
			o := &source.Objects[i]
			k := typeIndex(p.srcNames, o.Type)
			if k < 0 {
				if unknown[o.Type] == 0 && !p.opts.AllowOtherTypes {
					add("source object %q has objectType %q, which no object mapping syncs (expected %s; --allow-other-types leaves such objects out)", o.ID, o.Type, strings.Join(p.srcNames, " or "))
				}
				unknown[o.Type]++
				continue
			}
			srcIDs[k][o.ID] = true
		}
	}
	if target != nil {
		seen := make([]map[string]bool, len(p.tgtNames))
		for i := range seen {
			seen[i] = map[string]bool{}
		}
		unknown := map[string]bool{}
		dups := 0
		for i := range target.Objects {
			o := &target.Objects[i]
			k := typeIndex(p.tgtNames, o.Type)
			if k < 0 {
				if !unknown[o.Type] && !p.opts.AllowOtherTypes {
					add("target object %q has objectType %q, which no object mapping provisions (expected %s; --allow-other-types leaves such objects out)", o.ID, o.Type, strings.Join(p.tgtNames, " or "))
					unknown[o.Type] = true
				}
				continue
			}
			if seen[k][o.ID] {
				if dups++; dups <= 3 {
					add("the target snapshot holds more than one %s with id %q: the plan would depend on their order", p.tgtNames[k], o.ID)
				}
				continue
			}
			seen[k][o.ID] = true
		}
	}
	if state != nil {
		byTarget := make([]map[string]string, len(p.srcNames))
		links := make([]int, len(p.srcNames))
		missing := make([]int, len(p.srcNames))
		for i := range byTarget {
			byTarget[i] = map[string]string{}
		}
		unknown := map[string]bool{}
		for _, l := range state.Links {
			k := typeIndex(p.srcNames, l.Type)
			if k < 0 {
				if !unknown[l.Type] && !p.opts.AllowOtherTypes {
					add("the state links source %q of type %q, which no object mapping syncs (expected %s)", l.Source, l.Type, strings.Join(p.srcNames, " or "))
					unknown[l.Type] = true
				}
				continue
			}
			if other, ok := byTarget[k][l.Target]; ok && other != l.Source {
				add("the state links sources %q and %q to the same target %q: their updates would conflict", other, l.Source, l.Target)
			}
			byTarget[k][l.Target] = l.Source
			links[k]++
			if !srcIDs[k][l.Source] {
				missing[k]++
			}
		}
		if !p.opts.AllowSourceLoss {
			for k := range links {
				m := missing[k]
				if m == 0 || (len(srcIDs[k]) > 0 && (m*2 <= links[k] || m < sourceLossMin)) {
					continue
				}
				add("the source lost %d of the %d %s objects the state links (it holds %d %s objects): their targets would be deleted; "+
					"if the export is complete and they really are gone, allow it with --allow-source-loss (Options.AllowSourceLoss)",
					m, links[k], p.srcNames[k], len(srcIDs[k]), p.srcNames[k])
			}
		}
	}
	if probs != nil {
		return &InputError{Problems: probs}
	}
	return nil
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
