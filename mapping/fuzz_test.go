package mapping

import (
	"bytes"
	"os"
	"testing"
)

// FuzzSchemaRoundTrip feeds arbitrary documents to Decode, strict and
// lenient. Invariants: no panic; a document that loads saves, and what was
// saved loads again and saves to the same bytes; Validate and the listing
// never panic.
//
// Only the small schema files are seeds, and inputs past 64 KiB are
// skipped: with the large exports as seeds, a short run spent its time
// minimising each new input of tens of kilobytes instead of exploring.
func FuzzSchemaRoundTrip(f *testing.F) {
	for _, file := range schemaFiles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= 8<<10 {
			f.Add(data)
		}
	}
	for _, seed := range []string{
		`{"attributeMappings": [{"targetAttributeName": "mail",},], // x
		}`,
		`{"directories": [..], "synchronizationRules": [{"objectMappings": [{...}, …]}]}`,
		`{attributeMappings: [{source: {expression: "Join(\",\", [a])"}}]}`,
		`{"objectMappings": [{"scope": {"groups": [{"clauses": [{"operatorName": "EQUALS"}]}]}}]}`,
		"\ufeff{\"attributeMappings\": null}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		for _, opts := range [][]LoadOption{nil, {Lenient(nil)}} {
			s, err := Decode(data, opts...)
			if err != nil {
				continue
			}
			out, err := s.canonical()
			if err != nil {
				t.Fatalf("Marshal of a loaded document: %v", err)
			}
			s2, err := Decode(out)
			if err != nil {
				t.Fatalf("saved document does not load: %v\n%s", err, out)
			}
			out2, err := s2.canonical()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Fatalf("save is not stable:\n%s\n---\n%s", out, out2)
			}
			_ = s2.Validate()
			var listing bytes.Buffer
			_ = s2.WriteListing(&listing)
		}
	})
}
