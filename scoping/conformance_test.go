package scoping

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// conformanceCase is one line of testdata/scoping/*.jsonl.
type conformanceCase struct {
	ID string `json:"id"`
	// Filter is decoded with Decode, so every accepted shape can be tested.
	Filter json.RawMessage `json:"filter"`
	// FilterText, when set, is decoded instead of Filter; it carries inputs
	// that are not valid JSON (syntax-error cases).
	FilterText  *string         `json:"filter_text"`
	Object      json.RawMessage `json:"object"`
	WantInScope *bool           `json:"want_in_scope"`
	WantError   string          `json:"want_error"`
	// WantReason, when set, must occur in Explain(obj).String().
	WantReason string `json:"want_reason"`
	Notes      string `json:"notes"`
}

const conformanceDir = "../testdata/scoping"

// loadConformance reads every case file, failing on malformed lines and
// duplicate ids so a typo cannot silently drop a case.
func loadConformance(t testing.TB) map[string][]conformanceCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(conformanceDir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files in %s (err %v)", conformanceDir, err)
	}
	out := map[string][]conformanceCase{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 {
				continue
			}
			var c conformanceCase
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			switch {
			case c.ID == "":
				t.Fatalf("%s:%d: case without id", file, n)
			case seen[c.ID]:
				t.Fatalf("%s:%d: duplicate id %q", file, n, c.ID)
			case (c.WantInScope == nil) == (c.WantError == ""):
				t.Fatalf("%s:%d: %s: need exactly one of want_in_scope and want_error", file, n, c.ID)
			}
			seen[c.ID] = true
			name := strings.TrimSuffix(filepath.Base(file), ".jsonl")
			out[name] = append(out[name], c)
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// filterInput returns the bytes a case feeds to Decode.
func (c conformanceCase) filterInput() []byte {
	if c.FilterText != nil {
		return []byte(*c.FilterText)
	}
	if c.Filter == nil {
		return []byte("null")
	}
	return c.Filter
}

// TestConformance runs every case in testdata/scoping, one subtest per id.
func TestConformance(t *testing.T) {
	for file, cases := range loadConformance(t) {
		for _, c := range cases {
			t.Run(file+"/"+c.ID, func(t *testing.T) {
				f, err := Decode(c.filterInput())
				var m *Matcher
				if err == nil {
					m, err = f.Compile()
				}
				if c.WantError != "" {
					if err == nil {
						t.Fatalf("want error containing %q, got none", c.WantError)
					}
					if !strings.Contains(err.Error(), c.WantError) {
						t.Fatalf("error mismatch\nwant substring: %s\ngot:            %s", c.WantError, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				obj := decodeObject(t, c.Object)
				got := m.InScope(obj)
				d := m.Explain(obj)
				if got != *c.WantInScope {
					t.Errorf("InScope = %v, want %v (%s)\nexplain: %s", got, *c.WantInScope, c.Notes, d)
				}
				if d.InScope != got {
					t.Errorf("Explain().InScope = %v, InScope = %v", d.InScope, got)
				}
				if c.WantReason != "" && !strings.Contains(d.String(), c.WantReason) {
					t.Errorf("reason mismatch\nwant substring: %s\ngot:            %s", c.WantReason, d)
				}
			})
		}
	}
}

// decodeObject turns a case's object into a MapObject the way the CLI does
// (json.Number, so large integers survive).
func decodeObject(t testing.TB, raw json.RawMessage) MapObject {
	t.Helper()
	obj := MapObject{}
	if len(raw) == 0 {
		return obj
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("object: %v", err)
	}
	return obj
}
