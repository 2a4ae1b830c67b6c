// Package golden compares test output with golden files made of named
// blocks, in the format go-cmp uses for its reporter tests:
//
//	<<< name
//	content, any number of lines
//	>>> name
//
// Run the tests with -update to rewrite the blocks from the actual output.
// The package is for tests only.
package golden

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update reports whether -update was given. Another package of the same
// test binary may already have defined the flag; then that one is used.
var update = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	b := flag.Bool("update", false, "rewrite golden files from the actual output")
	return func() bool { return *b }
}()

// Updating reports whether the tests run with -update.
func Updating() bool { return update() }

// File is a golden file: an ordered list of named blocks.
type File struct {
	path string

	mu     sync.Mutex
	names  []string          // block order: the file's, then new names in check order
	blocks map[string]string // block content, each line ending in "\n"
	dirty  bool
}

// Open reads the golden file at path. A missing file is an empty one when
// updating and a test failure otherwise. With -update, the file is written
// back when t and its subtests finish.
func Open(t testing.TB, path string) *File {
	t.Helper()
	f := &File{path: path, blocks: map[string]string{}}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := f.parse(string(data)); err != nil {
			t.Fatalf("golden: %v", err)
		}
	case os.IsNotExist(err) && Updating():
	default:
		t.Fatalf("golden: %v (run the tests with -update to create it)", err)
	}
	if Updating() {
		t.Cleanup(func() {
			if err := f.write(); err != nil {
				t.Errorf("golden: %v", err)
			}
		})
	}
	return f
}

// parse splits data into blocks and rejects malformed files, so that a bad
// merge is reported instead of silently losing cases.
func (f *File) parse(data string) error {
	var (
		name string
		open bool
		body strings.Builder
	)
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case !open && strings.HasPrefix(line, "<<< "):
			name, open = line[4:], true
			body.Reset()
		case open && line == ">>> "+name:
			if _, dup := f.blocks[name]; dup {
				return fmt.Errorf("%s:%d: duplicate block %q", f.path, n, name)
			}
			f.names = append(f.names, name)
			f.blocks[name] = body.String()
			open = false
		case open:
			body.WriteString(line)
			body.WriteByte('\n')
		case strings.TrimSpace(line) != "":
			return fmt.Errorf("%s:%d: text outside a block", f.path, n)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %v", f.path, err)
	}
	if open {
		return fmt.Errorf("%s: block %q is not closed", f.path, name)
	}
	return nil
}

// Check compares got with the block called name. A missing final newline
// in got is not significant. With -update it records got instead.
func (f *File) Check(t testing.TB, name, got string) {
	t.Helper()
	if name == "" || strings.ContainsAny(name, "\r\n") {
		t.Fatalf("golden: invalid block name %q", name)
	}
	if got != "" && !strings.HasSuffix(got, "\n") {
		got += "\n"
	}
	f.mu.Lock()
	want, ok := f.blocks[name]
	if Updating() {
		if !ok {
			f.names = append(f.names, name)
		}
		if !ok || want != got {
			f.blocks[name] = got
			f.dirty = true
		}
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	if !ok {
		t.Errorf("golden: %s has no block %q; run the tests with -update", f.path, name)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: block %q mismatch (-want +got):\n%s\nrun the tests with -update if the change is intended", f.path, name, diff)
	}
}

// write saves the blocks, if any changed.
func (f *File) write() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.dirty {
		return nil
	}
	var b strings.Builder
	for i, name := range f.names {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "<<< %s\n%s>>> %s\n", name, f.blocks[name], name)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(f.path, []byte(b.String()), 0o644)
}
