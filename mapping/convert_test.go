package mapping

import (
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

func TestConvert(t *testing.T) {
	date := expr.DateTime(time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC))
	def := func(typ AttributeType) *AttributeDefinition { return &AttributeDefinition{Name: "a", Type: typ} }
	for _, tc := range []struct {
		name    string
		def     *AttributeDefinition
		in      expr.Value
		want    expr.Value
		wantErr string
	}{
		{"no definition keeps a string", nil, expr.String("True"), expr.String("True"), ""},
		{"no definition keeps a boolean", nil, expr.Bool(true), expr.Bool(true), ""},
		{"Boolean: a boolean stays", def(TypeBoolean), expr.Bool(false), expr.Bool(false), ""},
		{"Boolean: True text", def(TypeBoolean), expr.String("True"), expr.Bool(true), ""},
		{"Boolean: any case, spaces", def(TypeBoolean), expr.String(" fALSE "), expr.Bool(false), ""},
		{"Boolean: type name in any case", def("boolean"), expr.String("true"), expr.Bool(true), ""},
		{"Boolean: redacted stays redacted", def(TypeBoolean), expr.Redacted{V: expr.String("true")}, expr.Redacted{V: expr.Bool(true)}, ""},
		{"Boolean: null stays null", def(TypeBoolean), expr.Null, expr.Null, ""},
		{"Boolean: multi-valued, element by element", def(TypeBoolean), expr.Multi{"true", "FALSE"}, expr.Multi{"True", "False"}, ""},
		{"Boolean: 1 is not a boolean", def(TypeBoolean), expr.Int(1), nil, `the result "1" cannot be converted to the Boolean target attribute "a" (expected true or false)`},
		{"Boolean: yes is not a boolean", def(TypeBoolean), expr.String("yes"), nil, `the result "yes" cannot be converted to the Boolean target attribute "a" (expected true or false)`},
		{"Integer: a number stays", def(TypeInteger), expr.Int(42), expr.Int(42), ""},
		{"Integer: digits", def(TypeInteger), expr.String(" 0042 "), expr.Int(42), ""},
		{"Integer: negative", def(TypeInteger), expr.String("-7"), expr.Int(-7), ""},
		{"Integer: multi-valued", def(TypeInteger), expr.Multi{"1", " 2"}, expr.Multi{"1", "2"}, ""},
		{"Integer: a fraction is not", def(TypeInteger), expr.Float(2.5), nil, `the result "2.5" cannot be converted to the Integer target attribute "a" (expected a whole number)`},
		{"Integer: text is not", def(TypeInteger), expr.String("Sales"), nil, `the result "Sales" cannot be converted to the Integer target attribute "a" (expected a whole number)`},
		{"String: a boolean becomes text", def(TypeString), expr.Bool(true), expr.String("True"), ""},
		{"String: a number becomes text", def(TypeString), expr.Int(1001), expr.String("1001"), ""},
		{"String: no type is String", def(""), expr.Float(2.5), expr.String("2.5"), ""},
		{"String: a date-time stays", def(TypeString), date, date, ""},
		{"String: text stays", def(TypeString), expr.String("x"), expr.String("x"), ""},
		{"DateTime: unchanged", def(TypeDateTime), expr.String("2024-07-01T09:00:00Z"), expr.String("2024-07-01T09:00:00Z"), ""},
		{"Reference: unchanged", def(TypeReference), expr.String("u1"), expr.String("u1"), ""},
		{"Binary: unchanged", def(TypeBinary), expr.Int(5), expr.Int(5), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.def.Convert(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Convert(%s) error = %v, want %s", expr.Display(tc.in), err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b expr.Value) bool {
				return a.Kind() == b.Kind() && string(expr.AppendJSON(nil, a)) == string(expr.AppendJSON(nil, b)) && expr.Display(a) == expr.Display(b)
			})); diff != "" {
				t.Errorf("Convert(%s) (-want +got):\n%s", expr.Display(tc.in), diff)
			}
		})
	}
}

// TestApplyConvertsToTargetType: Apply's values have the target
// attribute's type, defaults included, and a value that does not convert
// fails the attribute with the reason.
func TestApplyConvertsToTargetType(t *testing.T) {
	attrs := []AttributeDefinition{
		{Name: "active", Type: TypeBoolean},
		{Name: "level", Type: TypeInteger},
		{Name: "employeeId", Type: TypeString},
		{Name: "enabled", Type: TypeBoolean},
	}
	mappings := []AttributeMapping{
		{TargetAttributeName: "active", Source: mustSource(t, `Switch([IsSoftDeleted], , "false", "True", "true", "False")`)},
		{TargetAttributeName: "level", Source: mustSource(t, `[level]`)},
		{TargetAttributeName: "employeeId", Source: mustSource(t, `[employeeId]`)},
		{TargetAttributeName: "enabled", Source: mustSource(t, `[missing]`), DefaultValue: "true"},
	}
	m, err := Compile(&ObjectMapping{Name: "users", TargetObjectName: "User", AttributeMappings: mappings}, WithDefinitions(nil, &ObjectDefinition{Name: "User", Attributes: attrs}))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := m.Apply(expr.NewEnv(map[string]any{"IsSoftDeleted": "false", "level": "3", "employeeId": 1001}), ApplyOptions{OnCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range tg.Attrs {
		got = append(got, a.Name+" "+a.Value.Kind().String()+" "+string(expr.AppendJSON(nil, a.Value)))
	}
	want := []string{"active boolean true", "employeeId string \"1001\"", "enabled boolean true", "level number 3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	_, err = m.Apply(expr.NewEnv(map[string]any{"IsSoftDeleted": false, "level": "three"}), ApplyOptions{OnCreate: true})
	if err == nil || err.Error() != `level: the result "three" cannot be converted to the Integer target attribute "level" (expected a whole number)` {
		t.Errorf("Apply of a non-integer level: error %v", err)
	}
}

// FuzzConvert: Convert never panics, gives a Boolean attribute a boolean
// and an Integer one a number (or an error), and converting twice is
// converting once.
func FuzzConvert(f *testing.F) {
	for _, s := range []string{"true", " FALSE ", "yes", "42", "-0", "9223372036854775808", "2.5", "", "\xff"} {
		f.Add(s, uint8(0), false)
	}
	types := []AttributeType{TypeBoolean, TypeInteger, TypeString, "", TypeDateTime, TypeReference, TypeBinary, "boolean"}
	f.Fuzz(func(t *testing.T, s string, typ uint8, multi bool) {
		d := &AttributeDefinition{Name: "a", Type: types[int(typ)%len(types)]}
		var in expr.Value = expr.String(s)
		if multi {
			in = expr.Multi{s, s + "x"}
		}
		out, err := d.Convert(in)
		if err != nil {
			return
		}
		if !multi {
			switch d.Type {
			case TypeBoolean, "boolean":
				if out.Kind() != expr.KindBool {
					t.Fatalf("Boolean: %q gave %s", s, out.Kind())
				}
			case TypeInteger:
				if out.Kind() != expr.KindNumber {
					t.Fatalf("Integer: %q gave %s", s, out.Kind())
				}
			}
		}
		again, err := d.Convert(out)
		if err != nil || string(expr.AppendJSON(nil, again)) != string(expr.AppendJSON(nil, out)) || again.Kind() != out.Kind() {
			t.Fatalf("converting %s again gave %v, %v", expr.Display(out), again, err)
		}
	})
}
