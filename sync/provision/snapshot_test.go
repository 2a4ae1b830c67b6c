package provision

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/objfile"
)

// snapshotView is a snapshot in a form go-cmp can compare and print: each
// object's values by attribute name, with their dynamic types.
type snapshotView struct {
	Attributes []string
	Objects    []objectView
}

type objectView struct {
	ID, Type                          string
	Unassigned, Disabled, SoftDeleted bool
	Values                            []string
}

func view(s *Snapshot) snapshotView {
	v := snapshotView{Attributes: s.Attributes}
	for _, o := range s.Objects {
		ov := objectView{ID: o.ID, Type: o.Type, Unassigned: o.Unassigned, Disabled: o.Disabled, SoftDeleted: o.SoftDeleted}
		for i, x := range o.Values {
			if x != nil {
				ov.Values = append(ov.Values, fmt.Sprintf("%s=%T:%#v", s.Attributes[i], x, x))
			}
		}
		v.Objects = append(v.Objects, ov)
	}
	return v
}

func TestReadSnapshot(t *testing.T) {
	tests := []struct {
		name, in string
		opts     SnapshotOptions
		want     snapshotView
		wantErr  string
	}{
		{name: "empty", in: " \n\t"},
		{
			name: "array",
			in:   `[{"id": "u1", "mail": "a@x", "n": 3, "ok": true, "tags": ["a", 1, null, false]}, {"id": "u2", "assigned": "FALSE", "isSoftDeleted": true}]`,
			want: snapshotView{Attributes: []string{"id", "mail", "n", "ok", "tags"}, Objects: []objectView{
				{ID: "u1", Values: []string{`id=expr.String:"u1"`, `mail=expr.String:"a@x"`, `n=expr.Number:expr.Number{i:3, f:0, float:false}`, `ok=expr.Bool:true`, `tags=expr.Multi:expr.Multi{"a", "1", "False"}`}},
				{ID: "u2", Unassigned: true, SoftDeleted: true, Values: []string{`id=expr.String:"u2"`}},
			}},
		},
		{
			name: "json lines, BOM, objectType, nested",
			in:   "\xef\xbb\xbf\n{\"objectId\": \"g1\", \"objectType\": \"Group\", \"displayName\": \"G\"}\n{\"id\": \"u1\", \"accountEnabled\": false, \"attributes\": {\"mail\": \"m\", \"accountEnabled\": \"true\"}}\n",
			want: snapshotView{Attributes: []string{"displayName", "objectId", "accountEnabled", "mail"}, Objects: []objectView{
				{ID: "g1", Type: "Group", Values: []string{`displayName=expr.String:"G"`, `objectId=expr.String:"g1"`}},
				{ID: "u1", Disabled: true, Values: []string{`accountEnabled=expr.String:"true"`, `mail=expr.String:"m"`}},
			}},
		},
		{
			name: "escapes, duplicates, case, null",
			in:   `{"id": "u\u0031", "a": "x", "a": null, "B": "1", "b": "2", "c": "caf\u00e9", "d": {"x": 1}}`,
			want: snapshotView{Attributes: []string{"B", "c", "d.x", "id"}, Objects: []objectView{
				{ID: "u1", Values: []string{`B=expr.String:"2"`, `c=expr.String:"café"`, `d.x=expr.Number:expr.Number{i:1, f:0, float:false}`, `id=expr.String:"u1"`}},
			}},
		},
		{
			name: "csv",
			in:   "id,mail,assigned,objectType\nu1,a@x,,User\nu2,,false,\n",
			want: snapshotView{Attributes: []string{"id", "mail"}, Objects: []objectView{
				{ID: "u1", Type: "User", Values: []string{`id=expr.String:"u1"`, `mail=expr.String:"a@x"`}},
				{ID: "u2", Unassigned: true, Values: []string{`id=expr.String:"u2"`}},
			}},
		},
		{
			name: "id attribute",
			in:   `{"id": "x", "upn": "a@x"}`,
			opts: SnapshotOptions{IDAttribute: "upn"},
			want: snapshotView{Attributes: []string{"id", "upn"}, Objects: []objectView{
				{ID: "a@x", Values: []string{`id=expr.String:"x"`, `upn=expr.String:"a@x"`}},
			}},
		},
		{
			// Windows PowerShell's Export-Csv writes Graph's id as "Id".
			name: "csv Id column",
			in:   "Id,UserPrincipalName\n6e762c91,a@x\n",
			want: snapshotView{Attributes: []string{"Id", "UserPrincipalName"}, Objects: []objectView{
				{ID: "6e762c91", Values: []string{`Id=expr.String:"6e762c91"`, `UserPrincipalName=expr.String:"a@x"`}},
			}},
		},
		{
			name: "exact id name first, then id before objectId ignoring case",
			in:   `{"Id": "a", "id": "b"}` + "\n" + `{"OBJECTID": "o", "ID": "i"}`,
			// Names differing in case share one attribute, the one sorting
			// last giving its value, as before.
			want: snapshotView{Attributes: []string{"Id", "OBJECTID"}, Objects: []objectView{
				{ID: "b", Values: []string{`Id=expr.String:"b"`}},
				{ID: "i", Values: []string{`Id=expr.String:"i"`, `OBJECTID=expr.String:"o"`}},
			}},
		},
		{
			name: "id attribute ignoring case",
			in:   "UserPrincipalName,Id\na@x,1\n",
			opts: SnapshotOptions{IDAttribute: "userPrincipalName"},
			want: snapshotView{Attributes: []string{"Id", "UserPrincipalName"}, Objects: []objectView{
				{ID: "a@x", Values: []string{`Id=expr.String:"1"`, `UserPrincipalName=expr.String:"a@x"`}},
			}},
		},
		{name: "no id", in: `[{"id": "u1"}, {"mail": "m"}]`, wantErr: `line 1, column 16: object 2: no id (want a string member "id")`},
		{name: "bad flag", in: "{\"id\": \"u1\"}\n{\"id\": \"u2\", \"assigned\": \"maybe\"}", wantErr: "line 2, column 1: object 2: assigned must be true or false (got maybe)"},
		{name: "bad type", in: `{"id": "u1", "objectType": 3}`, wantErr: "line 1, column 1: object 1: objectType must be a string (got 3)"},
		{name: "syntax", in: "{\"id\": \"u1\"}\n{\"id\": x}", wantErr: "line 2, column 8: object 2: invalid JSON: invalid character 'x' looking for beginning of value"},
		{name: "not an object", in: `["u1"]`, wantErr: "line 1, column 2: object 1: a string (expected a JSON object)"},
		{name: "csv line", in: "id,assigned\nu1,yes\n", wantErr: "line 2: object 1: assigned must be true or false (got yes)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ReadSnapshot(strings.NewReader(tc.in), tc.opts)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, view(s)); diff != "" {
				t.Errorf("ReadSnapshot (-want +got):\n%s", diff)
			}
			checkSameAsMaps(t, []byte(tc.in), tc.opts)
		})
	}
}

// TestReadSnapshotGolden reads every snapshot of the golden scenarios as
// decoding into maps did.
func TestReadSnapshotGolden(t *testing.T) {
	files, err := filepath.Glob("../../testdata/sync/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if b := filepath.Base(f); b != "source.json" && b != "target.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(f, func(t *testing.T) { checkSameAsMaps(t, data, SnapshotOptions{}) })
	}
}

// TestReadSnapshotInterns checks that repeated values share memory and
// that an attribute of distinct values stops being interned.
func TestReadSnapshotInterns(t *testing.T) {
	var b strings.Builder
	n := 3 * internSample
	for i := range n {
		fmt.Fprintf(&b, "{\"id\": \"u%d\", \"dept\": \"Sales\", \"mail\": \"u%d@x\"}\n", i, i)
	}
	s, err := ReadSnapshot(strings.NewReader(b.String()), SnapshotOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dept, mail := s.Pos("dept"), s.Pos("mail")
	first := s.Objects[0].Values[dept].(expr.String)
	for _, o := range s.Objects {
		if d := o.Values[dept].(expr.String); unsafe.StringData(string(d)) != unsafe.StringData(string(first)) {
			t.Fatalf("%s: department not shared", o.ID)
		}
	}
	rd := newSnapshotReader(SnapshotOptions{})
	or := objfile.NewReader(strings.NewReader(b.String()), SnapshotOptions{}.fileOptions())
	for {
		o, err := or.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rd.top = o.Members
		if err := rd.addObject(); err != nil {
			t.Fatal(err)
		}
	}
	if st := rd.in.stats[mail]; !st.off || st.seen > internSample {
		t.Errorf("mail: interning should stop after %d values (got %+v)", internSample, st)
	}
	if len(rd.in.strs) > internSample+10 {
		t.Errorf("the intern table holds %d values", len(rd.in.strs))
	}
}

// TestReadSnapshotStreams reads from a reader that fails after 5000
// objects: the error names the object the reader failed in.
func TestReadSnapshotStreams(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "{\"id\": \"u%d\"}\n", i)
	}
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader(b.String()), &failReader{boom})
	_, err := ReadSnapshot(r, SnapshotOptions{})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "object 5001: ") {
		t.Fatalf("error = %v, want object 5001: boom", err)
	}
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

// FuzzReadSnapshot checks that reading never panics and reads what
// decoding each object into a map did (decodeSnapshotMaps).
func FuzzReadSnapshot(f *testing.F) {
	for _, s := range []string{
		`[{"id": "u1", "mail": "a@x", "n": 1.5e3, "tags": ["a", null, 2, true, {"x": 1}]}]`,
		"{\"id\": 7, \"attributes\": {\"Mail\": \"m\", \"mail\": \"n\", \"accountEnabled\": false}, \"accountEnabled\": null}\n{\"objectId\": \"\\u00e9\", \"objectType\": \"Group\"}\n\v",
		"id,assigned,mail,mail\nu1,TRUE,a,b\nu2\n",
		"\xef\xbb\xbf \t[{\"id\": \"x\", \"\": 1, \"id\": \"y\"}",
		"{\"id\": \"a\"} {\"id\": \"b\", \"isSoftDeleted\": \"yes\"}",
		`null`,
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte(`{"upn": "a", "assigned": "x"}`), "upn")
	f.Add([]byte(`{"id": 12, "n": 1}`), "")
	f.Fuzz(func(t *testing.T, data []byte, idAttr string) {
		checkSameAsMaps(t, data, SnapshotOptions{IDAttribute: idAttr})
	})
}

// checkSameAsMaps reads data and checks the result against
// decodeSnapshotMaps: the same snapshot, or an error both times.
func checkSameAsMaps(t *testing.T, data []byte, opts SnapshotOptions) {
	t.Helper()
	got, err := ReadSnapshot(bytes.NewReader(data), opts)
	if !utf8.ValidString(opts.IDAttribute) {
		if err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
			t.Fatalf("id attribute %q: ReadSnapshot error = %v, want not valid UTF-8", opts.IDAttribute, err)
		}
		return
	}
	want, wantErr := decodeSnapshotMaps(data, opts)
	if errors.Is(wantErr, errDeparts) {
		// Input the shared reader reads differently on purpose (Graph and
		// SCIM shapes, nested objects, stricter CSV): it must still fail
		// only with a positioned error.
		var e *objfile.Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("ReadSnapshot error %v (%T) is not an *objfile.Error", err, err)
		}
		return
	}
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("ReadSnapshot error = %v, decoding into maps: %v", err, wantErr)
	}
	if err != nil {
		return
	}
	if diff := cmp.Diff(view(want), view(got)); diff != "" {
		t.Fatalf("ReadSnapshot differs from decoding into maps (-maps +read):\n%s", diff)
	}
}

// decodeSnapshotMaps is DecodeSnapshot as it was before ReadSnapshot: the
// whole input in memory, each object decoded into a map[string]any. It is
// the reference ReadSnapshot must agree with.
func decodeSnapshotMaps(data []byte, opts SnapshotOptions) (*Snapshot, error) {
	if len(data) >= 2 && (data[0] == 0xff || data[0] == 0xfe || (data[0] == 0) != (data[1] == 0)) {
		return nil, errDeparts // UTF-16
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	s := &Snapshot{}
	if len(trimmed) == 0 {
		return s, nil
	}
	if trimmed[0] != '[' && trimmed[0] != '{' {
		return s, decodeCSVMaps(s, data, opts)
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	array := trimmed[0] == '['
	if array {
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
	}
	for n := 1; ; n++ {
		if array && !dec.More() {
			break
		}
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF && !array {
			break
		} else if err != nil {
			return nil, fmt.Errorf("object %d: %w", n, err)
		}
		if departsJSON(m) {
			return nil, errDeparts
		}
		if err := addMap(s, m, opts); err != nil {
			return nil, fmt.Errorf("object %d: %w", n, err)
		}
	}
	if array {
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, errDeparts // text after the array is now an error
		}
	}
	return s, nil
}

// errDeparts marks input the shared reader (internal/objfile) reads
// differently from decoding into maps, on purpose.
var errDeparts = errors.New("read differently on purpose")

// departsJSON reports whether a decoded object is one objfile flattens:
// a Graph object or page, a SCIM resource or ListResponse, or an object
// with nested objects (other than the "attributes" member).
func departsJSON(m map[string]any) bool {
	for k, v := range m {
		if strings.Contains(k, "@odata.") || k == "schemas" || k == "value" || k == "Resources" {
			return true
		}
		switch v := v.(type) {
		case map[string]any:
			if k != keyAttributes {
				return true
			}
			for _, x := range v {
				if departsValue(x) {
					return true
				}
			}
		default:
			if departsValue(v) {
				return true
			}
		}
	}
	return false
}

func departsValue(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return true
	case []any:
		for _, e := range v {
			switch e.(type) {
			case map[string]any, []any:
				return true
			}
		}
	}
	return false
}

// departsCSV reports whether a CSV file is one objfile reads differently:
// a #TYPE line, semicolons, "[]" or blank or repeated headers, ragged
// rows, .NET type names in cells.
func departsCSV(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("#")) || bytes.Count(first, []byte(";")) > 0 || bytes.ContainsAny(data, "\"\r") {
		return true
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return false
	}
	seen := map[string]bool{}
	for _, h := range header {
		if t := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")); t != h || t == "" || strings.HasSuffix(t, "[]") || seen[strings.ToLower(t)] {
			return true
		}
		seen[strings.ToLower(h)] = true
	}
	for {
		rec, err := r.Read()
		if err != nil {
			return false
		}
		if len(rec) != len(header) {
			return true
		}
		for _, c := range rec {
			if strings.HasPrefix(c, "System.") || strings.HasPrefix(c, "Microsoft.Graph.PowerShell.Models.") {
				return true
			}
		}
	}
}

func addMap(s *Snapshot, m map[string]any, opts SnapshotOptions) error {
	id, ok := idOfMap(m, opts)
	if !ok {
		id, ok = idOfMapIgnoringCase(m, opts)
	}
	if id == "" && ok {
		return errDeparts // names of the id differing only in case: a map has no order
	}
	if !ok {
		return fmt.Errorf("no id (want a string member %q)", idName(opts))
	}
	o := Object{ID: id}
	var err error
	if o.Unassigned, err = flagOfMap(m, keyAssigned, true); err != nil {
		return err
	}
	o.Unassigned = !o.Unassigned
	if o.SoftDeleted, err = flagOfMap(m, keySoftDeleted, false); err != nil {
		return err
	}
	switch t := m[keyObjectType].(type) {
	case nil:
	case string:
		o.Type = t
	default:
		return fmt.Errorf("%s must be a string (got %v)", keyObjectType, t)
	}
	attrs, flat := m, true
	if nested, ok := m[keyAttributes].(map[string]any); ok {
		attrs, flat = nested, false
		if _, top := m[keyAccountEnabled]; top {
			enabled, err := flagOfMap(m, keyAccountEnabled, true)
			if err != nil {
				return err
			}
			o.Disabled = !enabled
		}
	}
	if _, ok := attrs[keyAccountEnabled]; ok {
		enabled, err := flagOfMap(attrs, keyAccountEnabled, true)
		if err != nil {
			return err
		}
		o.Disabled = o.Disabled || !enabled
	}
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		if flat && (k == keyAssigned || k == keySoftDeleted || k == keyObjectType) {
			continue
		}
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if attrs[k] == nil {
			continue
		}
		set(s, &o, s.attr(k), expr.FromGo(attrs[k]))
	}
	s.Objects = append(s.Objects, o)
	return nil
}

func idOfMap(m map[string]any, opts SnapshotOptions) (string, bool) {
	names := []string{"id", "objectId"}
	if opts.IDAttribute != "" {
		names = []string{opts.IDAttribute}
	}
	for _, n := range names {
		switch v := m[n].(type) {
		case string:
			if v != "" {
				return v, true
			}
		case json.Number:
			return v.String(), true
		}
		if nested, ok := m[keyAttributes].(map[string]any); ok {
			if v, ok := nested[n].(string); ok && v != "" {
				return v, true
			}
		}
	}
	return "", false
}

// idOfMapIgnoringCase is idOfMap for names that differ in case from the
// id names ("Id"), which the reader takes when no name is exact; ok with
// an empty id when two members could give it.
func idOfMapIgnoringCase(m map[string]any, opts SnapshotOptions) (string, bool) {
	names := []string{"id", "objectId"}
	if opts.IDAttribute != "" {
		names = []string{opts.IDAttribute}
	}
	nested, _ := m[keyAttributes].(map[string]any)
	for _, n := range names {
		var found []string
		for k, v := range m { // at the top: a string or a number
			if strings.EqualFold(k, n) {
				switch v := v.(type) {
				case string:
					if v != "" {
						found = append(found, v)
					}
				case json.Number:
					found = append(found, v.String())
				}
			}
		}
		if len(found) == 0 {
			for k, v := range nested { // among the attributes: a string
				if v, ok := v.(string); ok && v != "" && strings.EqualFold(k, n) {
					found = append(found, v)
				}
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], true
		}
		return "", true
	}
	return "", false
}

func flagOfMap(m map[string]any, key string, def bool) (bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return def, nil
	}
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "":
			return def, nil
		}
	}
	return false, fmt.Errorf("%s must be true or false (got %v)", key, v)
}

func decodeCSVMaps(s *Snapshot, data []byte, opts SnapshotOptions) error {
	if departsCSV(data) {
		return errDeparts
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("csv header: %w", err)
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("csv: %w", err)
		}
		m := make(map[string]any, len(header))
		for i, h := range header {
			if i < len(rec) && rec[i] != "" {
				m[h] = rec[i]
			}
		}
		if err := addMap(s, m, opts); err != nil {
			return fmt.Errorf("csv line %d: %w", line, err)
		}
	}
}

// TestReadSnapshotPowerShellCSV: a CSV from Windows PowerShell 5.1's
// Export-Csv (UTF-16 with a byte order mark and a #TYPE line) is a
// snapshot whose ids are its Id column, Graph's id, or the column
// IDAttribute names (in any case).
func TestReadSnapshotPowerShellCSV(t *testing.T) {
	for _, tc := range []struct {
		file, idAttr string
		want         []string
	}{
		{"powershell-utf16.csv", "", []string{"6e762c91-7a3f-4c55-9d1a-0c3e1b2d4f01", "8f2e9c10-1b2a-4d3c-9e8f-7a6b5c4d3e02"}},
		{"powershell-utf16.csv", "userPrincipalName", []string{"john.smith@contoso.com", "zoë.weiß@contoso.com"}},
		{"powershell-utf16be.csv", "", []string{"1"}},
	} {
		s, err := ReadSnapshotFile(filepath.Join("..", "..", "testdata", "objfile", tc.file), nil, SnapshotOptions{IDAttribute: tc.idAttr})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		var ids []string
		for _, o := range s.Objects {
			ids = append(ids, o.ID)
		}
		if diff := cmp.Diff(tc.want, ids); diff != "" {
			t.Errorf("%s, id %q: ids (-want +got):\n%s", tc.file, tc.idAttr, diff)
		}
	}
}
