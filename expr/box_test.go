package expr

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestBoxedStrings checks the single-allocation strings: their content
// survives collections while only the copied-out string (an interior
// pointer) or only the Value keeps them alive, they compare and switch like
// any String, and strings read from a NewEnv are the map's own.
func TestBoxedStrings(t *testing.T) {
	const n = 2000
	vals := make([]Value, n)
	strs := make([]string, n)
	for i := range vals {
		want := fmt.Sprintf("value-%d-%s", i, strings.Repeat("x", i%40))
		v, b := newString(len(want))
		copy(b, want)
		if i%2 == 0 {
			vals[i] = v
		} else {
			strs[i] = string(v.(String)) // only the bytes stay referenced
		}
	}
	for range 3 {
		runtime.GC()
		_ = make([]byte, 1<<20) // reuse freed memory, were anything freed early
	}
	for i := range vals {
		want := fmt.Sprintf("value-%d-%s", i, strings.Repeat("x", i%40))
		got := strs[i]
		if i%2 == 0 {
			s, ok := vals[i].(String)
			if !ok || vals[i].Kind() != KindString {
				t.Fatalf("%d: %T is not a String", i, vals[i])
			}
			got = string(s)
		}
		if got != want {
			t.Fatalf("%d: got %q, want %q", i, got, want)
		}
	}
	if v, _ := newString(0); v != String("") {
		t.Errorf("empty: %#v", v)
	}
	if v := concat("ab", "cd"); v != Value(String("abcd")) {
		t.Errorf("concat: %#v", v)
	}
	if v, ok := stringOf("Zoë"); !ok || v != Value(String("Zoë")) {
		t.Errorf("stringOf: %#v %v", v, ok)
	}
	for _, x := range []any{nil, 1, []string{"a"}, String("a")} {
		if _, ok := stringOf(x); ok {
			t.Errorf("stringOf(%#v) took it for a string", x)
		}
	}
}

func TestLowerReplaceString(t *testing.T) {
	for _, s := range []string{"", "abc", "ABC", "John.Smith@OLD.com", "İSTANBUL", "Zoë ÅNGSTRÖM", "a\xffB"} {
		if got, want := lowerString(String(s), s), toLowerCulture(s, nil); got != Value(String(want)) {
			t.Errorf("lowerString(%q) = %#v, want %q", s, got, want)
		}
	}
	cases := []struct{ s, old, repl string }{
		{"a@old.com", "@old.com", "@new.com"}, {"aaa", "a", "bb"}, {"aaaa", "aa", ""}, {"abc", "", "x"},
		{"abc", "d", "x"}, {"abab", "ab", "ab"}, {"", "a", "b"}, {"xax", "a", "ä"},
	}
	for _, c := range cases {
		want := replaceOrdinal(c.s, c.old, c.repl)
		if got := replaceString(String(c.s), c.s, c.old, c.repl); got != Value(String(want)) {
			t.Errorf("replaceString(%q, %q, %q) = %#v, want %q", c.s, c.old, c.repl, got, want)
		}
	}
}
