package mapping

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// schemaFiles returns the realistic schemas under testdata/schemas.
func schemaFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/schemas/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in ../testdata/schemas (%v)", err)
	}
	return files
}

// TestRoundTrip checks, for every schema: the file is in canonical form
// (load → save gives it back byte for byte, unmodelled members included),
// saving is stable, and exporting the mappings as a listing and importing
// the listing back into the schema changes nothing.
func TestRoundTrip(t *testing.T) {
	for _, file := range schemaFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			out, err := s.canonical()
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if diff := cmp.Diff(string(data), string(out)); diff != "" {
				t.Errorf("load → save changed the document (-file +saved):\n%s", diff)
			}
			s2, err := Decode(out)
			if err != nil {
				t.Fatalf("Decode(saved): %v", err)
			}
			out2, _ := s2.canonical()
			if !bytes.Equal(out, out2) {
				t.Errorf("save → load → save is not stable")
			}

			var listing bytes.Buffer
			if err := s2.WriteListing(&listing); err != nil {
				t.Fatalf("WriteListing: %v", err)
			}
			s3, err := ImportListing(strings.NewReader(listing.String()), s2)
			if err != nil {
				t.Fatalf("ImportListing: %v", err)
			}
			out3, _ := s3.canonical()
			if diff := cmp.Diff(string(data), string(out3)); diff != "" {
				t.Errorf("listing → import changed the document (-file +imported):\n%s", diff)
			}

			// A listing imported on its own gives a schema whose listing is
			// the same text.
			fresh, err := ImportListing(strings.NewReader(listing.String()), nil)
			if err != nil {
				t.Fatalf("ImportListing(nil): %v", err)
			}
			var again bytes.Buffer
			if err := fresh.WriteListing(&again); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(listing.String(), again.String()); diff != "" {
				t.Errorf("listing → JSON → listing differs (-first +second):\n%s", diff)
			}
		})
	}
}

// TestSchemasValidate pins what Validate says about the shipped schemas.
func TestSchemasValidate(t *testing.T) {
	want := map[string][]string{
		"graph-custom-target-attribute.json": {
			`synchronizationRules[0].sourceDirectoryName: directory "Azure Active Directory" is not defined in directories`,
		},
	}
	for _, file := range schemaFiles(t) {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(file)
			s, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want[name], errorStrings(s.Validate())); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
			for _, r := range s.SynchronizationRules {
				for _, m := range r.ObjectMappings {
					if _, err := s.Compile(r.Name, m.Name); err != nil {
						t.Errorf("Compile(%q, %q): %v", r.Name, m.Name, err)
					}
				}
			}
		})
	}
}

func errorStrings(l ErrorList) []string {
	var out []string
	for _, e := range l {
		out = append(out, e.Error())
	}
	return out
}

// TestImportListingErrors checks that a line of a listing that cannot be
// read is a *LoadError naming the line, like every other load error.
func TestImportListingErrors(t *testing.T) {
	for _, tc := range []struct{ listing, want string }{
		{"object User -> User\n", "line 1: object before any rule line"},
		{"# comment\n\n  mail <- [mail]\n", "line 3: mapping before any object line"},
		{"rule r\nbogus\n", "line 2: unexpected line (expected rule, object, scope or an indented mapping)"},
	} {
		_, err := ImportListing(strings.NewReader(tc.listing), nil)
		var le *LoadError
		if !errors.As(err, &le) {
			t.Errorf("ImportListing(%q) error = %v (%T), want a *LoadError", tc.listing, err, err)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("ImportListing(%q) error = %q, want %q", tc.listing, got, tc.want)
		}
	}
}
