// Package depcheck holds a test that enforces the direction of the
// module's internal dependencies: expr and scoping are leaves, mapping
// builds on them, sync on mapping, and only the command imports everything.
package depcheck

import (
	"go/build"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const module = "github.com/attrmap/attrmap"

// allowed lists, for each package, the module packages it may import.
var allowed = map[string][]string{
	"expr":            {},
	"scoping":         {},
	"mapping":         {"expr", "scoping"},
	"sync/provision":  {"expr", "mapping", "scoping"},
	"sync/scim":       {"expr", "mapping", "scoping", "sync/provision"},
	"cmd/attrmap":     {"expr", "scoping", "mapping", "sync/provision", "sync/scim", "internal/golden", "internal/lint", "internal/repl"},
	"internal/lint":   {"expr", "scoping", "mapping"},
	"internal/repl":   {"expr", "scoping", "mapping", "internal/lint"},
	"internal/dotnet": {"expr"},
	// internal/scenario loads testdata/sync for the tests of sync/scim and
	// internal/interop.
	"internal/scenario": {"mapping", "sync/provision"},
}

func TestDependencyDirection(t *testing.T) {
	for pkg, ok := range allowed {
		dir := filepath.Join("..", "..", pkg)
		p, err := build.ImportDir(dir, 0)
		if err != nil {
			if _, noGo := err.(*build.NoGoError); noGo || strings.Contains(err.Error(), "cannot find") {
				continue // not written yet
			}
			t.Fatalf("%s: %v", pkg, err)
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
