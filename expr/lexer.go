package expr

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// The token types of the lexer. Capitalised names are the tokens the
// grammar refers to; white space separates tokens and is skipped. BadString and BadAttr only match
// text that runs to the end of the input without its closing delimiter, so
// that the error can say so instead of "invalid input text".
const (
	tokWhitespace lexer.TokenType = -(iota + 2)
	tokAttr
	tokString
	tokHex
	tokNumber
	tokIdent
	tokOp
	tokPunct
	tokBadString
	tokBadAttr
)

// exprLexer is a hand-written participle lexer. It produces exactly the
// tokens that this rule list, tried in order at each position (the first
// rule that matches wins), would produce with participle's regular
// expression lexer (lexer.MustSimple); lexer_test.go holds that list and
// checks the two agree, and FuzzLexer keeps checking. Scanning by hand
// instead of running up to ten regular expressions per token is what makes
// Compile cheap.
//
//	Whitespace  [\s\x{00A0}\x{FEFF}]+
//	Attr        \[[^\]]*\]
//	String      "(\\.|[^"\\])*"
//	Hex         &[Hh][0-9A-Fa-f]+
//	Number      -?(\d+(\.\d*)?|\.\d+)
//	Ident       [\p{L}_][\p{L}\p{N}_]*
//	Op          <>|<=|>=|=|<|>|&
//	Punct       [(),]
//	BadString   "(\\.|[^"\\])*\\?$
//	BadAttr     \[[^\]]*$
var exprLexer lexer.Definition = exprLexerDef{symbols: exprSymbols}

// exprLexerDef holds the symbol table so that package initialisation
// builds the table before the parser asks for it.
type exprLexerDef struct{ symbols map[string]lexer.TokenType }

var exprSymbols = map[string]lexer.TokenType{
	"EOF":       lexer.EOF,
	"Attr":      tokAttr,
	"String":    tokString,
	"Hex":       tokHex,
	"Number":    tokNumber,
	"Ident":     tokIdent,
	"Op":        tokOp,
	"Punct":     tokPunct,
	"BadString": tokBadString,
	"BadAttr":   tokBadAttr,
}

// Symbols implements lexer.Definition.
func (d exprLexerDef) Symbols() map[string]lexer.TokenType { return d.symbols }

// Lex implements lexer.Definition.
func (d exprLexerDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	var b strings.Builder
	if _, err := io.Copy(&b, r); err != nil {
		return nil, err
	}
	return d.LexString(filename, b.String())
}

// LexString implements lexer.StringDefinition.
func (exprLexerDef) LexString(filename, s string) (lexer.Lexer, error) {
	return &exprScanner{s: s, pos: lexer.Position{Filename: filename, Line: 1, Column: 1}}, nil
}

// LexBytes implements lexer.BytesDefinition.
func (d exprLexerDef) LexBytes(filename string, b []byte) (lexer.Lexer, error) {
	return d.LexString(filename, string(b))
}

type exprScanner struct {
	s   string
	pos lexer.Position
}

// Next implements lexer.Lexer. It returns no white space tokens: skipping
// them here spares participle from stepping over them at every token.
func (l *exprScanner) Next() (lexer.Token, error) {
	tok, err := l.next()
	for err == nil && tok.Type == tokWhitespace {
		tok, err = l.next()
	}
	return tok, err
}

func (l *exprScanner) next() (lexer.Token, error) {
	rest := l.s[l.pos.Offset:]
	if rest == "" {
		return lexer.EOFToken(l.pos), nil
	}
	typ, n := scanToken(rest)
	if n == 0 {
		sample := []rune(rest)
		if len(sample) > 16 {
			sample = append(sample[:16], []rune("...")...)
		}
		return lexer.Token{}, &lexer.Error{Msg: fmt.Sprintf("lexer: invalid input text %q", string(sample)), Pos: l.pos}
	}
	tok := lexer.Token{Type: typ, Value: rest[:n], Pos: l.pos}
	if typ == tokWhitespace || typ == tokString || typ == tokAttr || typ == tokBadString || typ == tokBadAttr {
		l.pos.Advance(tok.Value) // the only tokens that may hold line breaks or non-ASCII text
	} else if typ == tokIdent {
		l.pos.Offset += n
		l.pos.Column += utf8.RuneCountInString(tok.Value)
	} else {
		l.pos.Offset += n
		l.pos.Column += n
	}
	return tok, nil
}

// scanToken returns the type and length of the token at the start of s,
// or a zero length when no rule matches.
func scanToken(s string) (lexer.TokenType, int) {
	c := s[0]
	if n := scanSpace(s); n > 0 {
		return tokWhitespace, n
	}
	switch {
	case c == '[':
		if i := strings.IndexByte(s, ']'); i >= 0 {
			return tokAttr, i + 1
		}
		return tokBadAttr, len(s)
	case c == '"':
		n, closed := scanString(s)
		switch {
		case closed:
			return tokString, n
		case n == len(s) || (n == len(s)-1 && s[n] == '\\'):
			// The text ends inside the string, perhaps right after a
			// backslash.
			return tokBadString, len(s)
		}
		return 0, 0
	case c == '&':
		if n := scanHex(s); n > 0 {
			return tokHex, n
		}
		return tokOp, 1
	case c == '-' || c == '.' || isDigit(c):
		if n := scanNumber(s); n > 0 {
			return tokNumber, n
		}
		return 0, 0
	case c == '<':
		if len(s) > 1 && (s[1] == '>' || s[1] == '=') {
			return tokOp, 2
		}
		return tokOp, 1
	case c == '>':
		if len(s) > 1 && s[1] == '=' {
			return tokOp, 2
		}
		return tokOp, 1
	case c == '=':
		return tokOp, 1
	case c == '(' || c == ')' || c == ',':
		return tokPunct, 1
	}
	if n := scanIdent(s); n > 0 {
		return tokIdent, n
	}
	return 0, 0
}

// scanSpace measures the run of white space at the start of s: the ASCII
// \s class (tab, line feed, form feed, carriage return, space), no-break
// space and the byte order mark.
func scanSpace(s string) int {
	i := 0
	for i < len(s) {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r':
			i++
		case c == 0xC2 && strings.HasPrefix(s[i:], "\u00A0"):
			i += 2
		case c == 0xEF && strings.HasPrefix(s[i:], "\uFEFF"):
			i += 3
		default:
			return i
		}
	}
	return i
}

// scanString scans a string literal starting at s[0] == '"': escapes are a
// backslash and any character but a line feed. It returns the length up
// to and including the closing quote when there is one (closed), and
// otherwise where the scan stopped: the end of s, or a backslash that no
// character (or a line feed) follows.
func scanString(s string) (n int, closed bool) {
	i := 1
	for i < len(s) {
		switch s[i] {
		case '"':
			return i + 1, true
		case '\\':
			if i+1 >= len(s) || s[i+1] == '\n' {
				return i, false
			}
			i += 2 // the escaped character's other bytes, if any, are never " or \
		default:
			i++
		}
	}
	return i, false
}

// scanHex measures &H followed by hexadecimal digits.
func scanHex(s string) int {
	if len(s) < 3 || (s[1] != 'H' && s[1] != 'h') {
		return 0
	}
	i := 2
	for i < len(s) && isHexDigit(s[i]) {
		i++
	}
	if i == 2 {
		return 0
	}
	return i
}

// scanNumber measures -?(\d+(\.\d*)?|\.\d+).
func scanNumber(s string) int {
	i := 0
	if s[0] == '-' {
		i++
	}
	switch {
	case i < len(s) && isDigit(s[i]):
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i < len(s) && s[i] == '.' {
			i++
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		}
		return i
	case i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]):
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		return i
	}
	return 0
}

// scanIdent measures a letter or underscore followed by letters, digits
// (Unicode number characters) and underscores.
func scanIdent(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || (i > 0 && isDigit(c)) {
				i++
				continue
			}
			return i
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || (i > 0 && unicode.IsNumber(r)) {
			i += w
			continue
		}
		return i
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}
