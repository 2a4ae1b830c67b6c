package provision

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
)

// TestArenaStrings checks that strings boxed in the arena are Strings
// equal to their bytes, that they stay intact across collections while
// only the Values (or strings taken out of them) keep them, and that the
// input's bytes can change afterwards.
func TestArenaStrings(t *testing.T) {
	var a strArena
	var vals []expr.Value
	var strs []string
	buf := make([]byte, 0, 64)
	for i := range 20000 {
		buf = fmt.Appendf(buf[:0], "value-%d-%s", i, strings.Repeat("x", i%40))
		v := a.box(buf)
		if i%2 == 0 {
			vals = append(vals, v)
		} else {
			strs = append(strs, string(v.(expr.String)))
		}
		for j := range buf {
			buf[j] = '!'
		}
	}
	long := a.box([]byte(strings.Repeat("y", arenaMaxLen+1)))
	a = strArena{}
	runtime.GC()
	runtime.GC()
	_ = make([]byte, 8<<20) // reuse what was freed
	for i := range 20000 {
		want := fmt.Sprintf("value-%d-%s", i, strings.Repeat("x", i%40))
		var got string
		if i%2 == 0 {
			s, ok := vals[i/2].(expr.String)
			if !ok {
				t.Fatalf("value %d is a %T", i, vals[i/2])
			}
			got = string(s)
		} else {
			got = strs[i/2]
		}
		if got != want {
			t.Fatalf("value %d = %q, want %q", i, got, want)
		}
	}
	if expr.Render(long) != strings.Repeat("y", arenaMaxLen+1) || a.box(nil) != expr.Value(expr.String("")) {
		t.Error("long or empty string")
	}
}
