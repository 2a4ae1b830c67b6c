package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVersionOf(t *testing.T) {
	info := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/attrmap/attrmap", Version: "v0.3.0"},
		Settings: []debug.BuildSetting{
			{Key: "GOOS", Value: "windows"}, {Key: "GOARCH", Value: "arm64"},
			{Key: "vcs.revision", Value: "8ae2712427042ebf03b97441b773c328d55927c1"},
			{Key: "vcs.time", Value: "2026-11-30T21:21:46Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	want := buildVersion{Version: "v0.3.0", Revision: "8ae2712427042ebf03b97441b773c328d55927c1", Time: "2026-11-30T21:21:46Z", Modified: true, Go: "go1.26.8", Platform: "windows/arm64"}
	if diff := cmp.Diff(want, versionOf(info)); diff != "" {
		t.Errorf("versionOf (-want +got):\n%s", diff)
	}
	if got := versionOf(&debug.BuildInfo{GoVersion: "go1.26.8"}).Version; got != "(devel)" {
		t.Errorf("version without a module version = %q, want (devel)", got)
	}
}

// TestVersionTranscript runs version, --version and version --json with
// fixed build information.
func TestVersionTranscript(t *testing.T) {
	saved := readBuildVersion
	t.Cleanup(func() { readBuildVersion = saved })
	readBuildVersion = func() buildVersion {
		return buildVersion{Version: "v0.3.0", Revision: "8ae2712427042ebf03b97441b773c328d55927c1", Time: "2026-11-30T21:21:46Z", Modified: true, Go: "go1.26.8", Platform: "linux/amd64"}
	}
	runTranscripts(t, "version", []cliCase{
		{name: "version", args: []string{"version"}},
		{name: "--version", args: []string{"--version"}},
		{name: "json", args: []string{"version", "--json"}},
		{name: "extra argument", args: []string{"version", "now"}},
	})
}

// TestVersionReal checks the version of the test binary itself: whatever
// the build recorded, it names the Go version.
func TestVersionReal(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "attrmap ") || !strings.Contains(stdout.String(), "built with go") {
		t.Errorf("version output:\n%s", stdout.String())
	}
}
