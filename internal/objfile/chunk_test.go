package objfile

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// errEmpty is the consumer's complaint in these tests: an object without
// members, as the planner refuses an object without an id.
var errEmpty = errors.New("no members")

// writeObject writes an object as consume does, numbered n.
func writeObject(b *strings.Builder, o *Object, n int) {
	o.N = n // Key names an object without an id by its number
	fmt.Fprintf(b, "object %d (%s) key %s\n", n, o.Shape, Key(o))
	for _, m := range o.Members {
		fmt.Fprintf(b, "  %s = %s\n", m.Name, m.Raw)
	}
}

// consume reads r to its end as the planner does: an object without
// members stops reading with an error at its position (Errorf); an
// error stops it unless it is recoverable.
func consume(b *strings.Builder, r *Reader) {
	for {
		o, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(b, "error: %v\n", err)
			var e *Error
			if errors.As(err, &e) && e.Recoverable {
				continue
			}
			break
		}
		if len(o.Members) == 0 {
			fmt.Fprintf(b, "error: %v\n", r.Errorf(o, "%v", errEmpty))
			break
		}
		writeObject(b, o, o.N)
	}
	fmt.Fprintf(b, "format: %s\n", r.Format())
	if why := r.Incomplete(); why != "" {
		fmt.Fprintf(b, "incomplete: %s\n", why)
	}
}

// readChunked reads in through a Chunker of chunks of size bytes, the
// chunks read in order, and a sequential Reader from the first chunk not
// read whole: what reading on several cores gives.
func readChunked(in string, size int) string {
	var b strings.Builder
	opts := Options{Name: "f.json", Keep: "attributes"}
	c, r := Chunked(strings.NewReader(in), opts, size)
	if c == nil {
		consume(&b, r)
		return b.String()
	}
	var chunks []*Chunk
	for {
		ch, err := c.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Sprintf("Next: %v", err)
		}
		chunks = append(chunks, ch)
	}
	cr := c.NewChunkReader()
	n, lines := 0, 0
	for i, ch := range chunks {
		var part strings.Builder
		st, ok := cr.Read(ch, nil, func(o *Object) error {
			if len(o.Members) == 0 {
				return errEmpty
			}
			writeObject(&part, o, n+o.N)
			return nil
		})
		if !ok {
			r, err := c.Resume(chunks[i:], n, lines)
			if err != nil {
				return fmt.Sprintf("Resume: %v", err)
			}
			consume(&b, r)
			return b.String()
		}
		b.WriteString(part.String())
		n += st.Objects
		if lines >= 0 && st.OneLine {
			lines += st.Objects
		} else {
			lines = -1
		}
		c.Release(ch)
	}
	f := JSONStream
	if c.array {
		f = JSONArray
	}
	fmt.Fprintf(&b, "format: %s\n", f)
	return b.String()
}

// readWhole reads in with the sequential Reader.
func readWhole(in string) string {
	var b strings.Builder
	consume(&b, NewReader(strings.NewReader(in), Options{Name: "f.json", Keep: "attributes"}))
	return b.String()
}

// chunkCases add to fastCases inputs whose chunks end in every state.
var chunkCases = []string{
	"{\"id\": \"a\"}\n{\"id\": \"b\"}\n{}\n{\"id\": \"c\"}\n",
	"[\n{\"id\": \"a\"},\n{\"id\": \"b\"}\n,\n{\"id\": \"c\"}\n]\n",
	"[\n{\"id\": \"a\"},\n{\"id\": \"b\"}\n]\n\n{\"id\": \"c\"}\n",
	"[\n{\"id\": \"a\"},\n{\"id\": \"b\"},\n]\n",
	"[\n{\"id\": \"a\"},\n{\"id\": \"b\"}\n",
	"[\n{\"id\": \"a\"},\n{\"id\": \"b\"},\n",
	"[\n\n\n{\"id\": \"a\"}\n\n\n,\n\n{\"id\": \"b\"}]\n \n",
	"[\n{\"id\": \"a\",\n\"b\": [\n{\"c\": 1},\n{\"d\": 2}\n]},\n{\"id\": \"e\"}\n]\n",
	"{\"id\": \"a\",\n\"b\": [\n{\"c\": 1}\n]}\n{\"id\": \"e\"}\n",
	"{\"id\": \"a\"}\n{\"id\": \"b\"}\n{\"id\": }\n{\"id\": \"c\"}\n{\"id\": x}\n{\"id\": \"d\"}\n",
	"{\"id\": \"a\"}\n{\"value\": [{\"id\": \"b\"}], \"@odata.nextLink\": \"n\"}\n{\"id\": \"c\"}\n",
	"\xef\xbb\xbf\n \n{\"id\": \"a\"}\n{\"id\": \"b\"}\n",
	"{\"id\": \"a\"}\n{\"id\": \"b\", \"x\": {\"y\": 1}}\n  {\"id\": \"c\"} {\"id\": \"d\"}\n\f",
	"{\"id\": \"a\"}\n{\"id\": \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}\n{\"id\": \"c\"}\n{\"id\": \"d\"",
}

// TestChunkedMatchesWhole checks that reading in chunks, at every chunk
// size, gives the objects, errors and positions reading the whole input
// gives.
func TestChunkedMatchesWhole(t *testing.T) {
	for _, in := range append(append([]string{}, fastCases...), chunkCases...) {
		want := readWhole(in)
		for size := 1; size <= min(len(in), 200); size++ {
			if got := readChunked(in, size); got != want {
				t.Errorf("input %q, chunks of %d (-whole +chunked):\n%s", in, size, cmp.Diff(want, got))
				break
			}
		}
	}
}

// TestChunkedReadFails checks that a read that fails is reported as
// reading the whole input reports it, after the objects before it.
func TestChunkedReadFails(t *testing.T) {
	in := strings.Repeat("{\"id\": \"a\"}\n", 50)
	boom := errors.New("boom")
	for _, size := range []int{1, 7, 12, 13, 100, 1000} {
		var want, got strings.Builder
		consume(&want, NewReader(io.MultiReader(strings.NewReader(in), errReader{boom}), Options{}))
		c, r := Chunked(io.MultiReader(strings.NewReader(in), errReader{boom}), Options{}, size)
		if c == nil {
			consume(&got, r)
		} else {
			cr := c.NewChunkReader()
			n := 0
			for {
				ch, err := c.Next()
				if err == io.EOF {
					t.Fatalf("chunks of %d: the failed read was not reported", size)
				}
				st, ok := cr.Read(ch, nil, func(o *Object) error { writeObject(&got, o, n+o.N); return nil })
				if !ok {
					r, err := c.Resume([]*Chunk{ch}, n, n)
					if err != nil {
						t.Fatal(err)
					}
					consume(&got, r)
					break
				}
				n += st.Objects
			}
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("chunks of %d (-whole +chunked):\n%s", size, diff)
		}
	}
}

// FuzzChunkedMatchesWhole checks reading in chunks against reading the
// whole input, on any input and chunk size.
func FuzzChunkedMatchesWhole(f *testing.F) {
	for _, c := range append(append([]string{}, fastCases...), chunkCases...) {
		if len(c) < 1000 {
			f.Add([]byte(c), uint8(5))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		want := readWhole(string(data))
		if got := readChunked(string(data), int(size%64)+1); got != want {
			t.Fatalf("input %q, chunks of %d (-whole +chunked):\n%s", data, int(size%64)+1, cmp.Diff(want, got))
		}
	})
}
