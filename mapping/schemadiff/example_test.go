package schemadiff_test

import (
	"fmt"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/mapping/schemadiff"
)

func ExampleDiff() {
	old, _ := mapping.Decode([]byte(`{"attributeMappings": [
		{"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
		{"targetAttributeName": "mail", "source": {"expression": "join(\"@\", [mailNickname], \"contoso.com\")"}}
	]}`))
	new, _ := mapping.Decode([]byte(`{"attributeMappings": [
		{"targetAttributeName": "mail", "source": {"expression": "Join(\"@\", [mailNickname], \"fabrikam.com\")"}},
		{"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
		{"targetAttributeName": "title", "flowType": "ObjectAddOnly", "source": {"expression": "[jobTitle]"}}
	]}`))
	for _, c := range schemadiff.Diff(old, new) {
		fmt.Println(c)
	}
	// Output:
	// changed attribute "mail" expression: Join("@", [mailNickname], "contoso.com") -> Join("@", [mailNickname], "fabrikam.com")
	// added attribute "title" attribute mapping: [jobTitle]
}
