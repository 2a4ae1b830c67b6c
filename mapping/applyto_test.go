package mapping

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

// TestApplyToMatchesApply checks that the core writes into the caller's
// buffer the explanations Apply returns, in every situation Apply
// describes: on create and update, with and without the target's current
// values, and into a buffer holding another object's results.
func TestApplyToMatchesApply(t *testing.T) {
	m := compileApplyDoc(t)
	src := expr.NewEnv(map[string]any{
		"userPrincipalName": "ann@contoso.com", "givenName": "Ann", "surname": "Lee", "objectId": "O1",
		"proxyAddresses": []any{"smtp:a@x", "SMTP:A@y"}, "pwd": "pw", "mailNickname": "annie", "phones": []any{"1", "2"},
		"roles": []any{"r"}, "IsSoftDeleted": false,
	})
	other := expr.NewEnv(map[string]any{"userPrincipalName": "bo@contoso.com", "pwd": "x", "jobTitle": "CEO", "department": "D"})
	current := expr.NewEnv(map[string]any{"nickName": "ann", "title": "", "locale": "nl-NL", "userName": "ANN@contoso.com"})
	for _, onCreate := range []bool{true, false} {
		for _, cur := range []expr.Env{nil, current} {
			t.Run(fmt.Sprintf("onCreate=%t current=%t", onCreate, cur != nil), func(t *testing.T) {
				opts := ApplyOptions{OnCreate: onCreate, Current: cur}
				want, _ := m.Apply(src, opts)
				out := make([]Explanation, len(m.Attributes()))
				m.ApplyTo(other, opts, out) // the buffer is reused
				failed := m.ApplyTo(src, opts, out)
				if diff := cmp.Diff(explainLines(want), explainLines(Target{Explain: out})); diff != "" {
					t.Errorf("(-Apply +ApplyTo):\n%s", diff)
				}
				if failed != 1 { // phone: two values for a single-valued attribute
					t.Errorf("failed = %d, want 1", failed)
				}
			})
		}
	}
}

// TestApplyToAsksOnlyWhatIsNeeded checks that the core asks the options
// only what a mapping needs: Exists for SelectUniqueValue, Rand for Guid,
// and the current value on update or for a kept unique value.
func TestApplyToAsksOnlyWhatIsNeeded(t *testing.T) {
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
	opts := ApplyOptions{
		OnCreate: true,
		Current: lookupFunc(func(name string) (expr.Value, bool) {
			asked = append(asked, "current "+name)
			return expr.String("ANN"), true
		}),
		Exists: func(attr, v string) bool {
			asked = append(asked, "exists "+attr+" "+v)
			return !strings.EqualFold(v, "ann")
		},
		Rand: func(attr string) io.Reader {
			asked = append(asked, "rand "+attr)
			return strings.NewReader(strings.Repeat("x", 64))
		},
	}
	out := make([]Explanation, 3)
	if failed := m.ApplyTo(expr.NewEnv(map[string]any{"a": "ann"}), opts, out); failed != 0 {
		t.Fatalf("failed = %d: %v", failed, out)
	}
	// The current value "ANN" is still free and a candidate (ignoring
	// case): it is kept.
	want := []string{"rand id", "current upn", "exists upn ANN"}
	if diff := cmp.Diff(want, asked); diff != "" {
		t.Errorf("asked (-want +got):\n%s", diff)
	}
	if got := expr.Render(out[2].Value); got != "ann" {
		t.Errorf("upn = %q, want the kept candidate ann", got)
	}
}

type lookupFunc func(string) (expr.Value, bool)

func (f lookupFunc) Lookup(name string) (expr.Value, bool) { return f(name) }

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
	opts := ApplyOptions{OnCreate: true}
	out := make([]Explanation, 4)
	if n := testing.AllocsPerRun(100, func() { m.ApplyTo(src, opts, out) }); n != 0 {
		t.Errorf("ApplyTo allocates %v times per object, want 0", n)
	}
}

// TestCaseExactOneRule checks that Equal, CaseExact and the kept
// SelectUniqueValue value share one comparison rule: exact for a caseExact
// attribute, ignoring case for a Boolean one even when it says caseExact.
// (The planner's copy once ignored case for such a Boolean while Apply
// compared it exactly.)
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
		if got, want := a.Equal(expr.String("True"), expr.String("TRUE")), !tt.caseExact; got != want {
			t.Errorf("%s: Equal(True, TRUE) = %t, want %t", a.Target, got, want)
		}
	}
	// The current values differ from the candidates in case only, and
	// every candidate but the current value is taken: flag keeps its value
	// (the same, ignoring case), code has none left (abc is not ABC).
	cur := map[string]string{"code": "ABC", "flag": "TRUE"}
	opts := ApplyOptions{
		OnCreate: true,
		Current:  lookupFunc(func(name string) (expr.Value, bool) { return expr.String(cur[name]), true }),
		Exists:   func(attr, v string) bool { return v != cur[attr] },
	}
	out := make([]Explanation, 2)
	m.ApplyTo(expr.NewEnv(map[string]any{"a": "abc", "b": "True"}), opts, out)
	if out[0].Outcome != Failed {
		t.Errorf("code: %s, want every candidate taken", out[0])
	}
	if out[1].Outcome != Flowed || expr.Render(out[1].Value) != "True" {
		t.Errorf("flag: %s, want the kept True", out[1])
	}
}

// TestApplyToSlotsMatchLookup checks that a bare [attr] mapping read from
// its slot (ApplyOptions.Slots and Values) gives what the lookup by name
// gives, in every situation: values of every kind, converted to the
// target's type, absent ones (nil, or past the end of Values), defaults on
// create and update, and a buffer holding another object's results.
func TestApplyToSlotsMatchLookup(t *testing.T) {
	m := compileApplyDoc(t)
	var names []string // the bare attributes, in slot order
	slots := make([]int, len(m.Attributes()))
	for k := range m.Attributes() {
		slots[k] = -1
		if name, ok := m.Attributes()[k].BareAttribute(); ok {
			slots[k] = len(names)
			names = append(names, name)
		}
	}
	if len(names) < 3 {
		t.Fatalf("the document should have bare mappings, has %v", names)
	}
	objects := []map[string]any{
		{"userPrincipalName": "ann@contoso.com", "givenName": "Ann", "surname": "Lee", "objectId": "O1", "mail": "a@x",
			"proxyAddresses": []any{"smtp:a@x", "SMTP:A@y"}, "pwd": "pw", "mailNickname": "annie", "phones": []any{"1", "2"},
			"roles": []any{"r"}, "IsSoftDeleted": false, "department": "", "office": "HQ", "jobTitle": true},
		{"userPrincipalName": "bo@contoso.com", "pwd": "x", "jobTitle": "CEO", "department": "D", "mail": 12, "roles": "Admin"},
		{"objectId": nil, "mail": []any{"one"}, "proxyAddresses": []any{}, "office": 3.5},
		{},
	}
	current := expr.NewEnv(map[string]any{"nickName": "ann", "title": "", "locale": "nl-NL", "userName": "ANN@contoso.com"})
	for oi, obj := range objects {
		src := expr.NewEnv(obj)
		vals := make([]expr.Value, len(names))
		for i, name := range names {
			vals[i], _ = src.Lookup(name)
		}
		for _, short := range []bool{false, true} {
			values := vals
			if short {
				values = vals[:len(vals)/2] // the rest is past the end: absent
				src = expr.NewEnv(shorten(obj, names[len(vals)/2:]))
			}
			for _, onCreate := range []bool{true, false} {
				for _, cur := range []expr.Env{nil, current} {
					opts := ApplyOptions{OnCreate: onCreate, Current: cur}
					want := make([]Explanation, len(m.Attributes()))
					wantFailed := m.ApplyTo(src, opts, want)
					got := make([]Explanation, len(m.Attributes()))
					m.ApplyTo(expr.NewEnv(objects[0]), opts, got) // the buffer is reused
					opts.Slots, opts.Values = slots, values
					gotFailed := m.ApplyTo(src, opts, got)
					if diff := cmp.Diff(explainLines(Target{Explain: want}), explainLines(Target{Explain: got})); diff != "" || gotFailed != wantFailed {
						t.Errorf("object %d short=%t onCreate=%t current=%t: failed %d, want %d (-lookup +slots):\n%s", oi, short, onCreate, cur != nil, gotFailed, wantFailed, diff)
					}
				}
			}
		}
	}
}

// shorten returns obj without the named attributes.
func shorten(obj map[string]any, drop []string) map[string]any {
	out := map[string]any{}
	for k, v := range obj {
		if !slices.Contains(drop, k) {
			out[k] = v
		}
	}
	return out
}
