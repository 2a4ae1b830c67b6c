package expr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAppRoles(t *testing.T) {
	tests := []struct {
		name string
		in   Value
		want []appRole
		fail bool
	}{
		{"null", Null, nil, false},
		{"names", Multi{"Admin", "User"}, []appRole{{Value: "Admin", DisplayName: "Admin"}, {Value: "User", DisplayName: "User"}}, false},
		{"single string", String("Admin"), []appRole{{Value: "Admin", DisplayName: "Admin"}}, false},
		{"json", Multi{`{"id":"06b0","value":"25","displayName":"Role1234"}`}, []appRole{{ID: "06b0", Value: "25", DisplayName: "Role1234"}}, false},
		{"json keys ignore case", Multi{`{"Value":"25","DisplayName":"Role1234"}`}, []appRole{{Value: "25", DisplayName: "Role1234"}}, false},
		{"json value only", Multi{`{"value":"Admin"}`}, []appRole{{Value: "Admin", DisplayName: "Admin"}}, false},
		{"json name only", Multi{`{"displayName":"Admin"}`}, []appRole{{Value: "Admin", DisplayName: "Admin"}}, false},
		{"duplicates and blanks", Multi{"Admin", " ", "Admin", `{"value":"Admin"}`}, []appRole{{Value: "Admin", DisplayName: "Admin"}}, false},
		{"bad json", Multi{`{"value":`}, nil, true},
		{"json without names", Multi{`{"id":"06b0"}`}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAppRoles(tt.in)
			if (err != nil) != tt.fail {
				t.Fatalf("error = %v, want failure %v", err, tt.fail)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppRolesComplex(t *testing.T) {
	got, err := appRolesComplex([]appRole{{ID: "x", Value: "R&D", DisplayName: "Research <R&D>"}})
	if err != nil {
		t.Fatal(err)
	}
	want := Multi{`{"primary":false,"type":"WindowsAzureActiveDirectoryRole","displayName":"Research <R&D>","value":"R&D"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAppRoleEval(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		input map[string]any
		want  any
		err   string
	}{
		{"complex none", `AppRoleAssignmentsComplex([appRoleAssignments])`, nil, nil, ""},
		{"complex json", `AppRoleAssignmentsComplex([appRoleAssignments])`,
			map[string]any{"appRoleAssignments": []any{`{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Admin","displayName":"Admin"}`}},
			[]string{`{"primary":false,"type":"WindowsAzureActiveDirectoryRole","displayName":"Admin","value":"Admin"}`}, ""},
		{"single none", `SingleAppRoleAssignment([appRoleAssignments])`, nil, nil, ""},
		{"single name", `SingleAppRoleAssignment([appRoleAssignments])`, map[string]any{"appRoleAssignments": "Admin"}, "Admin", ""},
		{"single duplicate counts once", `SingleAppRoleAssignment([appRoleAssignments])`, map[string]any{"appRoleAssignments": []any{"Admin", "Admin"}}, "Admin", ""},
		{"single several", `SingleAppRoleAssignment([appRoleAssignments])`, map[string]any{"appRoleAssignments": []any{"Admin", "User"}}, nil,
			"invalid argument 1 (appRoleAssignments) to SingleAppRoleAssignment: expected at most one app role assignment (got 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalReplaceCase(tt.src, tt.input)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
