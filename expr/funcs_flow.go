package expr

import (
	"errors"
	"fmt"
)

// ErrNotUnique is the cause of the error SelectUniqueValue returns when
// every candidate already exists in the target; the provisioning service
// escrows such an object. Test for it with errors.Is.
var ErrNotUnique = errors.New("every candidate value already exists in the target")

// notUniqueError is SelectUniqueValue's error: ErrNotUnique, saying where
// the candidates were looked up (EvalOptions.ExistsIn) and which were.
type notUniqueError struct {
	in    string
	tried []string
}

func (e *notUniqueError) Error() string {
	return fmt.Sprintf("every candidate value already exists in %s (tried %q)", e.in, e.tried)
}

// Is makes errors.Is(err, ErrNotUnique) hold.
func (e *notUniqueError) Is(target error) bool { return target == ErrNotUnique }

func init() {
	register(
		&Func{
			Name: "IgnoreFlowIfNullOrEmpty", Category: "Flow", MinArgs: 1, MaxArgs: 1, Params: []string{"expression"},
			Doc: `Drops the target attribute from the flow when the expression is null or empty: the result is the distinct value Ignored, not an empty string, so the target keeps whatever it has.

Decision: when the result of IgnoreFlowIfNullOrEmpty is itself an argument of another function, that function sees null; only at the top of an expression does it stop the flow. IIF and Switch return their chosen branch as it is, so the marker passes through them, as does the Workday guide's bare word IgnoreAttributeFlow (` + "`IIF(..., [Department], IgnoreAttributeFlow)`" + `). The guide's IgnoreObjectFlow gives the distinct value IgnoredObject: the whole object does not flow.`,
			Examples: []Example{
				{Expr: `IgnoreFlowIfNullOrEmpty([department])`, Input: map[string]any{}, Ignored: true},
				{Expr: `IgnoreFlowIfNullOrEmpty([department])`, Input: map[string]any{"department": "Sales"}, Want: "Sales"},
				{Expr: `IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))`, Input: map[string]any{"prefix": "1234"}, Ignored: true},
				{Expr: `IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))`, Input: map[string]any{"prefix": "3444"}, Want: "Prof."},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				if IsNullOrEmpty(args[0]) {
					return Ignored, nil
				}
				return args[0], nil
			},
		},
		&Func{
			Name: "Redact", Category: "Flow", MinArgs: 1, MaxArgs: 1, Params: []string{"value"},
			Doc: `Flows the value unchanged but hides it from logs: explanations, plans and the CLI show [Redact] instead. Anything computed from a redacted value is redacted too, so ` + "`Join(\"\", \"x\", Redact([pwd]))`" + ` is redacted as a whole.

Decision: the reference's signature reads Redact() but every example passes one argument; attrmap requires exactly one.`,
			Examples: []Example{
				{Expr: `Redact([userPrincipalName])`, Input: map[string]any{"userPrincipalName": "john@contoso.com"}, Want: "john@contoso.com", Note: "the value flows; Display shows [Redact]"},
				{Expr: `Redact("StringToBeRedacted")`, Want: "StringToBeRedacted"},
			},
			Impl: func(c *Call, args []Value) (Value, error) { return Redacted{V: args[0]}, nil },
		},
		&Func{
			Name: "SelectUniqueValue", Category: "Flow", MinArgs: 2, MaxArgs: -1, Params: []string{"uniqueValueRule"},
			TopLevel: true, Impure: true,
			Doc: `Evaluates each rule in order and returns the first value that does not exist in the target yet; rules that give null or an empty string are skipped. When every value exists, evaluation fails with ErrNotUnique and the object is escrowed, as the service does.

The uniqueness check is injected (WithExisting, or EvalOptions.Exists): the sync core supplies the target's values and those already given out in the same plan. It must be the outermost function (Compile rejects it elsewhere), and, as documented, it is meant for mappings applied only on object creation and not for matching attributes; the mapping validator and linter warn about those uses.`,
			Examples: []Example{
				{
					Expr:  `SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com"))`,
					Input: map[string]any{"PreferredFirstName": "John", "PreferredLastName": "Smith"}, Want: "John.Smith@contoso.com",
				},
				{
					Expr:     `SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com"))`,
					Input:    map[string]any{"PreferredFirstName": "John", "PreferredLastName": "Smith"},
					Existing: []string{"John.Smith@contoso.com"}, Want: "J.Smith@contoso.com",
				},
				{
					Expr:     `SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com"))`,
					Input:    map[string]any{"PreferredFirstName": "John", "PreferredLastName": "Smith"},
					Existing: []string{"John.Smith@contoso.com", "J.Smith@contoso.com"}, Want: "Jo.Smith@contoso.com",
				},
			},
			Lazy: func(c *Call) (Value, error) {
				var tried []string
				for i := 0; i < c.NArgs(); i++ {
					v, err := c.Arg(i)
					if err != nil {
						return nil, err
					}
					if IsNullOrEmpty(v) {
						continue
					}
					s := Render(v)
					if !c.Exists(s) {
						return v, nil
					}
					tried = append(tried, s)
				}
				return nil, &notUniqueError{in: c.existsIn(), tried: tried}
			},
		},
	)
}
