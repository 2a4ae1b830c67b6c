package provision

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCheckRefuses has one case per broken input of finding 3: each was
// planned before, destructively or depending on input order; each is now
// refused with a message that says why (and the flag, where one allows it).
func TestCheckRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(w *world)
		opts  Options
		want  string // in the error; "" when the plan must go through
		allow Options
	}{
		{"empty source", func(w *world) { w.source.Objects = nil }, Options{}, "--allow-source-loss", Options{AllowSourceLoss: true}},
		{"source lost most linked objects", func(w *world) { w.source.Objects = w.source.Objects[:len(w.source.Objects)/3] }, Options{}, "--allow-source-loss", Options{AllowSourceLoss: true}},
		{"state of another job", func(w *world) { w.state.Rule = "Provision Contoso HR Users" }, Options{}, "belongs to another job", Options{}},
		{"two sources linked to one target", func(w *world) {
			w.state.Links[1].Target = w.state.Links[0].Target
		}, Options{}, "to the same target", Options{}},
		{"unknown source objectType", func(w *world) { w.source.Objects[3].Type = "Usr" }, Options{}, `objectType "Usr"`, Options{AllowOtherTypes: true}},
		{"unknown target objectType", func(w *world) { w.target.Objects[3].Type = "Contact" }, Options{}, `objectType "Contact"`, Options{AllowOtherTypes: true}},
		{"unknown link type", func(w *world) { w.state.Links[3].Type = "Contact" }, Options{}, `of type "Contact"`, Options{AllowOtherTypes: true}},
		{"a source linked twice, to two targets", func(w *world) {
			w.state.Links = append(w.state.Links, Link{Source: w.state.Links[0].Source, Target: w.state.Links[1].Target + "x", Provisioned: true})
		}, Options{}, "more than once", Options{}},
		{"duplicate target id", func(w *world) { w.target.Objects[5].ID = w.target.Objects[4].ID }, Options{}, "more than one User with id", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := benchWorld(t, 60)
			w.state.Rule = w.rules[0].Mapping().Name
			w.state.Links = slices.Clone(w.state.Links)
			w.source.Objects = slices.Clone(w.source.Objects)
			w.target.Objects = slices.Clone(w.target.Objects)
			if _, _, err := w.diff(Options{Now: time.Unix(0, 0)}); err != nil {
				t.Fatalf("the world itself is refused: %v", err)
			}
			tt.edit(w)
			tt.opts.Now = time.Unix(0, 0)
			_, _, err := w.diff(tt.opts)
			if ie := (*InputError)(nil); !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Diff = %v, want a refusal containing %q", err, tt.want)
			}
			// Planner.Plan refuses too: no operation, the errors, the
			// state unchanged.
			p, err := NewPlanner(w.rules, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			plan, next, perr := p.Plan(context.Background(), w.source, w.target, w.state)
			if ie := (*InputError)(nil); !errors.As(perr, &ie) {
				t.Errorf("Plan = %v, want a refusal", perr)
			}
			if len(plan.Ops) != 0 || len(plan.Errors) == 0 || plan.Errors[0].Stage != "input" {
				t.Errorf("Plan: %d ops, errors %v", len(plan.Ops), plan.Errors)
			}
			if !slices.Equal(next.Links, w.state.Links) || next.Rule != w.state.Rule {
				t.Error("Plan moved the state of refused inputs")
			}
			if tt.allow.AllowSourceLoss || tt.allow.AllowOtherTypes {
				tt.allow.Now = time.Unix(0, 0)
				if _, _, err := w.diff(tt.allow); err != nil {
					t.Errorf("allowed by its option, still: %v", err)
				}
			}
		})
	}
}

// TestCheckAllowsSmallLoss: a few hard deletes are a normal cycle.
func TestCheckAllowsSmallLoss(t *testing.T) {
	w := benchWorld(t, 200)
	w.source.Objects = w.source.Objects[:len(w.source.Objects)-20]
	if _, _, err := w.diff(Options{Now: time.Unix(0, 0)}); err != nil {
		t.Errorf("Diff = %v", err)
	}
}
