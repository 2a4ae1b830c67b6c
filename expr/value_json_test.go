package expr

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestAppendJSON pins the JSON form of every kind of value: booleans and
// numbers keep their JSON type, date-times are strings.
func TestAppendJSON(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		want string
	}{
		{Null, `null`},
		{nil, `null`},
		{Ignored, `null`},
		{IgnoredObject, `null`},
		{Bool(true), `true`},
		{Bool(false), `false`},
		{Int(1001), `1001`},
		{Int(129699324000000000), `129699324000000000`},
		{Int(-7), `-7`},
		{Float(2.5), `2.5`},
		{Float(1e-5), `1E-05`},
		{Float(1.2345678901234568e20), `1.2345678901234568E+20`},
		{Float(math.NaN()), `"NaN"`},
		{Float(math.Inf(-1)), `"-Infinity"`},
		{String("True"), `"True"`},
		{String(""), `""`},
		{String("a\"b\\c\n\t\x01<&>\u2028zoë"), `"a\"b\\c\n\t\u0001<&>\u2028zoë"`},
		{String("\xff"), `"\ufffd"`},
		{DateTime(time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)), `"7/1/2024 9:00:00 AM"`},
		{Multi{"a", "B"}, `["a","B"]`},
		{Multi{}, `[]`},
		{Redacted{V: Bool(false)}, `false`},
		{Redacted{V: String("secret")}, `"secret"`},
	} {
		if got := string(AppendJSON(nil, tc.v)); got != tc.want {
			t.Errorf("AppendJSON(%s) = %s, want %s", Display(tc.v), got, tc.want)
		}
		if !json.Valid(AppendJSON(nil, tc.v)) {
			t.Errorf("AppendJSON(%s) is not JSON", Display(tc.v))
		}
	}
	if got := string(AppendJSON([]byte("x:"), Int(1))); got != "x:1" {
		t.Errorf("AppendJSON does not append: %q", got)
	}
}

// encodingJSON is what encoding/json writes for s, with or without its
// HTML escaping.
func encodingJSON(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// TestAppendJSONString: the escaping is encoding/json's, with and without
// its HTML escaping, on awkward strings and 2000 random ones (the planner's
// plan and state writers escape through it).
func TestAppendJSONString(t *testing.T) {
	cases := []string{"", "plain", `quote " and \ backslash`, "<a href='x'>&amp;</a>", "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f\x7f", "é ß 日本 😀", "\u2028 and \u2029", "bad \xff utf-8 \xc3", "\xed\xa0\x80 surrogate", "trailing \xe2\x82"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "\"", "\\", "<", ">", "&", "\n", "\x00", "\x1f", "\x7f", "é", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", " "}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		for _, html := range []bool{false, true} {
			if got, want := string(AppendJSONString(nil, s, html)), encodingJSON(s, html); got != want {
				t.Errorf("AppendJSONString(%q, html %t) = %s, encoding/json writes %s", s, html, got, want)
			}
		}
	}
}

// FuzzAppendJSON checks that strings are written byte for byte as
// encoding/json writes them (with and without HTML escaping), and that numbers are JSON that reads back as
// the same number.
func FuzzAppendJSON(f *testing.F) {
	f.Add("plain", 0.5)
	f.Add("\x00\x1f\"\\\u2028\u2029\xed\xa0\x80<>&\b\f", 1e300)
	f.Add("zoë", math.Copysign(0, -1))
	f.Add("", 129699324000000000.0)
	f.Add("a<b>&c", 1.0)
	f.Add("\u2028\xff😀", -2.5)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if got, want := string(AppendJSON(nil, String(s))), encodingJSON(s, false); got != want {
			t.Fatalf("AppendJSON(%q) = %s, encoding/json writes %s", s, got, want)
		}
		for _, html := range []bool{false, true} {
			if got, want := string(AppendJSONString(nil, s, html)), encodingJSON(s, html); got != want {
				t.Fatalf("AppendJSONString(%q, html %t) = %s, encoding/json writes %s", s, html, got, want)
			}
		}
		n := Float(x)
		out := AppendJSON(nil, n)
		if !json.Valid(out) {
			t.Fatalf("AppendJSON(%v) = %s is not JSON", x, out)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		var back float64
		if err := json.Unmarshal(out, &back); err != nil || back != n.Float64() {
			t.Fatalf("AppendJSON(%v) = %s reads back as %v (%v)", x, out, back, err)
		}
	})
}
