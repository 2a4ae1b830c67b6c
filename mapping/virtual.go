package mapping

import (
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// VirtualEnv gives an object the source attributes the provisioning
// service computes rather than reads, for previews of one object that is
// in scope (attrmap map, the REPL's :map). IsSoftDeleted is false unless
// the object says otherwise: its own IsSoftDeleted (isSoftDeleted, any
// case) counts, and accountEnabled false makes it true, as a blocked user
// is soft-deleted in the target. Without it, the default SCIM mapping
// active <- Switch([IsSoftDeleted], , "False", "True", "True", "False")
// would show "not flowed" where the service sends active = True.
// The planner computes the same attribute from the cycle itself.
func VirtualEnv(env expr.Env) expr.Env { return virtualEnv{env} }

type virtualEnv struct{ expr.Env }

func (v virtualEnv) Lookup(name string) (expr.Value, bool) {
	val, ok := v.Env.Lookup(name)
	if ok || !strings.EqualFold(name, softDeleteAttr) {
		return val, ok
	}
	if en, ok := v.Env.Lookup("accountEnabled"); ok && strings.EqualFold(expr.Render(en), "false") {
		return expr.Bool(true), true
	}
	return expr.Bool(false), true
}
