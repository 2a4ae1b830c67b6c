package expr

import (
	"bytes"
	"encoding/json"
	"strings"
)

// appRole is one app role assigned to the user, as the [appRoleAssignments]
// attribute carries it.
type appRole struct {
	ID          string `json:"id"`
	Value       string `json:"value"`
	DisplayName string `json:"displayName"`
}

// parseAppRoles reads the values of [appRoleAssignments]. Each value is
// either a JSON object with id, value and displayName (the shape the
// service writes in its SCIM requests, {"id":"...","value":"25",
// "displayName":"Role1234"}) or a plain role name, standing for both the
// value and the display name. A missing value or display name is taken
// from the other. Empty values are skipped, and a role assigned twice
// (directly and through a group) counts once.
func parseAppRoles(v Value) ([]appRole, error) {
	var roles []appRole
	seen := map[appRole]bool{}
	for _, s := range Strings(v) {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		var r appRole
		if strings.HasPrefix(s, "{") {
			if err := json.Unmarshal([]byte(s), &r); err != nil {
				return nil, argErrorf(0, "expected an app role assignment as a JSON object or a role name (got %s)", quoteShort(s))
			}
		} else {
			r = appRole{Value: s, DisplayName: s}
		}
		if r.Value == "" {
			r.Value = r.DisplayName
		}
		if r.DisplayName == "" {
			r.DisplayName = r.Value
		}
		if r.Value == "" {
			return nil, argErrorf(0, "app role assignment %s has neither a value nor a displayName", quoteShort(s))
		}
		key := appRole{Value: r.Value, DisplayName: r.DisplayName}
		if seen[key] {
			continue
		}
		seen[key] = true
		roles = append(roles, r)
	}
	return roles, nil
}

// scimRole is one value of the SCIM roles attribute, with the members in
// the order of the documentation's sample request.
type scimRole struct {
	Primary     bool   `json:"primary"`
	Type        string `json:"type"`
	DisplayName string `json:"displayName"`
	Value       string `json:"value"`
}

// appRolesComplex renders every role as a SCIM roles value, none primary.
func appRolesComplex(roles []appRole) (Multi, error) {
	out := make(Multi, 0, len(roles))
	for _, r := range roles {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		// Role names such as "R&D" must stay readable, not \u0026.
		enc.SetEscapeHTML(false)
		if err := enc.Encode(scimRole{Type: "WindowsAzureActiveDirectoryRole", DisplayName: r.DisplayName, Value: r.Value}); err != nil {
			return nil, err
		}
		out = append(out, strings.TrimSuffix(b.String(), "\n"))
	}
	return out, nil
}

// singleAppRole returns the display name of the only role, null when there
// is none, and fails when there are several, as the service does ("No more
// than one app role assignment was expected, but this many where found: 2",
// MicrosoftDocs/azure-docs#42487).
func singleAppRole(roles []appRole) (Value, error) {
	switch len(roles) {
	case 0:
		return Null, nil
	case 1:
		return String(roles[0].DisplayName), nil
	}
	return nil, argErrorf(0, "expected at most one app role assignment (got %d)", len(roles))
}

const appRoleModel = `The attribute [appRoleAssignments] is modelled as multi-valued: each value is either a JSON object
` + "`{\"id\":\"...\",\"value\":\"Admin\",\"displayName\":\"Administrator\"}`" + ` (the shape the service sends in its SCIM
requests) or a plain role name, which stands for both the value and the display name; a missing value or
displayName is taken from the other. Empty values are skipped and a role assigned twice (directly and
through a group) counts once; a value that is neither JSON nor text is an error.`

func init() {
	register(
		&Func{
			Name:     "AppRoleAssignmentsComplex",
			Category: "App roles",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"appRoleAssignments"},
			Doc: `Turns the user's app role assignments into the values of the SCIM ` + "`roles`" + ` attribute, one JSON
object per role, none of them primary: ` + "`{\"primary\":false,\"type\":\"WindowsAzureActiveDirectoryRole\",\"displayName\":\"Admin\",\"value\":\"Admin\"}`" + `,
as in the documentation's sample request ("Provisioning a role to a SCIM app").

` + appRoleModel + `

Decisions: no role gives null (nothing to provision).`,
			Impl: func(c *Call, args []Value) (Value, error) {
				roles, err := parseAppRoles(args[0])
				if err != nil {
					return nil, err
				}
				if len(roles) == 0 {
					return Null, nil
				}
				m, err := appRolesComplex(roles)
				if err != nil {
					return nil, err
				}
				return m, nil
			},
			Examples: []Example{
				{
					Expr:  `AppRoleAssignmentsComplex([appRoleAssignments])`,
					Input: map[string]any{"appRoleAssignments": []any{"Admin", "User"}},
					Want: []string{
						`{"primary":false,"type":"WindowsAzureActiveDirectoryRole","displayName":"Admin","value":"Admin"}`,
						`{"primary":false,"type":"WindowsAzureActiveDirectoryRole","displayName":"User","value":"User"}`,
					},
				},
			},
		},
		&Func{
			Name:     "SingleAppRoleAssignment",
			Category: "App roles",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"appRoleAssignments"},
			Doc: `Returns the name (display name) of the user's only app role assignment, for targets such as
` + "`roles[primary eq \"True\"].value`" + `.

` + appRoleModel + `

Decisions: no role gives null. Several roles are an error, as the service reports ("No more than one app
role assignment was expected, but this many where found: 2", MicrosoftDocs/azure-docs#42487); the
documentation only says the case is unsupported.`,
			Impl: func(c *Call, args []Value) (Value, error) {
				roles, err := parseAppRoles(args[0])
				if err != nil {
					return nil, err
				}
				return singleAppRole(roles)
			},
			Examples: []Example{
				{Expr: `SingleAppRoleAssignment([appRoleAssignments])`, Input: map[string]any{"appRoleAssignments": []any{`{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}`}}, Want: "Role1234"},
			},
		},
	)
}
