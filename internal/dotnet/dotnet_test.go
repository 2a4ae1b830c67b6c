package dotnet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sampleDir = "../../testdata/expr/dotnet"

// sampleSize is how many agreeing cases per family are checked in.
const sampleSize = 250

func TestGenerateDeterministic(t *testing.T) {
	for _, fam := range Families {
		a, b := Generate(fam, 7, 200), Generate(fam, 7, 200)
		strip := func(cs []Case) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Func+"|"+c.Op+"|"+strings.Join(c.Args, "|")+"|"+c.Expr)
			}
			return out
		}
		if diff := cmp.Diff(strip(a), strip(b)); diff != "" {
			t.Errorf("%s: same seed, different cases:\n%s", fam, diff)
		}
		if diff := cmp.Diff(strip(a), strip(Generate(fam, 8, 200))); diff == "" {
			t.Errorf("%s: the seed changes nothing", fam)
		}
	}
}

// TestSampleIsCurrent checks that the checked-in sample holds a file per
// family, each with cases.
func TestSampleIsCurrent(t *testing.T) {
	for _, fam := range Families {
		data, err := os.ReadFile(filepath.Join(sampleDir, fam+".jsonl"))
		if err != nil {
			t.Fatalf("%s: %v (run ATTRMAP_DOTNET=1 go test ./internal/dotnet/)", fam, err)
		}
		if n := bytes.Count(data, []byte("\n")); n < 50 {
			t.Errorf("%s: only %d cases", fam, n)
		}
	}
}

func envInt(name string, def int) int {
	if s := os.Getenv(name); s != "" {
		n, err := strconv.Atoi(s)
		if err == nil {
			return n
		}
	}
	return def
}

// TestOracle is the differential test: it needs Mono, so it runs only with
// ATTRMAP_DOTNET=1.
func TestOracle(t *testing.T) {
	if os.Getenv("ATTRMAP_DOTNET") == "" {
		t.Skip("set ATTRMAP_DOTNET=1 (needs mono-complete) to run the .NET oracle")
	}
	n := envInt("ATTRMAP_DOTNET_N", 20000)
	seed := uint64(envInt("ATTRMAP_DOTNET_SEED", 1))
	exe, err := BuildOracle("oracle", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	table.WriteString("| Family | Function | Cases | Agree | Excluded | % | Mono differs |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n")
	var examples strings.Builder
	families := Families
	if f := os.Getenv("ATTRMAP_DOTNET_FAMILY"); f != "" {
		families = strings.Split(f, ",")
	}
	for _, fam := range families {
		cases := Generate(fam, seed, n)
		answers, err := Ask(exe, cases)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := make([]Outcome, len(cases))
		for i, c := range cases {
			outcomes[i] = Evaluate(c, answers[i].Aux)
		}
		total, agree := 0, 0 // without the excluded cases
		for _, r := range Tally(cases, answers, outcomes, envInt("ATTRMAP_DOTNET_EXAMPLES", 8)) {
			fmt.Fprintf(&table, "| %s | %s | %d | %d | %d | %.2f | %d |\n", r.Family, r.Func, r.Cases, r.Agree, r.Excluded, r.Percent(), r.MonoDiffers)
			total += r.Cases - r.Excluded
			agree += r.Agree
			for _, e := range r.Examples {
				fmt.Fprintf(&examples, "- %s: %s\n", r.Func, e)
			}
		}
		pct := 100 * float64(agree) / float64(total)
		t.Logf("%s: %d of %d agree (%.2f%%)", fam, agree, total, pct)
		if os.Getenv("ATTRMAP_DOTNET_WRITE") != "" {
			if err := writeSample(fam, cases, answers, outcomes); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("agreement (seed %d, %d cases per family):\n%s\ndisagreements (first of each function):\n%s", seed, n, table.String(), examples.String())
}

// sampleCase is the conformance runner's JSONL shape.
type sampleCase struct {
	ID     string         `json:"id"`
	Expr   string         `json:"expr"`
	Input  map[string]any `json:"input"`
	Want   *string        `json:"want,omitempty"`
	Error  string         `json:"error,omitempty"`
	Source string         `json:"source"`
	Notes  string         `json:"notes,omitempty"`
}

func writeSample(fam string, cases []Case, answers []Answer, outcomes []Outcome) error {
	var buf bytes.Buffer
	written := 0
	for i := range cases {
		o, a := outcomes[i], answers[i]
		if written == sampleSize {
			break
		}
		if !Agrees(o, a) {
			continue
		}
		sc := sampleCase{ID: fmt.Sprintf("dotnet/%s/%d", fam, i), Expr: o.Expr, Input: o.Input, Source: "internal/dotnet oracle: " + cases[i].Func}
		if sc.Input == nil {
			sc.Input = map[string]any{}
		}
		if a.OK {
			w := a.Result
			sc.Want = &w
		} else {
			sc.Error = o.Err
			sc.Notes = ".NET throws " + a.Exception
		}
		if a.MonoDiffs {
			sc.Notes = fmt.Sprintf("modern .NET; Mono answers %q", a.Mono)
		}
		line, err := json.Marshal(sc)
		if err != nil {
			return err
		}
		buf.Write(line)
		buf.WriteByte('\n')
		written++
	}
	if err := os.MkdirAll(sampleDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(sampleDir, fam+".jsonl"), buf.Bytes(), 0o644)
}
