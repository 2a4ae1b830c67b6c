// Package provision computes the provisioning plan of one cycle, offline: given
// the object mappings of a synchronization rule, a snapshot of the source
// objects, a snapshot of the target objects and the links kept from the
// previous cycle, a Planner says which target objects to create, update,
// disable and delete, and why, as the Microsoft Entra provisioning service
// would.
//
//	rules, _ := schema.CompileRule("")           // users and groups: []*mapping.CompiledObjectMapping
//	planner, err := provision.NewPlanner(rules, provision.Options{}) // prepare once ...
//	plan, next, err := planner.Plan(ctx, source, target, state)      // ... plan many cycles
//	fmt.Print(plan)                             // summary, then each op with its reason
//	x, _ := planner.Explain(ctx, source, target, state, "u1") // one object, step by step
//	applied, _ := provision.Apply(target, plan) // what the target looks like afterwards
//	// save next (the new state) for the next cycle
//
// Plan and Explain stop with ctx.Err() soon after ctx is cancelled. SCIM
// rendering of a plan is in the sibling package sync/scim.
//
// The files follow the planner's stages: planner.go (Planner, Options,
// the per-mapping preparation), cycle.go (splitting the snapshots by type,
// the cycle's stages), engine.go (one object mapping's objects: scope,
// the mapping through mapping.ApplyTo, match, create, update, disable),
// match.go, change.go (what an update writes), unique.go
// (SelectUniqueValue across the plan), part.go (operations, ids and links
// of one mapping), refs.go (references), guard.go (the checks Plan runs first, the
// guards against destructive plans from broken inputs), trace.go,
// explain.go and explainjson.go (explanations); op.go, plan.go,
// planjson.go and errors.go hold the plan's types and its JSON form,
// order.go every ordering; snapshot.go, read.go and state.go the inputs;
// apply.go carries a plan out on a snapshot.
//
// # Semantics
//
// Scope. A source object is in scope when it is not soft-deleted
// (isSoftDeleted), not disabled (accountEnabled false), assigned to the
// application (unless Options.SyncAll) and passes the object mapping's
// scoping filter, in that order; the first failing rule is the reason.
//
// Match. An in-scope object linked by the state to a target object that
// still exists uses that object. Otherwise each matching attribute is
// evaluated through its mapping, lowest matchingPriority first, and looked
// up in the target snapshot (ignoring case unless the target attribute is
// caseExact); the first attribute that finds something decides. Finding
// two target objects, a target object linked to another source, or a
// target object found by two source objects is an error on the object,
// never a guess. So is an object without a value for any matching
// attribute.
//
// B2B guests: as the service does, the source userPrincipalName of a guest,
// alias_theirdomain#EXT#@yourdomain, reads as alias@theirdomain in every
// expression (matching attributes included), and originalUserPrincipalName
// gives the full name (b2b.go).
//
// Actions, each allowed by the object mapping's flowTypes:
//   - Create (Add): in scope, nothing matched. The object is not linked
//     yet, so it gets the id Options.NewTargetID gives (the source id by
//     default); Apply creates it under that id and the new state links it.
//   - Update (Update): in scope, linked or matched, with attributes that
//     differ. Only those are written, old and new value; ObjectAddOnly
//     mappings never update, AttributeAddOnly only fill empty attributes,
//     ValueAddOnly and MultiValueAddOnly only add values, and a default
//     value only fills an empty attribute. A linked object that was
//     disabled earlier is enabled again this way.
//   - Disable (Update): linked, provisioned and now out of scope,
//     unassigned, disabled or soft-deleted. Every mapping that reads
//     IsSoftDeleted is evaluated with IsSoftDeleted true (SCIM active =
//     false, and a custom flag a schema may set beside it). Without such a
//     mapping, or with
//     Options.SkipOutOfScopeDeletions, the action is skipped. A disabled
//     object stays linked but is no longer provisioned: it is not deleted
//     when its source is hard-deleted later (the service's known
//     limitation), and it is enabled again if it comes back in scope.
//   - Delete (Delete): linked and provisioned, and gone from the source
//     snapshot (hard-deleted).
//
// Target objects the engine never linked are never touched. An action the
// flow types or the options withhold is recorded in Plan.Skipped. When
// Options.DeletionThreshold is set and the plan holds more disables and
// deletes than that, they are all held back in Plan.Held (the service's
// accidental-deletion guard) unless Options.AllowDeletions; their links
// are kept, so the next cycle plans them again.
//
// Several object mappings. The snapshots and the state hold the objects
// and links of every type, told apart by Object.Type and Link.Type (empty
// means the first mapping's type). Each mapping plans its own objects; the
// deletion guard counts the whole plan; created objects get ids unique
// across types. Within each kind, operations of a mapping come before
// those of the mappings whose reference attributes point to it: users are
// created before the groups that contain them.
//
// References. A Reference attribute (manager, members) evaluates to source
// ids and is written as target ids, resolved through the new links of the
// mapping its definition's referencedObjects names: a provisioned object
// resolves to its target (an object created in this plan to its new id),
// one disabled earlier is left as it is, anything else is unresolved,
// listed in Plan.Unresolved and left out. A create carries the references
// to existing objects; those to objects created in the same plan are set
// by a follow-up Update after every create (Op.FollowUp), as the service
// does. Multi-valued references (group members) change as sets, and only
// members the engine manages are ever removed.
//
// Multi-valued attributes change as sets: an Update adds and removes
// single values (AttrChange.Add and Remove) rather than rewriting the
// list; ValueAddOnly and MultiValueAddOnly only add.
//
// SelectUniqueValue checks each candidate against the target snapshot and
// against the values given out earlier in the same plan: workers evaluate
// objects independently, then the creates and updates that write such an
// attribute claim their values in source id order, and an object that
// finds its value claimed is evaluated again, seeing the claims, so it
// takes the next candidate or is escrowed (ObjectError.Escrow) when all
// are taken. A linked object keeps its current value while it is still a
// free candidate (a decision: the documentation is silent on updates, and
// renaming a user because an earlier candidate became free would make a
// second cycle change what the first wrote). An escrowed object waiting
// for a value that another object gives up in the same plan gets it in the
// next cycle: creates run before updates, so it cannot have it earlier.
//
// SCIM. Package sync/scim renders a plan as the SCIM 2.0 requests (RFC
// 7644) a target receives.
//
// Errors on one object (an expression that fails, an ambiguous match, a
// duplicate source id) go to Plan.Errors with the stage that failed; the
// object gets no operation and keeps its link, and the others go on, like
// the service's escrow.
//
// The per-attribute rules are mapping's, and only mapping's: the engine
// calls CompiledObjectMapping.ApplyTo, the allocation-free core that Apply,
// the map command and the REPL also use, with buffers each worker reuses,
// and explanations are worded from the same flows. Values are compared as
// CompiledAttribute.Equal does: ignoring case unless caseExact, lists as
// sets, null equal to empty. flowBehavior
// FlowAlways is not honoured: a plan writes only what differs, so that
// plans converge.
//
// # Guarantees
//
// Plan is a pure function: no I/O, no clock (Options.Now sets the clock of
// date functions), no global state. Its output does not depend on the
// order of the snapshots' objects or of the state's links: operations are
// sorted by kind (create, update, disable, delete), follow-ups after the
// other updates, then mapping in dependency order, then source id, skips
// and errors by source id, changes by attribute name, links by source id,
// and no output is built by ranging over a map. Guid and RandomString draw
// from a stream seeded by the object's id and the target attribute's name,
// so generated values are reproducible too (and the same in --explain).
// TestDiffDeterministic shuffles the inputs to check it.
//
// Plans converge: applying a plan and planning again with the new state
// gives an empty plan. TestConvergence checks it on generated worlds, and
// TestConvergenceReferences on worlds of users and groups with managers,
// memberships and competing SelectUniqueValue candidates (where only the
// escrowed objects are retried in later cycles). The
// one case that needs two cycles is a source object matching the target
// of a hard-deleted source that is being deleted in the same plan: it is
// an error in the first cycle and created in the second.
//
// Values keep their JSON type: a boolean is true or false and a number a
// number in Plan.String, the plan's JSON and Apply's output
// (Snapshot.WriteJSON), all written by expr.AppendJSON, and UnmarshalJSON
// and ReadSnapshot read them back with that type, so Apply leaves a value
// it does not change as it was read. What a mapping writes has the target
// attribute's type (mapping.AttributeDefinition.Convert).
//
// Redacted values (Redact) are hidden in Plan.String and the JSON form,
// where old and new values read [Redact]; only the in-memory plan holds
// them, so a plan read back from JSON cannot write them.
//
// # Memory and speed
//
// Files are streamed: ReadSnapshot decodes one object at a time and holds
// one object's raw JSON (or one CSV line) beside the snapshot it builds,
// never the whole file (a long JSON stream or array is read in 1 MiB
// chunks on every core, a few chunks at a time, with the same result and
// errors); ReadState decodes one link at a time. Nothing
// keeps a second copy of an object: Plan works on the snapshots as they
// are (it splits a snapshot by type only when it holds several,
// copying the 64-byte Object headers, not the values).
//
// A source or target object costs a 64-byte Object, 16 bytes per
// attribute position up to the last one it has (cut from shared blocks),
// and for each value of its own the string bytes plus a 16-byte box.
// Repeated short values (department, city, "True", a manager's id) are
// stored once per read and shared; attributes whose values are mostly
// distinct (ids, mails) are not interned. With 20 attributes that is
// about 620 bytes per source user and 580 per target object. A link costs
// about 120 bytes.
//
// Plan builds, once and concurrently, a map from target id to position
// and one from source id, and resolves each link's source and target to
// positions; Check reads these indexes, and planning then follows the
// positions instead of looking ids up again. It builds one map per
// matching attribute (normalised per caseExact, one entry per value, with
// shared values listed aside; in shards built side by side for a large
// target) and one per attribute using SelectUniqueValue. It then
// evaluates the source objects in parallel (Options.Workers, by default
// GOMAXPROCS), each worker reusing its buffers (a bare [attr] mapping
// copies its source slot, found once), and writes each result at its
// object's position. The results are filed and the new links merged (in
// the state's order, not sorted) in consecutive chunks on every core, put
// together in chunk order, so plan and state are those of one pass in a
// fixed order. Plan.WriteJSON
// and State.WriteJSON stream the JSON forms to a writer, so a plan of a
// million objects is never held as text.
// An object that needs nothing allocates only what expression evaluation
// does. What Plan keeps is about 115 bytes per source object (the result,
// the plan and the new state); references add, per referenced mapping
// with a multi-valued reference, a map of its link targets, and
// SelectUniqueValue a map of the values given out in the plan.
//
// Measured on 2 cores with 20-attribute users (TestScale, ATTRMAP_SCALE):
// 1M users read in about 10 s per file and plan in 9 s with a peak RSS of
// 2.1 GiB for the whole cycle (source, target, state and Plan); 3M users
// read in about 30 s per file and plan in 28 s, with a peak of 6.0 GiB. With Go's default collector
// settings the peak is about twice the live heap; GOMEMLIMIT trades CPU
// for a lower one.
//
// # Snapshot format
//
// ReadSnapshot (DecodeSnapshot for bytes) reads a JSON array, JSON lines
// or CSV with a header. An object is flat, {"id": "u1", "assigned": true,
// "mail": "..."}, or nested, {"id": "u1", "assigned": true, "attributes":
// {"mail": "..."}}.
// The id comes from "id", else "objectId" (SnapshotOptions.IDAttribute to
// choose); a member whose name differs only in case counts when none has
// the exact name (the "Id" column of PowerShell's Export-Csv). In the flat
// form the id is also an attribute. "assigned" (default
// true) and "isSoftDeleted" (default false) are flags, not attributes;
// "accountEnabled" is both: false makes the object disabled, and
// expressions can read it. "objectType" names the object's type
// ("Group") in a snapshot of several types; it is a flag, not an
// attribute.
package provision
