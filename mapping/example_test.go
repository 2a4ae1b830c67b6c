package mapping_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// An objectMapping as Microsoft Graph exports it, trimmed to three mappings.
const salesforce = `{
  "attributeMappings": [
    {"defaultValue": null, "flowBehavior": "FlowWhenChanged", "flowType": "Always", "matchingPriority": 1,
     "source": {"expression": "[userPrincipalName]", "name": "userPrincipalName", "parameters": [], "type": "Attribute"},
     "targetAttributeName": "Username"},
    {"defaultValue": "en_US", "flowBehavior": "FlowWhenChanged", "flowType": "Always", "matchingPriority": 0,
     "source": {"expression": "Replace([preferredLanguage], \"-\", , , \"_\", , )", "name": "Replace", "parameters": [
        {"key": "source", "value": {"expression": "[preferredLanguage]", "name": "preferredLanguage", "parameters": [], "type": "Attribute"}},
        {"key": "Find", "value": {"expression": "\"-\"", "name": "-", "parameters": [], "type": "Constant"}},
        {"key": "Replacement", "value": {"expression": "\"_\"", "name": "_", "parameters": [], "type": "Constant"}}], "type": "Function"},
     "targetAttributeName": "LocaleSidKey"},
    {"defaultValue": "America/Los_Angeles", "flowBehavior": "FlowWhenChanged", "flowType": "ObjectAddOnly", "matchingPriority": 0,
     "source": null, "targetAttributeName": "TimeZoneSidKey"}
  ],
  "enabled": true,
  "name": "Synchronize Azure Active Directory Users to salesforce.com",
  "sourceObjectName": "User",
  "targetObjectName": "User"
}`

func ExampleLoad() {
	s, err := mapping.Load(strings.NewReader(salesforce))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Form, len(s.Validate()), "problems")
	s.WriteListing(os.Stdout)

	_, err = mapping.Load(strings.NewReader(`{"attributeMappings": [{"targetAttributeName": "mail"},]}`))
	fmt.Println(err)
	// Output:
	// objectMapping 0 problems
	// # attrmap mapping listing: target <- expression | markers
	// # markers: match=N  on-create  flow=TYPE  always-export  refs  default="VALUE"
	//
	// rule ""
	//
	// object "Synchronize Azure Active Directory Users to salesforce.com" from="User" to="User"
	//   Username       <- [userPrincipalName] | match=1
	//   LocaleSidKey   <- Replace([preferredLanguage], "-", , , "_", , ) | default="en_US"
	//   TimeZoneSidKey <- (none) | on-create default="America/Los_Angeles"
	// line 1, column 55: trailing comma before ']' (use --lenient to drop it)
}

func ExampleCompiledObjectMapping_Apply() {
	s, _ := mapping.Load(strings.NewReader(salesforce))
	m, err := s.Compile("", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	user := expr.NewEnv(map[string]any{"userPrincipalName": "john@contoso.com", "preferredLanguage": "nl-NL"})
	for _, onCreate := range []bool{true, false} {
		t, _ := m.Apply(user, mapping.ApplyOptions{OnCreate: onCreate})
		fmt.Println("on create:", onCreate)
		for _, e := range t.Explain {
			fmt.Println(" ", e)
		}
	}
	// Output:
	// on create: true
	//   LocaleSidKey <- Replace([preferredLanguage], "-", , , "_", , ) = "nl_NL"
	//   TimeZoneSidKey <- (none) = "America/Los_Angeles" (default)
	//   Username <- [userPrincipalName] = "john@contoso.com"
	// on create: false
	//   LocaleSidKey <- Replace([preferredLanguage], "-", , , "_", , ) = "nl_NL"
	//   TimeZoneSidKey <- (none): skipped on update (ObjectAddOnly)
	//   Username <- [userPrincipalName] = "john@contoso.com"
}

// Convert gives a value the type of its target attribute, as the service
// does before the value flows.
func ExampleAttributeDefinition_Convert() {
	active := &mapping.AttributeDefinition{Name: "active", Type: mapping.TypeBoolean}
	v, _ := active.Convert(expr.String("true"))
	fmt.Println(v.Kind(), string(expr.AppendJSON(nil, v)))

	level := &mapping.AttributeDefinition{Name: "level", Type: mapping.TypeInteger}
	v, _ = level.Convert(expr.String(" 5 "))
	fmt.Println(v.Kind(), string(expr.AppendJSON(nil, v)))
	_, err := level.Convert(expr.String("three"))
	fmt.Println(err)
	// Output:
	// boolean true
	// number 5
	// the result "three" cannot be converted to the Integer target attribute "level" (expected a whole number)
}
