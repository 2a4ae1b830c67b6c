package safeio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// failAfter accepts n bytes, then fails as a full disk does.
type failAfter struct {
	w io.Writer
	n int
}

var errFull = errors.New("no space left on device")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return f.w.Write(p)
	}
	n, _ := f.w.Write(p[:f.n])
	f.n = 0
	return n, errFull
}

func writeOld(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("old content\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func checkFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

func TestWriteFileReplaces(t *testing.T) {
	path := writeOld(t)
	if err := WriteFile(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "new")
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestFullDiskKeepsOldFile writes through a writer that fails midway, as a
// full disk does: the error is reported and the old file stays whole.
func TestFullDiskKeepsOldFile(t *testing.T) {
	path := writeOld(t)
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.w = &failAfter{w: f.tmp, n: 10}
	bw := bufio.NewWriterSize(f, 4)
	fmt.Fprint(bw, strings.Repeat("new data ", 100))
	werr := bw.Flush()
	cerr := f.Commit()
	if !errors.Is(werr, errFull) || !errors.Is(cerr, errFull) {
		t.Errorf("write error %v, commit error %v; want both to report the full disk", werr, cerr)
	}
	checkFile(t, path, "old content\n")
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestAbortKeepsOldFile(t *testing.T) {
	path := writeOld(t)
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	f.Abort()
	f.Abort()
	checkFile(t, path, "old content\n")
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestCreateRefusesNonRegular(t *testing.T) {
	if _, err := Create(t.TempDir(), 0o644); err == nil {
		t.Error("Create on a directory succeeded")
	}
}

const killChildEnv = "SAFEIO_KILL_CHILD"

// TestKillBeforeRename kills (SIGKILL) a process that has written and
// synced a new version of a file but not yet renamed it: the file keeps its
// old content, whole.
func TestKillBeforeRename(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		beforeRename = func(string) {
			fmt.Println("ready")
			time.Sleep(time.Minute)
		}
		WriteFile(path, []byte(strings.Repeat("new data\n", 100000)), 0o644)
		return
	}
	path := writeOld(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillBeforeRename$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q", line)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	checkFile(t, path, "old content\n")
}

func TestWriterKeepsFirstError(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&failAfter{w: &b, n: 5})
	if _, err := fmt.Fprint(w, "hello"); err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprint(w, "world"); !errors.Is(err, errFull) {
		t.Fatalf("second write: %v", err)
	}
	if _, err := fmt.Fprint(w, "!"); !errors.Is(err, errFull) {
		t.Errorf("write after the error: %v", err)
	}
	if !errors.Is(w.Err(), errFull) || b.String() != "hello" {
		t.Errorf("Err() = %v, written %q", w.Err(), b.String())
	}
}
