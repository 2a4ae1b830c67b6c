// Package lint warns about the pitfalls of attribute-mapping expressions
// that the Microsoft Entra ID reference pages document: expressions that
// compile and run, but do not do what their author meant once the
// provisioning service runs them (IsPresent as the source of a Switch, an
// IIF testing an attribute for null, Item with index 0, SelectUniqueValue
// where it is not supported, Switch keys that differ only in case, ...).
//
// Each Rule has a stable code (AM001, AM002, ...) and each Warning carries
// the position of the problem and a suggested rewrite, and renders like an
// expr.Error:
//
//	ws, err := lint.Lint(`Item([proxyAddresses], 0)`)
//	if err != nil {
//		return err // the expression does not compile: an *expr.Error
//	}
//	for _, w := range ws {
//		fmt.Println(w.Render())
//	}
//	// AM004 Item indexes start at 1: index 0 returns nothing (1:24)
//	//  | Item([proxyAddresses], 0)
//	//  | .......................^
//	// suggestion: Item([proxyAddresses], 1)
//
// A lone expression is linted without context; LintSchema lints every
// attribute mapping of a mapping.Schema with what the schema tells (the
// target attribute's type, matching priority, flow type, directories and
// source attribute definitions), so that rules such as "Switch for a
// referential attribute" and "SelectUniqueValue outside object creation"
// can fire. Warnings are sorted by position and, for a schema, carry the
// JSON path of the expression.
package lint
