package provision

import (
	"sync"
)

// inputs is one cycle's snapshots and state, split by object mapping and
// indexed once: Check reads the indexes to refuse bad inputs, and the
// engines plan with the same ones. Ids are looked up by string only here;
// planning then follows dense integer positions (a source object's link,
// a link's source object and target object), which at a million objects
// is most of the difference between planning and looking things up.
type inputs struct {
	source, target *Snapshot // as given; nil is none
	state          *State
	parts          []*partIndex // per object mapping, in the Planner's rules order
}

// partIndex is one object mapping's share of the inputs and its indexes.
// It is read-only once built.
type partIndex struct {
	src, tgt *Snapshot
	state    *State // nil for an initial cycle

	srcByID    map[string]int32 // source id -> position; -1 marks an id several objects share
	dupSrc     []bool           // per source object: its id is shared (nil when none is)
	targetByID map[string]int32 // target id -> position (the last, for an id several share)
	tgtDups    []string         // target ids several objects share, each once

	// Per link of state: the position of its source object (-1 when the
	// source snapshot lacks it, -2 when several objects have its id) and
	// of its target object (-1 when the target snapshot lacks it).
	linkSrc, linkTgt []int32
	// linkOf is, per source object, the position of its link in state
	// (-1 if none; the last, for a source linked twice).
	linkOf []int32
	// linkedBy is, per target object, the position of the last link to
	// it in state, -1 if none.
	linkedBy []int32
	// stateSorted reports that the state's links are sorted by source,
	// each source once.
	stateSorted bool
	// relinked are the sources the state links more than once with
	// links that differ, each once (Check refuses them: which link the
	// plan kept would depend on their order).
	relinked []string
	// conflicts are the target ids the state links from two different
	// sources, each once (Check refuses them).
	conflicts []string
}

// newInputs splits the inputs by object mapping and indexes each part, the
// parts concurrently.
func (p *Planner) newInputs(source, target *Snapshot, state *State) *inputs {
	in := &inputs{source: source, target: target, state: state}
	if source == nil {
		source = &Snapshot{}
	}
	if target == nil {
		target = &Snapshot{}
	}
	srcParts := partition(source, p.srcNames)
	tgtParts := partition(target, p.tgtNames)
	states := partitionState(state, p.srcNames)
	in.parts = make([]*partIndex, len(p.rules))
	var wg sync.WaitGroup
	for i := range in.parts {
		pi := &partIndex{src: srcParts[i], tgt: tgtParts[i], state: states[i]}
		in.parts[i] = pi
		wg.Go(pi.build)
	}
	wg.Wait()
	return in
}

// build indexes the part: the source and the target ids side by side,
// then the links, in halves.
func (pi *partIndex) build() {
	var wg sync.WaitGroup
	wg.Go(pi.indexSource)
	wg.Go(pi.indexTarget)
	wg.Wait()
	if pi.state == nil {
		return
	}
	links := pi.state.Links
	pi.linkSrc = make([]int32, len(links))
	pi.linkTgt = make([]int32, len(links))
	half := len(links) / 2
	resolve := func(lo, hi int) {
		for li := lo; li < hi; li++ {
			l := &links[li]
			s, ok := pi.srcByID[l.Source]
			switch {
			case !ok:
				s = -1
			case s < 0:
				s = -2
			}
			pi.linkSrc[li] = s
			t, ok := pi.targetByID[l.Target]
			if !ok {
				t = -1
			}
			pi.linkTgt[li] = t
		}
	}
	wg.Go(func() { resolve(0, half) })
	wg.Go(func() { resolve(half, len(links)) })
	pi.stateSorted = true
	for li := 1; li < len(links); li++ {
		if links[li-1].Source >= links[li].Source {
			pi.stateSorted = false
			break
		}
	}
	wg.Wait()
	if !pi.stateSorted {
		pi.findRelinked()
	}
	pi.linkOf = fill(len(pi.src.Objects))
	pi.linkedBy = fill(len(pi.tgt.Objects))
	var absent map[string]string // target id -> source, for targets the snapshot lacks
	var conflict map[string]bool
	mark := func(tid string) {
		if conflict == nil {
			conflict = map[string]bool{}
		}
		if !conflict[tid] {
			conflict[tid] = true
			pi.conflicts = append(pi.conflicts, tid)
		}
	}
	for li := range links {
		l := &links[li]
		if s := pi.linkSrc[li]; s >= 0 {
			pi.linkOf[s] = int32(li)
		}
		t := pi.linkTgt[li]
		if t < 0 {
			if absent == nil {
				absent = map[string]string{}
			}
			if src, ok := absent[l.Target]; ok && src != l.Source {
				mark(l.Target)
			} else if !ok {
				absent[l.Target] = l.Source
			}
			continue
		}
		if prev := pi.linkedBy[t]; prev >= 0 && links[prev].Source != l.Source {
			mark(l.Target)
		}
		pi.linkedBy[t] = int32(li)
	}
}

// findRelinked lists the sources the state links more than once with
// different links (a state that is not sorted, or lists a source twice;
// ReadState refuses such a state, a State built in code may be one).
func (pi *partIndex) findRelinked() {
	first := make(map[string]int, len(pi.state.Links))
	var seen map[string]bool
	for li, l := range pi.state.Links {
		j, ok := first[l.Source]
		if !ok {
			first[l.Source] = li
			continue
		}
		if k := pi.state.Links[j]; k.Target != l.Target || k.Provisioned != l.Provisioned {
			if seen == nil {
				seen = map[string]bool{}
			}
			if !seen[l.Source] {
				seen[l.Source] = true
				pi.relinked = append(pi.relinked, l.Source)
			}
		}
	}
}

func fill(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

func (pi *partIndex) indexSource() {
	objs := pi.src.Objects
	pi.srcByID = make(map[string]int32, len(objs))
	for i := range objs {
		id := objs[i].ID
		j, dup := pi.srcByID[id]
		if !dup {
			pi.srcByID[id] = int32(i)
			continue
		}
		if pi.dupSrc == nil {
			pi.dupSrc = make([]bool, len(objs))
		}
		pi.dupSrc[i] = true
		if j >= 0 {
			pi.dupSrc[j] = true
			pi.srcByID[id] = -1
		}
	}
}

func (pi *partIndex) indexTarget() {
	objs := pi.tgt.Objects
	pi.targetByID = make(map[string]int32, len(objs))
	var seen map[string]bool
	for i := range objs {
		id := objs[i].ID
		if _, dup := pi.targetByID[id]; dup {
			if seen == nil {
				seen = map[string]bool{}
			}
			if !seen[id] {
				seen[id] = true
				pi.tgtDups = append(pi.tgtDups, id)
			}
		}
		pi.targetByID[id] = int32(i)
	}
}

// isDup reports whether source object i shares its id with another.
func (pi *partIndex) isDup(i int) bool { return pi.dupSrc != nil && pi.dupSrc[i] }

// oldLink returns the link of source object i in the state.
func (pi *partIndex) oldLinkAt(i int) (Link, bool) {
	if pi.linkOf == nil {
		return Link{}, false
	}
	li := pi.linkOf[i]
	if li < 0 {
		return Link{}, false
	}
	return pi.state.Links[li], true
}

// oldLink returns the link of a source id in the state (the last, for a
// source linked twice), by its object when the source snapshot has one,
// else by a search (for explanations of sources gone).
func (pi *partIndex) oldLink(source string) (Link, bool) {
	if pi.state == nil {
		return Link{}, false
	}
	if i, ok := pi.srcByID[source]; ok && i >= 0 {
		return pi.oldLinkAt(int(i))
	}
	for li := len(pi.state.Links) - 1; li >= 0; li-- {
		if pi.state.Links[li].Source == source {
			return pi.state.Links[li], true
		}
	}
	return Link{}, false
}

func (pi *partIndex) hasTarget(id string) bool {
	_, ok := pi.targetByID[id]
	return ok
}
