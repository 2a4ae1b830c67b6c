package dotnet

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Case is one generated question: the oracle's operation and arguments,
// and how to write the same question as an attrmap expression.
type Case struct {
	Family string
	// Func names the attrmap function under test, the row of the agreement
	// table.
	Func string
	Op   string
	Args []string
	// Expr and Input are the attrmap side. When Build is set they are
	// computed from the oracle's aux answer (a generated source text).
	Expr  string
	Input map[string]any
	Build func(aux string) (string, map[string]any)
}

// Families lists the function families in table order.
var Families = []string{"positions", "casing", "numbers", "datediff", "regex", "vbnumeric", "dates", "text"}

// Generate returns n cases of family, the same for the same seed.
func Generate(family string, seed uint64, n int) []Case {
	g := &gen{r: rand.New(rand.NewPCG(seed, hash(family)))}
	out := make([]Case, 0, n)
	for len(out) < n {
		var c Case
		switch family {
		case "positions":
			c = g.positions()
		case "casing":
			c = g.casing()
		case "numbers":
			c = g.numbers()
		case "datediff":
			c = g.datediff()
		case "regex":
			c = g.regex()
		case "vbnumeric":
			c = g.vbnumeric()
		case "dates":
			c = g.dates()
		case "text":
			c = g.text()
		default:
			panic("dotnet: unknown family " + family)
		}
		c.Family = family
		out = append(out, c)
	}
	return out
}

func hash(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

type gen struct{ r *rand.Rand }

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) intn(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// pieces of realistic text: names, accents, astral characters (emoji,
// mathematical letters, Deseret), combining marks, the Turkish dotted and
// dotless i, ß, CJK and full-width forms.
var textPieces = []string{
	"John", "Doe", "Zoë", "José", "González", "O'Brien", "van der Berg", "Ødegård", "Łukasz",
	"İstanbul", "ılık", "IŞIK", "Straße", "STRASSE", "ǅemal", "ΣΟΦΙΑ", "σοφία", "Ωμέγα", "Жанна", "ЁЛКА",
	"😀", "👩‍💻", "𝒜𝓁𝒾𝒸ℯ", "𐐷𐐀", "🇫🇷", "e\u0301", "a\u0308\u0304", "李小龍", "ｆｕｌｌ", "ＡＢＣ", "ﬁ", "Ǉ",
	" ", "-", ".", "@", "_", "contoso.com", "x", "Ab", "\u00a0", "\t", "Ⅻ", "ǰ", "ŉ", "Ꭰ", "ꭰ", "Ა", "ა",
}

func (g *gen) words(minPieces, maxPieces int) string {
	var b strings.Builder
	for i, n := 0, g.intn(minPieces, maxPieces); i < n; i++ {
		b.WriteString(textPieces[g.r.IntN(len(textPieces))])
	}
	return b.String()
}

// utf16Len is the length .NET gives s.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }

func (g *gen) positions() Case {
	s := g.words(1, 5)
	n := utf16Len(s)
	in := map[string]any{"s": s}
	switch g.r.IntN(3) {
	case 0:
		start, length := g.intn(1, n+2), g.intn(0, n+1)
		return Case{Func: "Mid", Op: "mid", Args: []string{s, itoa(start), itoa(length)},
			Expr: fmt.Sprintf("Mid([s], %d, %d)", start, length), Input: in}
	case 1:
		k := g.intn(0, n+1)
		return Case{Func: "Left", Op: "left", Args: []string{s, itoa(k)},
			Expr: fmt.Sprintf("Left([s], %d)", k), Input: in}
	}
	t := g.words(1, 1)
	if g.r.IntN(2) == 0 {
		// a piece of s itself, so that most searches find something
		rs := []rune(s)
		i := g.r.IntN(len(rs))
		t = string(rs[i:min(len(rs), i+g.intn(1, 3))])
	}
	start := g.intn(1, n+1)
	in["t"] = t
	return Case{Func: "InStr", Op: "instr", Args: []string{s, t, itoa(start)},
		Expr: fmt.Sprintf("InStr([s], [t], %d, vbBinaryCompare)", start), Input: in}
}

var cultures = []string{"tr-TR", "az-Latn-AZ", "en-US", "de-DE", "fr-FR", "el-GR", "ru-RU", "lt-LT", "nl-NL"}

func (g *gen) casing() Case {
	s := g.words(1, 4)
	in := map[string]any{"s": s}
	lower := g.r.IntN(2) == 0
	fn, op := "ToUpper", "upper"
	if lower {
		fn, op = "ToLower", "lower"
	}
	if g.r.IntN(3) == 0 {
		c := g.pick(cultures...)
		return Case{Func: fn + " (culture)", Op: op + "c", Args: []string{s, c},
			Expr: fmt.Sprintf("%s([s], %q)", fn, c), Input: in}
	}
	return Case{Func: fn, Op: op, Args: []string{s}, Expr: fmt.Sprintf("%s([s])", fn), Input: in}
}

// numberLiteral is a random number written as the language writes it (no
// exponent): integers, money amounts, fractions, very large and very small
// magnitudes, and the sums of binary fractions that have no short form.
func (g *gen) numberLiteral() string {
	var f float64
	switch g.r.IntN(6) {
	case 0:
		return strconv.FormatInt(g.r.Int64N(1_000_000_000)-500_000_000, 10)
	case 1:
		f = float64(g.r.IntN(10_000_000)) / 100
	case 2:
		f = g.r.Float64() * math.Pow(10, float64(g.intn(-9, 22)))
	case 3:
		f = float64(g.intn(1, 9))/10 + float64(g.intn(1, 9))/10
	case 4:
		f = math.Pow(10, float64(g.intn(-8, 20))) * float64(g.intn(1, 99))
	default:
		f = float64(g.r.Int64N(1<<53)) / float64(int64(1)<<g.intn(1, 40))
	}
	if g.r.IntN(4) == 0 {
		f = -f
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func (g *gen) numbers() Case {
	lit := g.numberLiteral()
	op := "num"
	if !strings.Contains(lit, ".") {
		// the language reads an integer literal as a long (AD file times
		// need all 64 bits), which .NET renders as Int64.ToString does
		op = "int"
	}
	switch g.r.IntN(3) {
	case 0:
		return Case{Func: "CStr", Op: op, Args: []string{lit}, Expr: "CStr(" + lit + ")"}
	case 1:
		return Case{Func: "Join", Op: op, Args: []string{lit}, Expr: `Join("", ` + lit + `)`}
	}
	return Case{Func: "Append (implicit)", Op: op, Args: []string{lit}, Expr: `Append("", ` + lit + `)`}
}

// date returns a random instant between 1990 and 2040 (sometimes with a
// fraction of a second), in the oracle's ISO form.
func (g *gen) date() time.Time {
	base := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	t := base.Add(time.Duration(g.r.Int64N(int64(50 * 365 * 24 * time.Hour))))
	switch g.r.IntN(3) {
	case 0:
		t = t.Truncate(24 * time.Hour)
	case 1:
		t = t.Truncate(time.Second)
	default:
		t = t.Truncate(100 * time.Nanosecond)
	}
	return t
}

func iso(t time.Time) string { return t.Format("2006-01-02T15:04:05.9999999Z") }

var intervals = []string{"yyyy", "q", "m", "y", "d", "w", "ww", "h", "n", "s"}

func (g *gen) datediff() Case {
	a := g.date()
	var b time.Time
	switch g.r.IntN(3) {
	case 0: // near: within a few weeks, where boundaries matter
		b = a.Add(time.Duration(g.r.Int64N(int64(40*24*time.Hour))) - 20*24*time.Hour)
	case 1:
		b = g.date()
	default: // the same time of day, a whole number of days apart
		b = a.AddDate(0, 0, g.intn(-30, 30))
	}
	iv := g.pick(intervals...)
	return Case{Func: "DateDiff " + iv, Op: "datediff", Args: []string{iv, iso(a), iso(b)},
		Expr:  fmt.Sprintf("DateDiff(%q, CDate([a]), CDate([b]))", iv),
		Input: map[string]any{"a": iso(a), "b": iso(b)}}
}

var regexAtoms = []string{
	`\d+`, `\w+`, `\s+`, `[A-Z]`, `[a-z]+`, `[^@]+`, `.`, `\p{IsGreek}+`, `\p{IsCyrillic}`, `\p{IsBasicLatin}+`,
	`\p{L}`, `\p{Lu}+`, `\P{L}+`, `(\w)\1`, `(?<name>\w+)`, `(?<d>\d)`, `(?i:abc)`, `(?=\d)`, `(?<=@)\w+`,
	`\b\w`, `^`, `$`, `a|b`, `[\p{IsLatin-1Supplement}]`, `\.`, `@`, `x*?`, `.+?`, `(ab)+`, `\D`, `\W`, `[ -]`,
	`\p{IsGeneralPunctuation}`, `\p{IsCJKUnifiedIdeographs}+`, `\p{IsArmenian}`, `(?:\d{3})`, `[aeiou]{2,}`,
}

var replPieces = []string{"", "-", "$1", "${name}", "$&", "$$", "X", "[$0]", "${d}", "$`", "$'", "$+", "$_", "é", "😀"}

func (g *gen) regex() Case {
	var p strings.Builder
	for i, n := 0, g.intn(1, 3); i < n; i++ {
		p.WriteString(g.pick(regexAtoms...))
	}
	var r strings.Builder
	for i, n := 0, g.intn(0, 2); i < n; i++ {
		r.WriteString(g.pick(replPieces...))
	}
	s := g.words(1, 5) + g.pick("", " 42", "abab", "@contoso.com", "123-456", "Αθήνα", "Москва", "aab")
	return Case{Func: "Replace (regex)", Op: "regex", Args: []string{s, p.String(), r.String()},
		Expr:  "Replace([s], , [p], , [r], , )",
		Input: map[string]any{"s": s, "p": p.String(), "r": r.String()}}
}

var vbNumbers = []string{
	"0", "1", "-1", "10", " 12 ", "&H10", "&h1F", "&HFF", "&O17", "&o7", "&HFFFFFFFF", "&H7FFFFFFFFFFFFFFF",
	"1,000", "1,000,000", "1e3", "1E-2", "2.5", "-2.5", "3.5", "+7", "7-", "(8)", "1.", ".5", "0x10", "&H",
	"&HG", "abc", "", " ", "True", "false", "TRUE", "1 000", "1_000", "١٢", "１２", "¤5", "$5", "5%", "Infinity",
	"NaN", "1e400", "00012", "1.0", "-0", "\t3", "3\n", "&H 10", " &H10", "&H10 ",
}

func (g *gen) vbnumeric() Case {
	s := g.pick(vbNumbers...)
	if g.r.IntN(3) == 0 {
		s = g.pick(" ", "", "-", "+") + strconv.Itoa(g.intn(-5000, 5000)) + g.pick("", ".25", ".5", ",000", " ", "e2")
	}
	in := map[string]any{"s": s}
	switch g.r.IntN(3) {
	case 0:
		return Case{Func: "CBool", Op: "vbbool", Args: []string{s}, Expr: "CBool([s])", Input: in}
	case 1:
		return Case{Func: "BitAnd", Op: "vblong", Args: []string{s}, Expr: "BitAnd([s], [s])", Input: in}
	}
	return Case{Func: "DateAdd (number)", Op: "vbdateadd", Args: []string{s, "2000-01-01T00:00:00Z"},
		Expr: `DateAdd("s", [s], CDate("2000-01-01T00:00:00Z"))`, Input: in}
}

var fmtPieces = []string{
	"yyyy", "yy", "MM", "M", "MMM", "MMMM", "dd", "d", "ddd", "dddd", "HH", "H", "hh", "h", "mm", "m",
	"ss", "s", "f", "ff", "fff", "fffffff", "FFF", "tt", "t", "zzz", "zz", "K", "'T'", `\Z`, "-", "/", ":",
	" ", ".", ",", "'at'", "g",
}

var fmtTemplates = []string{
	"yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyyMMddHHmmss", "M/d/yyyy h:mm:ss tt", "dd.MM.yyyy", "yyyy-MM-ddTHH:mm:ss.fffK",
	"dddd, MMMM d, yyyy", "yyyy-MM-ddzzz", "o", "s", "u", "d", "D", "G", "yyMMdd", "HH:mm", "MMM d yyyy hh:mm tt",
	"yyyyMMddHHmmss.fZ", "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "%d", "%M", "h tt", "tt",
}

var cdateForms = []string{
	"2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05-07:00", "2006-01-02 15:04:05.999",
	"1/2/2006 3:04:05 PM", "1/2/2006", "01/02/06", "1/2/06 15:04", "January 2, 2006", "2 Jan 2006", "Mon, 02 Jan 2006 15:04:05 GMT",
	"2006-01-02T15:04:05,123", "2006-01-02T15:04:05.123Z", "Jan 2006", "2006-01", "2006/01/02", "15:04:05 2006-01-02",
	"2006-01-02T15:04", "2 January 2006 3:04 PM", "2006-01-02-07:00", "2006-01-02+05:30",
}

func (g *gen) dates() Case {
	t := g.date()
	if g.r.IntN(2) == 0 {
		layout := g.pick(cdateForms...)
		s := t.Format(layout)
		if g.r.IntN(8) == 0 {
			// a two-digit year around the pivots of Mono (2029) and
			// modern .NET (2049)
			yy := g.pick("29", "30", "49", "50", "00", "99", strconv.Itoa(g.intn(10, 99)))
			s = fmt.Sprintf("%d/%d/%s", t.Month(), t.Day(), yy) + g.pick("", " 10:30", " 3:04:05 PM")
		}
		return Case{Func: "CDate", Op: "cdate", Args: []string{s}, Expr: "CDate([s])", Input: map[string]any{"s": s}}
	}
	mk := func() string {
		if g.r.IntN(2) == 0 {
			return g.pick(fmtTemplates...)
		}
		var b strings.Builder
		for i, n := 0, g.intn(1, 5); i < n; i++ {
			b.WriteString(g.pick(fmtPieces...))
		}
		return b.String()
	}
	in, out := mk(), mk()
	if !fullDate(in) {
		// .NET completes a date without year, month or day from the real
		// clock, which no test can reproduce: give the input a full date.
		in = "yyyy-MM-dd " + in
	}
	kind := g.pick("utc", "utc", "offset")
	return Case{Func: "FormatDateTime", Op: "fdt", Args: []string{iso(t), in, out, kind},
		Build: func(aux string) (string, map[string]any) {
			return "FormatDateTime([s], , [in], [out])", map[string]any{"s": aux, "in": in, "out": out}
		}}
}

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		switch g.r.IntN(4) {
		case 0:
			b[i] = byte(0x20 + g.r.IntN(0x5f))
		case 1:
			b[i] = byte(0x80 + g.r.IntN(0x40))
		case 2:
			b[i] = byte(0xC0 + g.r.IntN(0x40))
		default:
			b[i] = byte(g.r.IntN(256))
		}
	}
	return b
}

func (g *gen) text() Case {
	switch g.r.IntN(3) {
	case 0:
		s := g.words(1, 5)
		t := g.pick("SS", "ss", "ß", "STRASSE", "ｆｕｌｌ", "FULL", "abc", "ＡＢ", "é", "e", "E\u0301", "İ", "i", "I", "ı", "σ", "Σ", "ς", "😀", "ǆ", "Ǆ", "oe", "æ")
		start := g.intn(1, utf16Len(s)+1)
		return Case{Func: "InStr (text)", Op: "instrtext", Args: []string{s, t, itoa(start)},
			Expr:  fmt.Sprintf("InStr([s], [t], %d, vbTextCompare)", start),
			Input: map[string]any{"s": s, "t": t}}
	case 1:
		var b []byte
		if g.r.IntN(2) == 0 {
			b = append([]byte(g.words(1, 3)), g.bytes(g.intn(1, 4))...)
		} else {
			b = g.bytes(g.intn(1, 10))
		}
		b64 := base64.StdEncoding.EncodeToString(b)
		return Case{Func: "ConvertFromBase64 (UTF8)", Op: "utf8", Args: []string{string(b)},
			Expr: "ConvertFromBase64([b], UTF8)", Input: map[string]any{"b": b64}}
	}
	// A SID: revision 1, 0-6 sub-authorities, an authority that sometimes
	// needs more than 32 bits, and sometimes trailing bytes.
	n := g.intn(0, 6)
	b := []byte{1, byte(n)}
	auth := uint64(g.pick2(5, 1, 0, 16, 18, 1<<32, 1<<40+7, 0xFFFFFFFFFFFF))
	for i := 5; i >= 0; i-- {
		b = append(b, byte(auth>>(8*i)))
	}
	for i := 0; i < n; i++ {
		v := g.r.Uint32()
		b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	}
	if g.r.IntN(4) == 0 {
		b = append(b, g.bytes(g.intn(1, 4))...)
	}
	return Case{Func: "StringFromSID", Op: "sid", Args: []string{string(b)},
		Expr: "StringFromSID([b])", Input: map[string]any{"b": base64.StdEncoding.EncodeToString(b)}}
}

func (g *gen) pick2(xs ...uint64) uint64 { return xs[g.r.IntN(len(xs))] }

// fullDate reports whether a .NET format reads a year, a month and a day
// (standard one-letter formats all do, except the time-only t and T).
func fullDate(f string) bool {
	if len(f) == 1 {
		return !strings.Contains("tTmMyY", f) // time only, month and day, year and month
	}
	return strings.Contains(f, "y") && strings.Contains(f, "M") && strings.Contains(f, "d")
}
