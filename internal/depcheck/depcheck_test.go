// Package depcheck holds a test that enforces the direction of the
// module's internal dependencies: expr and scoping are leaves, mapping
// builds on them, sync on mapping, and only the command imports everything.
package depcheck

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const module = "github.com/attrmap/attrmap"

// allowed lists, for each package of the module, the module packages it
// may import. A package missing from the list fails the test: adding one
// means deciding where it sits. Nested modules (a directory with its own
// go.mod) are not part of the module and are not listed.
var allowed = map[string][]string{
	// internal/diag is the leaf under the leaves: positions, suggestions
	// and the decode error, shared by expr and scoping.
	"internal/diag": {},
	// internal/rxlimit runs regular expressions under a CPU-time budget,
	// for expr and scoping alike.
	"internal/rxlimit": {},
	// internal/safeio writes files atomically and checks standard output.
	"internal/safeio":      {},
	"expr":                 {"internal/diag", "internal/rxlimit"},
	"expr/internal/gendoc": {"expr"},
	"scoping":              {"internal/diag", "internal/rxlimit"},
	"mapping":              {"expr", "scoping", "internal/diag"},
	// mapping/schemadiff compares two schemas through mapping's exported
	// model (and expr for the canonical form of expressions).
	"mapping/schemadiff": {"expr", "scoping", "mapping"},
	"sync/provision":     {"expr", "mapping", "scoping", "internal/objfile"},
	"sync/scim":          {"expr", "mapping", "scoping", "sync/provision"},
	"sync/connect":       {"expr", "mapping", "sync/provision"},
	"sync/execute":       {"expr", "mapping", "sync/provision", "sync/scim", "sync/connect"},
	"cmd/attrmap":        {"expr", "scoping", "mapping", "sync/provision", "sync/scim", "sync/connect", "sync/execute", "mapping/schemadiff", "internal/diag", "internal/golden", "internal/lint", "internal/repl", "internal/safeio", "internal/objfile"},
	"internal/lint":      {"expr", "scoping", "mapping", "internal/diag"},
	"internal/repl":      {"expr", "scoping", "mapping", "internal/diag", "internal/lint", "internal/objfile"},
	"internal/dotnet":    {"expr"},
	// internal/scenario loads testdata/sync for the tests of sync/scim and
	// internal/interop.
	"internal/scenario": {"mapping", "sync/provision"},
	// internal/examples is the setup the Example functions of sync/connect,
	// sync/provision and sync/scim share.
	"internal/examples": {"mapping", "sync/provision"},
	"internal/golden":   {},
	// internal/fuzzmin bounds go test -fuzz minimisation, for TestMain.
	"internal/fuzzmin": {},
	// objfile reads files of objects for the planner, the CLI and the
	// REPL; it is a leaf, like expr.
	"internal/objfile":  {},
	"internal/depcheck": {},
}

// modulePackages lists the packages of the module below root: every
// directory with Go files (tests count: internal/depcheck is one), except testdata, hidden
// directories and nested modules.
func modulePackages(t *testing.T, root string) []string {
	t.Helper()
	var pkgs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root {
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module
			}
		}
		if _, err := build.ImportDir(path, 0); err == nil {
			rel, _ := filepath.Rel(root, path)
			pkgs = append(pkgs, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(pkgs)
	return pkgs
}

// TestEveryPackageListed fails on a package the list does not know, and on
// a listed package that no longer exists.
func TestEveryPackageListed(t *testing.T) {
	found := modulePackages(t, filepath.Join("..", ".."))
	var unknown, stale []string
	for _, p := range found {
		if _, ok := allowed[p]; !ok {
			unknown = append(unknown, p)
		}
	}
	for p := range allowed {
		if !slices.Contains(found, p) {
			stale = append(stale, p)
		}
	}
	sort.Strings(stale)
	if len(unknown) > 0 {
		t.Errorf("packages missing from allowed (add them with the narrowest set of imports): %v", unknown)
	}
	if len(stale) > 0 {
		t.Errorf("allowed lists packages that do not exist: %v", stale)
	}
}

func TestDependencyDirection(t *testing.T) {
	for pkg, ok := range allowed {
		dir := filepath.Join("..", "..", pkg)
		p, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Errorf("%s: %v", pkg, err)
			continue
		}
		allowedSet := map[string]bool{}
		for _, a := range ok {
			allowedSet[a] = true
		}
		var bad []string
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			rel := strings.TrimPrefix(imp, module+"/")
			if !allowedSet[rel] && !strings.HasPrefix(rel, pkg+"/") {
				bad = append(bad, rel)
			}
		}
		sort.Strings(bad)
		if diff := cmp.Diff([]string(nil), bad); diff != "" {
			t.Errorf("%s imports packages it must not (-want +got):\n%s", pkg, diff)
		}
	}
}

// TestModulePackages checks what counts as a package of the module, so
// that a new package cannot slip past TestEveryPackageListed.
func TestModulePackages(t *testing.T) {
	root := t.TempDir()
	for path, text := range map[string]string{
		"a/a.go":             "package a\n",
		"a/b/b.go":           "package b\n",
		"a/testdata/x.go":    "package x\n",
		"nested/go.mod":      "module nested\n",
		"nested/n.go":        "package n\n",
		"tests/only_test.go": "package tests\n",
		".hidden/h.go":       "package h\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"a", "a/b", "tests"}, modulePackages(t, root)); diff != "" {
		t.Errorf("modulePackages (-want +got):\n%s", diff)
	}
}
