package scimserver_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/attrmap/attrmap/internal/interop/scimserver"
)

// A server without rules or snapshot: RFC 7643's User and Group. It
// assigns the id, refuses a Boolean sent as text, and Flatten reads the
// user back under Entra's attribute names.
func ExampleNew() {
	srv, err := scimserver.New(nil, nil)
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	post := func(body string) (int, string) {
		resp, err := http.Post(ts.URL+"/Users", "application/scim+json", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, _ := post(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann","active":true,"emails":[{"type":"work","value":"ann@contoso.com"}]}`)
	fmt.Println(status, srv.IDs("User"))
	status, _ = post(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ben","active":"True"}`)
	fmt.Println(status)

	res, _ := srv.Resource("User", "scim-1")
	flat, err := scimserver.Flatten(res, []string{"userName", "active", `emails[type eq "work"].value`, "title"})
	if err != nil {
		panic(err)
	}
	fmt.Println(flat)
	// Output:
	// 201 [scim-1]
	// 400
	// map[active:True emails[type eq "work"].value:ann@contoso.com userName:ann]
}
