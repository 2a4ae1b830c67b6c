package scim

import (
	"fmt"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/sync/provision"
)

// BenchmarkRequests renders a plan of n new users, each managed by the
// one before it (a follow-up to fold), and n updates of existing users.
//
//	go test ./sync/scim -run '^$' -bench Requests -benchmem
func BenchmarkRequests(b *testing.B) {
	rules := scimRules(b)
	for _, n := range []int{1000, 10000} {
		p := &provision.Plan{}
		for i := range n {
			id := fmt.Sprintf("u%d", i)
			p.Ops = append(p.Ops, provision.Op{Kind: provision.Create, Object: "User", Key: id, Target: id, Changes: []provision.AttrChange{
				scimSet("active", scimStr("True")),
				scimSet(`addresses[type eq "work"].formatted`, scimStr("1 Main St")),
				scimSet("displayName", scimStr("User "+id)),
				scimSet(`emails[type eq "work"].value`, scimStr(id+"@contoso.com")),
				scimSet("name.familyName", scimStr("Doe")),
				scimSet("name.givenName", scimStr("Jo")),
				scimSet("proxyAddresses", expr.Multi{"SMTP:" + id + "@contoso.com"}),
				scimSet(`roles[primary eq "True"].value`, scimStr("Member")),
				scimSet(scimEnterprise+"department", scimStr("Sales")),
				scimSet("userName", scimStr(id+"@contoso.com")),
			}})
		}
		for i := range n {
			id := fmt.Sprintf("t%d", i)
			p.Ops = append(p.Ops, provision.Op{Kind: provision.Update, Object: "User", Key: "s" + id, Target: id, Changes: []provision.AttrChange{
				scimChange("title", scimStr("a"), scimStr("b")),
				{Name: "proxyAddresses", Add: []string{"smtp:x@contoso.com"}, Remove: []string{"smtp:y@contoso.com"}},
			}})
		}
		for i := 1; i < n; i++ {
			id := fmt.Sprintf("u%d", i)
			p.Ops = append(p.Ops, provision.Op{Kind: provision.Update, Object: "User", Key: id, Target: id, FollowUp: true, Changes: []provision.AttrChange{
				{Name: scimEnterprise + "manager", Old: expr.Null, New: scimStr(fmt.Sprintf("u%d", i-1)), Ref: "User"},
			}})
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Requests(p, rules...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
