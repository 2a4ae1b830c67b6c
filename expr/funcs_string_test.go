package expr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// familyCase is one expression evaluated through Compile and Eval by the
// string, text and multi-valued tests. want is compared with ToGo of the
// result; err, when set, is a substring of the expected error.
type familyCase struct {
	name  string
	expr  string
	input map[string]any
	want  any
	err   string
}

// runFamilyCases compiles and evaluates each case as a subtest.
func runFamilyCases(t *testing.T, cases []familyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Eval(tc.expr, NewEnv(tc.input))
			if tc.err != "" {
				if err == nil {
					t.Fatalf("%s: want error containing %q, got %s", tc.expr, tc.err, Display(v))
				}
				if _, ok := AsError(err); !ok {
					t.Errorf("error is %T, not *Error", err)
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%s: want error containing %q, got %q", tc.expr, tc.err, err.Error())
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.expr, err)
			}
			if diff := cmp.Diff(tc.want, ToGo(v)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}

func TestLeft(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"doc", "John Doe", 3, "Joh"},
		{"zero", "John Doe", 0, ""},
		{"negative is whole", "John Doe", -1, "John Doe"},
		{"longer than string", "Jo", 5, "Jo"},
		{"exact", "Jo", 2, "Jo"},
		{"code points", "Zoë Ångström", 3, "Zoë"},
		{"empty", "", 3, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, left(tc.s, tc.n)); diff != "" {
				t.Errorf("left(%q, %d) (-want +got):\n%s", tc.s, tc.n, diff)
			}
		})
	}
}

func TestMid(t *testing.T) {
	tests := []struct {
		name     string
		s        string
		start, n int
		want     string
	}{
		{"connect doc", "John Doe", 3, 5, "hn Do"},
		{"length past end", "John Doe", 6, 999, "Doe"},
		{"first letter", "John", 1, 1, "J"},
		{"start past end", "J", 2, 64, ""},
		{"start far past end", "John", 100, 1, ""},
		{"zero length", "John", 2, 0, ""},
		{"code points", "Jörg", 2, 2, "ör"},
		{"empty", "", 1, 3, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, mid(tc.s, tc.start, tc.n)); diff != "" {
				t.Errorf("mid(%q, %d, %d) (-want +got):\n%s", tc.s, tc.start, tc.n, diff)
			}
		})
	}
}

func TestInstr(t *testing.T) {
	tests := []struct {
		name      string
		s, sub    string
		start     int
		text      bool
		wantIndex int
	}{
		{"doc quick", "The quick brown fox", "quick", 1, false, 5},
		{"doc repEated binary", "repEated", "e", 3, false, 7},
		{"repEated text", "repEated", "e", 3, true, 4},
		{"not found", "abc", "x", 1, false, 0},
		{"first char", "abc", "a", 1, false, 1},
		{"start skips match", "abcabc", "a", 2, false, 4},
		{"empty sub gives start", "abc", "", 2, false, 2},
		{"start one past end, empty sub", "abc", "", 4, false, 4}, // VB.NET's InternalInStrBinary
		{"start one past end", "abc", "c", 4, false, 0},
		{"start two past end", "abc", "", 5, false, 0},
		{"emoji is two positions", "😀ab", "a", 1, false, 3},
		{"search from the second half", "😀ab", "b", 2, false, 4},
		{"emoji found", "a😀b😀", "😀", 3, false, 5},
		{"empty source", "", "", 1, false, 0},
		{"code point positions", "Zoë Smith", "Smith", 1, false, 5},
		{"text non-ASCII", "ÅNGSTRÖM", "ström", 1, true, 4},
		{"sub longer than source", "ab", "abc", 1, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := instr(tc.s, tc.sub, tc.start, tc.text)
			if diff := cmp.Diff(tc.wantIndex, got); diff != "" {
				t.Errorf("instr(%q, %q, %d, %v) (-want +got):\n%s", tc.s, tc.sub, tc.start, tc.text, diff)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name     string
		s, delim string
		want     []string
	}{
		{"comma", "a,b", ",", []string{"a", "b"}},
		{"keeps spaces", "PermissionSetOne, PermissionSetTwo", ",", []string{"PermissionSetOne", " PermissionSetTwo"}},
		{"keeps empty parts", "a,,b,", ",", []string{"a", "", "b", ""}},
		{"multi-character delimiter", "a::b", "::", []string{"a", "b"}},
		{"no delimiter in string", "ab", ",", []string{"ab"}},
		{"empty delimiter", "ab", "", []string{"ab"}},
		{"empty string", "", ",", []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, split(tc.s, tc.delim)); diff != "" {
				t.Errorf("split(%q, %q) (-want +got):\n%s", tc.s, tc.delim, diff)
			}
		})
	}
}

func TestWord(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		n      int
		delims string
		want   string
	}{
		{"doc brown", "The quick brown fox", 3, " ", "brown"},
		{"doc has", "This,string!has&many separators", 3, ",!&#", "has"},
		{"space is not a delimiter here", "This,string!has&many separators", 4, ",!&#", "many separators"},
		{"past last word", "The quick brown fox", 5, " ", ""},
		{"zero", "a b", 0, " ", ""},
		{"negative", "a b", -1, " ", ""},
		{"runs of delimiters", "a,,b", 2, ",", "b"},
		{"leading delimiters", ",,a", 1, ",", "a"},
		{"only delimiters", ",,,", 1, ",", ""},
		{"no delimiter", "abc", 1, ",", "abc"},
		{"empty delimiters", "a b", 1, "", "a b"},
		{"non-ASCII delimiter", "a·b", 2, "·", "b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, word(tc.s, tc.n, tc.delims)); diff != "" {
				t.Errorf("word(%q, %d, %q) (-want +got):\n%s", tc.s, tc.n, tc.delims, diff)
			}
		})
	}
}

func TestStripSpacesAndTrim(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		wantStrip string
		wantTrim  string
	}{
		{"spaces", " a b ", "ab", "a b"},
		{"tab and newline", "\ta b\n", "\tab\n", "a b"},
		{"no-break space", "\u00a0a\u00a0", "\u00a0a\u00a0", "a"},
		{"ideographic space", "\u3000a", "\u3000a", "a"},
		{"nothing to do", "ab", "ab", "ab"},
		{"empty", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.wantStrip, stripSpaces(tc.s)); diff != "" {
				t.Errorf("stripSpaces(%q) (-want +got):\n%s", tc.s, diff)
			}
			if diff := cmp.Diff(tc.wantTrim, trimSpace(tc.s)); diff != "" {
				t.Errorf("trimSpace(%q) (-want +got):\n%s", tc.s, diff)
			}
		})
	}
}

func TestDNComponent(t *testing.T) {
	tests := []struct {
		name   string
		dn     string
		n      int
		want   string
		wantOK bool
	}{
		{"first", "cn=Joe,ou=Atlanta,dc=contoso,dc=com", 1, "Joe", true},
		{"third", "cn=Joe,ou=Atlanta,dc=contoso,dc=com", 3, "contoso", true},
		{"last", "cn=Joe,ou=Atlanta,dc=contoso,dc=com", 4, "com", true},
		{"past last", "cn=Joe,ou=Atlanta", 3, "", false},
		{"zero", "cn=Joe", 0, "", false},
		{"escaped comma", `CN=Doe\, John,OU=Users`, 1, "Doe, John", true},
		{"after escaped comma", `CN=Doe\, John,OU=Users`, 2, "Users", true},
		{"hex escape", `CN=Doe\2C John,OU=Users`, 1, "Doe, John", true},
		{"escaped backslash", `CN=a\\,OU=b`, 1, `a\`, true},
		{"spaces around", "cn=Joe , ou = Atlanta", 2, "Atlanta", true},
		{"trailing backslash", `CN=a\`, 1, `a\`, true},
		{"no type", "Joe,Atlanta", 2, "Atlanta", true},
		{"empty", "", 1, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := dnComponent(tc.dn, tc.n)
			if diff := cmp.Diff(tc.want, got); diff != "" || ok != tc.wantOK {
				t.Errorf("dnComponent(%q, %d) = %q, %v; want ok %v (-want +got):\n%s", tc.dn, tc.n, got, ok, tc.wantOK, diff)
			}
		})
	}
}

func TestJoinAllocations(t *testing.T) {
	// Joining one present value with absent ones must hand the value back,
	// not a copy: it is the first step of every generated UPN.
	args := []Value{String("."), String("John"), Null, String("")}
	got, _ := join(args)
	if diff := cmp.Diff(Value(String("John")), got); diff != "" {
		t.Errorf("join (-want +got):\n%s", diff)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = join(args) }); n != 0 {
		t.Errorf("join of a lone value allocates %v times, want 0", n)
	}
	two := []Value{String("."), String("John"), String("Smith")}
	if n := testing.AllocsPerRun(100, func() { _, _ = join(two) }); n > 2 {
		t.Errorf("join of two values allocates %v times, want at most 2", n)
	}
}

func TestStringFuncs(t *testing.T) {
	runFamilyCases(t, []familyCase{
		{name: "Append doc", expr: `Append([userPrincipalName], ".test")`, input: map[string]any{"userPrincipalName": "John.Doe@contoso.com"}, want: "John.Doe@contoso.com.test"},
		{name: "Append null source", expr: `Append([x], ".test")`, want: ".test"},
		{name: "Append multi", expr: `Append([x], "!")`, input: map[string]any{"x": []any{"a", "b"}}, want: []string{"a!", "b!"}},
		{name: "Append number", expr: `Append(1000, 1)`, want: "10001"},
		{name: "Join doc comma", expr: `Join(", ", "", [surname], [givenName])`, input: map[string]any{"givenName": "John", "surname": "Doe"}, want: "Doe, John"},
		{name: "Join multi", expr: `Join(";", [m], "z")`, input: map[string]any{"m": []any{"a", "", "b"}}, want: "a;b;z"},
		{name: "Join all null", expr: `Join(".", [a], [b])`, want: ""},
		{name: "Join number", expr: `Join("", 1000, "42")`, want: "100042"},
		{name: "Join null separator", expr: `Join([sep], "a", "b")`, want: "ab"},
		{name: "Left null", expr: `Left([x], 3)`, want: ""},
		{name: "Left string count", expr: `Left("John", "2")`, want: "Jo"},
		{name: "Left bad count", expr: `Left("John", "two")`, err: `invalid argument 2 (numChars) to Left: expected an integer (got "two")`},
		{name: "Mid string args", expr: `Mid([f], "1", "2")`, input: map[string]any{"f": "Mary-Ann"}, want: "Ma"},
		{name: "Mid null", expr: `Mid([x], 1, 3)`, want: ""},
		{name: "Mid start zero", expr: `Mid("John", 0, 3)`, err: "expected a start position of 1 or more (got 0)"},
		{name: "Mid negative length", expr: `Mid("John", 1, -1)`, err: "expected a length of 0 or more (got -1)"},
		{name: "Mid two args", expr: `Mid("John", 2)`, err: "invalid number of arguments for Mid (expected 3, got 2)"},
		{name: "Mid multi", expr: `Mid([x], 1, 1)`, input: map[string]any{"x": []any{"ab", "cd"}}, want: []string{"a", "c"}},
		{name: "InStr doc", expr: `InStr("The quick brown fox", "quick")`, want: "5"},
		{name: "InStr text compare", expr: `InStr("repEated", "e", 3, vbTextCompare)`, want: "4"},
		{name: "InStr compare as string", expr: `InStr("repEated", "e", 3, "vbTextCompare")`, want: "4"},
		{name: "InStr empty start", expr: `InStr("repEated", "E", , 1)`, want: "2"},
		{name: "InStr null source", expr: `InStr([x], "@")`, want: "0"},
		{name: "InStr bad compare literal", expr: `InStr("a", "b", 1, 7)`, err: "expected vbBinaryCompare, vbTextCompare or vbDatabaseCompare (got 7)"},
		{name: "InStr bad compare runtime", expr: `InStr("a", "b", 1, [c])`, input: map[string]any{"c": "fuzzy"}, err: `(got "fuzzy")`},
		{name: "InStr start zero", expr: `InStr("a", "b", 0)`, err: "expected a start position of 1 or more (got 0)"},
		{name: "InStr multi", expr: `InStr([m], "a")`, input: map[string]any{"m": []any{"a", "b"}}, err: "expected a single value"},
		{name: "Split doc", expr: `Split([e], ",")`, input: map[string]any{"e": "PermissionSetOne, PermissionSetTwo"}, want: []string{"PermissionSetOne", " PermissionSetTwo"}},
		{name: "Split null", expr: `Split([e], ",")`, want: nil},
		{name: "Split multi", expr: `Split([e], ",")`, input: map[string]any{"e": []any{"a,b", "c"}}, want: []string{"a", "b", "c"}},
		{name: "StripSpaces null", expr: `StripSpaces([x])`, want: nil},
		{name: "StripSpaces multi", expr: `StripSpaces([x])`, input: map[string]any{"x": []any{"a b", "c d"}}, want: []string{"ab", "cd"}},
		{name: "Trim doc", expr: `Trim(" Test ")`, want: "Test"},
		{name: "Trim null", expr: `Trim([x])`, want: nil},
		{name: "Word doc", expr: `Word("This,string!has&many separators", 3, ",!&#")`, want: "has"},
		{name: "Word null", expr: `Word([x], 1, " ")`, want: ""},
		{name: "DNComponent", expr: `DNComponent([manager], 1)`, input: map[string]any{"manager": "CN=Jane Doe,OU=Users,DC=contoso,DC=com"}, want: "Jane Doe"},
		{name: "DNComponent out of range", expr: `DNComponent("CN=a", 2)`, want: nil},
		{name: "DNComponent null", expr: `DNComponent([x], 1)`, want: nil},
		{name: "DNComponent multi", expr: `DNComponent([x], 1)`, input: map[string]any{"x": []any{"CN=a", "CN=b"}}, err: "expected a single value"},
	})
}

func BenchmarkUPNChain(b *testing.B) {
	p := MustCompile(`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [a], [b]))), "contoso.com")`)
	env := MapEnv{"a": String("John"), "b": String("Smith")}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

// TestInstrText pins vbTextCompare (answers checked with the oracle of
// internal/dotnet).
func TestInstrText(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		start  int
		want   int
	}{
		{"repEated", "e", 3, 4},
		{"Straße", "SS", 1, 5},
		{"xSSy", "ß", 1, 2},
		{"ｆｕｌｌAb", "ＡＢ", 5, 5},
		{"ｆｕｌｌ", "FULL", 1, 1},
		{"cafe\u0301 x", "café", 1, 1},
		{"cafe x", "café", 1, 0}, // accents count
		{"Joséǟ", "É", 2, 4},
		{"😀ab", "B", 1, 4},    // UTF-16 positions
		{"Straße", "s", 6, 0}, // not half of ß
		{"", "", 1, 0},
		{"abc", "", 4, 4},
	} {
		if got := instr(tc.s, tc.sub, tc.start, true); got != tc.want {
			t.Errorf("InStr(%q, %q, %d, vbTextCompare) = %d, want %d", tc.s, tc.sub, tc.start, got, tc.want)
		}
	}
}
