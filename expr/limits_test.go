package expr

import (
	"bytes"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/attrmap/attrmap/internal/rxlimit"
)

// TestWithRandShared evaluates Guid from many goroutines of one Program
// whose random source is not safe for concurrent use: run with -race.
func TestWithRandShared(t *testing.T) {
	p, err := Compile(`Guid()`, WithRand(bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 4096))))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, err := p.Eval(MapEnv{}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestValueSizeLimit: amplification that used to end in a fatal
// out-of-memory crash is an error on the object, before the allocation.
func TestValueSizeLimit(t *testing.T) {
	big := strings.Repeat("a", 4096)
	tests := []struct{ name, src string }{
		{"Replace in Replace", `Replace(Replace(Replace([a], "a", , , [a], , ), "a", , , [a], , ), "a", , , [a], , )`},
		{"Replace template", `Replace([a], "a", , , , , Replace([a], "a", , , [a], , ))`},
		{"Join of many", `Join([a], [m], [m], [m], [m], [m])`},
		{"& chain", `Replace([a], "a", , , [a], , ) & Replace([a], "a", , , [a], , )`},
	}
	multi := make([]any, 100)
	for i := range multi {
		multi[i] = big
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Eval(NewEnv(map[string]any{"a": big, "m": multi}))
			var se *SizeError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), "MaxValueSize") {
				t.Errorf("Eval = %v, want a size error", err)
			}
		})
	}
	// At the limit, values still work.
	p, _ := Compile(`Join("", [a], [a])`)
	if v, err := p.Eval(NewEnv(map[string]any{"a": strings.Repeat("b", MaxValueSize/2)})); err != nil || len(Render(v)) != MaxValueSize {
		t.Errorf("a value of exactly MaxValueSize: %v", err)
	}
}

// TestOperatorChains: a chain of & or = compiles in linear time and counts
// toward the depth limit (a 64 KiB chain took seconds, and was not counted).
func TestOperatorChains(t *testing.T) {
	for _, op := range []string{"&", "=", "<>"} {
		chain := strings.TrimSuffix(strings.Repeat(`"a"`+op, (DefaultMaxLength-10)/(3+len(op))), op)
		_, err := Compile(chain)
		if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("%s chain of %d bytes: %v, want the depth limit", op, len(chain), err)
		}
		// Linear: four times the chain takes about four times as long
		// (the quadratic fold took sixteen times, seconds in all). The
		// times are CPU times, the least of three interleaved runs, so that
		// a loaded machine does not make the test fail.
		quarter := chain[:strings.LastIndex(chain[:len(chain)/4], op)]
		timeOf := func(src string) time.Duration {
			start := rxlimit.ProcessCPU()
			if _, err := Compile(src, WithMaxDepth(1<<20)); err != nil {
				t.Fatalf("%s chain: %v", op, err)
			}
			return rxlimit.ProcessCPU() - start
		}
		small, big := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		for range 3 {
			small, big = min(small, timeOf(quarter)), min(big, timeOf(chain))
		}
		if big > 250*time.Millisecond && big > 10*small {
			t.Errorf("%s chain: %d bytes compiled in %v, %d bytes in %v: not linear", op, len(quarter), small, len(chain), big)
		}
	}
	// Within the limit, chains keep working.
	p, err := Compile(strings.TrimSuffix(strings.Repeat(`"a"&`, DefaultMaxDepth), "&"))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := p.Eval(MapEnv{}); err != nil || Render(v) != strings.Repeat("a", DefaultMaxDepth) {
		t.Errorf("Eval = %v, %v", v, err)
	}
	if _, err := Compile(strings.TrimSuffix(strings.Repeat(`"a"&`, DefaultMaxDepth+2), "&")); err == nil {
		t.Error("a chain past the limit compiled")
	}
}

// TestRegexReplaceExpansionBounded: a regular-expression replacement whose
// substitutions repeat the input ($_, $`, $&, groups) is stopped while it
// is built: what it allocates stays near MaxValueSize, where it used to
// build the whole result (here 64 MiB of text) and check its size after.
func TestRegexReplaceExpansionBounded(t *testing.T) {
	tests := []struct{ name, src string }{
		{"$_", `Replace([a], , ".", , "$_$_$_$_$_$_$_$_", , )`},
		{"$` and $'", "Replace([a], , \".\", , \"$`$'$`$'$`$'$`$'\", , )"},
		{"groups at every match", `Replace([a], , "(?<x>.)", , "${x}$'", , )`},
		{"astral $_", `Replace([b], , ".", , "$_$_$_$_$_$_$_$_", , )`},
		{"group form", `Replace([a], , "(?<g>.)", "g", [a], , )`},
	}
	env := NewEnv(map[string]any{
		"a": strings.Repeat("a", 3<<10),
		"b": strings.Repeat("😀", 3<<9), // outside the BMP: matched as UTF-16 code units
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compile(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = p.Eval(env)
			runtime.ReadMemStats(&after)
			var se *SizeError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), "MaxValueSize") {
				t.Fatalf("Eval = %v, want a size error", err)
			}
			// The result is built in runes (4 bytes per code unit),
			// doubled as it grows: about 8 MiB at the limit.
			if got := after.TotalAlloc - before.TotalAlloc; got > 24<<20 {
				t.Errorf("allocated %d MiB for a result over the %d-byte limit", got>>20, MaxValueSize)
			}
		})
	}
	// Below the limit the substitutions are unchanged.
	p, _ := Compile(`Replace([a], , "(b)", , "[$1$_]", , )`)
	if v, err := p.Eval(NewEnv(map[string]any{"a": "abc"})); err != nil || Render(v) != "a[babc]c" {
		t.Errorf("Eval = %v, %v, want a[babc]c", v, err)
	}
}
