package execute

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/sync/provision"
)

// LogEntry is one provisioning log entry in the shape of Microsoft
// Graph's provisioningObjectSummary: what happened to one object in one
// cycle, with its steps and modified properties. Members keep Graph's
// names and order.
type LogEntry struct {
	ActivityDateTime       time.Time          `json:"activityDateTime"`
	ChangeID               string             `json:"changeId"`
	CycleID                string             `json:"cycleId"`
	DurationInMilliseconds int                `json:"durationInMilliseconds"`
	ID                     string             `json:"id"`
	InitiatedBy            Initiator          `json:"initiatedBy"`
	JobID                  string             `json:"jobId"`
	ModifiedProperties     []ModifiedProperty `json:"modifiedProperties"`
	ProvisioningAction     string             `json:"provisioningAction"`
	ProvisioningStatusInfo StatusInfo         `json:"provisioningStatusInfo"`
	ProvisioningSteps      []Step             `json:"provisioningSteps"`
	ServicePrincipal       []ServicePrincipal `json:"servicePrincipal"`
	SourceIdentity         Identity           `json:"sourceIdentity"`
	SourceSystem           System             `json:"sourceSystem"`
	TargetIdentity         Identity           `json:"targetIdentity"`
	TargetSystem           System             `json:"targetSystem"`
	TenantID               string             `json:"tenantId"`
}

// Initiator is Graph's initiator: who started the provisioning.
type Initiator struct {
	ID            string `json:"id"`
	DisplayName   string `json:"displayName"`
	InitiatorType string `json:"initiatorType"` // user, application, system
}

// ModifiedProperty is one attribute written, old and new value as text
// ("[Redact]" where the mapping says Redact).
type ModifiedProperty struct {
	DisplayName string `json:"displayName"`
	OldValue    string `json:"oldValue"`
	NewValue    string `json:"newValue"`
}

// StatusInfo is Graph's provisioningStatusInfo.
type StatusInfo struct {
	Status           string     `json:"status"` // success, warning, failure, skipped
	ErrorInformation *ErrorInfo `json:"errorInformation"`
}

// ErrorInfo is Graph's provisioningErrorInfo.
type ErrorInfo struct {
	AdditionalDetails string `json:"additionalDetails"`
	ErrorCategory     string `json:"errorCategory"` // Graph's provisioningStatusErrorCategory: failure, nonServiceFailure, success
	ErrorCode         string `json:"errorCode"`
	Reason            string `json:"reason"`
	RecommendedAction string `json:"recommendedAction"`
}

// Step is Graph's provisioningStep.
type Step struct {
	Description          string            `json:"description"`
	Details              map[string]string `json:"details"`
	Name                 string            `json:"name"`
	ProvisioningStepType string            `json:"provisioningStepType"` // import, scoping, matching, processing, referenceResolution, export
	Status               string            `json:"status"`               // success, warning, failure, skipped
}

// ServicePrincipal is Graph's provisioningServicePrincipal.
type ServicePrincipal struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// Identity is Graph's provisionedIdentity.
type Identity struct {
	ID           string            `json:"id"`
	DisplayName  string            `json:"displayName"`
	IdentityType string            `json:"identityType"`
	Details      map[string]string `json:"details"`
}

// System is Graph's provisioningSystem.
type System struct {
	ID          string            `json:"id"`
	DisplayName string            `json:"displayName"`
	Details     map[string]string `json:"details"`
}

// LogContext is what every entry of a cycle shares.
type LogContext struct {
	CycleID, JobID string
	// SourceSystem and TargetSystem name the two directories; empty
	// gives "Microsoft Entra ID" and "SCIM app".
	SourceSystem, TargetSystem string
}

func (c LogContext) base(at time.Time, n int) LogEntry {
	src, tgt := c.SourceSystem, c.TargetSystem
	if src == "" {
		src = "Microsoft Entra ID"
	}
	if tgt == "" {
		tgt = "SCIM app"
	}
	id := fmt.Sprintf("%s-%05d", c.CycleID, n)
	return LogEntry{
		ActivityDateTime:   at.UTC(),
		ChangeID:           id,
		CycleID:            c.CycleID,
		ID:                 id,
		InitiatedBy:        Initiator{DisplayName: "attrmap", InitiatorType: "system"},
		JobID:              c.JobID,
		ModifiedProperties: []ModifiedProperty{},
		ServicePrincipal:   []ServicePrincipal{},
		SourceSystem:       System{DisplayName: src, Details: map[string]string{}},
		TargetSystem:       System{DisplayName: tgt, Details: map[string]string{}},
	}
}

// action is the provisioningAction of an operation kind.
func action(k provision.OpKind) string {
	switch k {
	case provision.Create:
		return "create"
	case provision.Update:
		return "update"
	case provision.Disable:
		return "disable"
	case provision.Delete:
		return "delete"
	}
	return "other"
}

// opEntry builds the entry of one operation up to its export step.
func (c LogContext) opEntry(op *provision.Op, at time.Time, n int) LogEntry {
	e := c.base(at, n)
	e.ProvisioningAction = action(op.Kind)
	e.SourceIdentity = Identity{ID: op.Key, IdentityType: op.Object, Details: map[string]string{}}
	e.TargetIdentity = Identity{ID: op.Target, IdentityType: op.Object, Details: map[string]string{}}
	e.ProvisioningSteps = []Step{
		{Name: "EntryImport", ProvisioningStepType: "import", Status: "success", Description: fmt.Sprintf("Received %s '%s' from %s", op.Object, op.Key, e.SourceSystem.DisplayName), Details: map[string]string{}},
	}
	scope := op.Reason
	switch op.Kind {
	case provision.Create, provision.Update:
		e.ProvisioningSteps = append(e.ProvisioningSteps,
			Step{Name: "EntrySynchronizationScoping", ProvisioningStepType: "scoping", Status: "success", Description: scope, Details: map[string]string{}},
			Step{Name: "EntryMatching", ProvisioningStepType: "matching", Status: "success", Description: op.Match, Details: map[string]string{}})
	default:
		e.ProvisioningSteps = append(e.ProvisioningSteps,
			Step{Name: "EntrySynchronizationScoping", ProvisioningStepType: "scoping", Status: "success", Description: scope, Details: map[string]string{}})
	}
	e.ProvisioningSteps = append(e.ProvisioningSteps, Step{Name: "EntrySynchronizationAction", ProvisioningStepType: "processing", Status: "success",
		Description: fmt.Sprintf("Determined the action %s for %s '%s'", strings.ToUpper(action(op.Kind)[:1])+action(op.Kind)[1:], op.Object, op.Key), Details: map[string]string{}})
	var refs []string
	for _, ch := range op.Changes {
		e.ModifiedProperties = append(e.ModifiedProperties, modified(ch))
		if ch.Ref != "" {
			refs = append(refs, ch.Name)
		}
	}
	if len(refs) > 0 {
		e.ProvisioningSteps = append(e.ProvisioningSteps, Step{Name: "EntryReferenceResolution", ProvisioningStepType: "referenceResolution", Status: "success",
			Description: "Resolved the references " + strings.Join(refs, ", ") + " to target ids", Details: map[string]string{}})
	}
	return e
}

// modified renders one change. A set change lists the values removed as
// the old value and those added as the new one.
func modified(c provision.AttrChange) ModifiedProperty {
	show := func(v expr.Value) string {
		if c.Redacted {
			return "[Redact]"
		}
		if v == nil || expr.IsNull(v) {
			return ""
		}
		v, _ = expr.Unwrap(v)
		if m, ok := v.(expr.Multi); ok {
			return strings.Join(m, ";")
		}
		return expr.Render(v)
	}
	if c.IsSet() {
		old, nw := strings.Join(c.Remove, ";"), strings.Join(c.Add, ";")
		if c.Redacted {
			old, nw = "[Redact]", "[Redact]"
		}
		return ModifiedProperty{DisplayName: c.Name, OldValue: old, NewValue: nw}
	}
	return ModifiedProperty{DisplayName: c.Name, OldValue: show(c.Old), NewValue: show(c.New)}
}

// finish sets the export step and the status of an entry.
func finish(e *LogEntry, status, desc string, details map[string]string, errInfo *ErrorInfo) {
	if details == nil {
		details = map[string]string{}
	}
	e.ProvisioningSteps = append(e.ProvisioningSteps, Step{Name: "EntryExport", ProvisioningStepType: "export", Status: status, Description: desc, Details: details})
	e.ProvisioningStatusInfo = StatusInfo{Status: status, ErrorInformation: errInfo}
}

// failStep marks the steps of a type failed.
func failStep(e *LogEntry, stepType string) {
	for i := range e.ProvisioningSteps {
		if e.ProvisioningSteps[i].ProvisioningStepType == stepType {
			e.ProvisioningSteps[i].Status = "failure"
		}
	}
}

// PlanLogs returns the entries of a plan that is not carried out (a dry
// run, attrmap plan --format logs): each operation with its export step
// skipped, each skipped action and held deletion skipped with its reason,
// each object error a failure of the processing step.
func PlanLogs(p *provision.Plan, ctx LogContext, at time.Time) []LogEntry {
	var out []LogEntry
	n := 0
	next := func() int { n++; return n }
	for i := range p.Ops {
		op := &p.Ops[i]
		e := ctx.opEntry(op, at, next())
		finish(&e, "skipped", "Dry run: the request was not sent", nil, nil)
		out = append(out, e)
	}
	if p.Held != nil {
		for i := range p.Held.Ops {
			op := &p.Held.Ops[i]
			e := ctx.opEntry(op, at, next())
			e.ProvisioningAction = "stageddelete"
			finish(&e, "skipped", fmt.Sprintf("Held back: the plan holds more deletions than the threshold of %d (accidental deletions prevention)", p.Held.Threshold), nil, nil)
			out = append(out, e)
		}
	}
	for i := range p.Skipped {
		op := &p.Skipped[i]
		e := ctx.opEntry(op, at, next())
		e.ProvisioningAction = action(op.Action)
		finish(&e, "skipped", op.Reason, nil, &ErrorInfo{ErrorCode: "EntrySynchronizationSkipped", ErrorCategory: "nonServiceFailure", Reason: op.Reason})
		out = append(out, e)
	}
	for _, oe := range p.Errors {
		out = append(out, errorEntry(ctx, oe, at, next()))
	}
	return out
}

// errorEntry is the entry of an object the planner could not plan.
func errorEntry(ctx LogContext, oe provision.ObjectError, at time.Time, n int) LogEntry {
	e := ctx.base(at, n)
	e.ProvisioningAction = "other"
	e.SourceIdentity = Identity{ID: oe.Key, IdentityType: oe.Object, Details: map[string]string{}}
	e.TargetIdentity = Identity{IdentityType: oe.Object, Details: map[string]string{}}
	code := "ImportSkipped"
	stepType := "processing"
	switch oe.Stage {
	case "match":
		code, stepType = "DuplicateTargetEntries", "matching"
	case "scope":
		stepType = "scoping"
	}
	if oe.Escrow {
		code = "EntryConflict"
	}
	msg := oe.Error()
	e.ProvisioningSteps = []Step{
		{Name: "EntryImport", ProvisioningStepType: "import", Status: "success", Description: fmt.Sprintf("Received %s '%s'", oe.Object, oe.Key), Details: map[string]string{}},
		{Name: "EntryEvaluation", ProvisioningStepType: stepType, Status: "failure", Description: msg, Details: map[string]string{"stage": oe.Stage, "attribute": oe.Attribute}},
	}
	e.ProvisioningStatusInfo = StatusInfo{Status: "failure", ErrorInformation: &ErrorInfo{ErrorCode: code, ErrorCategory: "failure", Reason: msg}}
	return e
}

// WriteLogs writes entries as JSON lines.
func WriteLogs(w io.Writer, entries []LogEntry) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			return err
		}
	}
	return nil
}
