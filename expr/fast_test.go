package expr

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// sameOutcome compares what the fast path returned with the full path's
// value and error.
func sameOutcome(fast Value, full Value, fullErr error) bool {
	return fullErr == nil && reflect.DeepEqual(fast, full)
}

// TestFastMatchesFull holds the fast path to the full path's results: on
// every conformance case and registry example whose program has a fast
// path, and on generated values of every kind, each evaluation the fast
// path completes must give what the full path gives.
func TestFastMatchesFull(t *testing.T) {
	now := time.Date(2021, 8, 25, 17, 41, 18, 0, time.UTC)
	completed := 0
	check := func(t *testing.T, p *Program, env Env) {
		t.Helper()
		if p.fast == nil {
			return
		}
		v, _, ok := p.fast(env)
		if !ok {
			return
		}
		completed++
		full, err := p.evalFull(env, EvalOptions{})
		if !sameOutcome(v, full, err) {
			t.Errorf("%s on %v: fast path %s, full path %s (%v)", p.Source(), env, Display(v), Display(full), err)
		}
	}
	cases := loadCases(t)
	for _, f := range Default().Funcs() {
		for _, e := range f.Examples {
			cases = append(cases, testCase{Expr: e.Expr, Input: e.Input})
		}
	}
	withFast := 0
	for _, c := range cases {
		p, err := Compile(c.Expr, WithNow(now))
		if err != nil {
			continue
		}
		if p.fast != nil {
			withFast++
		}
		check(t, p, NewEnv(c.Input))
	}
	if withFast < 40 || completed < 40 {
		t.Errorf("only %d corpus programs have a fast path and %d evaluations completed on it; the test checks too little", withFast, completed)
	}

	// Generated: every program over every combination of values.
	completed = 0
	for _, src := range fastPrograms {
		p := MustCompile(src)
		if p.fast == nil {
			t.Errorf("%s: no fast path", src)
			continue
		}
		for _, a := range fastValues {
			for _, b := range fastValues {
				check(t, p, MapEnv{"a": a, "b": b, "c": String("Mixed Case c")})
			}
		}
		// Values at the size limit, beside a few small ones.
		for _, big := range bigValues {
			for _, small := range fastValues[4:9] {
				check(t, p, MapEnv{"a": big, "b": small, "c": small})
				check(t, p, MapEnv{"a": small, "b": big, "c": big})
			}
		}
	}
	t.Logf("%d corpus programs with a fast path, %d generated evaluations completed on it", withFast, completed)
	if completed < len(fastPrograms)*len(fastValues) {
		t.Errorf("the fast path completed only %d evaluations", completed)
	}
}

// fastPrograms exercise every function and operator of the fast path, in
// the compositions where strings are changed in place.
var fastPrograms = []string{
	`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [a], [b]))), "contoso.com")`,
	`ToLower(Replace([a], "@old.com", , , "@new.com", , ))`,
	`ToLower(Replace([a], "a", , , "", , ))`,
	`ToLower(Replace([a], [b], , , [c], , ))`,
	`Replace([a], "", , , "x", , )`,
	`Replace([a], " ", , , "  ", , )`,
	`Replace([a], " ", , , "", , )`,
	`Replace([a], "b", , , [b])`,
	`Switch([a], "default", "NSW", "Australia/Sydney", "", "empty", "QLD", [b])`,
	`Switch([a], , "True", "yes", "False", "no")`,
	`ToLower(Switch([a], [b], "x", Join(" ", [b], [c])))`,
	`StripSpaces(Join(" ", [a], [b], [c]))`,
	`StripSpaces([a])`,
	`ToLower([a])`,
	`ToLower(Join("", [a]))`,
	`ToLower(Replace(Join("-", [a], [b]), "-", , , " - ", , ))`,
	`ToLower([a], "tr-TR")`,
	`ToLower(StripSpaces([a] & [b]), "")`,
	`ToLower(ToLower(Join(" ", [a], [b])))`,
	`NormalizeDiacritics([a] & " " & [b])`,
	`IIF([a] = "QLD", ToLower([b]), Join(",", [a], [c]))`,
	`IIF([a] <> [b], [a], [c])`,
	`IIF([a] < [b], "lt", IIF([a] >= [b], "ge", "neither"))`,
	`IIF([a] <= "m", [b], IIF([a] > "m", "gt", "no"))`,
	`IIF([a], "true", "false")`,
	`Join([a], [b], [c], "d")`,
	`Join(", ", [a], [a], [a], [a], [a], [a], [a], [a])`,
}

// fastValues are attribute values of every kind, the strings including
// spaces, upper case, non-ASCII letters whose lower case has another
// length, and sizes at the value limit.
var fastValues = []Value{
	nil, Null, Ignored, IgnoredObject, String(""), String(" "), String("QLD"), String("NSW"),
	String("John Smith@old.com"), String("ZOË van der BERG"), String("İSTANBUL"), String("Ⱥ a"),
	String("a-b-c"), String("True"), String("1"), String("\xff A"),
	Multi{"A B", "c"}, Multi{}, Int(3), Bool(true), DateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)),
	Redacted{V: String("SECRET value")},
}

// bigValues are strings at and near MaxValueSize.
var bigValues = []Value{
	String(strings.Repeat("A b", MaxValueSize/3)), String(strings.Repeat("a", MaxValueSize)),
	String(strings.Repeat("a", MaxValueSize+1)), String(strings.Repeat("-", MaxValueSize/2)),
}

// TestFastInPlace checks that the fast path writes only to strings it
// built: attribute values and constants stay as they were. The constants
// here live in read-only memory, where a write would crash the test.
func TestFastInPlace(t *testing.T) {
	heap := strings.Clone("HEAP Value")
	env := MapEnv{"ro": String("READ Only"), "heap": String(heap)}
	for _, src := range []string{
		`ToLower([ro])`, `StripSpaces([ro])`, `ToLower(Join("", [ro]))`, `StripSpaces(Join("", "", [heap]))`,
		`ToLower(Replace([ro], "x", , , "y", , ))`, `ToLower(Switch([ro], [heap], "a", "b"))`,
		`ToLower(IIF([ro] = "READ Only", [heap], "x"))`, `ToLower(StripSpaces(NormalizeDiacritics([heap])))`,
		`StripSpaces(ToLower("CONST TEXT" & ""))`, `ToLower(Join(" ", "", "CONST"))`,
	} {
		p := MustCompile(src)
		if p.fast == nil {
			t.Fatalf("%s: no fast path", src)
		}
		v, err := p.Eval(env)
		if err != nil {
			t.Fatal(err)
		}
		if Render(v) == "" {
			t.Errorf("%s gave nothing", src)
		}
	}
	if heap != "HEAP Value" || env["heap"] != String("HEAP Value") || env["ro"] != String("READ Only") {
		t.Errorf("an attribute value changed: %q, %v", heap, env)
	}
}

// TestFastResultsInPlace pins the results of compositions that change
// fresh strings in place.
func TestFastResultsInPlace(t *testing.T) {
	env := MapEnv{"mail": String("John.Smith@OLD.com"), "g": String("Mary Ann"), "s": String("van der Berg")}
	for _, tc := range []struct{ src, want string }{
		{`ToLower(Replace([mail], "@OLD.com", , , "@New.com", , ))`, "john.smith@new.com"},
		{`StripSpaces(Join(".", [g], [s]))`, "MaryAnn.vanderBerg"},
		{`ToLower(StripSpaces(Join(" ", [g], " ", [s])))`, "maryannvanderberg"},
		{`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [g], [s]))), "contoso.com")`, "MaryAnn.vanderBerg@contoso.com"},
		{`StripSpaces([g] & " " & [s])`, "MaryAnnvanderBerg"},
	} {
		p := MustCompile(tc.src)
		// Twice: the first result must not be changed by the second
		// evaluation.
		v1, err1 := p.Eval(env)
		v2, err2 := p.Eval(env)
		if err1 != nil || err2 != nil || Render(v1) != tc.want || Render(v2) != tc.want {
			t.Errorf("%s = %v, %v (%v, %v), want %q", tc.src, v1, v2, err1, err2, tc.want)
		}
	}
}

// TestFastCustomRegistry: a function of a custom registry that takes a
// built-in's name, or copies it, does not get the built-in's fast path.
func TestFastCustomRegistry(t *testing.T) {
	lower, _ := Default().Lookup("ToLower")
	mine := *lower
	mine.Impl = func(c *Call, args []Value) (Value, error) { return String("mine"), nil }
	p := MustCompile(`ToLower([a])`, WithFunctions(&mine))
	if p.fast != nil {
		t.Fatal("the copied function has the built-in's fast path")
	}
	if v, err := p.Eval(MapEnv{"a": String("A")}); err != nil || v != String("mine") {
		t.Errorf("Eval = %v, %v", v, err)
	}
}

// FuzzFastPath compares the fast and the full path on fuzzed values.
func FuzzFastPath(f *testing.F) {
	f.Add("John Smith", "@old.com", uint8(0))
	f.Add("ZOË  İ", "", uint8(5))
	f.Add("\xff\xfeA", "A", uint8(2))
	progs := make([]*Program, len(fastPrograms))
	for i, src := range fastPrograms {
		progs[i] = MustCompile(src)
	}
	f.Fuzz(func(t *testing.T, a, b string, kinds uint8) {
		value := func(s string, kind uint8) Value {
			switch kind % 4 {
			case 1:
				return Multi{s, b}
			case 2:
				return Redacted{V: String(s)}
			case 3:
				return nil
			}
			return String(s)
		}
		env := MapEnv{"a": value(a, kinds), "b": value(b, kinds/4), "c": String(a + b)}
		for _, p := range progs {
			v, _, ok := p.fast(env)
			if !ok {
				continue
			}
			full, err := p.evalFull(env, EvalOptions{})
			if !sameOutcome(v, full, err) {
				t.Fatalf("%s on %s: fast path %s, full path %s (%v)", p.Source(), fmt.Sprint(env), Display(v), Display(full), err)
			}
		}
	})
}

// TestFastConcurrent evaluates the same programs from several goroutines,
// each on its own objects: fresh strings belong to one evaluation, so no
// result may show another's bytes (run with -race as well).
func TestFastConcurrent(t *testing.T) {
	p := MustCompile(`ToLower(StripSpaces(Replace(Join(" ", [a], [b]), "X", , , "Y Z", , )))`)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				a := fmt.Sprintf("G%dX", g)
				b := fmt.Sprintf("N %d", i)
				want := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(a+" "+b, "X", "Y Z"), " ", ""))
				v, err := p.Eval(MapEnv{"a": String(a), "b": String(b)})
				if err != nil || v != String(want) {
					errs <- fmt.Sprintf("%s %s: got %v, %v, want %q", a, b, v, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
