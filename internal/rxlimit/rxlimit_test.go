package rxlimit

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		bad     string // the quoted part of the error, "" if accepted
	}{
		{`(a+)+`, `(a+)+`},
		{`^(\w+\s?)*$`, `(\w+\s?)*`},
		{`((a+)b)+`, `((a+)b)+`},
		{`(a*){2,}`, `(a*){2,}`},
		{`x(?:[a-z]+\d*)+?y`, `(?:[a-z]+\d*)+`},
		{`(?>a+)+`, ""},
		{`(a+){3}`, ""},
		{`(\d+\.){3}\d+`, ""},
		{`[()\s-]+`, ""},
		{`\+(?<isdCode>\d* )(?<phoneNumber>\d{10})`, ""},
		{`(?<streetNumber>^\d*)`, ""},
		{`[a-z-[aeiou](]+`, ""},
		{`\p{L}+(x)+`, ""},
		{`a{,3}+`, ""},
		{`(?#(a+)+)b`, ""},
		{`[]a+]+`, ""},
		{`(a|aa)+`, ""},
	} {
		err := Check(tc.pattern)
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("Check(%q) = %v, want nil", tc.pattern, err)
		case tc.bad != "" && err == nil:
			t.Errorf("Check(%q) = nil, want an error", tc.pattern)
		case tc.bad != "" && !strings.Contains(err.Error(), "nested quantifier "+strconv.Quote(tc.bad)):
			t.Errorf("Check(%q) = %v, want it to quote %s", tc.pattern, err, tc.bad)
		}
	}
}

// catastrophic is exponential on a run of a's that does not end in c, and
// passes Check (overlapping alternatives are not detected).
const catastrophic = `(a|aa)+c`

func TestTimeoutIsAnError(t *testing.T) {
	re := mustCompile(t, catastrophic, 20*time.Millisecond)
	_, err := re.MatchString(strings.Repeat("a", 60))
	var te *TimeoutError
	if !errors.As(err, &te) || te.Busy || te.Budget != 20*time.Millisecond {
		t.Fatalf("MatchString = %v, want a timeout after 20ms", err)
	}
}

// TestReplaceTimeoutAfterFirstMatch is the finding: regexp2's Replace
// returns "" without an error when a match after the first one times out.
func TestReplaceTimeoutAfterFirstMatch(t *testing.T) {
	const pattern = `x|` + catastrophic
	input := "x " + strings.Repeat("a", 60)

	raw := regexp2.MustCompile(pattern, regexp2.None)
	raw.MatchTimeout = 20 * time.Millisecond
	if got, err := raw.Replace(input, "y", -1, -1); err != nil || got != "" {
		t.Logf("regexp2's Replace = %q, %v: it no longer drops the timeout", got, err)
	}

	re := mustCompile(t, pattern, 20*time.Millisecond)
	var te *TimeoutError
	if got, err := re.Replace(input, "y"); !errors.As(err, &te) || got != "" {
		t.Errorf("Replace = %q, %v; want a timeout error", got, err)
	}
	if got, err := re.ReplaceFunc(input, func(*regexp2.Match) string { return "y" }); !errors.As(err, &te) || got != "" {
		t.Errorf("ReplaceFunc = %q, %v; want a timeout error", got, err)
	}
}

func TestReplace(t *testing.T) {
	re := mustCompile(t, `(?<d>\d)`, time.Second)
	if got, err := re.Replace("a1b22", "<${d}>"); err != nil || got != "a<1>b<2><2>" {
		t.Errorf("Replace = %q, %v", got, err)
	}
	if got, err := re.ReplaceFunc("ä1ö2", func(m *regexp2.Match) string { return "#" + m.String() }); err != nil || got != "ä#1ö#2" {
		t.Errorf("ReplaceFunc = %q, %v", got, err)
	}
	if got, err := re.ReplaceFunc("none", func(m *regexp2.Match) string { return "#" }); err != nil || got != "none" {
		t.Errorf("ReplaceFunc without a match = %q, %v", got, err)
	}
}

// starve keeps n goroutines busy until the returned function is called.
func starve(n int) (stop func()) {
	var done atomic.Bool
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			x := 0
			for !done.Load() {
				for i := range 1 << 16 {
					x += i
				}
			}
			_ = x
		})
	}
	return func() { done.Store(true); wg.Wait() }
}

// TestBudgetIgnoresLoad runs many quick matches with a budget much shorter
// than the time the busy goroutines hold the only processor. With a
// wall-clock limit some of them time out; with the CPU budget none does.
func TestBudgetIgnoresLoad(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the thread's CPU time is read on Linux only")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const budget = 5 * time.Millisecond
	re := mustCompile(t, `(?<w>\w+)@(?<d>[\w.]+)`, budget)
	raw := regexp2.MustCompile(re.String(), regexp2.None)
	raw.MatchTimeout = budget
	input := strings.Repeat("john.smith@contoso.com ", 200)

	stop := starve(32)
	defer stop()
	var rawTimeouts int
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if got, err := re.Replace(input, "${d}"); err != nil || got != strings.Repeat("john.contoso.com ", 200) {
			t.Fatalf("Replace under load = %.40q, %v", got, err)
		}
		if _, err := raw.Replace(input, "${d}", -1, -1); err != nil {
			rawTimeouts++
		} else if _, err := raw.FindStringMatch(input); err != nil {
			rawTimeouts++
		}
	}
	t.Logf("wall-clock limit: %d timeouts", rawTimeouts)
}

func TestBusyIsDistinct(t *testing.T) {
	err := error(&TimeoutError{Budget: time.Millisecond, Busy: true})
	if !errors.Is(err, ErrBusy) || errors.Is(&TimeoutError{}, ErrBusy) || !strings.Contains(err.Error(), "too busy") {
		t.Errorf("busy timeout %v not told apart", err)
	}
}

func mustCompile(t *testing.T, pattern string, budget time.Duration) *Regexp {
	t.Helper()
	re, err := Compile(pattern, budget)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
