package objfile

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// readBoth reads in with encoding/json's Decoder alone and with the fast
// reader whose first buffer holds size bytes (0: the default), and
// returns both dumps.
func readBoth(in string, size int) (slow, fast string) {
	opts := Options{Name: "f.json", Keep: "attributes"}
	rs := NewReader(strings.NewReader(in), opts)
	rs.slow = true
	rf := NewReader(strings.NewReader(in), opts)
	rf.fastSize = size
	return dump(rs), dump(rf)
}

// fastCases are inputs whose every object, error message and position the
// fast reader must give as the Decoder does.
var fastCases = []string{
	`{"a": 1}`,
	"{\"a\": 1}\n{\"b\": [1, 2, {\"c\": null}], \"d\": {\"e\": true, \"f\": false}}\n",
	"{\"id\": \"a\"}\r\n{\"id\": \"b\"}\r\n\r\n",
	`[{"a": 1}, {"b": 2}]`,
	"[\n  {\"id\": \"a\"},\n  {\"id\": \"b\"}\n]\n",
	`[]`, `[ ]`, `[`, `[{"a": 1},]`, `[{"a": 1} {"b": 2}]`, `[{"a": 1}]x`, "[{\"a\": 1}] \f", "[{\"a\": 1}]\u00a0",
	`[1]`, `[{"a": 1}, 2]`, `[null]`, `[{"a": 1}, null, {"b": 2}]`, `[{"a": 1}`, `[{"a": 1},`, `[{"a": 1}]]`, `[,{"a": 1}]`,
	`{"a": 1}{"b": 2}`, `{"a": 1} x`, "null\n{\"a\": 1}", "{\"a\": 1}\nnull\n{\"b\": 2}", `"x"`, `{"a": 1},{"b": 2}`,
	`{"a": -0.5e+10, "b": 0, "c": -0, "d": 1E5, "e": 12.25e-3}`, `{"a": 01}`, `{"a": 1.}`, `{"a": -}`, `{"a": 1e}`, `{"a": 1e+}`, `{"a": .5}`, `{"a": +1}`,
	`{"a": tru}`, `{"a": nul}`, `{"a": falsy}`, `{"a": true`, `{"a": fals`,
	`{"a": "\u00e9\ud83d\ude00", "b": "\"\\\/\b\f\n\r\t"}`, `{"\u0061": 1, "\"q\"": 2}`, `{"a": "\u00g0"}`, `{"a": "\x"}`,
	"{\"a\n\": 1}", "{\"a\": \"\t\"}", "{\"a\": \"\xff\xfe\"}", "{\"\xff\": 1, \"\xc3\xa9\": 2}", "{\"a\": \"\xc3\"}",
	`{"a": 1,}`, `{,}`, `{"a" 1}`, `{"a": 1 "b": 2}`, `{"a": [1,]}`, `{"a": [1 2]}`, `{"a": {"b"}}`, `{"a": {"b": 1,}}`, `{"a": {,}}`, `{1: 2}`, `{"a": }`,
	`{"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
	`{"a": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
	"{\"id\": \"a\"}\n{\"id\": }\n{\"id\": \"c\"}\n",
	"{\"id\": \"a\"}\n{\"id\": \"b\"\n{\"id\": \"c\"}\n",
	"{\"id\": \"a\",\n \"x\": 1}\n{\"id\": }\n{\"id\": \"c\"}\n",
	`{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "@odata.nextLink": "n", "value": [{"id": "1", "manager": {"id": "2"}, "onPremisesExtensionAttributes": {"extensionAttribute1": "a"}}, {"id": "3"}]}`,
	`{"value": [{"id": "1"}, 2]}` + "\n" + `{"value": []}`,
	`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 3, "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "emails": [{"type": "work", "value": "a", "primary": true}]}]}`,
	`[{"id": "a", "x": {"y": [1, {"id": "z"}]}}]`,
	`{"id": "a", "attributes": {"mail": "m", "n": {"o": 1}}}`,
	"\xef\xbb\xbf[{\"id\": \"a\"}]",
	"   \n\t{\"id\": \"a\"}   ",
	"{\"id\": \"a\"}\n\n\n",
	"{\"id\": \"a\"}\x00",
	"{\"id\": \"a\"}\n\u2028",
}

// TestFastMatchesDecoder checks that the one-pass reader reads every case
// as encoding/json's Decoder does, also when its buffer ends inside a
// value at every possible place.
func TestFastMatchesDecoder(t *testing.T) {
	cases := append([]string{}, fastCases...)
	// The same in UTF-16, as PowerShell writes.
	for _, c := range fastCases[:8] {
		u := []byte{0xff, 0xfe}
		for _, r := range utf16.Encode([]rune(c)) {
			u = append(u, byte(r), byte(r>>8))
		}
		cases = append(cases, string(u))
	}
	for _, in := range cases {
		for _, size := range []int{0, 1, 2, 3, 5, 8, 13, 32} {
			slow, fast := readBoth(in, size)
			if diff := cmp.Diff(slow, fast); diff != "" {
				t.Errorf("input %q, buffer %d (-decoder +fast):\n%s", in, size, diff)
			}
		}
	}
}

// FuzzFastMatchesDecoder checks the one-pass reader against the Decoder
// on any input.
func FuzzFastMatchesDecoder(f *testing.F) {
	for _, c := range fastCases {
		if len(c) < 1000 { // the 10001 levels slow fuzzing down
			f.Add([]byte(c), uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		slow, fast := readBoth(string(data), int(size))
		if slow != fast {
			t.Fatalf("input %q, buffer %d:\n%s", data, size, cmp.Diff(slow, fast))
		}
	})
}

// BenchmarkReadJSONLines reads 20000 users as JSON lines, members only.
func BenchmarkReadJSONLines(b *testing.B) {
	var buf strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&buf, `{"objectId": "9e3779b1-%04d-4001-8000-%012d", "userPrincipalName": "user%07d@contoso.com", "displayName": "Carol Novak", "givenName": "Carol", "surname": "Novak", "mail": "user%07d@contoso.com", "jobTitle": "Director", "city": "Seattle", "country": "Ireland", "accountEnabled": true, "manager": "00000000-0000-4000-8000-000000000000"}`+"\n", i%10000, i, i, i)
	}
	data := buf.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(strings.NewReader(data), Options{})
		for {
			if _, err := r.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}

// TestSpecial8 checks the eight-byte test against strPlain for every byte
// value at every place, among plain and special neighbours.
func TestSpecial8(t *testing.T) {
	for _, fill := range []byte{'a', ' ', 0x7f, '"', 0x80, 0x00, 0xff, 0x1f, 0x21, '\\' + 1, '\\' - 1} {
		for c := range 256 {
			for at := range 8 {
				var w [8]byte
				for i := range w {
					w[i] = fill
				}
				w[at] = byte(c)
				want := false
				for _, x := range w {
					want = want || !strPlain[x]
				}
				if got := special8(binary.LittleEndian.Uint64(w[:])) != 0; got != want {
					t.Fatalf("%q: special8 says %v", w, got)
				}
			}
		}
	}
}

// TestScalarValue checks the Decoder-free decoding of common values
// against a Decoder with UseNumber.
func TestScalarValue(t *testing.T) {
	for _, raw := range []string{
		`"a"`, `""`, `"é"`, `"\u00e9"`, `"a\"b"`, "\"\xff\"", `"a`, `"`, "\"\t\"",
		`true`, `false`, `null`, `tru`, `0`, `-0`, `12`, `-12`, `012`, `-`, `1.5`, `1e3`, `123456789012345678901234567890`, `[1]`,
	} {
		var want any
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		wantErr := dec.Decode(&want)
		if _, err := dec.Token(); err != io.EOF {
			wantErr = errors.New("more")
		}
		got, ok := scalarValue([]byte(raw))
		if !ok {
			continue // left to the Decoder
		}
		if wantErr != nil {
			t.Errorf("%s: decoded as %#v, but the Decoder fails: %v", raw, got, wantErr)
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, the Decoder gives %#v", raw, got, want)
		}
	}
}
