package provision

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// regexWorld is an initial cycle over n users whose mapping and scoping
// filter run regular expressions on every object: the plan of finding 1,
// Replace([displayName], , "e", , "3", , ) under a REGEX MATCH scope.
func regexWorld(tb testing.TB, n int) *world {
	rows := append([][4]string(nil), benchMappings...)
	rows[3] = [4]string{"displayName", `Replace([displayName], , "e", , "3", , )`, "", ""}
	rows[19] = [4]string{"nickName", `Replace([mail], , "(?<user>[\\w.]+)@(?<domain>[\\w.]+)", "domain", "example.org", , )`, "", ""}
	// A match of many milliseconds, which a stop is likely to interrupt:
	// [a-z]+\d backtracks quadratically over a long run of letters.
	rows[14] = [4]string{"physicalDeliveryOfficeName", `Replace([physicalDeliveryOfficeName], , "[a-z]+\\d", , "#", , )`, "", ""}
	scope := `{"groups": [{"name": "contoso", "clauses": [{"operatorName": "REGEX MATCH", "sourceOperandName": "mail", "targetOperand": {"values": ["^user\\d+@contoso\\.com$"]}}]}]}`
	r := rand.New(rand.NewPCG(7, uint64(n)))
	w := &world{rules: []*mapping.CompiledObjectMapping{compileRule(tb, ruleJSON(rows, "Add, Update, Delete", scope))}}
	w.source = &Snapshot{Attributes: sourceAttrs}
	office := expr.String(strings.Repeat("a", 400))
	for i := range n {
		vals := make([]expr.Value, len(sourceAttrs))
		genUser(r, i, vals)
		vals[14] = office
		w.source.Objects = append(w.source.Objects, Object{ID: expr.Render(vals[0]), Values: vals})
	}
	w.target = &Snapshot{Attributes: []string{"userName"}}
	return w
}

const starveChildEnv = "ATTRMAP_STARVE_CHILD"

// TestPlanUnderCPUStarvation plans the same regex-heavy cycle twice: in this
// process, and in a child process on one processor that is stopped
// (SIGSTOP) for 300 ms at a time, far past the 100 ms regex budget, while
// it plans. With a wall-clock match timeout the stopped matches failed,
// and Replace turned some of them into ""; with the CPU-time budget the
// plans are byte-identical.
func TestPlanUnderCPUStarvation(t *testing.T) {
	if os.Getenv(starveChildEnv) != "" {
		w := regexWorld(t, 80)
		p, st, err := w.diff(Options{Now: time.Unix(0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString(render(t, p, st))
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("the CPU-time budget is measured on Linux only")
	}
	if testing.Short() {
		t.Skip("stops a child process for seconds")
	}
	w := regexWorld(t, 80)
	p, st, err := w.diff(Options{Now: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 {
		t.Fatalf("unloaded plan has errors: %v", p.Errors[0])
	}
	want := render(t, p, st)

	cmd := exec.Command(os.Args[0], "-test.run=^TestPlanUnderCPUStarvation$")
	cmd.Env = append(os.Environ(), starveChildEnv+"=1", "GOMAXPROCS=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stops := 0
starve:
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("child: %v\n%s", err, errOut.String())
			}
			break starve
		case <-time.After(100 * time.Millisecond):
		}
		if cmd.Process.Signal(sigStop) == nil {
			stops++
			time.Sleep(300 * time.Millisecond)
			_ = cmd.Process.Signal(sigCont)
		}
	}
	t.Logf("child stopped %d times", stops)
	got := out.String()
	if i := bytes.Index(out.Bytes(), []byte("PASS\n")); i >= 0 {
		got = got[:i]
	}
	if got != want {
		t.Errorf("the plan under starvation differs:\n%s", firstDifference(want, got))
	}
}

// firstDifference shows the lines around the first difference of a and b.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("want ...%s\n got ...%s", a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}
