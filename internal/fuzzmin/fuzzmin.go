// Package fuzzmin bounds the time go test -fuzz spends minimising each new
// input, for fuzz targets whose calls take milliseconds.
//
// When a coverage-guided run finds an input that reaches new code, the
// fuzzing engine first shrinks it: it tries removing every byte, then
// every range of bytes (a number of tries quadratic in the input's size),
// for up to -fuzzminimizetime, 60 s by default. Coverage counts how often
// each edge ran, in buckets, so for an input parsed byte by byte almost
// any shorter input loses the new coverage and the engine goes through
// every candidate. With a target that runs a whole command (a few
// milliseconds with the instrumentation) and inputs of a few hundred
// bytes, each new input then costs the full 60 s. The exec count stays
// still meanwhile (a worker reports the calls of a minimisation when it
// ends), and a 60 s run is spent shrinking its first find.
//
// Main gives -fuzzminimizetime a default of MinimizeTime when -fuzz is
// given and -fuzzminimizetime is not, so that new inputs are shrunk
// briefly and the run keeps fuzzing. Failing inputs are minimised under the
// same limit; pass -fuzzminimizetime explicitly (say 60s) to shrink a
// failing input further. Without -fuzz it changes nothing.
package fuzzmin

import (
	"flag"
	"os"
	"testing"
)

// MinimizeTime is the default -fuzzminimizetime Main sets.
const MinimizeTime = "1s"

// Main parses the test flags, applies the default and runs the tests, as
// a TestMain that calls os.Exit(fuzzmin.Main(m)).
func Main(m *testing.M) int {
	flag.Parse()
	setDefault(flag.CommandLine)
	return m.Run()
}

// setDefault sets test.fuzzminimizetime to MinimizeTime on fs when
// test.fuzz is not empty and test.fuzzminimizetime was not given.
func setDefault(fs *flag.FlagSet) {
	fuzz := fs.Lookup("test.fuzz")
	if fuzz == nil || fuzz.Value.String() == "" || fs.Lookup("test.fuzzminimizetime") == nil {
		return
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "test.fuzzminimizetime" })
	if !given {
		if err := fs.Set("test.fuzzminimizetime", MinimizeTime); err != nil {
			// The flag's syntax changed in a new Go release: keep its default.
			os.Stderr.WriteString("fuzzmin: " + err.Error() + "\n")
		}
	}
}
