package provision

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

// typedPlan is a plan whose values have every JSON type: booleans and
// numbers as the mappings of Boolean and Integer attributes give them, a
// date-time, strings.
func typedPlan() *Plan {
	hire := expr.DateTime(time.Date(2024, 7, 15, 0, 0, 0, 0, time.UTC))
	return &Plan{Rule: "Users", Stats: Stats{Create: 1, Update: 2}, Ops: []Op{
		{Kind: Create, Object: "User", Key: "u3", Target: "t3", Changes: []AttrChange{
			{Name: "active", Old: expr.Null, New: expr.Bool(true)},
			{Name: "hired", Old: expr.Null, New: hire},
			{Name: "level", Old: expr.Null, New: expr.Int(7)},
			{Name: "ratio", Old: expr.Null, New: expr.Float(0.5)},
		}},
		{Kind: Update, Object: "User", Key: "u1", Target: "t1", Changes: []AttrChange{
			{Name: "title", Old: expr.String("Engineer"), New: expr.String("Director")},
		}},
		{Kind: Update, Object: "User", Key: "u2", Target: "t2", Changes: []AttrChange{
			{Name: "active", Old: expr.String("True"), New: expr.Bool(false)},
			{Name: "level", Old: expr.String("2"), New: expr.Int(3)},
		}},
	}}
}

// TestPlanKeepsTypes: booleans and numbers keep their JSON type in the
// plan's text and JSON, and come back with it when the JSON is read; a
// string stays a string even when it reads "True".
func TestPlanKeepsTypes(t *testing.T) {
	p := typedPlan()
	wantText := `plan for Users: 1 to create, 2 to update, 0 to disable, 0 to delete; 0 unchanged, 0 skipped, 0 errors
+ create User u3 -> t3
    active = true
    hired = "7/15/2024 12:00:00 AM"
    level = 7
    ratio = 0.5
~ update User u1 -> t1
    title: "Engineer" -> "Director"
~ update User u2 -> t2
    active: "True" -> false
    level: "2" -> 3
`
	if diff := cmp.Diff(wantText, p.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
	data, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"name": "active", "old": null, "new": true}`,
		`{"name": "hired", "old": null, "new": "7/15/2024 12:00:00 AM"}`,
		`{"name": "level", "old": null, "new": 7}`,
		`{"name": "ratio", "old": null, "new": 0.5}`,
		`{"name": "active", "old": "True", "new": false}`,
		`{"name": "level", "old": "2", "new": 3}`,
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("plan JSON lacks %s:\n%s", want, data)
		}
	}
	var back Plan
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	kinds := func(p *Plan) (out []string) {
		for _, op := range p.Ops {
			for _, c := range op.Changes {
				out = append(out, c.Name+": "+c.Old.Kind().String()+" -> "+c.New.Kind().String())
			}
		}
		return out
	}
	want := []string{
		"active: null -> boolean", "hired: null -> string", "level: null -> number", "ratio: null -> number",
		"title: string -> string",
		"active: string -> boolean", "level: string -> number",
	}
	if diff := cmp.Diff(want, kinds(&back)); diff != "" {
		t.Errorf("kinds read back (-want +got):\n%s", diff)
	}
	again, err := back.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(data), string(again)); diff != "" {
		t.Errorf("JSON written, read and written again differs (-first +second):\n%s", diff)
	}
}

// TestApplyKeepsJSONTypes: apply writes the plan's booleans and numbers as
// JSON booleans and numbers, and leaves every untouched value with the
// JSON type it was read with (true stays true, "True" stays "True").
func TestApplyKeepsJSONTypes(t *testing.T) {
	target, err := DecodeSnapshot([]byte(`[
		{"id": "t1", "active": true, "level": 3, "ratio": 2.5, "big": 129699324000000000, "hired": "2019-04-01T07:00:00Z", "title": "Engineer", "note": "True"},
		{"id": "t2", "active": "True", "level": "2", "flag": false}
	]`), SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := typedPlan().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var p Plan // as the apply command gets it
	if err := p.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	out, err := Apply(target, &p)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := out.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `[
  {"id": "t1", "active": true, "big": 129699324000000000, "hired": "2019-04-01T07:00:00Z", "level": 3, "note": "True", "ratio": 2.5, "title": "Director"},
  {"id": "t2", "active": false, "flag": false, "level": 3},
  {"id": "t3", "objectType": "User", "active": true, "hired": "7/15/2024 12:00:00 AM", "level": 7, "ratio": 0.5}
]
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("applied snapshot (-want +got):\n%s", diff)
	}
	// The result reads back with the same types, so a second apply of
	// nothing writes it byte for byte.
	again, err := DecodeSnapshot(b.Bytes(), SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b2 bytes.Buffer
	if err := again.WriteJSON(&b2); err != nil {
		t.Fatal(err)
	}
	if b2.String() != b.String() {
		t.Errorf("written, read and written again differs:\n%s", b2.String())
	}
}

// TestJSONValueIsAppendJSON: jsonValue, the Go form the plan and snapshot
// writers take, marshals to exactly expr.AppendJSON's JSON for every kind
// of value.
func TestJSONValueIsAppendJSON(t *testing.T) {
	for _, v := range []expr.Value{
		nil, expr.Null, expr.Ignored, expr.IgnoredObject,
		expr.Bool(true), expr.Bool(false), expr.Int(-3), expr.Int(129699324000000000), expr.Float(2.5), expr.Float(1e-7),
		expr.Float(math.NaN()), expr.Float(math.Inf(1)),
		expr.String(""), expr.String("a\"<&>\u2028\x01"), expr.String("\xff"),
		expr.DateTime(time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)),
		expr.Multi{}, expr.Multi{"a", "b"}, expr.Multi(nil),
		expr.Redacted{V: expr.Bool(true)},
	} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonValue(v)); err != nil {
			t.Fatal(err)
		}
		got := strings.TrimSuffix(b.String(), "\n")
		want := "null"
		if v != nil {
			want = string(expr.AppendJSON(nil, v))
		}
		if got != want {
			t.Errorf("jsonValue(%s) marshals to %s, AppendJSON writes %s", expr.Display(v), got, want)
		}
	}
}
