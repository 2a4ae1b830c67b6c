package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseExpressionDocs answers the request of the parseExpression page
// (testdata/cli/parseexpression, copied from the reference page with its
// unquoted member names) and compares the answer with the documented
// response.
func TestParseExpressionDocs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "--parse-expression", "../../testdata/cli/parseexpression/docs-request.json"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	wantData, err := os.ReadFile("../../testdata/cli/parseexpression/docs-response.json")
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	if err := json.Unmarshal(wantData, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response (-documented +got):\n%s", diff)
	}
}

func TestParseExpression(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // the response, compact
	}{
		{
			name: "no test object: parsed, not evaluated",
			body: `{"expression": "Join(\"@\", [mailNickname], \"contoso.com\")"}`,
			want: `{"error":null,"evaluationSucceeded":false,"evaluationResult":null,"parsedExpression":{"expression":"Join(\"@\", [mailNickname], \"contoso.com\")","name":"Join","parameters":[{"key":"separator","value":{"expression":"\"@\"","name":"@","parameters":[],"type":"Constant"}},{"key":"source","value":{"expression":"[mailNickname]","name":"mailNickname","parameters":[],"type":"Attribute"}},{"key":"source","value":{"expression":"\"contoso.com\"","name":"contoso.com","parameters":[],"type":"Constant"}}],"type":"Function"},"parsingSucceeded":true}`,
		},
		{
			name: "does not parse",
			body: `{"expression": "Swtich([a], \"x\")", "testInputObject": {"properties": []}}`,
			want: `{"error":{"code":"InvalidExpression","message":"unknown function \"Swtich\" (1:1); did you mean \"Switch\"?"},"evaluationSucceeded":false,"evaluationResult":null,"parsedExpression":null,"parsingSucceeded":false}`,
		},
		{
			name: "boolean target gets a boolean",
			body: `{"expression": "Switch([IsSoftDeleted], , \"false\", \"True\", \"true\", \"False\")", "testInputObject": {"properties": [{"key": "IsSoftDeleted", "value": "false"}]}, "targetAttributeDefinition": {"name": "active", "type": "Boolean"}}`,
			want: `"evaluationResult":["True"]`,
		},
		{
			name: "integer target that does not convert",
			body: `{"expression": "[department]", "testInputObject": {"properties": [{"key": "department", "value": "Sales"}]}, "targetAttributeDefinition": {"name": "level", "type": "Integer"}}`,
			want: `"error":{"code":"EvaluationFailed","message":"the result \"Sales\" cannot be converted to the Integer target attribute \"level\" (expected a whole number)"},"evaluationSucceeded":false`,
		},
		{
			name: "collection property",
			body: `{"expression": "SingleAppRoleAssignment([appRoleAssignments])", "testInputObject": {"properties": [{"key": "appRoleAssignments", "value@odata.type": "#Collection(String)", "value": ["Default Assignment"]}]}}`,
			want: `"evaluationResult":["Default Assignment"]`,
		},
		{
			name: "null result is an empty collection",
			body: `{"expression": "[missing]", "testInputObject": {"properties": []}}`,
			want: `"evaluationSucceeded":true,"evaluationResult":[]`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run([]string{"eval", "--parse-expression", "-"}, strings.NewReader(tc.body), &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, stdout.Bytes()); err != nil {
				t.Fatal(err)
			}
			if got := compact.String(); !strings.Contains(got, tc.want) {
				t.Errorf("response\n%s\nlacks\n%s", got, tc.want)
			}
		})
	}
}
