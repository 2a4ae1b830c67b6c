package provision

import (
	"fmt"
	"strconv"

	"github.com/attrmap/attrmap/expr"
)

// OpKind is what an operation does to the target. The order of the
// constants is the order of a plan: creates, then updates, disables,
// deletes, and last the skipped actions, which are records, not operations.
type OpKind uint8

// The operation kinds.
const (
	// Create adds an in-scope source object that matched no target object.
	Create OpKind = iota
	// Update changes the attributes of a linked or matched target object
	// whose mapped values differ.
	Update
	// Disable soft-deletes a provisioned target object whose source went
	// out of scope, was unassigned, disabled or soft-deleted: an update of
	// the attribute mapped from IsSoftDeleted (SCIM active = false).
	Disable
	// Delete removes a provisioned target object whose source was
	// hard-deleted (is gone from the source snapshot).
	Delete
	// Skip records an action the plan would take but the object mapping's
	// flow types or the options withhold. It never changes the target.
	Skip
)

// opKinds is the number of kinds, for exhaustive tables.
const opKinds = 5

// String returns the lower-case name of the kind, as the plan JSON spells it.
func (k OpKind) String() string {
	switch k {
	case Create:
		return "create"
	case Update:
		return "update"
	case Disable:
		return "disable"
	case Delete:
		return "delete"
	case Skip:
		return "skip"
	}
	panic("sync: unknown OpKind " + strconv.Itoa(int(k)))
}

// symbol is the one-character marker of the kind in Plan.String.
func (k OpKind) symbol() string {
	switch k {
	case Create:
		return "+"
	case Update:
		return "~"
	case Disable:
		return "-"
	case Delete:
		return "x"
	case Skip:
		return "."
	}
	panic("sync: unknown OpKind " + strconv.Itoa(int(k)))
}

// parseOpKind is the inverse of String.
func parseOpKind(s string) (OpKind, error) {
	for k := range OpKind(opKinds) {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown operation kind %q", s)
}

// MarshalText implements encoding.TextMarshaler.
func (k OpKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *OpKind) UnmarshalText(b []byte) error {
	v, err := parseOpKind(string(b))
	*k = v
	return err
}

// Op is one operation of a plan, or one skipped action.
type Op struct {
	Kind OpKind
	// Object is the target object type the operation acts on (the object
	// mapping's targetObjectName: "User", "Group", ...).
	Object string
	// Key identifies the operation: the source object's id. Within one
	// object type, a key appears in at most one operation, skip or error
	// of a plan, except that a Create may be followed by its FollowUp
	// update.
	Key string
	// Target is the target object's id: the linked or matched object, or
	// for Create the id the new object gets (see Options.NewTargetID).
	Target string
	// Reason says why, in words: the scope decision, the match, the
	// deprovisioning event, or for Skip what withheld the action.
	Reason string
	// Match says how the target object was found ("linked by state",
	// `matched on userName = "x" (priority 1)`, "no match"); empty for
	// Disable, Delete and Skip.
	Match string
	// Action is, for Skip only, the kind of the action withheld.
	Action OpKind
	// FollowUp marks the Update that sets, after every create of the
	// plan, the references of a created object to objects created in the
	// same plan (a manager, group members), as the service does.
	FollowUp bool
	// Changes lists the attributes written, sorted by name: all of them
	// for Create, those that differ for Update, the soft-delete attribute
	// for Disable, none for Delete.
	Changes []AttrChange
}

// AttrChange is one attribute an operation writes.
type AttrChange struct {
	// Name is the target attribute.
	Name string
	// Old is the target's value before, expr.Null when it had none. It is
	// nil in a set change (see Add).
	Old expr.Value
	// New is the value written; expr.Null clears the attribute (only for
	// targets whose definition sets flowNullValues). It is nil in a set
	// change.
	New expr.Value
	// Add and Remove make a set change: an Update of a multi-valued
	// attribute adds and removes single values (SCIM PATCH add and
	// remove) instead of writing the whole list. Either may be empty, not
	// both. Values are in the order of the source, then the target.
	Add, Remove []string
	// Ref is, for a Reference attribute, the object type the values point
	// to ("User" for manager, "User" or "Group" for members): the values
	// are target ids, resolved from source ids through the links.
	Ref string
	// Redacted reports that the mapping asked for the value to be hidden
	// (Redact): Old and New are shown as [Redact] in String and JSON, and
	// only the in-memory plan holds the real value.
	Redacted bool
}

// IsSet reports whether the change adds and removes values rather than
// writing Old and New.
func (c *AttrChange) IsSet() bool { return len(c.Add) > 0 || len(c.Remove) > 0 }
