package scoping

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDecodeShapes(t *testing.T) {
	want := &Filter{Groups: []Group{{Name: "Sales", Clauses: []Clause{{
		OperatorName: "EQUALS", SourceOperandName: "department",
		TargetOperand: Operand{Values: []string{"Sales"}},
	}}}}}
	group := `{"name":"Sales","clauses":[{"operatorName":"EQUALS","sourceOperandName":"department","targetOperand":{"values":["Sales"]}}]}`
	tests := map[string]string{
		"filter":        `{"categoryFilterGroups":null,"groups":[` + group + `]}`,
		"groups only":   `{"groups":[` + group + `]}`,
		"bare array":    `[` + group + `]`,
		"objectMapping": `{"name":"m","scope":{"groups":[` + group + `]}}`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Decode([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, ignoreDecoded); diff != "" {
				t.Errorf("Decode (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := map[string]struct {
		in   string
		want *DecodeError
	}{
		"syntax": {"{\n  \"groups\": [\n    }", &DecodeError{Line: 3, Col: 5,
			Msg: "invalid character '}' looking for beginning of value"}},
		"unicode column": {`{"é": x}`, &DecodeError{Line: 1, Col: 7,
			Msg: "invalid character 'x' looking for beginning of value"}},
		"empty": {"", &DecodeError{Line: 1, Col: 1, Msg: "no JSON value (empty input)"}},
		"path":  {`{"groups":[{"clauses":[{"operatorName":5}]}]}`, &DecodeError{Path: "groups[0].clauses[0].operatorName", Msg: `expected a string, got number (write it as a string: "5")`}},
		"dup":   {`{"groups":[{"name":"a","NAME":"b"}]}`, &DecodeError{Path: "groups[0]", Msg: `duplicate member "NAME"`}},
		"top":   {`42`, &DecodeError{Msg: "expected a filter object or an array of groups, got number"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			var got *DecodeError
			if !errors.As(err, &got) {
				t.Fatalf("error %v (%T), want *DecodeError", err, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRoundTrip checks decode→encode keeps unknown members and the meaning
// of known ones, and that encoding is stable.
func TestRoundTrip(t *testing.T) {
	in := `{
  "@odata.type": "#microsoft.graph.filter",
  "groups": [
    {
      "name": "Sales",
      "future": {"b": 1, "a": [true, null]},
      "clauses": [
        {
          "targetOperand": {"values": ["Sales"], "kind": "Constant"},
          "sourceOperandName": "department",
          "operatorName": "!&",
          "note": "x<y"
        }
      ]
    }
  ]
}`
	want := `{
  "@odata.type": "#microsoft.graph.filter",
  "groups": [
    {
      "clauses": [
        {
          "note": "x<y",
          "operatorName": "!&",
          "sourceOperandName": "department",
          "targetOperand": {
            "kind": "Constant",
            "values": [
              "Sales"
            ]
          }
        }
      ],
      "future": {
        "b": 1,
        "a": [
          true,
          null
        ]
      },
      "name": "Sales"
    }
  ]
}
`
	f, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("Save (-want +got):\n%s", diff)
	}
	f2, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, f2, ignoreDecoded); diff != "" {
		t.Errorf("decode(encode(f)) (-want +got):\n%s", diff)
	}
}

// ignoreDecoded ignores the record of which group sets a document had.
var ignoreDecoded = cmpopts.IgnoreUnexported(Filter{})

// TestRoundTripKeepsShape checks that encoding a decoded filter writes the
// group sets its document had, no more, while a filter built in Go gets
// all three.
func TestRoundTripKeepsShape(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"groups only": {
			`{"groups":[{"clauses":[],"name":"All"}]}`,
			`{"groups":[{"clauses":[],"name":"All"}]}`,
		},
		"all three, empty": {
			`{"categoryFilterGroups":[],"groups":[],"inputFilterGroups":[]}`,
			`{"categoryFilterGroups":[],"groups":[],"inputFilterGroups":[]}`,
		},
		"input only": {
			`{"inputFilterGroups":[{"clauses":[],"name":"x"}],"extra":1}`,
			`{"extra":1,"inputFilterGroups":[{"clauses":[],"name":"x"}]}`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	built, err := json.Marshal(Filter{Groups: []Group{{Name: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"categoryFilterGroups":[],"groups":[{"clauses":[],"name":"x"}],"inputFilterGroups":[]}`
	if diff := cmp.Diff(want, string(built)); diff != "" {
		t.Errorf("built in Go (-want +got):\n%s", diff)
	}
}

// TestEmbedded checks Filter works as a field of a larger document decoded
// by encoding/json, as mapping's objectMapping.scope uses it.
func TestEmbedded(t *testing.T) {
	var om struct {
		Name  string  `json:"name"`
		Scope *Filter `json:"scope"`
	}
	in := `{"name":"m","scope":{"groups":[{"name":"g","clauses":[{"operatorName":"IS TRUE","sourceOperandName":"accountEnabled","targetOperand":{"values":[]}}]}]}}`
	if err := json.Unmarshal([]byte(in), &om); err != nil {
		t.Fatal(err)
	}
	m, err := om.Scope.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if !m.InScope(MapObject{"accountEnabled": true}) || m.InScope(MapObject{"accountEnabled": false}) {
		t.Error("embedded filter evaluated wrongly")
	}
	om.Scope = nil
	if err := json.Unmarshal([]byte(`{"scope":null}`), &om); err != nil || om.Scope != nil {
		t.Errorf("scope null: %v %v", om.Scope, err)
	}
	var nilFilter *Filter
	m, err = nilFilter.Compile()
	if err != nil || !m.InScope(MapObject{}) {
		t.Errorf("nil filter: in scope %v, err %v", m.InScope(MapObject{}), err)
	}
}

// TestSampleFilters loads and compiles every sample filter shipped for the CLI.
func TestSampleFilters(t *testing.T) {
	files, _ := filepath.Glob("../testdata/scoping/filters/*.json")
	if len(files) == 0 {
		t.Fatal("no sample filters")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			r, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			f, err := Load(r)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Compile(); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Save(&buf); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(buf.String(), `\u0026`) {
				t.Error("Save escaped &")
			}
		})
	}
}
