package mapping

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "  \n", "line 2, column 1: no JSON value (empty input)"},
		{"trailing comma", "{\"attributeMappings\": [\n  {\"targetAttributeName\": \"mail\"},\n]}", "line 2, column 34: trailing comma before ']' (use --lenient to drop it)"},
		{"line comment", "{\n  // users\n  \"attributeMappings\": []}", "line 2, column 3: comments are not allowed in JSON (use --lenient to drop them)"},
		{"placeholder", `{"objectMappings": [ ... ]}`, `line 1, column 22: placeholder "..." is not JSON (use --lenient to drop it)`},
		{"placeholder value", `{"objectMappings": ...}`, `line 1, column 20: placeholder "..." as the value of "objectMappings" cannot be repaired (write the value)`},
		{"bare key", `{attributeMappings: []}`, "line 1, column 2: object key attributeMappings is not quoted (use --lenient to quote it)"},
		{"unclosed", `{"attributeMappings": [`, "line 1, column 24: unexpected end of input (array is not closed)"},
		{"garbage after", `{"attributeMappings": []} x`, `line 1, column 27: unexpected 'x' after the end of the document`},
		{"not an object", `[1]`, "line 1, column 1: expected a synchronizationSchema, synchronizationRule or objectMapping object (got array)"},
		{"unknown shape", `{"name": "x"}`, "line 1, column 1: not a synchronizationSchema, synchronizationRule or objectMapping (expected a member synchronizationRules, objectMappings or attributeMappings)"},
		{"wrong type", "{\"attributeMappings\": [\n  {\"matchingPriority\": \"1\"}]}", `line 2, column 24: attributeMappings[0].matchingPriority: expected an integer (got string)`},
		{"not an integer", `{"attributeMappings": [{"matchingPriority": 1.5}]}`, `line 1, column 45: attributeMappings[0].matchingPriority: expected a 32-bit integer (got 1.5)`},
		{"duplicate member", `{"attributeMappings": [{"targetAttributeName": "a", "TargetAttributeName": "b"}]}`, `line 1, column 53: attributeMappings[0].targetAttributeName: duplicate member "TargetAttributeName"`},
		{"bad scope", `{"attributeMappings": [], "scope": {"groups": "x"}}`, `line 1, column 36: scope.groups: expected an array of groups, got string`},
		{"deep", strings.Repeat("[", 600), "line 1, column 513: document nested too deeply (more than 512 levels)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.doc))
			got := "<nil>"
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLenient(t *testing.T) {
	tests := []struct {
		name, doc   string
		wantRepairs []string
		wantJSON    string
	}{
		{
			name:        "trailing commas",
			doc:         "{\"attributeMappings\": [{\"targetAttributeName\": \"mail\",},],}",
			wantRepairs: []string{"line 1, column 54: removed trailing comma", "line 1, column 56: removed trailing comma", "line 1, column 58: removed trailing comma"},
			wantJSON:    `{"attributeMappings":[{"targetAttributeName":"mail"}]}`,
		},
		{
			name: "comments",
			doc: `{
  // the users
  "attributeMappings": [ /* elided */ ],
  "name": "Users" // trailing
}`,
			wantRepairs: []string{"line 2, column 3: removed // comment", "line 3, column 26: removed /* */ comment", "line 4, column 19: removed // comment"},
			wantJSON:    `{"attributeMappings":[],"name":"Users"}`,
		},
		{
			name:        "placeholders",
			doc:         `{"directories": [..], "synchronizationRules": [{"objectMappings": [{...}, ...]}, …]}`,
			wantRepairs: []string{`line 1, column 18: removed placeholder ".."`, `line 1, column 69: removed placeholder "..."`, `line 1, column 75: removed placeholder "..."`, `line 1, column 82: removed placeholder "…"`},
			wantJSON:    `{"directories":[],"synchronizationRules":[{"objectMappings":[{}]}]}`,
		},
		{
			name:        "bare keys and byte order mark",
			doc:         "\ufeff{attributeMappings: [{targetAttributeName: \"mail\"}]}",
			wantRepairs: []string{"line 1, column 1: removed byte order mark", "line 1, column 3: quoted object key attributeMappings", "line 1, column 24: quoted object key targetAttributeName"},
			wantJSON:    `{"attributeMappings":[{"targetAttributeName":"mail"}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode([]byte(tt.doc)); err == nil {
				t.Errorf("strict Decode accepted the document")
			}
			var repairs []string
			s, err := Decode([]byte(tt.doc), Lenient(func(r Repair) { repairs = append(repairs, r.String()) }))
			if err != nil {
				t.Fatalf("lenient Decode: %v", err)
			}
			if diff := cmp.Diff(tt.wantRepairs, repairs); diff != "" {
				t.Errorf("repairs (-want +got):\n%s", diff)
			}
			out, err := s.canonical()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantJSON, compactJSON(t, out)); diff != "" {
				t.Errorf("repaired document (-want +got):\n%s", diff)
			}
		})
	}
}

func compactJSON(t *testing.T, data []byte) string {
	t.Helper()
	n, _, err := parseJSON(data, false)
	if err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, data)
	}
	return string(n.raw())
}

// TestLossless: members the model does not know survive, null stays null,
// absent stays absent, numbers keep their spelling, and a value built in Go
// gets Graph's full form.
func TestLossless(t *testing.T) {
	doc := `{"@odata.context": "https://graph.microsoft.com/beta/$metadata#x", "attributeMappings": [
	  {"defaultValue": null, "source": {"expression": "[mail]", "futureMember": [1.50, {"a": true}]}, "targetAttributeName": "mail", "zNote": "kept"},
	  {"defaultValue": "", "matchingPriority": 1, "source": null, "targetAttributeName": "x"}],
	  "metadata": [{"key": "Disposition", "value": "\"Normal\""}], "sourceObjectName": "User"}`
	s, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","attributeMappings":[{"defaultValue":null,"source":{"expression":"[mail]","futureMember":[1.50,{"a":true}]},"targetAttributeName":"mail","zNote":"kept"},{"defaultValue":"","matchingPriority":1,"source":null,"targetAttributeName":"x"}],"metadata":[{"key":"Disposition","value":"\"Normal\""}],"sourceObjectName":"User"}`
	out, _ := s.canonical()
	if diff := cmp.Diff(want, compactJSON(t, out)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Setting a member that was absent writes it; built values are full.
	m := &s.SynchronizationRules[0].ObjectMappings[0]
	m.TargetObjectName = "user"
	m.AttributeMappings = append(m.AttributeMappings, AttributeMapping{TargetAttributeName: "c", Source: &AttributeMappingSource{Type: SourceConstant, Name: "NL", Expression: `"NL"`}})
	want = `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#x","attributeMappings":[{"defaultValue":null,"source":{"expression":"[mail]","futureMember":[1.50,{"a":true}]},"targetAttributeName":"mail","zNote":"kept"},{"defaultValue":"","matchingPriority":1,"source":null,"targetAttributeName":"x"},{"defaultValue":null,"exportMissingReferences":false,"flowBehavior":"","flowType":"","matchingPriority":0,"source":{"expression":"\"NL\"","name":"NL","parameters":[],"type":"Constant"},"targetAttributeName":"c"}],"metadata":[{"key":"Disposition","value":"\"Normal\""}],"sourceObjectName":"User","targetObjectName":"user"}`
	out, _ = s.canonical()
	if diff := cmp.Diff(want, compactJSON(t, out)); diff != "" {
		t.Errorf("after edits (-want +got):\n%s", diff)
	}
}

func TestForms(t *testing.T) {
	tests := []struct {
		doc  string
		want Form
	}{
		{`{"synchronizationRules": []}`, FormSchema},
		{`{"directories": []}`, FormSchema},
		{`{"name": "r", "objectMappings": []}`, FormRule},
		{`{"attributeMappings": []}`, FormObjectMapping},
		{`{"SourceObjectName": "User"}`, FormObjectMapping},
	}
	for _, tt := range tests {
		s, err := Decode([]byte(tt.doc))
		if err != nil {
			t.Errorf("%s: %v", tt.doc, err)
			continue
		}
		if s.Form != tt.want {
			t.Errorf("%s: form %v, want %v", tt.doc, s.Form, tt.want)
		}
		out, _ := s.canonical()
		if s2, err := Decode(out); err != nil || s2.Form != tt.want {
			t.Errorf("%s: saved form does not reload as %v (%v)", tt.doc, tt.want, err)
		}
	}
}

func TestSaveEscaping(t *testing.T) {
	// & and < stay readable (no HTML escaping); escapes are normalised.
	s, err := Decode([]byte(`{"attributeMappings": [{"source": {"expression": "[a] & \"<b>\" & \"\u00e9\""}, "targetAttributeName": "x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := s.canonical()
	want := "{\n  \"attributeMappings\": [\n    {\n      \"source\": {\n        \"expression\": \"[a] & \\\"<b>\\\" & \\\"é\\\"\"\n      },\n      \"targetAttributeName\": \"x\"\n    }\n  ]\n}\n"
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
