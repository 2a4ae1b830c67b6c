package mapping

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

// TestApplyToMatchesApply checks that the positional core and Apply agree,
// flow by flow, in every situation Apply describes: on create and update,
// with and without the target's current values.
func TestApplyToMatchesApply(t *testing.T) {
	m := compileApplyDoc(t)
	src := expr.NewEnv(map[string]any{
		"userPrincipalName": "ann@contoso.com", "givenName": "Ann", "surname": "Lee", "objectId": "O1",
		"proxyAddresses": []any{"smtp:a@x", "SMTP:A@y"}, "pwd": "pw", "mailNickname": "annie", "phones": []any{"1", "2"},
		"roles": []any{"r"}, "IsSoftDeleted": false,
	})
	current := expr.NewEnv(map[string]any{"nickName": "ann", "title": "", "locale": "nl-NL", "userName": "ANN@contoso.com"})
	for _, onCreate := range []bool{true, false} {
		for _, cur := range []expr.Env{nil, current} {
			name := fmt.Sprintf("onCreate=%t current=%t", onCreate, cur != nil)
			t.Run(name, func(t *testing.T) {
				want, _ := m.Apply(src, ApplyOptions{OnCreate: onCreate, Current: cur})
				s := Situation{OnCreate: onCreate}
				if cur != nil {
					s.Current = func(k int) (expr.Value, bool) {
						v, _ := cur.Lookup(m.Attributes()[k].Target)
						return v, true
					}
				}
				flows := make([]Flow, len(m.Attributes()))
				failed := m.ApplyTo(src, &s, flows)
				var got []string
				for k := range flows {
					got = append(got, m.Attributes()[k].Explain(&flows[k]).String())
				}
				if diff := cmp.Diff(explainLines(want), got); diff != "" {
					t.Errorf("(-Apply +ApplyTo):\n%s", diff)
				}
				if failed != 1 { // phone: two values for a single-valued attribute
					t.Errorf("failed = %d, want 1", failed)
				}
			})
		}
	}
}

// TestApplyToHooks checks that ApplyTo asks the situation only what a
// mapping needs: Exists for SelectUniqueValue, Rand for Guid, and the
// current value on update or for a kept unique value.
func TestApplyToHooks(t *testing.T) {
	om := &ObjectMapping{AttributeMappings: []AttributeMapping{
		{TargetAttributeName: "id", Source: mustSource(t, `Guid()`)},
		{TargetAttributeName: "name", Source: mustSource(t, `[a]`)},
		{TargetAttributeName: "upn", Source: mustSource(t, `SelectUniqueValue([a], Join("", [a], "2"))`)},
	}}
	m, err := Compile(om)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	s := Situation{
		OnCreate: true,
		Current: func(k int) (expr.Value, bool) {
			asked = append(asked, "current "+m.Attributes()[k].Target)
			return expr.String("ANN"), true
		},
		Exists: func(k int) func(string) bool {
			asked = append(asked, "exists "+m.Attributes()[k].Target)
			return func(v string) bool { return !strings.EqualFold(v, "ann") }
		},
		Rand: func(k int) io.Reader {
			asked = append(asked, "rand "+m.Attributes()[k].Target)
			return strings.NewReader(strings.Repeat("x", 64))
		},
	}
	flows := make([]Flow, 3)
	if failed := m.ApplyTo(expr.NewEnv(map[string]any{"a": "ann"}), &s, flows); failed != 0 {
		t.Fatalf("failed = %d: %v", failed, flows)
	}
	if diff := cmp.Diff([]string{"rand id", "current upn", "exists upn"}, asked); diff != "" {
		t.Errorf("hooks called (-want +got):\n%s", diff)
	}
	// The current value "ANN" is still free and a candidate (ignoring
	// case): it is kept.
	if got := expr.Render(flows[2].Value); got != "ann" {
		t.Errorf("upn = %q, want the kept candidate ann", got)
	}
}

// TestApplyToAllocations checks that the core allocates nothing of its own:
// direct mappings of strings cost no allocation per object.
func TestApplyToAllocations(t *testing.T) {
	om := &ObjectMapping{}
	for _, n := range []string{"a", "b", "c", "d"} {
		om.AttributeMappings = append(om.AttributeMappings, AttributeMapping{TargetAttributeName: n, Source: mustSource(t, "["+n+"]")})
	}
	m, err := Compile(om)
	if err != nil {
		t.Fatal(err)
	}
	src := expr.MapEnv{"a": expr.String("1"), "b": expr.String("2"), "c": expr.String("3"), "d": expr.Multi{"4"}}
	s := Situation{OnCreate: true}
	flows := make([]Flow, 4)
	if n := testing.AllocsPerRun(100, func() { m.ApplyTo(src, &s, flows) }); n != 0 {
		t.Errorf("ApplyTo allocates %v times per object, want 0", n)
	}
}

// TestCaseExactOneRule checks that Equal, CaseExact and the kept
// SelectUniqueValue value share one comparison rule: exact for a caseExact
// attribute, ignoring case for a Boolean one even when it says caseExact.
func TestCaseExactOneRule(t *testing.T) {
	tgt := &ObjectDefinition{Name: "User", Attributes: []AttributeDefinition{
		{Name: "code", CaseExact: true},
		{Name: "flag", CaseExact: true, Type: TypeBoolean},
	}}
	om := &ObjectMapping{AttributeMappings: []AttributeMapping{
		{TargetAttributeName: "code", Source: mustSource(t, `SelectUniqueValue([a], "other")`)},
		{TargetAttributeName: "flag", Source: mustSource(t, `SelectUniqueValue([b], "False")`)},
	}}
	m, err := Compile(om, WithDefinitions(nil, tgt))
	if err != nil {
		t.Fatal(err)
	}
	attrs := m.Attributes()
	for _, tt := range []struct {
		k         int
		caseExact bool
	}{{0, true}, {1, false}} {
		a := &attrs[tt.k]
		if a.CaseExact() != tt.caseExact {
			t.Errorf("%s: CaseExact = %t, want %t", a.Target, a.CaseExact(), tt.caseExact)
		}
		x, y := expr.String("True"), expr.String("TRUE")
		if got, want := a.Equal(x, y), !tt.caseExact; got != want || m.Equal(a.Target, x, y) != want {
			t.Errorf("%s: Equal(True, TRUE) = %t, want %t", a.Target, got, want)
		}
	}
	// The current values differ from the candidates in case only: kept as
	// the same value for flag, not for code. Every candidate but the
	// current value is taken.
	cur := map[string]string{"code": "ABC", "flag": "TRUE"}
	s := Situation{
		OnCreate: true,
		Current:  func(k int) (expr.Value, bool) { return expr.String(cur[attrs[k].Target]), true },
		Exists:   func(k int) func(string) bool { return func(v string) bool { return v != cur[attrs[k].Target] } },
	}
	flows := make([]Flow, 2)
	m.ApplyTo(expr.NewEnv(map[string]any{"a": "abc", "b": "True"}), &s, flows)
	if flows[0].Outcome != Failed {
		t.Errorf("code: %s %v, want every candidate taken (abc is not ABC)", flows[0].Outcome, flows[0].Value)
	}
	if flows[1].Outcome != Flowed || expr.Render(flows[1].Value) != "True" {
		t.Errorf("flag: %s %v, want the kept True", flows[1].Outcome, flows[1].Value)
	}
}
