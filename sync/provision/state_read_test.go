package provision

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readStateBoth reads a state with encoding/json alone and with the
// one-pass reader whose first buffer holds size bytes, and renders both
// results.
func readStateBoth(in string, size int) (slow, fast string) {
	render := func(st *State, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprintf("%q %#v", st.Rule, st.Links)
	}
	slow = render(finishState(decodeState(json.NewDecoder(bufio.NewReaderSize(strings.NewReader(in), 64<<10)), &State{}, 0, resumeStart)))
	fast = render(finishState(readStateFast(strings.NewReader(in), size)))
	return slow, fast
}

var stateCases = []string{
	"{\n  \"version\": 1,\n  \"rule\": \"Users\",\n  \"links\": [\n    {\"source\": \"a\", \"target\": \"t1\", \"provisioned\": true},\n    {\"type\": \"Group\", \"source\": \"g\", \"target\": \"t2\", \"provisioned\": false}\n  ]\n}\n",
	`{"version": 1, "rule": "R", "links": []}`,
	`{"version": 1, "rule": "R", "links": null}`,
	`{"links": [{"source": "b", "target": "x", "provisioned": true}, {"source": "a", "target": "y"}], "rule": "R", "version": 1}`,
	`{"version": 1, "links": [{"source": "a", "target": "x"}, {"source": "a", "target": "y"}]}`,
	`{"version": 2, "links": []}`, `{"version": 1.0}`, `{"version": -1}`, `{"version": "1"}`, `{"version": 01}`, `{"version": 1e0}`,
	`{"version": 1, "rule": null}`, `{"version": 1, "rule": 3}`, `{"version": 1, "extra": 3}`, `{"version": 1, "links": {}}`, `{"version": 1, "links": 3}`,
	`{"version": 1, "links": [{"source": "a", "target": "x", "extra": 1}]}`,
	`{"version": 1, "links": [{"Source": "a", "Target": "x"}]}`,
	`{"version": 1, "links": [{"source": 1}]}`, `{"version": 1, "links": [{"source": null, "target": "x"}]}`,
	`{"version": 1, "links": [{"source": "a", "provisioned": "true"}]}`, `{"version": 1, "links": [{"source": "a", "provisioned": null}]}`,
	`{"version": 1, "links": [{"source": "a\u00e9\"", "target": "\ud83d\ude00", "type": "\u0047roup"}]}`,
	"{\"version\": 1, \"links\": [{\"source\": \"\xff\", \"target\": \"x\"}]}",
	`{"version": 1, "links": [{"source": "a"},]}`, `{"version": 1, "links": [{"source": "a"} {"source": "b"}]}`, `{"version": 1, "links": [3]}`,
	`{"version": 1, "links": [{"source": "a"}`, `{"version": 1, "links": [`, `{"version": 1,`, `{"version": 1`, `{`, ``, `   `, `[]`, `null`,
	`{"version": 1}x`, "{\"version\": 1}\f", `{"version": 1}{}`, `{"version": 1,}`, `{,"version": 1}`, `{"version" 1}`, `{"\u0076ersion": 1}`,
	`{"version": 1, "links": [{"source": "a", "target": "x", "source": "b"}]}`,
	`{"version": 1, "rule": "a", "rule": "b", "version": 1}`,
	`{"version": 1, "links": [{"source": "a", "x": [1, {"y": 2}]}]}`,
	`{"version": 1, "links": [{"source": "a", "target": "x", "provisioned": true}], "links": [{"source": "b"}]}`,
}

// TestReadStateFastMatchesDecoder checks that the one-pass state reader
// reads every case as encoding/json does, also when its buffer ends at any
// place.
func TestReadStateFastMatchesDecoder(t *testing.T) {
	for _, in := range stateCases {
		for _, size := range []int{256 << 10, 1, 2, 3, 5, 8, 13, 32} {
			slow, fast := readStateBoth(in, size)
			if diff := cmp.Diff(slow, fast); diff != "" {
				t.Errorf("input %q, buffer %d (-decoder +fast):\n%s", in, size, diff)
			}
		}
	}
}

// FuzzReadStateFastMatchesDecoder checks the one-pass state reader against
// encoding/json on any input.
func FuzzReadStateFastMatchesDecoder(f *testing.F) {
	for _, c := range stateCases {
		f.Add([]byte(c), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		n := int(size)
		if n == 0 {
			n = 256 << 10
		}
		slow, fast := readStateBoth(string(data), n)
		if slow != fast {
			t.Fatalf("input %q, buffer %d:\n%s", data, n, cmp.Diff(slow, fast))
		}
	})
}
