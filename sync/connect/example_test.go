package connect_test

import (
	"fmt"
	"slices"

	"github.com/attrmap/attrmap/internal/examples"
	"github.com/attrmap/attrmap/sync/connect"
)

// Flatten reads a SCIM resource under the mapping's target attribute
// names, as the planner's target snapshot holds them.
func ExampleFlatten() {
	rule := examples.Rule(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "active", "source": {"expression": "Not([IsSoftDeleted])"}},
	    {"targetAttributeName": "name.givenName", "source": {"expression": "[givenName]"}},
	    {"targetAttributeName": "emails[type eq \"work\"].value", "source": {"expression": "[mail]"}},
	    {"targetAttributeName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "source": {"expression": "[manager]"}},
	    {"targetAttributeName": "roles", "source": {"expression": "[roles]"}}
	  ]}`)
	attrs, err := connect.Flatten([]byte(`{
	  "id": "scim-7", "userName": "ann@contoso.com", "active": true,
	  "name": {"givenName": "Ann", "familyName": "Lee"},
	  "emails": [{"type": "home", "value": "ann@example.com"}, {"type": "work", "value": "ann@contoso.com"}],
	  "roles": [{"value": "Engineer"}, {"value": "Lead"}],
	  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "scim-1"}}}`), rule)
	if err != nil {
		panic(err)
	}
	var names []string
	for k := range attrs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Printf("%s = %v\n", k, attrs[k])
	}
	// Output:
	// active = true
	// emails[type eq "work"].value = ann@contoso.com
	// name.givenName = Ann
	// roles = [Engineer Lead]
	// urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager = scim-1
	// userName = ann@contoso.com
}
