package main

import (
	"testing"

	"github.com/attrmap/attrmap/internal/golden"
)

const mapCLIData = "../../testdata/cli/map/"

func TestCmdMap(t *testing.T) {
	g := golden.Open(t, mapCLIData+"map.golden")
	salesforce := schemasDir + "graph-salesforce.json"
	tests := []struct {
		name  string
		args  []string
		stdin string
	}{
		{"json lines on update", []string{"--schema", salesforce, "-i", mapCLIData + "users.jsonl"}, ""},
		{"on create", []string{"--schema", salesforce, "--rule", "USER_OUTBOUND_USER", "-i", mapCLIData + "users.jsonl", "--on-create"}, ""},
		{"table from csv", []string{"--schema", salesforce, "-i", mapCLIData + "users.csv", "--table", "--on-create"}, ""},
		{"explain", []string{"--schema", salesforce, "-i", mapCLIData + "users.jsonl", "--explain"}, ""},
		{"object on stdin", []string{"--schema", salesforce}, `{"userPrincipalName": "a@contoso.com", "IsSoftDeleted": "False"}`},
		{"scim groups", []string{"--schema", schemasDir + "scim-app.json", "--object", "Group"}, `{"displayName": "Sales", "objectId": "g1", "members": ["u1", "u2"]}`},
		{"workday scope and unique values", []string{"--schema", schemasDir + "workday-to-ad.json", "-i", mapCLIData + "workday.jsonl", "--on-create", "--now", "2024-05-01T00:00:00Z"}, ""},
		{"ambiguous object mapping", []string{"--schema", schemasDir + "scim-app.json"}, `{}`},
		{"unknown rule", []string{"--schema", salesforce, "--rule", "USERS"}, `{}`},
		{"missing schema flag", []string{"-i", "x.json"}, ""},
		{"json report", []string{"--schema", schemasDir + "workday-to-ad.json", "-i", mapCLIData + "workday.jsonl", "--on-create", "--now", "2024-05-01T00:00:00Z", "--json"}, ""},
		{"json with table", []string{"--schema", salesforce, "--json", "--table"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g.Check(t, tt.name, transcript(append([]string{"map"}, tt.args...), tt.stdin))
		})
	}
}
