package expr

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCBool(t *testing.T) {
	tests := []struct {
		name string
		in   Value
		want Value
		fail bool
	}{
		{"true", Bool(true), Bool(true), false},
		{"zero", Int(0), Bool(false), false},
		{"negative", Int(-1), Bool(true), false},
		{"fraction", Float(0.5), Bool(true), false},
		{"text True", String("True"), Bool(true), false},
		{"text false", String("FALSE"), Bool(false), false},
		{"text false with spaces", String(" false "), nil, true}, // VB compares the whole text with True and False
		{"hexadecimal", String("&H10"), Bool(true), false},
		{"thousands", String("1,000"), Bool(true), false},
		{"exponent", String(" 0e3 "), Bool(false), false},
		{"numeric text", String("0"), Bool(false), false},
		{"null", Null, Bool(false), false},
		{"empty", String(""), nil, true},
		{"word", String("yes"), nil, true},
		{"multi", Multi{"True"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cbool(tt.in)
			if (err != nil) != tt.fail {
				t.Fatalf("error = %v, want failure %v", err, tt.fail)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCStr(t *testing.T) {
	tests := []struct {
		name string
		in   Value
		want Value
	}{
		{"string", String("cn=Joe"), String("cn=Joe")},
		{"int", Int(-42), String("-42")},
		{"float", Float(1.5), String("1.5")},
		{"bool", Bool(false), String("False")},
		{"null", Null, String("")},
		{"multi", Multi{"a", "b"}, Multi{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, cstr(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBase64AndHex(t *testing.T) {
	tests := []struct {
		in, b64, hex string
	}{
		{"Hello world!", "SABlAGwAbABvACAAdwBvAHIAbABkACEA", "48656C6C6F20776F726C6421"},
		{"", "", ""},
		{"é", "6QA=", "C3A9"},
		{"😀", "PdgA3g==", "F09F9880"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.b64, toBase64Unicode(tt.in)); diff != "" {
				t.Errorf("toBase64Unicode (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.hex, utf8Hex(tt.in)); diff != "" {
				t.Errorf("utf8Hex (-want +got):\n%s", diff)
			}
			back, err := fromBase64(tt.b64, encUnicode)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.in, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromBase64(t *testing.T) {
	tests := []struct {
		name, in string
		enc      textEncoding
		want     string
		fail     bool
	}{
		{"unicode", "SABlAGwAbABvACAAdwBvAHIAbABkACEA", encUnicode, "Hello world!", false},
		{"utf8", "SGVsbG8gd29ybGQh", encUTF8, "Hello world!", false},
		{"ascii", "SGVsbG8gd29ybGQh", encASCII, "Hello world!", false},
		{"white space ignored", "SGVs bG8g\nd29y bGQh", encUTF8, "Hello world!", false},
		{"odd unicode byte", "SABp", encUnicode, "H\uFFFD", false},
		{"lone surrogate", "Pdg=", encUnicode, "\uFFFD", false},
		{"ascii high byte", "w6k=", encASCII, "??", false},
		{"invalid utf8", "/w==", encUTF8, "\uFFFD", false},
		{"missing padding", "SGk", encUTF8, "", true},
		{"not base64", "Hello world!", encUTF8, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fromBase64(tt.in, tt.enc)
			if (err != nil) != tt.fail {
				t.Fatalf("error = %v, want failure %v", err, tt.fail)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEncoding(t *testing.T) {
	tests := []struct {
		in   Value
		want textEncoding
		fail bool
	}{
		{Null, encUnicode, false},
		{String("Unicode"), encUnicode, false},
		{String("utf8"), encUTF8, false},
		{String("UTF-8"), encUTF8, false},
		{String("ASCII"), encASCII, false},
		{String("latin1"), 0, true},
		{Int(1), 0, true},
	}
	for _, tt := range tests {
		t.Run(Display(tt.in), func(t *testing.T) {
			got, err := parseEncoding(tt.in)
			if (err != nil) != tt.fail {
				t.Fatalf("error = %v, want failure %v", err, tt.fail)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSIDString(t *testing.T) {
	tests := []struct {
		name, in, want string
		fail           bool
	}{
		{"base64 domain SID", "AQUAAAAAAAUVAAAAoGXPfnhLm1/nfIdwUQQAAA==", "S-1-5-21-2127521184-1604012920-1887927527-1105", false},
		{"hex well-known", "01010000000000050A000000", "S-1-5-10", false},
		{"hex lower case", "010100000000000512000000", "S-1-5-18", false},
		{"everyone", "AQEAAAAAAAEAAAAA", "S-1-1-0", false},
		{"no sub-authority", "010000000000000F", "S-1-15", false},
		{"large authority", "0101FFFFFFFFFFFF01000000", "S-1-281474976710655-1", false}, // decimal, as .NET
		{"trailing bytes ignored", "01010000000000050A000000FF", "S-1-5-10", false},
		{"string form kept", "S-1-5-18", "S-1-5-18", false},
		{"wrong revision", "02010000000000050A000000", "", true},
		{"wrong length", "01020000000000050A000000", "", true},
		{"too short", "0101", "", true},
		{"garbage", "not a sid!", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sidString(tt.in)
			if (err != nil) != tt.fail {
				t.Fatalf("error = %v, want failure %v", err, tt.fail)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The random functions are tested with the conformance runner's source,
// the bytes 0, 1, 2, ... 255, 0, ...

func TestNewGUID(t *testing.T) {
	got, err := newGUID(&counterReader{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("00010203-0405-4607-8809-0a0b0c0d0e0f", got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got, err = newGUID(&counterReader{n: 0xF0})
	if err != nil {
		t.Fatal(err)
	}
	// Version nibble 4 and variant bits 10 are forced whatever the bytes.
	if diff := cmp.Diff("f0f1f2f3-f4f5-46f7-b8f9-fafbfcfdfeff", got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := newGUID(bytes.NewReader([]byte{1, 2, 3})); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short source: error = %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestRandIntn(t *testing.T) {
	// 256 % 100 = 56: bytes 200..255 would favour 0..55 and are skipped.
	r := bytes.NewReader([]byte{200, 255, 42})
	got, err := randIntn(r, 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(42, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A source stuck on a rejected byte must not loop forever.
	stuck := bytes.NewReader(bytes.Repeat([]byte{255}, 2000))
	if _, err := randIntn(stuck, 100); !errors.Is(err, errRandomStuck) {
		t.Errorf("stuck source: error = %v, want errRandomStuck", err)
	}
}

func TestRandomString(t *testing.T) {
	tests := []struct {
		name   string
		length int64
		mins   [4]int64
		avoid  string
		want   string
	}{
		{"documented example 1", 6, [4]int64{3, 0, 0, 3}, "", "1edf20"},
		{"documented example 2", 10, [4]int64{2, 2, 2, 1}, "?,", "1#F798gE@0"},
		{"empty", 0, [4]int64{}, "", ""},
		{"only digits left", 4, [4]int64{}, randSpecial + randUpper + randLower, "1320"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, err := newRandomSpec(tt.length, tt.mins, tt.avoid)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sp.generate(&counterReader{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRandomStringProperties checks the minimums and the avoided
// characters over many draws from a pseudo-random stream.
func TestRandomStringProperties(t *testing.T) {
	sp, err := newRandomSpec(12, [4]int64{2, 3, 1, 4}, "0Oo1lI")
	if err != nil {
		t.Fatal(err)
	}
	r := &lcgReader{state: 1}
	for range 200 {
		s, err := sp.generate(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 12 {
			t.Fatalf("%q has length %d", s, len(s))
		}
		var counts [4]int
		for _, c := range s {
			for i, set := range []string{randDigits, randSpecial, randUpper, randLower} {
				if strings.ContainsRune(set, c) {
					counts[i]++
				}
			}
			if strings.ContainsRune("0Oo1lI", c) {
				t.Fatalf("%q holds avoided %q", s, c)
			}
		}
		for i, min := range []int{2, 3, 1, 4} {
			if counts[i] < min {
				t.Fatalf("%q has %d %s, want at least %d", s, counts[i], randomSetNames[i], min)
			}
		}
	}
}

// lcgReader is a small deterministic pseudo-random stream.
type lcgReader struct{ state uint32 }

func (r *lcgReader) Read(p []byte) (int, error) {
	for i := range p {
		r.state = r.state*1664525 + 1013904223
		p[i] = byte(r.state >> 24)
	}
	return len(p), nil
}

func TestNewRandomSpecErrors(t *testing.T) {
	tests := []struct {
		name   string
		length int64
		mins   [4]int64
		avoid  string
		blame  int
	}{
		{"too long", 257, [4]int64{}, "", 0},
		{"negative length", -1, [4]int64{}, "", 0},
		{"negative minimum", 5, [4]int64{0, -1, 0, 0}, "", 2},
		{"minimums exceed length", 6, [4]int64{3, 0, 0, 4}, "", 0},
		{"no digits left", 5, [4]int64{1, 0, 0, 0}, randDigits, 5},
		{"nothing left", 5, [4]int64{}, randDigits + randSpecial + randUpper + randLower, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newRandomSpec(tt.length, tt.mins, tt.avoid)
			ae, ok := err.(*ArgError)
			if !ok {
				t.Fatalf("error = %v, want an *ArgError", err)
			}
			if diff := cmp.Diff(tt.blame, ae.Index); diff != "" {
				t.Errorf("blamed argument (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConvertEval(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		input map[string]any
		want  any
		err   string
	}{
		{"bitand hex", `BitAnd(&HF, &HF7)`, nil, "7", ""},
		{"bitand attribute", `BitAnd([uac], 2)`, map[string]any{"uac": 514.0}, "2", ""},
		{"bitand hex string", `BitAnd("&HFF", 16)`, nil, "16", ""},
		{"bitand null", `BitAnd([uac], 2)`, nil, nil, "expected an integer (got null)"},
		{"cbool comparison", `CBool([a] = [b])`, map[string]any{"a": "x", "b": "y"}, "False", ""},
		{"cbool bad", `CBool("maybe")`, nil, nil, `expected a boolean, a number, or True or False (got "maybe")`},
		{"base64 null", `ConvertToBase64([a])`, nil, nil, ""},
		{"base64 multi", `ConvertToBase64([a])`, map[string]any{"a": []any{"A", "B"}}, []string{"QQA=", "QgA="}, ""},
		{"from base64 string encoding", `ConvertFromBase64("SGk=", "utf8")`, nil, "Hi", ""},
		{"from base64 enum any case", `ConvertFromBase64("SGk=", ascii)`, nil, "Hi", ""},
		{"from base64 runtime encoding", `ConvertFromBase64("SGk=", [e])`, map[string]any{"e": "UTF8"}, "Hi", ""},
		{"from base64 bad literal encoding", `ConvertFromBase64("SGk=", "latin1")`, nil, nil, "invalid argument 2 (encoding) to ConvertFromBase64: expected Unicode, UTF8 or ASCII"},
		{"from base64 bad text", `ConvertFromBase64([a])`, map[string]any{"a": "**"}, nil, "expected a base64 string"},
		{"utf8 hex objectId", `ConvertToUTF8Hex([objectId])`, map[string]any{"objectId": "00aa"}, "30306161", ""},
		{"guid twice differs", `Join(",", Guid(), Guid())`, nil, "00010203-0405-4607-8809-0a0b0c0d0e0f,10111213-1415-4617-9819-1a1b1c1d1e1f", ""},
		{"random string literal error", `RandomString(300, 0, 0, 0, 0)`, nil, nil, "invalid argument 1 (Length) to RandomString: expected a length from 0 to 256 (got 300)"},
		{"random string runtime error", `RandomString([n], 0, 0, 0, 0)`, map[string]any{"n": "300"}, nil, "expected a length from 0 to 256"},
		{"random string runtime", `RandomString([n], 3, 0, 0, 3)`, map[string]any{"n": 6.0}, "1edf20", ""},
		{"random string sum", `RandomString(3, 1, 1, 1, 1)`, nil, nil, "expected at least 4, got 3"},
		{"error raised", `IIF(IsPresent([accountName]), [accountName], Error("AccountName is required"))`, nil, nil, "Error: AccountName is required"},
		{"error not folded", `IIF(True, "ok", Error("never"))`, nil, "ok", ""},
		{"error empty message", `Error("")`, nil, nil, "the expression raised an error"},
		{"sid", `StringFromSID([objectSid])`, map[string]any{"objectSid": "AQEAAAAAAAEAAAAA"}, "S-1-1-0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalReplaceCase(tt.src, tt.input)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeUTF8 pins .NET Core's replacement of maximal subparts.
func TestDecodeUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte("abc"), "abc"},
		{[]byte{0xE2, 0x82}, "\uFFFD"},                   // truncated three-byte sequence: one
		{[]byte{0xF0, 0x80, 0x80}, "\uFFFD\uFFFD\uFFFD"}, // F0 80 can never be valid: three
		{[]byte{0xF0, 0x9F, 0x98}, "\uFFFD"},             // a truncated emoji: one
		{[]byte{0xED, 0xA0, 0x80}, "\uFFFD\uFFFD\uFFFD"}, // an encoded surrogate: three
		{[]byte{0xC0, 0xAF}, "\uFFFD\uFFFD"},             // overlong: two
		{[]byte{0xE2, 0x82, 0x41}, "\uFFFDA"},
		{[]byte{0xF4, 0x90, 0x80, 0x80}, "\uFFFD\uFFFD\uFFFD\uFFFD"}, // above U+10FFFF
		{[]byte{0xE2, 0x82, 0xAC}, "€"},
	} {
		if got := decodeUTF8(tc.in); got != tc.want {
			t.Errorf("decodeUTF8(% X) = %+q, want %+q", tc.in, got, tc.want)
		}
	}
}
