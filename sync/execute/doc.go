// Package execute carries out a provisioning plan against a live target,
// as the Microsoft Entra provisioning service does after it has planned:
// one SCIM request at a time, in the plan's dependency order
// (scim.Requests), keeping the truth of what the app answered.
//
//	reqs, _ := scim.Requests(plan, rules...)
//	res, err := execute.Execute(ctx, client, execute.Input{Plan: plan, Requests: reqs, Next: next,
//		State: state, Rules: rules, Escrow: escrow, Journal: journal}, execute.Options{Clock: now})
//	// save res.State and escrow; write res.Logs
//
// # What is kept
//
// The state advances only for operations that succeeded: a created
// object is linked to the id the server returned (never the planner's
// placeholder), and an operation that failed keeps the object's old link,
// so the next plan asks for it again. A request on an object created
// earlier in the run is resolved to that id first; one whose object was
// not created is not sent (Stats.Deferred).
//
// The Journal records each request before it is sent and after its
// answer, synced to disk. Recover replays a journal left by a killed run
// into the state and escrow: a completed create's server id is not lost.
// A request begun and not ended is in doubt; reading the target from the
// app again resolves it, since the planner then finds a created object by
// its matching attribute (and links it) instead of creating it twice, and
// an update or delete that went through leaves nothing to plan.
//
// # Escrow and quarantine
//
// A failed object is escrowed (Escrow) and retried on a Schedule counted
// from its first failure: DocumentedSchedule is the quarantine page's (6,
// 12 and 24 hours, then every 24 hours until 28 days, then no more);
// BackoffSchedule is the one the project's issue names (2, 6, 12, 24, 48,
// 96 and 168 hours, flagged after the 7th retry). Until its retry is due an
// escrowed object's requests are not sent. The clock is Options.Clock:
// the package never reads the time.
//
// Every success and failure counts toward quarantine (Counters, kept
// until the escrow is cleared). Evaluate applies the documented
// thresholds: 5,000 failures before any evaluation; then more than 40 %
// of the events failed or more than 40,000 failures, reference failures
// (a manager or member that could not be set) apart; or more than 60,000
// failures of any kind. A refused credential (401, 403) quarantines at
// once. A run that puts the job in quarantine stops and says why
// (EncounteredEscrowProportionThreshold, EncounteredQuarantineException);
// a later run without failures lifts it; a job in quarantine for more
// than four weeks is disabled (ErrDisabled) until the escrow is cleared.
//
// # Logs
//
// Each request gives a LogEntry in the shape of Graph's
// provisioningObjectSummary: the steps (import, scoping, matching,
// processing, referenceResolution, export) with status and description,
// the modified properties with old and new values ([Redact] where the
// mapping says Redact), source and target identities (the target's
// server id once created), the action, the status and, on failure, the
// error code the provisioning logs use (EntryConflict, TooManyRequests,
// InternalServerError, Timeout, ...) with the server's scimType and
// detail. PlanLogs gives the entries of a dry run. WriteLogs writes JSON
// lines.
package execute
