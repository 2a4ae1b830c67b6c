package expr

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated and golden files")

// TestReferenceUpToDate fails when FUNCTIONS.md differs from what the
// registry generates; `go test ./expr -update` (or go generate) rewrites it.
func TestReferenceUpToDate(t *testing.T) {
	var b bytes.Buffer
	if err := WriteReference(&b, Default()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("FUNCTIONS.md", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("FUNCTIONS.md")
	if err != nil {
		t.Fatalf("%v: run go generate ./expr", err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("FUNCTIONS.md is out of date: run `go generate ./expr` or `go test ./expr -update`")
	}
}
