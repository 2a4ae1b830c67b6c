package expr

import (
	"strings"
	"testing"
	"time"

	"github.com/attrmap/attrmap/internal/rxlimit"
	"github.com/dlclark/regexp2"
	"github.com/google/go-cmp/cmp"
)

// evalReplaceCase compiles and evaluates src the way the conformance
// runner does, returning the JSON-friendly result.
func evalReplaceCase(src string, input map[string]any, opts ...Option) (any, error) {
	p, err := Compile(src, append([]Option{WithRand(&counterReader{})}, opts...)...)
	if err != nil {
		return nil, err
	}
	v, err := p.Eval(NewEnv(input))
	if err != nil {
		return nil, err
	}
	return ToGo(v), nil
}

func TestReplaceModeOf(t *testing.T) {
	const (
		o = 1 << rpOldValue
		p = 1 << rpPattern
		g = 1 << rpGroup
		r = 1 << rpReplacement
		a = 1 << rpAttr
		m = 1 << rpTemplate
	)
	tests := []struct {
		name    string
		written int
		want    replaceMode
		blame   int // argument blamed, -1 for none
	}{
		{"text", o | r, replaceText, -1},
		{"template", o | m, replaceTemplate, -1},
		{"regex", p | r, replaceRegex, -1},
		{"group", p | g | r, replaceGroup, -1},
		{"fallback", p | g | a, replaceFallback, -1},
		{"nothing", 0, 0, rpOldValue},
		{"old and pattern", o | p | r, 0, rpPattern},
		{"old alone", o, 0, rpOldValue},
		{"old with group", o | g | r, 0, rpGroup},
		{"old with attr", o | a | r, 0, rpAttr},
		{"replacement and template", o | r | m, 0, rpTemplate},
		{"pattern alone", p, 0, rpPattern},
		{"pattern with template", p | r | m, 0, rpTemplate},
		{"group alone", p | g, 0, rpGroup},
		{"attr without group", p | a, 0, rpAttr},
		{"replacement and attr", p | g | r | a, 0, rpAttr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := replaceModeOf(func(i int) bool { return tt.written&(1<<i) != 0 })
			blame := -1
			if err != nil {
				ae, ok := err.(*ArgError)
				if !ok {
					t.Fatalf("error %T is not an *ArgError: %v", err, err)
				}
				blame = ae.Index
			}
			if diff := cmp.Diff(tt.blame, blame); diff != "" {
				t.Fatalf("blamed argument (-want +got):\n%s", diff)
			}
			if err == nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("mode (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestRegexp2Substitutions pins the .NET substitution syntax that the
// regexPattern + replacementValue mode relies on regexp2 for.
func TestRegexp2Substitutions(t *testing.T) {
	re := regexp2.MustCompile(`(?<user>\w+)@(\w+)\.com`, regexp2.None)
	tests := map[string]string{
		"${user}": "x jdoe y",
		// .NET numbers unnamed groups first, then named ones.
		"$1":       "x contoso y",
		"$2":       "x jdoe y",
		"$$":       "x $ y",
		"$&!":      "x jdoe@contoso.com! y",
		"[$`]":     "x [x ] y",
		"[$']":     "x [ y] y",
		"$+":       "x jdoe y",
		"[$_]":     "x [x jdoe@contoso.com y] y",
		"${none}":  "x ${none} y",
		"$9":       "x $9 y",
		"${1}0":    "x contoso0 y",
		"plain":    "x plain y",
		"$0-$user": "x jdoe@contoso.com-$user y",
	}
	for repl, want := range tests {
		t.Run(repl, func(t *testing.T) {
			got, err := re.Replace("x jdoe@contoso.com y", repl, -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegexReplaceGroup(t *testing.T) {
	tests := []struct {
		name, pattern, group, in, repl, want string
	}{
		{"street number", `(?<streetNumber>^\d*)`, "streetNumber", "545 Tremont Street", "888", "888 Tremont Street"},
		{"empty capture inserts", `(?<n>^\d*)`, "n", "Tremont", "888", "888Tremont"},
		{"suffix", `(?<Suffix>@(.)*)`, "Suffix", "jsmith@contoso.com", "", "jsmith"},
		{"every match", `(?<d>\d)x`, "d", "1x2x3y", "#", "#x#x3y"},
		{"group inside match", `a(?<g>b)c`, "g", "abc abc", "B", "aBc aBc"},
		{"numbered group", `a(b)c`, "1", "abc", "-", "a-c"},
		{"group not taking part", `a(?<g>b)?c`, "g", "ac abc", "X", "ac aXc"},
		{"last capture only", `(?<g>\d)+`, "g", "123", "#", "12#"},
		{"capture in lookahead kept", `a(?=(?<g>b))`, "g", "ab", "X", "ab"},
		{"runes not bytes", `(?<g>\d+)`, "g", "é545 ü7", "N", "éN üN"},
		{"no match", `(?<g>z)`, "g", "abc", "Z", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := mustRegexp(t, tt.pattern)
			num, err := groupNumber(re, rpGroup, tt.group)
			if err != nil {
				t.Fatal(err)
			}
			got, err := regexReplaceGroup(re, tt.in, num, tt.repl)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegexExtractGroup(t *testing.T) {
	re := mustRegexp(t, `\+(?<isdCode>\d* )(?<phoneNumber>\d{10})(?<ext>x\d+)?`)
	tests := []struct {
		name, in, group, want string
		ok                    bool
	}{
		{"found", "+91 8887779999", "phoneNumber", "8887779999", true},
		{"first match", "+1 1112223333 / +2 4445556666", "phoneNumber", "1112223333", true},
		{"no match", "8887779999", "phoneNumber", "", false},
		{"group not taking part", "+91 8887779999", "ext", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			num, err := groupNumber(re, rpGroup, tt.group)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := regexExtractGroup(re, tt.in, num)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([2]any{tt.want, tt.ok}, [2]any{got, ok}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplaceOrdinal(t *testing.T) {
	tests := []struct{ s, old, repl, want string }{
		{"john.doe@contoso.com", "@contoso.com", "", "john.doe"},
		{"aaa", "a", "bb", "bbbbbb"},
		{"Mary Ann", " ", ".", "Mary.Ann"},
		{"ABC", "b", "x", "ABC"},
		{"abc", "", "x", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.s+"/"+tt.old, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, replaceOrdinal(tt.s, tt.old, tt.repl)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplaceEval(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		input map[string]any
		want  any
	}{
		{"null source text mode", `Replace([a], "x", , , "y", , )`, nil, nil},
		{"null source template", `Replace([a], "<u>", , , , , "<u>@contoso.com")`, nil, nil},
		{"empty source template", `Replace([a], "<u>", , , , , "<u>@contoso.com")`, map[string]any{"a": ""}, "@contoso.com"},
		{"null source regex", `Replace([a], , "x", , "y", , )`, nil, nil},
		{"multi text", `Replace([a], "@old.com", , , "@new.com", , )`, map[string]any{"a": []any{"x@old.com", "y@old.com"}}, []string{"x@new.com", "y@new.com"}},
		{"multi regex", `Replace([a], , "^smtp:", , "", , )`, map[string]any{"a": []any{"smtp:x@c.com", "SMTP:y@c.com"}}, []string{"x@c.com", "SMTP:y@c.com"}},
		{"multi template", `Replace([a], "%", , , , , "<%>")`, map[string]any{"a": []any{"1", "2"}}, []string{"<1>", "<2>"}},
		{"number source", `Replace([n], "1", , , "9", , )`, map[string]any{"n": 1001.0}, "9009"},
		{"case-sensitive", `Replace("Hello", "hello", , , "x", , )`, nil, "Hello"},
		{"null replacement is empty", `Replace([a], "x", , , [b], , )`, map[string]any{"a": "axb"}, "ab"},
		{"fallback keeps source", `Replace([t], , "(?<n>\\d+)", "n", , [m], )`, map[string]any{"t": "123", "m": "456"}, "123"},
		{"fallback null source", `Replace([t], , "(?<n>\\d+)", "n", , [m], )`, map[string]any{"m": "x456"}, "456"},
		{"fallback no match", `Replace([t], , "(?<n>\\d+)", "n", , [m], )`, map[string]any{"t": "", "m": "none"}, ""},
		{"fallback both null", `Replace([t], , "(?<n>\\d+)", "n", , [m], )`, nil, nil},
		{"fallback multi attr", `Replace([t], , "(?<n>\\d+)", "n", , [m], )`, map[string]any{"m": []any{"a1", "b2"}}, "1"},
		{"fallback multi source", `Replace([t], , "(?<n>\\d+)", "n", , [m], )`, map[string]any{"t": []any{"x"}, "m": "1"}, []string{"x"}},
		{"runtime pattern", `Replace([a], , [p], , "#", , )`, map[string]any{"a": "a1b22", "p": `\d+`}, "a#b#"},
		{"runtime group", `Replace([a], , "(?<x>\\d)(?<y>\\d)", [g], "#", , )`, map[string]any{"a": "12", "g": "y"}, "1#"},
		{"single backslash kept", `Replace([a], , "\+(?<c>\d+)", , "${c}", , )`, map[string]any{"a": "+49"}, "49"},
		{"lookbehind", `Replace([a], , "(?<=@)contoso", , "fabrikam", , )`, map[string]any{"a": "contoso@contoso.com"}, "contoso@fabrikam.com"},
		{"fewer arguments", `Replace([a], "x", , , "y")`, map[string]any{"a": "xox"}, "yoy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalReplaceCase(tt.src, tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplaceErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		input map[string]any
		// want is a substring of the error; col is the 1-based column
		// the caret points at.
		want string
		col  int
	}{
		{"bad literal pattern", `Replace([a], , "(?<x>", , "", , )`, nil, "invalid argument 3 (regexPattern) to Replace: invalid regular expression", 16},
		{"unknown literal group", `Replace([a], , "(?<x>a)", "y", "", , )`, nil, `regexPattern has no group "y"`, 27},
		{"empty group name", `Replace([a], , "(?<x>a)", "", "", , )`, nil, "expected a group name", 27},
		{"attribute name as string", `Replace([a], , "(?<x>a)", "x", , "mobile", )`, nil, "expected an attribute reference", 34},
		{"both modes", `Replace([a], "x", "y", , "z", , )`, nil, "regexPattern cannot be combined with oldValue", 19},
		{"no mode", `Replace([a], , , , "z", , )`, nil, "Replace needs oldValue", 1},
		{"bad runtime pattern", `Replace([a], , [p], , "", , )`, map[string]any{"a": "x", "p": "[z"}, "invalid regular expression", 16},
		{"null runtime pattern", `Replace([a], , [p], , "", , )`, map[string]any{"a": "x"}, "expected a regular expression (got null)", 16},
		{"unknown runtime group", `Replace([a], , "(?<x>a)", [g], "", , )`, map[string]any{"a": "a", "g": "q"}, `no group "q"`, 27},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evalReplaceCase(tt.src, tt.input)
			if err == nil {
				t.Fatalf("want an error containing %q", tt.want)
			}
			e, ok := AsError(err)
			if !ok {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if !strings.Contains(e.Msg, tt.want) {
				t.Errorf("error %q does not contain %q", e.Msg, tt.want)
			}
			if diff := cmp.Diff(tt.col, e.Col); diff != "" {
				t.Errorf("column (-want +got):\n%s\n%s", diff, e.Render())
			}
		})
	}
}

// TestReplaceTimeout runs a catastrophically backtracking pattern under a
// short match timeout: the evaluation must fail quickly, blaming the
// pattern, without quoting the input (which may be personal data).
func TestReplaceTimeout(t *testing.T) {
	input := strings.Repeat("a", 60) + "!secret"
	start := time.Now()
	_, err := evalReplaceCase(`Replace([a], , "^(a|aa)+$", , "", , )`, map[string]any{"a": input}, WithRegexTimeout(20*time.Millisecond))
	if err == nil {
		t.Fatal("want a timeout error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	msg := err.Error()
	if !strings.Contains(msg, "regular expression timed out after 20ms of CPU time") {
		t.Errorf("error %q does not say the pattern timed out", msg)
	}
	if strings.Contains(msg, "secret") {
		t.Errorf("error %q quotes the input", msg)
	}
}

// TestNetRegex pins the .NET regular-expression layer: named blocks, .NET's
// \w, and UTF-16 code units (answers checked with the oracle of
// internal/dotnet).
func TestNetRegex(t *testing.T) {
	for _, tc := range []struct {
		src, pattern, repl, want string
	}{
		{"Αθήνα abc", `\p{IsGreek}+`, "G", "G abc"},
		{"Москва-x", `\p{IsCyrillic}`, "", "-x"},
		{"Αθήνα abc", `\P{IsGreek}+`, "_", "Αθήνα_"},
		{"Αθήνα abc", `[\p{IsGreek}a]+`, "_", "_ _bc"},
		{"Αθήνα abc", `[^\P{IsBasicLatin}]+`, "_", "Αθήνα_"},
		{"x\u200dy", `\W`, "_", "x_y"}, // ZWJ is not a word character for \w in .NET
		{"😀ab", `.`, "[$0]", "[\uFFFD][\uFFFD][a][b]"},
		{"a😀b", `\w+`, "X", "X😀X"}, // surrogates are not word characters
		{"😀😀", `😀`, "x", "xx"},
		{"😀b", `.b`, "$`|", "\uFFFD\uFFFD|"},
		{"ab", `(a)(?<n>b)`, "$+$1${n}$$", "bab$"},
		{"ab", `a`, "$2${x}$", "$2${x}$b"},
		{"😀ab", `(?<n>a)`, "[${n}]", "😀[a]b"},
	} {
		v, err := Eval(`Replace([s], , [p], , [r], , )`, NewEnv(map[string]any{"s": tc.src, "p": tc.pattern, "r": tc.repl}))
		if err != nil {
			t.Errorf("%q %q: %v", tc.src, tc.pattern, err)
			continue
		}
		if got := Render(v); got != tc.want {
			t.Errorf("Regex.Replace(%q, %q, %q) = %+q, want %+q", tc.src, tc.pattern, tc.repl, got, tc.want)
		}
	}
	if got := netPattern(`\\p{IsGreek}[\]\p{IsGreek}]`); got != `\\p{IsGreek}[\]\u0370-\u03ff]` {
		t.Errorf("netPattern kept escapes wrong: %s", got)
	}
}

func mustRegexp(t *testing.T, pattern string) *regex {
	t.Helper()
	re, err := rxlimit.Compile(netPattern(pattern), DefaultRegexTimeout)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
