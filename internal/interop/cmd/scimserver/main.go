// Command scimserver serves the in-memory SCIM 2.0 app of package
// scimserver on a local address, for trying attrmap run by hand (the
// README's "Provisioning a SCIM app"). It checks the bearer token, logs
// each request (never the token) and keeps everything in memory: stop it
// and the app is empty again.
//
//	go run ./cmd/scimserver --schema ../../testdata/sync/groups-membership/schema.json \
//	    --addr 127.0.0.1:9440 --token-file /tmp/scim-token
package main

import (
	"crypto/subtle"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/attrmap/attrmap/internal/interop/scimserver"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/connect"
)

func main() {
	schemaPath := flag.String("schema", "", "the synchronization schema `FILE` whose target attributes the app serves (optional)")
	addr := flag.String("addr", "127.0.0.1:9440", "listen on `ADDR`")
	tokenFile := flag.String("token-file", "", "accept the bearer token in `FILE` (default: any token)")
	flag.Parse()
	var rules []*mapping.CompiledObjectMapping
	if *schemaPath != "" {
		data, err := os.ReadFile(*schemaPath)
		if err != nil {
			log.Fatal(err)
		}
		s, err := mapping.Decode(data)
		if err != nil {
			log.Fatal(err)
		}
		if rules, err = s.CompileRule(""); err != nil {
			log.Fatal(err)
		}
	}
	srv, err := scimserver.New(rules, nil)
	if err != nil {
		log.Fatal(err)
	}
	token := ""
	if *tokenFile != "" {
		if token, err = connect.TokenFromFile(*tokenFile); err != nil {
			log.Fatal(err)
		}
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			log.Printf("%s %s: 401", r.Method, r.URL)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"invalid token"}`)
			return
		}
		log.Printf("%s %s", r.Method, r.URL)
		srv.ServeHTTP(w, r)
	})
	log.Printf("serving SCIM on http://%s (Users, Groups)", *addr)
	log.Fatal(http.ListenAndServe(*addr, h))
}
