package mapping

import (
	"fmt"
	"testing"

	"github.com/attrmap/attrmap/expr"
)

// benchMappings are 20 mappings of the kinds real schemas use: direct
// copies, constants, joins, switches, replaces and a default.
var benchMappings = []struct{ target, text, dflt string }{
	{"userName", "[userPrincipalName]", ""},
	{"active", `Switch([IsSoftDeleted], , "False", "True", "True", "False")`, ""},
	{"displayName", "[displayName]", ""},
	{"title", "[jobTitle]", "Employee"},
	{"email", "[mail]", ""},
	{"preferredLanguage", `Replace([preferredLanguage], "-", , , "_", , )`, "en_US"},
	{"givenName", "[givenName]", ""},
	{"familyName", "[surname]", ""},
	{"formatted", `Join(" ", [givenName], [surname])`, ""},
	{"office", "[physicalDeliveryOfficeName]", ""},
	{"street", "[streetAddress]", ""},
	{"locality", "[city]", ""},
	{"region", "[state]", ""},
	{"postalCode", "[postalCode]", ""},
	{"country", `Switch([country], [country], "United States", "US", "Netherlands", "NL")`, ""},
	{"phone", "[telephoneNumber]", ""},
	{"mobile", "[mobile]", ""},
	{"externalId", "[mailNickname]", ""},
	{"alias", "Mid([userPrincipalName], 1, 8)", ""},
	{"company", `"Contoso"`, ""},
}

// BenchmarkApply applies a 20-mapping object mapping to 100,000 objects
// per iteration and reports the cost per object.
func BenchmarkApply(b *testing.B) {
	om := &ObjectMapping{}
	for _, m := range benchMappings {
		src, err := SourceFromExpression(m.text)
		if err != nil {
			b.Fatal(err)
		}
		om.AttributeMappings = append(om.AttributeMappings, AttributeMapping{TargetAttributeName: m.target, Source: src, DefaultValue: m.dflt})
	}
	c, err := Compile(om)
	if err != nil {
		b.Fatal(err)
	}
	const objects = 100_000
	envs := make([]expr.Env, objects)
	for i := range envs {
		envs[i] = expr.MapEnv{
			"userPrincipalName":          expr.String(fmt.Sprintf("user%d@contoso.com", i)),
			"IsSoftDeleted":              expr.Bool(i%10 == 0),
			"displayName":                expr.String(fmt.Sprintf("User %d", i)),
			"mail":                       expr.String(fmt.Sprintf("user%d@contoso.com", i)),
			"preferredLanguage":          expr.String("en-US"),
			"givenName":                  expr.String("Given"),
			"surname":                    expr.String(fmt.Sprintf("Sur%d", i)),
			"physicalDeliveryOfficeName": expr.String("HQ"),
			"streetAddress":              expr.String("1 Main St"),
			"city":                       expr.String("Redmond"),
			"state":                      expr.String("WA"),
			"postalCode":                 expr.String("98052"),
			"country":                    expr.String("United States"),
			"telephoneNumber":            expr.String("+1 425 555 0100"),
			"mobile":                     expr.String("+1 425 555 0101"),
			"mailNickname":               expr.String(fmt.Sprintf("user%d", i)),
		}
	}
	opts := ApplyOptions{OnCreate: true}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, env := range envs {
			if _, err := c.Apply(env, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*objects), "ns/object")
}
