package expr

import (
	"strings"
	"testing"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/google/go-cmp/cmp"
)

// regexLexer is the specification of exprLexer: participle's regular
// expression lexer with the rules exprLexer documents, in the same order,
// less the white space tokens, which exprLexer skips.
var regexLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Whitespace", Pattern: `[\s\x{00A0}\x{FEFF}]+`},
	{Name: "Attr", Pattern: `\[[^\]]*\]`},
	{Name: "String", Pattern: `"(\\.|[^"\\])*"`},
	{Name: "Hex", Pattern: `&[Hh][0-9A-Fa-f]+`},
	{Name: "Number", Pattern: `-?(\d+(\.\d*)?|\.\d+)`},
	{Name: "Ident", Pattern: `[\p{L}_][\p{L}\p{N}_]*`},
	{Name: "Op", Pattern: `<>|<=|>=|=|<|>|&`},
	{Name: "Punct", Pattern: `[(),]`},
	{Name: "BadString", Pattern: `"(\\.|[^"\\])*\\?$`},
	{Name: "BadAttr", Pattern: `\[[^\]]*$`},
})

// lexedToken is a token with its type by name, so that the two lexers'
// numbering does not matter.
type lexedToken struct {
	Type  string
	Value string
	Pos   lexer.Position
}

// lexAll runs def over src and returns its tokens up to the end or the
// first error.
func lexAll(t testing.TB, def lexer.Definition, src string) ([]lexedToken, string) {
	t.Helper()
	names := map[lexer.TokenType]string{}
	for name, typ := range def.Symbols() {
		names[typ] = name
	}
	l, err := def.(lexer.StringDefinition).LexString("", src)
	if err != nil {
		t.Fatal(err)
	}
	var out []lexedToken
	for {
		tok, err := l.Next()
		if err != nil {
			return out, err.Error()
		}
		if names[tok.Type] == "Whitespace" {
			continue // exprLexer skips it
		}
		out = append(out, lexedToken{names[tok.Type], tok.Value, tok.Pos})
		if tok.EOF() {
			return out, ""
		}
	}
}

// lexerSamples are the inputs where the rules interact: escapes, unclosed
// delimiters, signs and dots, operators, Unicode white space, letters and
// digits, invalid UTF-8.
var lexerSamples = []string{
	``, ` `, "\t\n\f\r\v", "a\u00a0b\ufeffc", "\u2003x",
	`[a]`, `[a`, `[]`, `[a b]`, "[a\nb]", `[[a]]`, `]`,
	`"a"`, `"a`, `"a\"b"`, `"a\\"`, `"a\`, `"a\"`, "\"a\\\nb\"", "\"a\nb\"", `"\é"`, `""`, `"`, `"\`,
	`&H1F`, `&h`, `&hG`, `&`, `& `, `&HFFFFFFFFFFFFFFFFFF`,
	`1`, `-1`, `-`, `-.`, `-.5`, `.5`, `.`, `1.`, `1.5.5`, `1e5`, `--1`, `1-1`, `-x`,
	`a`, `_a1`, `1a`, `é`, `ä٣`, `a٣`, `٣`, `ǅx`, `a_b`,
	`<>`, `<=`, `>=`, `=`, `<`, `>`, `<<`, `=<`, `><`,
	`(`, `)`, `,`, `#`, `!x`, `'a'`, `$`,
	"\xff", "a\xffb", "\"a\xff\"", "[\xff]", "\"\\\xff\"", "\xc3",
	`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com")`,
	`IIF([country]="USA",[country],[department])`,
	`Switch([a], , "1", "x") & "y" <> "z"`,
	"Replace([x], , \"(?<n>\\\\d+)\", , \"${n}\", , )\n",
	`ToLower(Mid([lastName], 2, 64), ) ## longer than sixteen runes of rest for the error sample`,
}

// TestLexerMatchesRules compares exprLexer with its specification on the
// samples and on every conformance expression.
func TestLexerMatchesRules(t *testing.T) {
	srcs := append([]string{}, lexerSamples...)
	for _, c := range loadCases(t) {
		srcs = append(srcs, c.Expr)
	}
	for _, src := range srcs {
		compareLexers(t, src)
	}
}

func compareLexers(t *testing.T, src string) {
	t.Helper()
	want, wantErr := lexAll(t, regexLexer, src)
	got, gotErr := lexAll(t, exprLexer, src)
	if diff := cmp.Diff(want, got); diff != "" || gotErr != wantErr {
		t.Errorf("%q: tokens differ from the rules (-rules +exprLexer):\n%s\nerror: rules %q, exprLexer %q", src, diff, wantErr, gotErr)
	}
}

// FuzzLexer keeps exprLexer equal to its specification on any input.
func FuzzLexer(f *testing.F) {
	for _, s := range lexerSamples {
		f.Add(s)
	}
	f.Add(strings.Repeat(`"\`, 3))
	f.Fuzz(func(t *testing.T, src string) {
		compareLexers(t, src)
	})
}
