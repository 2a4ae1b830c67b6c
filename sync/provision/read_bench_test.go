package provision

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkReadSnapshot reads 20000 generated users as JSON lines.
func BenchmarkReadSnapshot(b *testing.B) {
	var buf bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&buf, `{"objectId": "9e3779b1-%04d-4001-8000-%012d", "userPrincipalName": "user%07d@contoso.com", "displayName": "Carol Novak", "givenName": "Carol", "surname": "Novak", "mail": "user%07d@contoso.com", "jobTitle": "Director", "city": "Seattle", "country": "Ireland", "accountEnabled": true, "manager": "00000000-0000-4000-8000-000000000000"}`+"\n", i%10000, i, i, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadSnapshot(bytes.NewReader(data), SnapshotOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
