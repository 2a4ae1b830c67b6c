package provision

import (
	"cmp"
	"slices"
	"strings"
)

// This file is the only place that orders output. The contract, which the
// determinism tests check by shuffling snapshots:
//
//   - Plan.Ops and HeldDeletions.Ops by kind (Create < Update < Disable <
//     Delete), follow-ups after the other updates, then object mapping in
//     dependency order (users before groups), then key;
//   - Plan.Skipped, Plan.Errors and Plan.Unresolved by object mapping in
//     that order, then key (then kind, stage or attribute and value);
//   - AttrChange lists by attribute name, ignoring case, then bytes;
//   - State.Links by source id, then type;
//   - Snapshot.WriteJSON by object id, then attribute name.
//
// Keys compare as byte strings. No output is ever built by ranging over a
// map.

func compareOps(a, b *Op) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := strings.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return cmp.Compare(a.Action, b.Action)
}

func sortErrors(errs []ObjectError) {
	slices.SortFunc(errs, func(a, b ObjectError) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		if c := strings.Compare(a.Stage, b.Stage); c != 0 {
			return c
		}
		if c := strings.Compare(a.Attribute, b.Attribute); c != 0 {
			return c
		}
		return strings.Compare(errText(a.Err), errText(b.Err))
	})
}

// sameError reports two errors that sort and print the same.
func sameError(a, b ObjectError) bool {
	return a.Key == b.Key && a.Stage == b.Stage && a.Attribute == b.Attribute && a.Object == b.Object &&
		a.Escrow == b.Escrow && errText(a.Err) == errText(b.Err)
}

func sortLinks(links []Link) { slices.SortFunc(links, compareLinks) }

func compareLinks(a, b Link) int {
	if c := strings.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	return strings.Compare(a.Type, b.Type)
}

// compareNames orders attribute names ignoring case, then by bytes, as
// mapping orders compiled attributes.
func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func sortChanges(cs []AttrChange) {
	slices.SortFunc(cs, func(a, b AttrChange) int { return compareNames(a.Name, b.Name) })
}

func (c *cycle) rankOf(object string) int {
	if r, ok := c.rank[object]; ok { // ops carry the mapping's own spelling
		return r
	}
	if r, ok := c.rank[strings.ToLower(object)]; ok {
		return r
	}
	return len(c.rank)
}

// sortOps orders operations by kind, then follow-ups after the other
// updates, then object mapping in dependency order, then key. The
// operations fall into a few groups (kind, follow-up, object mapping):
// the group of each is found once, and positions are sorted rather than
// the operations themselves (a comparison reads two keys, a swap moves
// two integers), then the operations are put in their order with one
// copy. Operations already in order are left as they are.
func (c *cycle) sortOps(ops []Op) {
	nRank := len(c.rank) + 1 // rankOf's ranks, the unknown one included
	group := make([]int32, len(ops))
	var lastObj string
	lastRank := c.rankOf("")
	for i := range ops {
		op := &ops[i]
		if op.Object != lastObj {
			lastObj, lastRank = op.Object, c.rankOf(op.Object)
		}
		fu := 0
		if op.FollowUp {
			fu = 1
		}
		group[i] = int32((int(op.Kind)*2+fu)*nRank + lastRank)
	}
	byOrder := func(a, b int32) int {
		if x := cmp.Compare(group[a], group[b]); x != 0 {
			return x
		}
		if x := compareOps(&ops[a], &ops[b]); x != 0 {
			return x
		}
		return cmp.Compare(a, b) // equal operations keep their order
	}
	idx := make([]int32, len(ops))
	for i := range idx {
		idx[i] = int32(i)
	}
	if slices.IsSortedFunc(idx, byOrder) {
		return
	}
	slices.SortFunc(idx, byOrder)
	sorted := make([]Op, len(ops))
	for i, j := range idx {
		sorted[i] = ops[j]
	}
	copy(ops, sorted)
}

// sortSkipped orders skipped actions by object mapping, then key, then the
// action withheld.
func (c *cycle) sortSkipped(ops []Op) {
	slices.SortFunc(ops, func(a, b Op) int {
		return cmp.Or(cmp.Compare(c.rankOf(a.Object), c.rankOf(b.Object)), compareOps(&a, &b))
	})
}

// sortUnresolved orders unresolved references by object mapping, key,
// attribute and value.
func (c *cycle) sortUnresolved(us []Unresolved) {
	slices.SortFunc(us, func(a, b Unresolved) int {
		return cmp.Or(cmp.Compare(c.rankOf(a.Object), c.rankOf(b.Object)), strings.Compare(a.Key, b.Key),
			strings.Compare(a.Attribute, b.Attribute), strings.Compare(a.Value, b.Value))
	})
}

func sortStrings(s []string) { slices.Sort(s) }
