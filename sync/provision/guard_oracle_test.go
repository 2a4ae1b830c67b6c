package provision

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCheckUnchanged: Check, which now reads the indexes the planner
// plans with, refuses exactly what, and with exactly the messages, the
// Check that built its own maps did (oldCheck, kept as the oracle), on
// users-and-groups worlds damaged at random: target ids shared, sources
// linked to one target (present or gone), sources linked twice, objects
// and links of unknown types, sources shared or lost, a foreign state.
func TestCheckUnchanged(t *testing.T) {
	refused := 0
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 15))
		w, opts := randomRefWorld(t, r)
		if w.state == nil {
			w.state = &State{}
		}
		for range 1 + r.IntN(4) {
			damage(r, w)
		}
		opts.AllowOtherTypes = r.IntN(3) == 0
		opts.AllowSourceLoss = r.IntN(3) == 0
		p, err := NewPlanner(w.rules, opts)
		if err != nil {
			t.Fatal(err)
		}
		state := w.state
		if r.IntN(6) == 0 {
			state = nil
		}
		want := problems(oldCheck(p, w.source, w.target, state))
		got := problems(p.check(p.newInputs(w.source, w.target, state)))
		// The one refusal the old Check did not make: a source linked
		// twice, differently, which made the plan depend on the order
		// of the links (FuzzDiff found it).
		relinked := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return !strings.Contains(s, "more than once, to different targets") })
		got = slices.DeleteFunc(got, func(s string) bool { return strings.Contains(s, "more than once, to different targets") })
		if !slices.Equal(got, want[:min(len(want), 20-len(relinked))]) {
			t.Errorf("seed %d: Check = %q\nthe old Check = %q", seed, got, want)
		}
		if len(relinked) > 0 != linksASourceTwice(state) {
			t.Errorf("seed %d: Check says %q; the state links a source twice, differently: %t", seed, relinked, linksASourceTwice(state))
		}
		if len(want) > 0 {
			refused++
		}
	}
	if refused < 100 {
		t.Errorf("only %d of 400 damaged worlds refused: the damage is too mild to test Check", refused)
	}
}

// problems lists what Check refused, nil when it did not.
func problems(err error) []string {
	if err == nil {
		return nil
	}
	return err.(*InputError).Problems
}

// linksASourceTwice reports a state that links one source (of one object
// type, as the planner tells them apart) twice with different links.
func linksASourceTwice(st *State) bool {
	if st == nil {
		return false
	}
	seen := map[string]Link{}
	for _, l := range st.Links {
		typ := strings.ToLower(l.Type)
		if typ == "" {
			typ = "group" // the first object mapping of the refs rule
		}
		k := typ + "\x00" + l.Source
		if o, ok := seen[k]; ok && (o.Target != l.Target || o.Provisioned != l.Provisioned) {
			return true
		}
		if _, ok := seen[k]; !ok {
			seen[k] = l
		}
	}
	return false
}

// damage breaks one thing in a world, as a bad export or state would.
func damage(r *rand.Rand, w *world) {
	src, tgt, links := w.source.Objects, w.target.Objects, w.state.Links
	pick := func(n int) int { return r.IntN(max(n, 1)) }
	switch r.IntN(9) {
	case 0: // a target id twice
		if len(tgt) > 1 {
			tgt[pick(len(tgt))].ID = tgt[pick(len(tgt))].ID
		}
	case 1: // two sources linked to one target, in the snapshot or not
		if len(links) > 1 {
			to := links[pick(len(links))].Target
			if r.IntN(3) == 0 {
				to = fmt.Sprintf("gone%d", r.IntN(2))
				links[pick(len(links))].Target = to
			}
			links[pick(len(links))].Target = to
		}
	case 2: // a source linked twice to the same target
		if len(links) > 0 {
			w.state.Links = append(w.state.Links, links[pick(len(links))])
		}
	case 3: // objects of unknown types
		if len(src) > 0 {
			src[pick(len(src))].Type = []string{"Usr", "Contact", "group"}[r.IntN(3)]
		}
		if len(tgt) > 0 && r.IntN(2) == 0 {
			tgt[pick(len(tgt))].Type = "Device"
		}
	case 4: // a link of an unknown type
		if len(links) > 0 {
			links[pick(len(links))].Type = "Contact"
		}
	case 5: // a source id twice
		if len(src) > 1 {
			src[pick(len(src))].ID = src[pick(len(src))].ID
		}
	case 6: // the source lost most of its objects
		w.source.Objects = src[:len(src)/(2+r.IntN(3))]
	case 7: // a foreign state
		w.state.Rule = []string{"Other job", "Users", "Groups + Users", ""}[r.IntN(4)]
	case 8: // many links to objects the source never had
		for i := range 5 + r.IntN(20) {
			w.state.Links = append(w.state.Links, Link{Type: []string{"", "User", "Group"}[r.IntN(3)], Source: fmt.Sprintf("lost%02d", i), Target: fmt.Sprintf("tl%02d", i), Provisioned: true})
		}
	}
}

// oldCheck is Planner.Check as it was before it shared the planner's
// indexes: the oracle of TestCheckUnchanged.
func oldCheck(p *Planner, source, target *Snapshot, state *State) error {
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
	srcIDs := make([]map[string]bool, len(p.srcNames))
	for i := range srcIDs {
		srcIDs[i] = map[string]bool{}
	}
	unknownSrc := map[string]string{} // type -> smallest id
	if source != nil {
		for i := range source.Objects {
			o := &source.Objects[i]
			k := typeIndex(p.srcNames, o.Type)
			if k < 0 {
				minID(unknownSrc, o.Type, o.ID)
				continue
			}
			srcIDs[k][o.ID] = true
		}
	}
	if !p.opts.AllowOtherTypes {
		for _, typ := range slices.Sorted(maps.Keys(unknownSrc)) {
			add("source object %q has objectType %q, which no object mapping syncs (expected %s; --allow-other-types leaves such objects out)", unknownSrc[typ], typ, strings.Join(p.srcNames, " or "))
		}
	}
	if target != nil {
		seen := make([]map[string]bool, len(p.tgtNames))
		for i := range seen {
			seen[i] = map[string]bool{}
		}
		unknown := map[string]string{}
		dups := map[string]string{} // "type\x00id" -> message
		for i := range target.Objects {
			o := &target.Objects[i]
			k := typeIndex(p.tgtNames, o.Type)
			if k < 0 {
				minID(unknown, o.Type, o.ID)
				continue
			}
			if seen[k][o.ID] {
				dups[p.tgtNames[k]+"\x00"+o.ID] = fmt.Sprintf("the target snapshot holds more than one %s with id %q: the plan would depend on their order", p.tgtNames[k], o.ID)
				continue
			}
			seen[k][o.ID] = true
		}
		if !p.opts.AllowOtherTypes {
			for _, typ := range slices.Sorted(maps.Keys(unknown)) {
				add("target object %q has objectType %q, which no object mapping provisions (expected %s; --allow-other-types leaves such objects out)", unknown[typ], typ, strings.Join(p.tgtNames, " or "))
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
		byTarget := make([]map[string][]string, len(p.srcNames))
		links := make([]int, len(p.srcNames))
		missing := make([]int, len(p.srcNames))
		for i := range byTarget {
			byTarget[i] = map[string][]string{}
		}
		unknown := map[string]string{}
		for _, l := range state.Links {
			k := typeIndex(p.srcNames, l.Type)
			if k < 0 {
				minID(unknown, l.Type, l.Source)
				continue
			}
			byTarget[k][l.Target] = append(byTarget[k][l.Target], l.Source)
			links[k]++
			if !srcIDs[k][l.Source] {
				missing[k]++
			}
		}
		if !p.opts.AllowOtherTypes {
			for _, typ := range slices.Sorted(maps.Keys(unknown)) {
				add("the state links source %q of type %q, which no object mapping syncs (expected %s)", unknown[typ], typ, strings.Join(p.srcNames, " or "))
			}
		}
		for k := range byTarget {
			for _, tid := range slices.Sorted(maps.Keys(byTarget[k])) {
				srcs := byTarget[k][tid]
				if len(srcs) < 2 {
					continue
				}
				slices.Sort(srcs)
				srcs = slices.Compact(srcs)
				if len(srcs) > 1 {
					add("the state links sources %q and %q to the same target %q: their updates would conflict", srcs[0], srcs[1], tid)
				}
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
