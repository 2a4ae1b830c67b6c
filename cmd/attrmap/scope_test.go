package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	scopeFilters = "../../testdata/scoping/filters/"
	scopeData    = "../../testdata/cli/scope/"
)

func TestCmdScope(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantOut    string
		wantErr    string // substring of stderr; "" means stderr must be empty
		wantStatus int
	}{
		{
			name: "json lines",
			args: []string{"--filter", scopeFilters + "new-york-engineers.json", "-i", scopeData + "users.jsonl"},
			wantOut: `alice: in scope
bob: out of scope
7f3c0e4a-carol: out of scope
New York: out of scope
`,
		},
		{
			name: "json lines explain",
			args: []string{"--filter", scopeFilters + "new-york-engineers.json", "-i", scopeData + "users.jsonl", "--explain"},
			wantOut: `alice: in scope: group "New York engineers" matched
bob: out of scope: group "New York engineers": clause 2 (department EQUALS "Engineering"): value "Sales" does not equal "Engineering"
7f3c0e4a-carol: out of scope: group "New York engineers": clause 3 (employeeId Greater_Than_OR_EQUALS "1000000"): value 999999 is not greater than or equal to 1000000
New York: out of scope: group "New York engineers": clause 5 (jobTitle IS NOT NULL): jobTitle is null or empty
`,
		},
		{
			name:  "csv on stdin",
			args:  []string{"--explain", "--filter", scopeFilters + "sales.json"},
			stdin: mustRead(t, scopeData+"users.csv"),
			wantOut: `alice@contoso.com: in scope: group "Sales" matched
dan@contoso.com: in scope: group "Support leads" matched
erin@contoso.com: out of scope: group "Sales": clause 1 (accountEnabled IS TRUE): value "False" is not true; group "Support leads": clause 1 (department EQUALS "Support"): value "Sales" does not equal "Support"
frank@contoso.com: out of scope: group "Sales": clause 2 (department EQUALS "Sales"): value "Support" does not equal "Sales"; group "Support leads": clause 2 (jobTitle Includes "Lead"): value "Engineer" does not include "Lead"
`,
		},
		{
			name: "json array",
			args: []string{"-filter", scopeFilters + "ad-on-premise-users.json", "-i", scopeData + "users.json"},
			wantOut: `dirsync-1: in scope
cloud-1: out of scope
cloud-2: out of scope
`,
		},
		{
			name:    "single object, dash for stdin",
			args:    []string{"--filter", scopeFilters + "contoso-domain.json", "-i", "-", "--explain"},
			stdin:   `{"userPrincipalName": "admin-bob@contoso.com", "employeeType": "Employee"}`,
			wantOut: "admin-bob@contoso.com: out of scope: group \"Contoso mailboxes, no admin accounts\": clause 2 (userPrincipalName NOT_REGEX_MATCH \"^admin-\"): value \"admin-bob@contoso.com\" matches \"^admin-\"\n",
		},
		{
			name:  "no id falls back to the first attribute, then the position",
			args:  []string{"--filter", scopeFilters + "sales.json"},
			stdin: `[{"department": "Sales", "accountEnabled": true}, {"department": "HR"}, {"department": null}]`,
			wantOut: `Sales: in scope
HR: out of scope
#3: out of scope
`,
		},
		{
			name:       "empty input",
			args:       []string{"--filter", scopeFilters + "sales.json"},
			stdin:      "  \n",
			wantErr:    "attrmap scope: <stdin>: no objects (expected",
			wantStatus: exitFailure,
		},
		{
			name:       "filter syntax error",
			args:       []string{"--filter", "-", "-i", scopeData + "users.json"},
			stdin:      "{\n  \"groups\": [\n    {\"name\": \"x\",}\n  ]\n}",
			wantErr:    "attrmap scope: <stdin>: line 3, column 18: invalid character '}'",
			wantStatus: exitFailure,
		},
		{
			name:       "filter compile error",
			args:       []string{"--filter", "-", "-i", scopeData + "users.json"},
			stdin:      `[{"name": "Sales", "clauses": [{"operatorName": "STARTS_WITH", "sourceOperandName": "department", "targetOperand": {"values": ["S"]}}]}]`,
			wantErr:    `group "Sales": clause 1 (department STARTS_WITH "S"): unknown operator "STARTS_WITH" (supported operators: EQUALS,`,
			wantStatus: exitFailure,
		},
		{
			name:       "missing filter file",
			args:       []string{"--filter", "does-not-exist.json"},
			wantErr:    "does-not-exist.json",
			wantStatus: exitFailure,
		},
		{
			name:       "bad json lines",
			args:       []string{"--filter", scopeFilters + "sales.json"},
			stdin:      "{\"id\": \"a\"}\n{\"id\": x}\n",
			wantOut:    "a: out of scope\n",
			wantErr:    "attrmap scope: <stdin>: line 2, column 8: object 2: invalid JSON: invalid character 'x'",
			wantStatus: exitFailure,
		},
		{
			name:       "array element not an object",
			args:       []string{"--filter", scopeFilters + "sales.json"},
			stdin:      `[{"id": "a"}, "b"]`,
			wantOut:    "a: out of scope\n",
			wantErr:    "attrmap scope: <stdin>: line 1, column 15: object 2: a string (expected a JSON object)",
			wantStatus: exitFailure,
		},
		{
			name:       "ragged csv",
			args:       []string{"--filter", scopeFilters + "sales.json"},
			stdin:      "a,b\n1,2,3\n",
			wantErr:    "attrmap scope: <stdin>: line 2: object 1: the row has 3 cells (expected 2, as the header has)",
			wantStatus: exitFailure,
		},
		{
			name:       "no filter",
			args:       nil,
			wantErr:    "missing --filter FILE",
			wantStatus: exitUsage,
		},
		{
			name:       "batch with filter",
			args:       []string{"--batch", "-", "--filter", "x.json"},
			wantErr:    "--batch cannot be combined",
			wantStatus: exitUsage,
		},
		{
			name:       "both on stdin",
			args:       []string{"--filter", "-"},
			wantErr:    "cannot both come from standard input",
			wantStatus: exitUsage,
		},
		{
			name:       "unknown flag",
			args:       []string{"--bogus"},
			wantErr:    "attrmap scope: unknown flag -bogus",
			wantStatus: exitUsage,
		},
		{
			name:       "stray argument",
			args:       []string{"--filter", scopeFilters + "sales.json", "extra"},
			wantErr:    `unexpected argument "extra"`,
			wantStatus: exitUsage,
		},
		{
			name: "batch",
			args: []string{"--batch", scopeData + "batch.jsonl"},
			wantOut: `{"id":"sales-in","in_scope":true,"reason":"group \"Sales\" matched"}
{"id":"sales-out","in_scope":false,"reason":"group \"Sales\": clause 1 (department EQUALS \"Sales\"): value \"Marketing\" does not equal \"Sales\""}
{"id":3,"in_scope":true,"reason":"no scoping filter"}
{"id":"typo","error":{"message":"line 4: filter: group \"Sales\": clause 1 (department EQULAS \"Sales\"): unknown operator \"EQULAS\" (did you mean \"EQUALS\"?)","line":0,"column":0,"hint":"did you mean \"EQUALS\"?","code":"filter"}}
{"id":null,"error":{"message":"line 6: unexpected end of JSON input","line":0,"column":0,"hint":"","code":"input"}}
{"id":"no-object","error":{"message":"line 7: missing \"object\"","line":0,"column":0,"hint":"","code":"input"}}
{"id":"amp","in_scope":true,"reason":"group \"Depts\" matched"}
`,
			wantErr:    "attrmap scope: 3 of 7 cases failed\n",
			wantStatus: exitFailure,
		},
		{
			name:    "batch on stdin without trailing newline",
			args:    []string{"--batch", "-"},
			stdin:   `{"id": "x", "filter": {}, "object": {"a": 1}}`,
			wantOut: "{\"id\":\"x\",\"in_scope\":true,\"reason\":\"no scoping filter\"}\n",
		},
		{
			name: "json",
			args: []string{"--json", "--filter", scopeFilters + "sales.json", "-i", scopeData + "users.csv"},
			wantOut: `{"id":"alice@contoso.com","in_scope":true,"reason":"group \"Sales\" matched"}
{"id":"dan@contoso.com","in_scope":true,"reason":"group \"Support leads\" matched"}
{"id":"erin@contoso.com","in_scope":false,"reason":"group \"Sales\": clause 1 (accountEnabled IS TRUE): value \"False\" is not true; group \"Support leads\": clause 1 (department EQUALS \"Support\"): value \"Sales\" does not equal \"Support\""}
{"id":"frank@contoso.com","in_scope":false,"reason":"group \"Sales\": clause 2 (department EQUALS \"Sales\"): value \"Support\" does not equal \"Sales\"; group \"Support leads\": clause 2 (jobTitle Includes \"Lead\"): value \"Engineer\" does not include \"Lead\""}
`,
		},
		{
			name:       "json with a bad filter",
			args:       []string{"--json", "--filter", "../../testdata/cli/schema/problems.json", "-i", "-"},
			stdin:      "{}",
			wantOut:    `{"error":{"message":"../../testdata/cli/schema/problems.json: group \"Sales\": clause 1 (department EQULAS \"Sales\"): unknown operator \"EQULAS\" (did you mean \"EQUALS\"?)","line":0,"column":0,"hint":"did you mean \"EQUALS\"?","code":"filter"}}` + "\n",
			wantStatus: exitFailure,
		},
		{
			name:       "batch file missing",
			args:       []string{"--batch", "does-not-exist.jsonl"},
			wantErr:    "does-not-exist.jsonl",
			wantStatus: exitFailure,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := call(cmdScope, "scope", tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d; stderr:\n%s", status, tt.wantStatus, stderr.String())
			}
			if diff := cmp.Diff(tt.wantOut, stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			switch {
			case tt.wantErr == "" && stderr.Len() > 0:
				t.Errorf("unexpected stderr:\n%s", stderr.String())
			case !strings.Contains(stderr.String(), tt.wantErr):
				t.Errorf("stderr does not contain %q:\n%s", tt.wantErr, stderr.String())
			}
		})
	}
}

func TestCmdScopeHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := call(cmdScope, "scope", []string{"-h"}, strings.NewReader(""), &stdout, &stderr); status != exitOK {
		t.Fatalf("status = %d, stderr %s", status, stderr.String())
	}
	for _, want := range []string{"usage: attrmap scope --filter", "-batch", "-explain"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestCmdScopeBatchConformance feeds a scoping conformance file to --batch:
// its lines carry id, filter and object, so every answer can be checked
// against want_in_scope (cases that expect an error must report one).
func TestCmdScopeBatchConformance(t *testing.T) {
	for _, file := range []string{"docs.jsonl", "logic.jsonl", "errors.jsonl"} {
		t.Run(file, func(t *testing.T) {
			in := mustRead(t, "../../testdata/scoping/"+file)
			var stdout, stderr bytes.Buffer
			// A batch with an error line exits 1; only errors.jsonl expects them.
			wantStatus := exitOK
			if file == "errors.jsonl" {
				wantStatus = exitFailure
			}
			if status := call(cmdScope, "scope", []string{"--batch", "-"}, strings.NewReader(in), &stdout, &stderr); status != wantStatus {
				t.Fatalf("status %d, want %d: %s", status, wantStatus, stderr.String())
			}
			want := bufio.NewScanner(strings.NewReader(in))
			got := bufio.NewScanner(&stdout)
			for want.Scan() {
				if !got.Scan() {
					t.Fatal("fewer output lines than input lines")
				}
				var c struct {
					ID          string `json:"id"`
					WantInScope *bool  `json:"want_in_scope"`
				}
				var r struct {
					ID      string     `json:"id"`
					InScope *bool      `json:"in_scope"`
					Error   *errorJSON `json:"error"`
				}
				if err := json.Unmarshal(want.Bytes(), &c); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(got.Bytes(), &r); err != nil {
					t.Fatalf("output %s: %v", got.Bytes(), err)
				}
				if r.ID != c.ID {
					t.Fatalf("output out of order: got id %q, want %q", r.ID, c.ID)
				}
				switch {
				case c.WantInScope == nil && r.Error == nil:
					t.Errorf("%s: want an error, got %s", c.ID, got.Bytes())
				case c.WantInScope != nil && (r.InScope == nil || *r.InScope != *c.WantInScope):
					t.Errorf("%s: want in_scope %v, got %s", c.ID, *c.WantInScope, got.Bytes())
				}
			}
			if got.Scan() {
				t.Errorf("extra output line %s", got.Bytes())
			}
		})
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
