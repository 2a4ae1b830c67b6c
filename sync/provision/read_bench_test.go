package provision

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/attrmap/attrmap/internal/objfile"
)

// BenchmarkReadSnapshot reads 20000 generated users as JSON lines (7 MB):
// in chunks on every core, as ReadSnapshot does, and on one goroutine.
// ns/op is wall time; compare the CPU time of the two with -cpuprofile or
// /usr/bin/time on a shared machine.
func BenchmarkReadSnapshot(b *testing.B) {
	var buf bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&buf, `{"objectId": "9e3779b1-%04d-4001-8000-%012d", "userPrincipalName": "user%07d@contoso.com", "displayName": "Carol Novak", "givenName": "Carol", "surname": "Novak", "mail": "user%07d@contoso.com", "jobTitle": "Director", "city": "Seattle", "country": "Ireland", "accountEnabled": true, "manager": "00000000-0000-4000-8000-000000000000"}`+"\n", i%10000, i, i, i)
	}
	data := buf.Bytes()
	b.Run("chunked", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ReadSnapshot(bytes.NewReader(data), SnapshotOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sequential", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			or := objfile.NewReader(bytes.NewReader(data), SnapshotOptions{}.fileOptions())
			if _, err := readObjects(or, SnapshotOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
