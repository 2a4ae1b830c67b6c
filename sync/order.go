package sync

import (
	"cmp"
	"slices"
	"strings"
)

// This file is the only place that orders output. The contract, which the
// determinism test checks by shuffling snapshots:
//
//   - Plan.Ops by kind (Create < Update < Disable < Delete), then key;
//   - Plan.Skipped, Plan.Errors and HeldDeletions.Ops by key (then kind);
//   - AttrChange lists by attribute name, ignoring case, then bytes;
//   - State.Links by source id;
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

func sortOps(ops []Op) {
	slices.SortFunc(ops, func(a, b Op) int { return compareOps(&a, &b) })
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
		return strings.Compare(a.Err, b.Err)
	})
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
