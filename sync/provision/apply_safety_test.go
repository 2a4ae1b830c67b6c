package provision

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
)

// applyWorld plans a small cycle and returns the target and the plan read
// back from its JSON, as the apply command gets them.
func applyWorld(t *testing.T) (*Snapshot, *Plan) {
	t.Helper()
	w := benchWorld(t, 200)
	p, _, err := w.diff(Options{Now: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	return w.target, &back
}

// TestApplyRefusesStaleOperations: an update whose old values are not the
// target's any more (the target changed, or the plan was edited) is not
// applied, and the problem names it.
func TestApplyRefusesStaleOperations(t *testing.T) {
	target, plan := applyWorld(t)
	k := -1
	for i := range plan.Ops {
		if plan.Ops[i].Kind == Update && plan.Ops[i].Changes[0].Old != nil {
			k = i
			break
		}
	}
	if k < 0 {
		t.Fatal("no update in the plan")
	}
	if _, err := Apply(target, plan); err != nil {
		t.Fatalf("fresh plan: %v", err)
	}
	op := &plan.Ops[k]
	ti := -1
	for i := range target.Objects {
		if target.Objects[i].ID == op.Target {
			ti = i
		}
	}
	c := op.Changes[0]
	changed := &Snapshot{Attributes: target.Attributes, Objects: append([]Object(nil), target.Objects...)}
	vals := append(changed.Objects[ti].Values[:0:0], changed.Objects[ti].Values...)
	changed.Objects[ti].Values = vals
	set(changed, &changed.Objects[ti], changed.attr(c.Name), exprString("changed by someone else"))

	out, err := Apply(changed, plan)
	var ae *ApplyError
	if !errors.As(err, &ae) || len(ae.Problems) != 1 || !strings.Contains(ae.Problems[0], "changed since the plan was made") || !strings.Contains(ae.Problems[0], op.Key) {
		t.Fatalf("Apply = %v, want one stale operation named", err)
	}
	got, _ := out.Get(&out.Objects[ti], c.Name)
	if exprRender(got) != "changed by someone else" {
		t.Errorf("the stale update was written: %s = %v", c.Name, got)
	}
}

// TestPlanUnknownFieldRefused: a plan member the format does not have is
// an error, not ignored.
func TestPlanUnknownFieldRefused(t *testing.T) {
	_, plan := applyWorld(t)
	data, _ := plan.MarshalJSON()
	for _, edit := range []struct{ from, to string }{
		{`"ops": [`, `"opps": [], "ops": [`},
		{`"kind": "create"`, `"kind": "create", "force": true`},
	} {
		bad := bytes.Replace(data, []byte(edit.from), []byte(edit.to), 1)
		var p Plan
		if err := p.UnmarshalJSON(bad); err == nil || !strings.Contains(err.Error(), "unknown field") {
			t.Errorf("%s: UnmarshalJSON = %v, want an unknown field error", edit.to, err)
		}
	}
}

// TestNestedJSONStaysJSON: a nested JSON value in a plan is kept as JSON
// text, never Go's map[...] syntax.
func TestNestedJSONStaysJSON(t *testing.T) {
	snap, err := DecodeSnapshot([]byte(`[{"id": "t1", "extra": "x"}]`), SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	plan := `{"version": 2, "rule": "r", "initial": false, "stats": {}, "ops": [{"kind": "update", "key": "s1", "target": "t1", "changes": [` +
		`{"name": "extra", "old": "x", "new": {"n": true, "a": [1, {"b": null}]}}, {"name": "list", "old": null, "new": [{"k": 1}]}]}], "skipped": [], "errors": []}`
	var p Plan
	if err := p.UnmarshalJSON([]byte(plan)); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(snap, &p)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res.WriteJSON(&out)
	want := `{"id": "t1", "extra": "{\"a\":[1,{\"b\":null}],\"n\":true}", "list": "[{\"k\":1}]"}`
	if s := out.String(); !strings.Contains(s, want) {
		t.Errorf("applied snapshot written as %s, want %s", s, want)
	}
}

func exprString(s string) expr.Value { return expr.String(s) }
func exprRender(v expr.Value) string { return expr.Render(v) }
