package objfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/internal/golden"
)

// dump reads every object and renders it one member per line.
func dump(r *Reader) string {
	var b strings.Builder
	for {
		o, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			var e *Error
			if errors.As(err, &e) && e.Recoverable {
				continue
			}
			break
		}
		paged := ""
		if o.Paged {
			paged = ", paged"
		}
		fmt.Fprintf(&b, "object %d (%s%s) key %s\n", o.N, o.Shape, paged, Key(o))
		for _, m := range o.Members {
			if m.IsCell {
				fmt.Fprintf(&b, "  %s = cell %q\n", m.Name, m.Cell)
			} else {
				fmt.Fprintf(&b, "  %s = %s\n", m.Name, m.Raw)
			}
		}
	}
	fmt.Fprintf(&b, "format: %s\n", r.Format())
	if why := r.Incomplete(); why != "" {
		fmt.Fprintf(&b, "incomplete: %s\n", why)
	}
	return b.String()
}

// TestReadFixtures reads the realistic exports of testdata/objfile (Graph
// pages and users, SCIM ListResponses, PowerShell CSV) and compares what
// they flatten to with read.golden.
func TestReadFixtures(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "objfile")
	g := golden.Open(t, filepath.Join(dir, "read.golden"))
	for _, name := range []string{
		"graph-pages", "graph-pages/page-1.json", "graph-user.json",
		"scim-users.json", "scim-groups.json",
		"powershell-utf16.csv", "powershell-utf16be.csv", "semicolon.csv",
	} {
		t.Run(name, func(t *testing.T) {
			r, err := Open(filepath.Join(dir, name), nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			g.Check(t, name, dump(r))
		})
	}
}

// TestGraphSourceAttributes checks that the schema's source directory
// decides the names of flattened Graph properties when it lists them.
func TestGraphSourceAttributes(t *testing.T) {
	in := `{"@odata.context": "x#users/$entity", "id": "1", "mobilePhone": "m", "employeeOrgData": {"costCenter": "C"}, "onPremisesExtensionAttributes": {"extensionAttribute1": "e"}}`
	tests := []struct {
		name    string
		sources []string
		want    []string
	}{
		{name: "built-in table", want: []string{"objectId", "mobile", "employeeOrgData.costCenter", "extensionAttribute1", "objectType"}},
		{name: "directory lists Graph names", sources: []string{"id", "mobilePhone", "costCenter", "onPremisesExtensionAttributes.extensionAttribute1"},
			want: []string{"id", "mobilePhone", "costCenter", "onPremisesExtensionAttributes.extensionAttribute1", "objectType"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(in), Options{SourceAttributes: tc.sources})
			o, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range o.Members {
				got = append(got, string(m.Name))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadErrors checks that what cannot be read is an error naming the
// file, the position and what was expected.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // one per error, in order
	}{
		{name: "syntax in an array", in: "[\n  {\"id\": \"a\"},\n  {\"id\": x}\n]", want: []string{"f.json: line 3, column 10: object 2: invalid JSON: invalid character 'x' looking for beginning of value"}},
		{name: "json lines go on after a bad line", in: "{\"id\": \"a\"}\n{\"id\": }\n{\"id\": \"c\"}\n", want: []string{"f.json: line 2, column 8: object 2: invalid JSON: invalid character '}' looking for beginning of value"}},
		{name: "not an object", in: `[{"id": "a"}, 3]`, want: []string{"f.json: line 1, column 15: object 2: a number (expected a JSON object)"}},
		{name: "text after the array", in: `[{"id": "a"}] x`, want: []string{"f.json: line 1, column 15: text after the JSON array (expected the end of the file)"}},
		{name: "truncated", in: "[{\"id\": \"a\"", want: []string{"f.json: line 1, column 12: object 1: invalid JSON: the file ends inside a value (expected the rest of it)"}},
		{name: "ragged csv rows", in: "id,mail\na,b,c\nd\ne,f\n", want: []string{
			"f.json: line 2: object 1: the row has 3 cells (expected 2, as the header has)",
			"f.json: line 3: object 2: the row has 1 cells (expected 2, as the header has)",
		}},
		{name: "bad quote", in: "id,mail\n\"a,b\n", want: []string{"f.json: line 2, column 6: extraneous or missing \" in quoted-field (expected a quoted cell to end with a quote, and quotes inside it doubled)"}},
		{name: "repeated header", in: "id,Mail,mail\n", want: []string{`f.json: line 1: the header names "mail" twice (expected each attribute once)`}},
		{name: "type line only", in: "#TYPE System.Object\n", want: []string{"f.json: line 2: no header row (expected the attribute names)"}},
		{name: "utf-16 without bom", in: "[\x00{\x00}\x00]\x00", want: []string{"f.json: line 1, column 1: the file looks like UTF-16 without a byte order mark (expected UTF-8, or UTF-16 with a byte order mark)"}},
		{name: "powershell type name", in: "id,proxyAddresses\na,System.Object[]\n", want: []string{`f.json: line 2, column 3: object 1: column "proxyAddresses" holds the .NET type name "System.Object[]", not a value (expected text: in PowerShell, turn the property into text with a calculated property, such as @{n='proxyAddresses[]';e={$_.proxyAddresses -join "` + "`" + `n"}})`}},
		{name: "graph array of objects without ids", in: `{"@odata.context": "x", "value": [{"id": "1", "identities": [{"signInType": "userName"}]}]}`, want: []string{`f.json: line 1, column 35: object 1: member "identities" is an array of objects without an id (expected strings, numbers or booleans, or directory objects with an id)`}},
		{name: "scim nested sub-attribute", in: `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "emails": [{"type": "work", "value": ["a"]}]}`, want: []string{`f.json: line 1, column 1: object 1: member "emails": sub-attribute "value" is an array (expected a string, number or boolean)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tc.in), Options{Name: "f.json"})
			var got []string
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					got = append(got, err.Error())
					var e *Error
					if !errors.As(err, &e) {
						t.Errorf("%v is a %T, not an *Error", err, err)
					}
					if e == nil || !e.Recoverable {
						break
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzRead checks that no input makes the reader panic, that every error
// is an *Error, and that reading stops.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`[{"id": "a", "x": {"y": [1, {"id": "z"}]}}]`,
		`{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "@odata.nextLink": "n", "value": [{"id": "1", "manager": {"id": "2"}, "onPremisesExtensionAttributes": {"extensionAttribute1": "a"}}]}`,
		`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 3, "Resources": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "emails": [{"type": "work", "value": "a", "primary": true}], "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "2"}}}]}`,
		"#TYPE x\r\na;b\r\n\"1\n2\";3\r\n",
		"\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00",
		"{\"id\": 1}\n{\"id\": }\n{\"id\": 3}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(strings.NewReader(string(data)), Options{Name: "f", Keep: "attributes"})
		for i := 0; i < len(data)+2; i++ {
			o, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%v is a %T, not an *Error", err, err)
				}
				if !e.Recoverable {
					return
				}
				continue
			}
			Key(o)
			if _, _, err := r.Values(o); err != nil && !errors.As(err, new(*Error)) {
				t.Fatalf("Values: %v is a %T, not an *Error", err, err)
			}
		}
		t.Fatalf("reading did not end after %d objects", len(data)+2)
	})
}

// TestDirectoryNumbering: in a directory of pages, object numbers count on
// across the files (in name order), so that "object N" and the "#N" key
// of an object without an id name one object of the whole export, while
// errors name the file and the line and column within it.
func TestDirectoryNumbering(t *testing.T) {
	pages := func(t *testing.T, page2 string) string {
		dir := t.TempDir()
		for name, data := range map[string]string{
			"page-1.json": `{"@odata.context": "x#users", "@odata.nextLink": "n", "value": [{"displayName": ""}, {"id": "a"}]}`,
			"page-2.json": page2,
			"page-3.csv":  "displayName,mail\n,c@x\n",
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	read := func(t *testing.T, dir string) (got []string) {
		r, err := Open(dir, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for {
			o, err := r.Next()
			if err == io.EOF {
				return got
			}
			if err != nil {
				got = append(got, "error: "+strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
				var e *Error
				if errors.As(err, &e) && e.Recoverable {
					continue
				}
				return got
			}
			file := filepath.Base(r.Errorf(o, "x").(*Error).File)
			got = append(got, fmt.Sprintf("%d %s %s", o.N, Key(o), file))
		}
	}
	t.Run("numbers and keys", func(t *testing.T) {
		got := read(t, pages(t, `{"@odata.context": "x#users", "value": [{"displayName": ""}, {"id": "b"}]}`))
		want := []string{"1 #1 page-1.json", "2 a page-1.json", "3 #3 page-2.json", "4 b page-2.json", "5 c@x page-3.csv"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("objects (-want +got):\n%s", diff)
		}
	})
	t.Run("an error names the file and the object of the whole input", func(t *testing.T) {
		got := read(t, pages(t, "{\"@odata.context\": \"x#users\", \"value\": [\n  {\"displayName\": \"\"},\n  \"oops\"]}"))
		want := []string{"1 #1 page-1.json", "2 a page-1.json", "3 #3 page-2.json",
			"error: page-2.json: line 3, column 3: object 4: a string (expected a JSON object in the page)"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("objects (-want +got):\n%s", diff)
		}
	})
}
