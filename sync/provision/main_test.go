package provision

import (
	"os"
	"testing"

	"github.com/attrmap/attrmap/internal/fuzzmin"
)

// TestMain bounds the minimisation of new inputs under go test -fuzz
// (internal/fuzzmin): plans and snapshots are JSON documents of several
// KiB, whose minimisation would otherwise take a minute per new input.
func TestMain(m *testing.M) { os.Exit(fuzzmin.Main(m)) }
