package provision

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// part is one object mapping's share of a plan, between the per-object
// results and the cross-rule steps (ids, the deletion guard, references).
type part struct {
	e   *engine
	res []result
	// ops, skipped and errors are this rule's, unsorted.
	ops, skipped []Op
	errors       []ObjectError
	stats        Stats
	// goneLinks are the links of hard-deleted sources whose delete the
	// flow types withhold: kept as they were.
	goneLinks []Link
	// newIDs maps the source id of each created object to its new target
	// id, once assignIDs has run.
	newIDs map[string]string
	// links is the new state's share, once newLinks has run.
	links []Link
	// held names the sources whose disable or delete the guard held.
	held map[string]bool
	// managed maps the target ids of the part's links to whether the
	// engine manages them (see managedTarget); built on demand.
	managed map[string]bool
}

// collect turns the per-object results into operations, skips, errors
// and counts.
func (e *engine) collect(res []result) *part {
	pt := &part{e: e, res: res}
	pt.stats.Source, pt.stats.Target = len(e.src.Objects), len(e.tgt.Objects)
	e.contested(res)
	gone := pt.gone()
	obj := e.rule.TargetObjectName()
	pt.sortResults(obj, len(gone))
	for _, op := range gone {
		op.Object = obj
		if op.Kind == Skip {
			pt.skipped = append(pt.skipped, op)
		} else {
			pt.ops = append(pt.ops, op)
		}
	}
	sortErrors(pt.errors)
	pt.errors = slices.CompactFunc(pt.errors, sameError) // objects sharing an id report it once
	for i := range pt.errors {
		pt.errors[i].Object = obj
	}
	return pt
}

// contested makes an error of two source objects matched to one target:
// neither gets it. This is the only check that needs every result, hence
// after the workers.
func (e *engine) contested(res []result) {
	claims := make([]uint8, len(e.tgt.Objects))
	for i := range res {
		if r := &res[i]; r.how == foundMatched && r.err == nil {
			claims[r.target] = min(claims[r.target]+1, 2)
		}
	}
	var contested map[int32][]string
	for i := range res {
		if r := &res[i]; r.how == foundMatched && r.err == nil && claims[r.target] > 1 {
			if contested == nil {
				contested = map[int32][]string{}
			}
			contested[r.target] = append(contested[r.target], e.src.Objects[i].ID)
		}
	}
	for i := range res {
		r := &res[i]
		if r.how != foundMatched || r.err != nil || claims[r.target] < 2 {
			continue
		}
		others := slices.Clone(contested[r.target])
		sortStrings(others)
		r.err = &ObjectError{Key: e.src.Objects[i].ID, Stage: "match", Err: fmt.Errorf("target %s is matched by %d source objects (%s); matching needs a unique value", e.tgt.Objects[r.target].ID, len(others), strings.Join(others, ", "))}
		r.op, r.link, r.hasRefs = nil, linkKeep, false
	}
}

// gone plans the deletes of the sources linked in the state and absent
// from the snapshot (hard-deleted), and counts them.
func (pt *part) gone() []Op {
	e := pt.e
	if e.state == nil {
		return nil
	}
	var gone []Op
	for li, l := range e.state.Links {
		if e.linkSrc[li] != -1 {
			continue
		}
		pt.stats.Gone++
		t := e.linkTgt[li]
		if !l.Provisioned || t < 0 {
			continue // nothing to delete; the link goes
		}
		op := Op{Kind: Delete, Key: l.Source, Target: e.tgt.Objects[t].ID, Reason: "hard-deleted in the source (gone from the source snapshot)"}
		if !e.flows.Delete {
			op = *skipOp(&op, "the object mapping's target object actions do not include Delete")
			pt.goneLinks = append(pt.goneLinks, l)
		}
		gone = append(gone, op)
	}
	return gone
}

// sortResults files each object's result as an operation, a skip or an
// error of the target object type obj, and counts it, in chunks on every
// core: the chunks count first, then each fills its share of the lists
// in the objects' order. extra is room to leave for the deletes of gone
// sources.
func (pt *part) sortResults(obj string, extra int) {
	type share struct {
		ops, skipped, errors int // counts, then the first index of each
		stats                Stats
	}
	b := chunkBounds(pt.e.opts.workers(), len(pt.res))
	shares := inChunks(b, func(_, lo, hi int) share {
		var sh share
		st := &sh.stats
		for i := lo; i < hi; i++ {
			r := &pt.res[i]
			switch {
			case r.err != nil:
				sh.errors++
			case r.op != nil && r.op.Kind == Skip:
				sh.skipped++
			case r.op != nil:
				sh.ops++
			}
			if !r.inScope {
				if r.err == nil || r.err.Stage != "source" {
					st.OutOfScope++
				}
				continue
			}
			st.InScope++
			if r.err != nil {
				continue
			}
			switch r.how {
			case foundLinked:
				st.Linked++
			case foundMatched:
				st.Matched++
			}
			if r.op == nil && r.target >= 0 {
				st.Unchanged++
			}
		}
		return sh
	})
	var nOps, nSkipped, nErrors int
	st := &pt.stats
	for c := range shares {
		sh := &shares[c]
		sh.ops, nOps = nOps, nOps+sh.ops
		sh.skipped, nSkipped = nSkipped, nSkipped+sh.skipped
		sh.errors, nErrors = nErrors, nErrors+sh.errors
		st.OutOfScope += sh.stats.OutOfScope
		st.InScope += sh.stats.InScope
		st.Linked += sh.stats.Linked
		st.Matched += sh.stats.Matched
		st.Unchanged += sh.stats.Unchanged
	}
	if nOps > 0 || extra > 0 {
		pt.ops = make([]Op, nOps, nOps+extra)
	}
	if nSkipped > 0 || extra > 0 {
		pt.skipped = make([]Op, nSkipped, nSkipped+extra)
	}
	if nErrors > 0 {
		pt.errors = make([]ObjectError, nErrors)
	}
	inChunks(b, func(c, lo, hi int) struct{} {
		sh := shares[c]
		for i := lo; i < hi; i++ {
			r := &pt.res[i]
			switch {
			case r.err != nil:
				pt.errors[sh.errors] = *r.err
				sh.errors++
			case r.op != nil && r.op.Kind == Skip:
				pt.skipped[sh.skipped] = *r.op
				pt.skipped[sh.skipped].Object = obj
				sh.skipped++
			case r.op != nil:
				pt.ops[sh.ops] = *r.op
				pt.ops[sh.ops].Object = obj
				sh.ops++
			}
		}
		return struct{}{}
	})
}

// linkAt returns the new link of source object i, if it has one; a
// duplicate id has none here (its old link is kept once by newLinks).
func (pt *part) linkAt(i int) (Link, bool) {
	e, r := pt.e, &pt.res[i]
	o := &e.src.Objects[i]
	if r.err != nil && r.err.Stage == "source" {
		return Link{}, false
	}
	action := r.link
	if pt.held[o.ID] {
		action = linkKeep
	}
	switch action {
	case linkKeep:
		return e.oldLinkAt(i)
	case linkSet:
		return Link{Type: e.rule.SourceObjectName(), Source: o.ID, Target: e.tgt.Objects[r.target].ID, Provisioned: r.prov}, true
	case linkNew:
		return Link{Type: e.rule.SourceObjectName(), Source: o.ID, Target: pt.newIDs[o.ID], Provisioned: true}, true
	}
	return Link{}, false
}

// newLinks computes the rule's share of the new state, once pt.held
// names the sources whose disable or delete the deletion guard held back.
func (pt *part) newLinks() {
	if pt.e.state == nil || pt.e.stateSorted {
		pt.links = pt.mergeLinks()
		return
	}
	pt.links = pt.sortedLinks()
}

// mergeLinks is newLinks when the state's links are sorted with each
// source once (as ReadState and Plan leave them): the links of linked
// objects, and those the state keeps, come in the state's order, so only
// the links of objects the state did not link need sorting, and a merge
// gives the order sortedLinks gets by sorting everything. Every source is
// in one link, so there is nothing to compact.
//
// The merge puts an unlinked object's link after the state's links whose
// source sorts before it or is the same, and before the others, whichever
// of them are kept. So the state's links are cut into chunks, each chunk
// takes the unlinked links that sort from its first source up to the next
// chunk's, and the chunks are merged on every core into their own shares
// of the result, then closed up in order.
func (pt *part) mergeLinks() []Link {
	e := pt.e
	workers := e.opts.workers()
	shares := inChunks(chunkBounds(workers, len(pt.res)), func(_, lo, hi int) []Link {
		var unlinked []Link // of objects the state does not link
		for i := lo; i < hi; i++ {
			if e.isDup(i) || (e.linkOf != nil && e.linkOf[i] >= 0) {
				continue
			}
			if l, ok := pt.linkAt(i); ok {
				unlinked = append(unlinked, l)
			}
		}
		return unlinked
	})
	unlinked := shares[0]
	if len(shares) > 1 {
		unlinked = slices.Concat(shares...)
	}
	slices.SortFunc(unlinked, compareLinks)
	typ := e.rule.SourceObjectName()
	if e.state == nil {
		if unlinked == nil {
			unlinked = []Link{} // a state with no links, not none
		}
		for i := range unlinked {
			unlinked[i].Type = typ
		}
		return unlinked
	}
	state := e.state.Links
	b := chunkBounds(workers, len(state))
	// Chunk c merges the state's links b[c]:b[c+1] with the unlinked
	// links ub[c]:ub[c+1] into links[off[c]:], which has room for both.
	ub, off := make([]int, len(b)), make([]int, len(b))
	for c := 1; c < len(b)-1; c++ {
		key := state[b[c]].Source
		ub[c] = ub[c-1] + sort.Search(len(unlinked)-ub[c-1], func(u int) bool { return unlinked[ub[c-1]+u].Source >= key })
	}
	ub[len(b)-1] = len(unlinked)
	for c := 1; c < len(b); c++ {
		off[c] = off[c-1] + b[c] - b[c-1] + ub[c] - ub[c-1]
	}
	links := make([]Link, off[len(b)-1])
	n := inChunks(b, func(c, lo, hi int) int {
		out := links[off[c]:off[c]:off[c+1]]
		unlinked := unlinked[ub[c]:ub[c+1]]
		// add appends a link of the state's order, after the unlinked
		// objects' links that sort before it. key is its source as the
		// state spells it (the state's strings lie in order in memory,
		// the objects' ids do not).
		add := func(key string, l Link) {
			for len(unlinked) > 0 && unlinked[0].Source < key {
				out, unlinked = append(out, unlinked[0]), unlinked[1:]
			}
			out = append(out, l)
		}
		gone := pt.goneLinks // in the state's order too (see gone)
		if lo > 0 {
			key := state[lo].Source
			gone = gone[sort.Search(len(gone), func(g int) bool { return gone[g].Source >= key }):]
		}
		for li := lo; li < hi; li++ {
			l := state[li]
			switch s := e.linkSrc[li]; {
			case s >= 0:
				if nl, ok := pt.linkAt(int(s)); ok {
					add(l.Source, nl)
				}
				continue
			case s == -2:
				add(l.Source, l) // duplicate source id: keep as was
				continue
			}
			isGone := len(gone) > 0 && gone[0].Source == l.Source
			if isGone {
				gone = gone[1:]
			}
			if isGone || pt.held[l.Source] {
				add(l.Source, l)
			}
		}
		out = append(out, unlinked...)
		for i := range out {
			out[i].Type = typ
		}
		return len(out)
	})
	w := 0
	for c := range n {
		w += copy(links[w:], links[off[c]:off[c]+n[c]])
	}
	clear(links[w:])
	return links[:w]
}

// sortedLinks is newLinks for any state: every link, sorted, each
// source once.
func (pt *part) sortedLinks() []Link {
	e, res := pt.e, pt.res
	typ := e.rule.SourceObjectName()
	links := make([]Link, 0, len(res))
	for i := range res {
		if l, ok := pt.linkAt(i); ok {
			links = append(links, l)
		}
	}
	if e.state != nil {
		for li, l := range e.state.Links {
			switch e.linkSrc[li] {
			case -1:
			case -2:
				links = append(links, l) // duplicate source id: keep as was
				continue
			default:
				continue
			}
			if pt.held[l.Source] {
				links = append(links, l)
			}
		}
		links = append(links, pt.goneLinks...)
	}
	for i := range links {
		links[i].Type = typ
	}
	sortLinks(links)
	return slices.CompactFunc(links, func(a, b Link) bool { return a.Source == b.Source })
}
