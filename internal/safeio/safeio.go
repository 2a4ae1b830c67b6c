// Package safeio writes output so that a failure is never silent and a file
// is never left half-written.
//
//   - WriteFile and Create write a file atomically: the data goes to a
//     temporary file in the same directory, which is synced to disk and
//     then renamed over the target, and the directory is synced. A full
//     disk, an error or a kill at any point leaves the previous file as it
//     was; a reader never sees a truncated file.
//   - Writer remembers the first error of a stream (standard output on a
//     full disk or a closed pipe), so that a command can report it and exit
//     non-zero however its output was written.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically, keeping the permissions of an
// existing file (perm for a new one).
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// File is a file being written atomically: nothing appears at its path
// until Commit succeeds.
type File struct {
	path string
	tmp  *os.File
	w    io.Writer // tmp; tests put a failing writer in between
	err  error     // the first write error
	done bool
}

// Create starts writing path atomically. The caller must call Commit, or
// Abort to give up; Abort after Commit does nothing, so it can be deferred.
func Create(path string, perm fs.FileMode) (*File, error) {
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file (write it elsewhere)", path)
		}
		perm = fi.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	return &File{path: path, tmp: tmp, w: tmp}, nil
}

// Write writes to the temporary file. After an error every write fails
// with it, and so does Commit.
func (f *File) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.w.Write(p)
	if err != nil {
		f.err = fmt.Errorf("writing %s: %w", f.path, err)
	}
	return n, f.err
}

// beforeRename is a test hook, run after the data is synced and before the
// rename.
var beforeRename = func(string) {}

// SetBeforeRename makes every later Commit call f with the temporary
// file's name after the data is synced and just before the rename; nil
// removes it. It is a test hook, for tests that kill a process at that
// moment (the command sets it only under its test-only ATTRMAP_TEST_KILL
// variable); it must be set before any file is written.
func SetBeforeRename(f func(tmp string)) {
	if f == nil {
		f = func(string) {}
	}
	beforeRename = f
}

// Commit syncs the data and renames the temporary file over the target,
// then syncs the directory so that the rename survives a crash. On any
// error the target is untouched and the temporary file removed.
func (f *File) Commit() error {
	if f.done {
		return errors.New("safeio: Commit after Commit or Abort")
	}
	f.done = true
	err := f.err
	if err == nil {
		if err = f.tmp.Sync(); err != nil {
			err = fmt.Errorf("writing %s: %w", f.path, err)
		}
	}
	if cerr := f.tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("writing %s: %w", f.path, cerr)
	}
	if err != nil {
		os.Remove(f.tmp.Name())
		return err
	}
	beforeRename(f.tmp.Name())
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		os.Remove(f.tmp.Name())
		return err
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// Abort removes the temporary file; the target is untouched.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// syncDir makes a rename in dir durable. Not every system can sync a
// directory (Windows cannot), and the rename has happened either way, so a
// failure is ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// Writer passes writes to an io.Writer and remembers the first error.
// Later writes fail at once with it, so a stream is never partly written
// past a gap.
type Writer struct {
	w   io.Writer
	err error
}

// NewWriter wraps w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.err = err
	}
	return n, err
}

// Unwrap returns the wrapped writer, so that a caller can tell whether it
// is a terminal.
func (w *Writer) Unwrap() io.Writer { return w.w }

// Err returns the first error, nil if every write succeeded.
func (w *Writer) Err() error { return w.err }
