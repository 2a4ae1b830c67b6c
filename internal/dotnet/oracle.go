package dotnet

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Answer is the oracle's reply to one case.
type Answer struct {
	OK     bool
	Result string
	// Exception is the .NET exception type when OK is false.
	Exception string
	// Aux is the generated source text of cases built from it.
	Aux string
	// Mono is Mono's own answer when it differs from the modern .NET one in
	// Result; empty when they agree.
	Mono      string
	MonoDiffs bool
}

// BuildOracle compiles oracle/Oracle.cs with mcs into dir and returns the
// path of the program.
func BuildOracle(srcDir, dir string) (string, error) {
	exe := filepath.Join(dir, "oracle.exe")
	cmd := exec.Command("mcs", "-nologo", "-optimize+", "-r:System.Numerics", "-out:"+exe, filepath.Join(srcDir, "Oracle.cs"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("mcs: %v\n%s", err, out)
	}
	return exe, nil
}

// Ask runs the oracle once over every case, in order.
func Ask(exe string, cases []Case) ([]Answer, error) {
	var in bytes.Buffer
	for _, c := range cases {
		in.WriteString(c.Op)
		for _, a := range c.Args {
			in.WriteByte('\t')
			in.WriteString(base64.StdEncoding.EncodeToString([]byte(a)))
		}
		in.WriteByte('\n')
	}
	cmd := exec.Command("mono", exe)
	// The service runs in UTC: local time is UTC for the oracle too.
	cmd.Env = append(os.Environ(), "TZ=UTC", "LANG=C.UTF-8")
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("mono: %v\n%s", err, stderr.String())
	}
	answers := make([]Answer, 0, len(cases))
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		var a Answer
		switch f[0] {
		case "ok":
			a.OK = true
			a.Result = unb64(f[1])
			a.Aux = unb64(f[2])
			if len(f) > 3 {
				a.Mono, a.MonoDiffs = unb64(f[3]), true
			}
		case "err":
			a.Exception = f[1]
			if len(f) > 2 {
				a.Aux = unb64(f[2])
			}
		default:
			return nil, fmt.Errorf("oracle: bad line %q", sc.Text())
		}
		answers = append(answers, a)
	}
	if len(answers) != len(cases) {
		return nil, fmt.Errorf("oracle answered %d of %d cases\n%s", len(answers), len(cases), stderr.String())
	}
	return answers, nil
}

func unb64(s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic("oracle: bad base64 " + s)
	}
	return string(b)
}
