package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// setUpdating overrides -update for the duration of t.
func setUpdating(t *testing.T, on bool) {
	old := update
	update = func() bool { return on }
	t.Cleanup(func() { update = old })
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		want    map[string]string
		wantErr bool
	}{
		{name: "empty", data: "", want: map[string]string{}},
		{
			name: "two blocks",
			data: "<<< a\none\ntwo\n>>> a\n\n<<< b/c\n>>> b/c\n",
			want: map[string]string{"a": "one\ntwo\n", "b/c": ""},
		},
		{name: "marker lookalike inside", data: "<<< a\n>>> b\n>>> a\n", want: map[string]string{"a": ">>> b\n"}},
		{name: "unclosed", data: "<<< a\nx\n", wantErr: true},
		{name: "duplicate", data: "<<< a\n>>> a\n<<< a\n>>> a\n", wantErr: true},
		{name: "stray text", data: "hello\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &File{path: "x.golden", blocks: map[string]string{}}
			err := f.parse(tt.data)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parse error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if diff := cmp.Diff(tt.want, f.blocks); diff != "" {
				t.Errorf("blocks mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateThenCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")

	// Creating the file with -update keeps the order of the checks.
	t.Run("update", func(t *testing.T) {
		setUpdating(t, true)
		t.Run("inner", func(t *testing.T) {
			f := Open(t, path)
			f.Check(t, "second", "b\n")
			f.Check(t, "first", "no newline")
			f.Check(t, "empty", "")
		})
	})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "<<< second\nb\n>>> second\n\n<<< first\nno newline\n>>> first\n\n<<< empty\n>>> empty\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Fatalf("written file mismatch (-want +got):\n%s", diff)
	}

	// Without -update, the same output passes.
	setUpdating(t, false)
	f := Open(t, path)
	f.Check(t, "first", "no newline\n")
	f.Check(t, "second", "b")
	f.Check(t, "empty", "")
}

func TestCheckReportsMismatch(t *testing.T) {
	setUpdating(t, false)
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("<<< a\nwant\n>>> a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := Open(t, path)
	for _, c := range []struct{ name, got string }{{"a", "got\n"}, {"missing", "x\n"}} {
		rec := &recorder{TB: t}
		f.Check(rec, c.name, c.got)
		if !rec.failed {
			t.Errorf("Check(%q, %q) passed, want a failure", c.name, c.got)
		}
	}
}

// recorder captures failures instead of failing the test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
