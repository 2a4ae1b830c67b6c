package fuzzmin

import (
	"flag"
	"testing"
)

// testFlags is a flag set with the two flags of the testing package that
// setDefault reads, parsed from args.
func testFlags(t *testing.T, args ...string) *flag.FlagSet {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.String("test.fuzz", "", "")
	fs.String("test.fuzzminimizetime", "60s", "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestSetDefault(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"fuzzing", []string{"-test.fuzz", "^FuzzX$"}, MinimizeTime},
		{"given explicitly", []string{"-test.fuzz", "^FuzzX$", "-test.fuzzminimizetime", "60s"}, "60s"},
		{"given as a count", []string{"-test.fuzzminimizetime", "100x", "-test.fuzz", "."}, "100x"},
		{"not fuzzing", nil, "60s"},
		{"not fuzzing, given", []string{"-test.fuzzminimizetime", "5s"}, "5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := testFlags(t, tt.args...)
			setDefault(fs)
			if got := fs.Lookup("test.fuzzminimizetime").Value.String(); got != tt.want {
				t.Errorf("test.fuzzminimizetime = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRealFlag checks that the testing package still has the flag and
// accepts MinimizeTime, so that Main does not silently stop working with a
// new Go release.
func TestRealFlag(t *testing.T) {
	f := flag.Lookup("test.fuzzminimizetime")
	if f == nil {
		t.Fatal("the testing package has no -test.fuzzminimizetime flag")
	}
	if flag.Lookup("test.fuzz") == nil {
		t.Fatal("the testing package has no -test.fuzz flag")
	}
	old := f.Value.String()
	defer f.Value.Set(old)
	if err := f.Value.Set(MinimizeTime); err != nil {
		t.Fatalf("-test.fuzzminimizetime does not accept %q: %v", MinimizeTime, err)
	}
}
