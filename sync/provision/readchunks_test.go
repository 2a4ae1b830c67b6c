package provision

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/internal/objfile"
	"github.com/google/go-cmp/cmp"
)

// exactView shows all of a snapshot, the length of each object's values
// included: what reading in chunks must give as reading sequentially does.
func exactView(s *Snapshot, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "attributes %q\n", s.Attributes)
	for _, o := range s.Objects {
		fmt.Fprintf(&b, "%q type %q unassigned %v disabled %v deleted %v, %d values:", o.ID, o.Type, o.Unassigned, o.Disabled, o.SoftDeleted, len(o.Values))
		for i, v := range o.Values {
			if v != nil {
				fmt.Fprintf(&b, " %d=%T:%#v", i, v, v)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// readBothWays reads data sequentially and in chunks of size bytes.
func readBothWays(data []byte, opts SnapshotOptions, size int) (seq, chunked string) {
	seq = exactView(readObjects(objfile.NewReader(bytes.NewReader(data), opts.fileOptions()), opts))
	chunked = exactView(readSnapshot(bytes.NewReader(data), opts, size))
	return seq, chunked
}

// chunkedSnapshots are inputs whose chunks differ: attributes in other
// orders, names differing in case, new attributes late, nulls, nested
// attributes, and refusals and syntax errors at various objects.
var chunkedSnapshots = []string{
	"{\"id\": \"u1\", \"mail\": \"a\"}\n{\"id\": \"u2\", \"dept\": \"S\", \"mail\": \"b\"}\n{\"mail\": \"c\", \"id\": \"u3\", \"Dept\": \"T\"}\n{\"id\": \"u4\", \"city\": null, \"x\": 1}\n{\"id\": \"u5\", \"city\": \"P\", \"DEPT\": \"U\"}\n",
	"[\n{\"id\": \"u1\", \"b\": 1},\n{\"id\": \"u2\", \"a\": true},\n{\"id\": \"u3\", \"attributes\": {\"c\": \"x\", \"B\": 2}, \"objectType\": \"Group\"}\n]\n",
	"{\"id\": \"u1\"}\n{\"id\": \"u2\", \"m\": [\"a\", 1, null]}\n{\"nope\": 1}\n{\"id\": \"u4\"}\n",
	"{\"id\": \"u1\"}\n{\"id\": \"u2\", \"assigned\": \"maybe\"}\n{\"id\": \"u3\"}\n",
	"{\"id\": \"u1\"}\n{\"id\": \"u2\"}\n{\"id\": }\n{\"id\": \"u4\"}\n",
	"[\n{\"id\": \"u1\"},\n{\"id\": \"u2\"}\n]\n{\"id\": \"u3\"}\n",
	"{\"id\": \"u1\"}\n{\"value\": [{\"id\": \"g1\"}], \"@odata.nextLink\": \"n\"}\n",
	"{\"id\": \"u1\", \"a\": 1, \"a\": 2}\n{\"id\": \"u2\", \"A\": 3, \"a\": 4}\n{\"Id\": \"u3\"}\n",
	"{\"id\": \"u1\", \"x\": {\"y\": 1}}\n{\"id\": \"u2\", \"x\": {\"z\": [1, {\"w\": 2}]}}\n",
}

// TestReadChunksMatchesSequential reads every case in chunks of every
// size up to its length, and a generated file of 3000 users in chunks of
// a few sizes (the largest has a first chunk that stops interning mails),
// on as many workers as the test has (at least two): the
// snapshot, or the error, is the one sequential reading gives.
func TestReadChunksMatchesSequential(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	for _, in := range chunkedSnapshots {
		for _, opts := range []SnapshotOptions{{Name: "s.json"}, {IDAttribute: "mail"}} {
			for size := 1; size <= len(in)+1; size++ {
				seq, chunked := readBothWays([]byte(in), opts, size)
				if seq != chunked {
					t.Fatalf("input %q, %+v, chunks of %d (-sequential +chunked):\n%s", in, opts, size, cmp.Diff(seq, chunked))
				}
			}
		}
	}
	var b bytes.Buffer
	depts := []string{"Sales", "Research", "Finance"}
	for i := range 3000 {
		fmt.Fprintf(&b, `{"id": "u%d", "mail": "u%d@contoso.com", "department": %q, "n": %d`, i, i, depts[i%3], i%7)
		if i%500 == 499 {
			fmt.Fprintf(&b, `, "late%d": "x", "MAIL": "y"`, i/500)
		}
		b.WriteString("}\n")
	}
	valid := b.Bytes()
	broken := append(bytes.Clone(valid[:len(valid)/2]), "{\"id\": \"oops\",}\n"...)
	broken = append(broken, valid[len(valid)/2:]...)
	for _, data := range [][]byte{valid, broken} {
		for _, size := range []int{100, 4096, 65536, 131072} {
			seq, chunked := readBothWays(data, SnapshotOptions{Name: "users.jsonl"}, size)
			if seq != chunked {
				t.Fatalf("%d bytes in chunks of %d (-sequential +chunked):\n%s", len(data), size, cmp.Diff(seq, chunked))
			}
		}
	}
}

// FuzzReadChunks checks reading in chunks (of 1 to 64 bytes, so that the
// chunks end everywhere) against reading sequentially, on any input.
func FuzzReadChunks(f *testing.F) {
	for _, s := range chunkedSnapshots {
		f.Add([]byte(s), "", uint8(7))
	}
	f.Add([]byte("[{\"id\": \"u1\"},\n{\"id\": \"u2\"}]"), "", uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, idAttr string, size uint8) {
		seq, chunked := readBothWays(data, SnapshotOptions{IDAttribute: idAttr}, int(size%64)+1)
		if seq != chunked {
			t.Fatalf("input %q, id %q, chunks of %d (-sequential +chunked):\n%s", data, idAttr, int(size%64)+1, cmp.Diff(seq, chunked))
		}
	})
}
