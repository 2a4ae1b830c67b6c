package connect

import (
	"testing"

	"github.com/attrmap/attrmap/mapping"
)

// FuzzFlatten: any resource body gives attributes or an error, never a
// panic, and every attribute is a string, a bool or a list of strings.
func FuzzFlatten(f *testing.F) {
	schema, err := mapping.Decode([]byte(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "userName", "matchingPriority": 1, "source": {"expression": "[userPrincipalName]"}},
	    {"targetAttributeName": "name.givenName", "source": {"expression": "[givenName]"}},
	    {"targetAttributeName": "emails[type eq \"work\"].value", "source": {"expression": "[mail]"}},
	    {"targetAttributeName": "roles[primary eq true].value", "source": {"expression": "[role]"}},
	    {"targetAttributeName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "source": {"expression": "[manager]"}},
	    {"targetAttributeName": "members", "source": {"expression": "[members]"}}
	  ]}`))
	if err != nil {
		f.Fatal(err)
	}
	rule, err := schema.Compile("", "")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"id":"1","userName":"a","name":{"givenName":"b"},"emails":[{"type":"work","value":"c"}],"roles":[{"primary":true,"value":"r"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}},"members":[{"value":"x"},"y",1]}`))
	f.Add([]byte(`{"name":"x","emails":{"type":"work"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":7}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		attrs, err := Flatten(data, rule)
		if err != nil {
			return
		}
		for k, v := range attrs {
			switch v.(type) {
			case string, bool, []string:
			default:
				t.Fatalf("%s = %#v (%T)", k, v, v)
			}
		}
	})
}
