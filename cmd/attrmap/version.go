package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

const versionUsage = `usage: attrmap version [--json]

Version prints what this binary was built from, as the Go toolchain
recorded it: the module version (a tag such as v1.2.0 for
"go install ...@v1.2.0", a pseudo-version for a commit, or (devel) for a
build from a checkout without VCS information), the VCS revision and its
time, whether the working tree had uncommitted changes (modified), the Go
version that built it and the platform. "attrmap --version" prints the
same.

--json prints {"version", "revision", "time", "modified", "go",
"platform"}; members the build did not record are empty.
`

// buildVersion is what "attrmap version" reports.
type buildVersion struct {
	Version  string `json:"version"`
	Revision string `json:"revision"`
	Time     string `json:"time"`
	Modified bool   `json:"modified"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// readBuildVersion reads the build information of the running binary;
// tests give their own.
var readBuildVersion = func() buildVersion {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return buildVersion{Version: "(unknown)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	}
	return versionOf(info)
}

// versionOf extracts the version from build information.
func versionOf(info *debug.BuildInfo) buildVersion {
	v := buildVersion{Version: info.Main.Version, Go: info.GoVersion}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	var goos, goarch string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		case "GOOS":
			goos = s.Value
		case "GOARCH":
			goarch = s.Value
		}
	}
	if goos == "" {
		goos, goarch = runtime.GOOS, runtime.GOARCH
	}
	v.Platform = goos + "/" + goarch
	return v
}

// cmdVersion implements "attrmap version" and "attrmap --version".
func cmdVersion(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", versionUsage, stderr)
	asJSON := fs.Bool("json", false, "print the version as JSON")
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	v := readBuildVersion()
	if *asJSON {
		writeJSONLine(stdout, v)
		return nil
	}
	fmt.Fprintf(stdout, "attrmap %s\n", v.Version)
	if v.Revision != "" {
		mod := ""
		if v.Modified {
			mod = " (modified)"
		}
		fmt.Fprintf(stdout, "revision %s%s\n", v.Revision, mod)
	}
	if v.Time != "" {
		fmt.Fprintf(stdout, "committed %s\n", v.Time)
	}
	fmt.Fprintf(stdout, "built with %s for %s\n", v.Go, v.Platform)
	return nil
}
