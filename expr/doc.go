// Package expr implements the attribute-mapping expression language of
// Microsoft Entra ID app provisioning: its lexer and parser, a checker that
// finds every object-independent mistake at Compile time, an evaluator, and
// the complete function library (Join, Switch, Replace, FormatDateTime,
// SelectUniqueValue, ...).
//
// Compile once, evaluate many times:
//
//	p, err := expr.Compile(`Join("@", NormalizeDiacritics([givenName]), "contoso.com")`)
//	if err != nil {
//		fmt.Println(err.(*expr.Error).Render()) // message, source line, caret, hint
//		return
//	}
//	v, err := p.Eval(expr.NewEnv(map[string]any{"givenName": "Zoë"}))
//	fmt.Println(expr.Render(v)) // Zoe@contoso.com
//
// A Program is immutable and safe for concurrent use. Values are Null,
// String, Multi, Bool, Number and DateTime, with one canonical rendering
// each (Render); IgnoreFlowIfNullOrEmpty yields the distinct value Ignored
// and Redact marks its result Redacted.
//
// The clock, the random source and the uniqueness check of
// SelectUniqueValue are injected with options (WithNow, WithRand,
// WithExisting) or per evaluation (EvalOptions), so results are
// reproducible. When every candidate is taken, SelectUniqueValue fails
// with an error that errors.Is ErrNotUnique and says where it looked
// (EvalOptions.ExistsIn, "the target" by default).
//
// Errors are *Error values with the position (line and rune column, as
// internal/diag counts them), a caret and a hint. A function blames one of
// its arguments with an *ArgError, whose Hint carries any "did you mean"
// suggestion to the hint line. Regular expressions use .NET syntax (github.com/dlclark/regexp2)
// and run with a match timeout.
//
// Where the documentation is silent the functions answer as .NET and
// Visual Basic do: positions count UTF-16 code units, casing without a
// culture is the invariant culture's, numbers render as .NET Core's
// Double.ToString(), text converts to numbers as VB's Conversions, dates
// parse as DateTime.Parse and ParseExact, and regular expressions match as
// .NET's Regex (named blocks, UTF-16). The differential test of
// internal/dotnet measures it against real .NET; its agreement table per
// function is in the README ("Fidelity: the differential test against
// .NET").
//
// The function reference, FUNCTIONS.md, is generated from the registry by
// `go generate ./expr`; every example in it is executed by the tests.
package expr

//go:generate go run ./internal/gendoc -o FUNCTIONS.md
