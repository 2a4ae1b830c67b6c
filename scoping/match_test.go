package scoping

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/attrmap/attrmap/internal/rxlimit"
	"github.com/google/go-cmp/cmp"
)

// mustCompile decodes and compiles a filter or fails the test.
func mustCompile(t testing.TB, src string) *Matcher {
	t.Helper()
	f, err := Decode([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMapObjectValues(t *testing.T) {
	obj := MapObject{
		"s": "x", "t": true, "f": false, "n": nil, "i": 42, "big": int64(1) << 60,
		"float": 1e6, "frac": 1.5, "num": json.Number("0012"), "list": []any{"a", nil, 2.0, true},
		"strs": []string{"p", "q"}, "obj": map[string]any{"k": "v"}, "Mixed": "exact",
	}
	tests := []struct {
		attr   string
		want   []string
		wantOK bool
	}{
		{"s", []string{"x"}, true},
		{"S", []string{"x"}, true},
		{"t", []string{"True"}, true},
		{"f", []string{"False"}, true},
		{"n", nil, true},
		{"i", []string{"42"}, true},
		{"big", []string{"1152921504606846976"}, true},
		{"float", []string{"1000000"}, true},
		{"frac", []string{"1.5"}, true},
		{"num", []string{"0012"}, true},
		{"list", []string{"a", "2", "True"}, true},
		{"strs", []string{"p", "q"}, true},
		{"obj", []string{`{"k":"v"}`}, true},
		{"mixed", []string{"exact"}, true},
		{"absent", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			got, ok := obj.Values(tt.attr)
			if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.wantOK {
				t.Errorf("Values(%q) ok=%v (want %v) (-want +got):\n%s", tt.attr, ok, tt.wantOK, diff)
			}
		})
	}
}

func TestAttrs(t *testing.T) {
	a := Attrs{"Department": {"Sales"}, "department": {"HR"}, "Mail": {"a@b"}}
	tests := map[string][]string{"department": {"HR"}, "DEPARTMENT": {"Sales"}, "mail": {"a@b"}, "none": nil}
	for attr, want := range tests {
		got, _ := a.Values(attr)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Values(%q) (-want +got):\n%s", attr, diff)
		}
	}
}

func TestExplainDecision(t *testing.T) {
	m := mustCompile(t, `{"groups":[
		{"name":"Sales","clauses":[
			{"operatorName":"IS TRUE","sourceOperandName":"accountEnabled"},
			{"operatorName":"EQUALS","sourceOperandName":"department","targetOperand":{"values":["Sales"]}}]},
		{"clauses":[
			{"operatorName":"Greater_Than","sourceOperandName":"employeeId","targetOperand":{"values":["100"]}}]}]}`)
	tests := map[string]struct {
		obj  Object
		want Decision
		str  string
	}{
		"first group": {
			obj:  MapObject{"accountEnabled": true, "department": "Sales"},
			want: Decision{InScope: true, Set: SetGroups, Group: "Sales"},
			str:  `in scope: group "Sales" matched`,
		},
		"second group": {
			obj:  MapObject{"employeeId": 101},
			want: Decision{InScope: true, Set: SetGroups, GroupIndex: 1},
			str:  `in scope: group #2 matched`,
		},
		"out": {
			obj: MapObject{"accountEnabled": true, "department": "Marketing", "employeeId": "abc"},
			want: Decision{Set: SetGroups, Reasons: []GroupReason{
				{Set: SetGroups, Group: "Sales", Clause: 2, Attribute: "department", Operator: "EQUALS",
					ClauseText: `department EQUALS "Sales"`, Why: `value "Marketing" does not equal "Sales"`},
				{Set: SetGroups, GroupIndex: 1, Clause: 1, Attribute: "employeeId", Operator: "Greater_Than",
					ClauseText: `employeeId Greater_Than "100"`, Why: `value "abc" is not an integer`},
			}},
			str: `out of scope: group "Sales": clause 2 (department EQUALS "Sales"): value "Marketing" does not equal "Sales"; ` +
				`group #2: clause 1 (employeeId Greater_Than "100"): value "abc" is not an integer`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := m.Explain(tt.obj)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.str, got.String()); diff != "" {
				t.Errorf("String (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNilAndEmptyMatcher(t *testing.T) {
	var m *Matcher
	if !m.InScope(MapObject{}) {
		t.Error("nil matcher must let everyone in")
	}
	if diff := cmp.Diff(Decision{InScope: true}, m.Explain(MapObject{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := m.Explain(nil).String(); got != "in scope: no scoping filter" {
		t.Errorf("String() = %q", got)
	}
}

// TestRegexTimeout checks a catastrophically backtracking pattern is cut
// off and leaves the object undecided, an error, for both regex operators,
// and that an object spends at most one budget however many clauses would
// time out.
func TestRegexTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for RegexTimeout")
	}
	obj := MapObject{"mail": strings.Repeat("a", 60) + "!"}
	for _, op := range []string{"REGEX MATCH", "NOT REGEX MATCH"} {
		t.Run(op, func(t *testing.T) {
			clause := `{"operatorName":"` + op + `","sourceOperandName":"mail","targetOperand":{"values":["^(a|aa)+$"]}}`
			clauses := strings.Repeat(clause+",", 19) + clause
			m := mustCompile(t, `[{"name":"g","clauses":[`+clauses+`]},{"name":"h","clauses":[`+clauses+`]}]`)
			// CPU time, not wall-clock time: on a loaded machine the match
			// waits for its budget of CPU time, which can take seconds.
			// Without the stop at the first timeout the object cost 40
			// budgets.
			start := rxlimit.ProcessCPU()
			in, err := m.Match(obj)
			var te *TimeoutError
			if in || !errors.As(err, &te) || te.Clause != 1 || te.Group != "g" {
				t.Fatalf("Match = %v, %v; want a timeout on clause 1 of group g", in, err)
			}
			if d := rxlimit.ProcessCPU() - start; d > 10*RegexTimeout {
				t.Errorf("Match used %v of CPU time: more than one budget per object", d)
			}
			if !strings.Contains(err.Error(), "timed out") && !strings.Contains(err.Error(), "too busy") {
				t.Errorf("error %q", err)
			}
			d := m.Explain(obj)
			if d.InScope || d.Err == nil || !strings.HasPrefix(d.String(), "undecided: ") {
				t.Errorf("got %s", d)
			}
		})
	}
}

func TestNestedQuantifierRejected(t *testing.T) {
	f, err := Decode([]byte(`[{"name":"g","clauses":[{"operatorName":"REGEX MATCH","sourceOperandName":"mail","targetOperand":{"values":["^(a+)+$"]}}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Compile()
	if err == nil || !strings.Contains(err.Error(), `nested quantifier "(a+)+"`) {
		t.Errorf("Compile = %v, want the nested quantifier rejected", err)
	}
}

// TestConcurrentUse runs one matcher from many goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	m := mustCompile(t, `[{"name":"g","clauses":[
		{"operatorName":"REGEX MATCH","sourceOperandName":"mail","targetOperand":{"values":["@contoso\\.com$"]}},
		{"operatorName":"Greater_Than","sourceOperandName":"n","targetOperand":{"values":["5"]}}]}]`)
	in, out := Attrs{"mail": {"a@contoso.com"}, "n": {"6"}}, Attrs{"mail": {"a@contoso.com"}, "n": {"5"}}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if !m.InScope(in) || m.InScope(out) || m.Explain(out).InScope {
					t.Error("wrong answer under concurrency")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestCompileErrorFields(t *testing.T) {
	f, err := Decode([]byte(`{"inputFilterGroups":[{"name":"a","clauses":[
		{"operatorName":"EQUALS","sourceOperandName":"x","targetOperand":{"values":["1"]}},
		{"operatorName":"Less_Than","sourceOperandName":"n","targetOperand":{"values":["1","two"]}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Compile()
	ce, ok := err.(*CompileError)
	if !ok {
		t.Fatalf("error %T %v, want *CompileError", err, err)
	}
	want := &CompileError{Set: SetInput, Group: 0, GroupName: "a", Clause: 2,
		ClauseText: `n Less_Than "1", "two"`, Operand: 2,
		Msg: `operand 2 "two" is not an integer (operator Less_Than compares integers)`}
	got := *ce
	got.Err = nil // a *strconv.NumError; checked through Unwrap below
	if diff := cmp.Diff(want, &got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := ce.Path(); got != "inputFilterGroups[0].clauses[1].targetOperand.values[1]" {
		t.Errorf("Path() = %q", got)
	}
	if ce.Unwrap() == nil {
		t.Error("Unwrap() = nil, want the strconv error")
	}
}
