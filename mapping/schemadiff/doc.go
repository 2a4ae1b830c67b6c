// Package schemadiff compares two synchronization schemas semantically,
// for review before a provisioning change is saved, as attrmap schema
// diff does:
//
//	old, _ := mapping.Decode(before)
//	new, _ := mapping.Decode(after)
//	for _, c := range schemadiff.Diff(old, new) {
//		fmt.Println(c) // changed attribute "mail" expression: ... -> ...
//	}
//
// Rules, object mappings and attribute mappings are matched by name
// (target attribute for attribute mappings); expressions are compared in
// their canonical form, so spacing and the case of function names are no
// change; matching priorities, flow types and behaviours, default values,
// the object mappings' flowTypes and enabled flag, and scoping clauses
// (as sets, since they are ANDed) are compared too. Each difference is a
// Change; equal schemas give none.
//
// It reads only mapping's exported model, which is why it is a package
// of its own beside mapping rather than part of it.
package schemadiff
