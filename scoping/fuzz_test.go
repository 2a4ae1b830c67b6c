package scoping

import (
	"bytes"
	"testing"
)

// FuzzFilterJSON feeds arbitrary bytes to Decode. Invariants: no panic;
// every error message is non-empty; a decoded filter encodes, re-decodes and
// re-encodes to the same bytes; Compile and evaluation never panic.
// Seeds: testdata/fuzz/FuzzFilterJSON plus every filter of the conformance files.
func FuzzFilterJSON(f *testing.F) {
	for _, cases := range loadConformance(f) {
		for _, c := range cases {
			f.Add(c.filterInput())
		}
	}
	objects := []Object{
		MapObject{},
		MapObject{"department": "Sales", "accountEnabled": true, "employeeId": 1500000, "mail": "a@contoso.com"},
		MapObject{"department": []any{"Sales", ""}, "x": nil},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		flt, err := Decode(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		var b1 bytes.Buffer
		if err := flt.Save(&b1); err != nil {
			t.Fatalf("Save: %v", err)
		}
		flt2, err := Decode(b1.Bytes())
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b1.Bytes(), err)
		}
		var b2 bytes.Buffer
		if err := flt2.Save(&b2); err != nil {
			t.Fatalf("Save: %v", err)
		}
		if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Fatalf("encoding not stable:\n%s\n---\n%s", b1.Bytes(), b2.Bytes())
		}
		m, err := flt.Compile()
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty compile error")
			}
			return
		}
		for _, obj := range objects {
			if d := m.Explain(obj); d.InScope != m.InScope(obj) || d.String() == "" {
				t.Fatalf("Explain and InScope disagree: %s", d)
			}
		}
	})
}
