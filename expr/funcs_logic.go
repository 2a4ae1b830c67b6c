package expr

func init() {
	register(
		&Func{
			Name: "IIF", Category: "Logic", MinArgs: 3, MaxArgs: 3,
			Params: []string{"condition", "valueIfTrue", "valueIfFalse"},
			Doc: `Returns *valueIfTrue* when *condition* is true and *valueIfFalse* otherwise. Only the chosen branch is evaluated.

The condition may use the comparison operators ` + "`= <> > >= < <=`" + `. As the reference documents ("if the source attribute used within the IIF function is empty or null, the condition check fails"), a comparison with a null or empty operand is False, for every operator including ` + "`<>`" + `: use Switch to test for empty values. AND and OR are not operators of the language: nest IIF calls.

Decision: a condition that is null takes the false branch (the documented failing check); a condition that is neither a boolean, a number nor the text True/False is an error, as VBA raises a type mismatch.`,
			Examples: []Example{
				{Expr: `IIF([country]="USA",[country],[department])`, Input: map[string]any{"country": "USA", "department": "Sales"}, Want: "USA"},
				{Expr: `IIF([country]="USA",[country],[department])`, Input: map[string]any{"country": "NL", "department": "Sales"}, Want: "Sales"},
				{Expr: `IIF([country]="USA",IIF([state]="CA","True","False"),"False")`, Input: map[string]any{"country": "USA", "state": "CA"}, Want: "True"},
				{Expr: `IIF([country]<>"USA","Other","US")`, Input: map[string]any{}, Want: "US", Note: "a null operand fails the check, even for <>"},
			},
			Lazy: func(c *Call) (Value, error) {
				cond, err := c.Arg(0)
				if err != nil {
					return nil, err
				}
				b, ok := toBool(cond)
				if !ok && !IsNullOrEmpty(cond) {
					return nil, argErrorf(0, "expected a condition that is true or false (got %s)", Display(cond))
				}
				if b {
					return c.Result(1)
				}
				return c.Result(2)
			},
		},
		&Func{
			Name: "Switch", Category: "Logic", MinArgs: 3, MaxArgs: -1,
			Params: []string{"source", "defaultValue", "key", "value"}, VarParams: 2,
			Doc: `When *source* matches a *key*, returns the *value* that follows it; otherwise *defaultValue* (which may be left empty, giving null). Keys and values come in pairs, so the function always has an even number of arguments; Compile rejects an odd count.

The comparison is an ordinal, case-sensitive comparison of the rendered strings, as documented: normalize with ToLower for a case-insensitive match. A null source renders as the empty string, so the key "" catches both empty and absent values, which is the documented way to test for them (` + "`Switch([country],[country],\"\",\"Other\")`" + `). Keys are evaluated in order and only until one matches; only the chosen value is evaluated.

Decision: the documented service defect where a Switch evaluates to null when its source attribute did not change is not reproduced: attrmap always evaluates the expression.`,
			Examples: []Example{
				{Expr: `Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`, Input: map[string]any{"state": "QLD"}, Want: "Australia/Brisbane"},
				{Expr: `Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane")`, Input: map[string]any{"state": "WA"}, Want: "Australia/Sydney"},
				{Expr: `Switch([country],[country],"","Other")`, Input: map[string]any{}, Want: "Other"},
				{Expr: `Switch([statusFlag], "Default Value", "true", "1", "", "0")`, Input: map[string]any{"statusFlag": "True"}, Want: "Default Value", Note: "keys are case-sensitive"},
			},
			Check: func(ck *CheckContext) error {
				if n := len(ck.Call.Args); n%2 != 0 {
					return ck.ArgErrorf(n-1, "no value follows this key: Switch takes a source, a default value, then key/value pairs (an even number of arguments, got %d)", n)
				}
				if keys := switchKeys(ck); keys != nil {
					ck.SetData(keys)
				}
				return nil
			},
			Lazy: func(c *Call) (Value, error) {
				src, err := c.Arg(0)
				if err != nil {
					return nil, err
				}
				s := Render(src)
				if keys, ok := c.Data().([]string); ok && !c.tracing() {
					for i, k := range keys {
						if k == s {
							return c.Result(2*i + 3)
						}
					}
					return c.Result(1)
				}
				for i := 2; i+1 < c.NArgs(); i += 2 {
					k, err := c.Arg(i)
					if err != nil {
						return nil, err
					}
					if Render(k) == s {
						return c.Result(i + 1)
					}
				}
				return c.Result(1)
			},
		},
		&Func{
			Name: "Coalesce", Category: "Logic", MinArgs: 1, MaxArgs: -1,
			Params: []string{"source", "defaultValue"},
			Doc: `Returns the first argument that is not null. The last argument acts as the default value; if every argument is null, the result is null.

Decision: as documented, only null (an absent attribute) is skipped; an empty string is a value and is returned. Wrap a source in IgnoreFlowIfNullOrEmpty or use Switch to skip empty strings.`,
			Examples: []Example{
				{Expr: `Coalesce([mail],[userPrincipalName])`, Input: map[string]any{"userPrincipalName": "John.Doe@contoso.com"}, Want: "John.Doe@contoso.com"},
				{Expr: `Coalesce([mail],[userPrincipalName],"none")`, Input: map[string]any{}, Want: "none"},
				{Expr: `Coalesce([mail],[userPrincipalName])`, Input: map[string]any{"mail": ""}, Want: ""},
			},
			Lazy: func(c *Call) (Value, error) {
				for i := 0; i < c.NArgs(); i++ {
					v, err := c.Arg(i)
					if err != nil {
						return nil, err
					}
					if !IsNull(v) {
						return v, nil
					}
				}
				return Null, nil
			},
		},
		&Func{
			Name: "IsNull", Category: "Logic", MinArgs: 1, MaxArgs: 1, Params: []string{"expression"},
			Doc: `Returns True when the expression evaluates to null; for an attribute, null means the object does not have it. An empty string is not null.`,
			Examples: []Example{
				{Expr: `IsNull([displayName])`, Input: map[string]any{}, Want: "True"},
				{Expr: `IsNull([displayName])`, Input: map[string]any{"displayName": ""}, Want: "False"},
			},
			Impl: func(c *Call, args []Value) (Value, error) { return Bool(IsNull(args[0])), nil },
		},
		&Func{
			Name: "IsNullOrEmpty", Category: "Logic", MinArgs: 1, MaxArgs: 1, Params: []string{"expression"},
			Doc: `Returns True when the expression is null or an empty string (or a multi-valued attribute without values). The inverse of IsPresent.`,
			Examples: []Example{
				{Expr: `IsNullOrEmpty([displayName])`, Input: map[string]any{"displayName": ""}, Want: "True"},
				{Expr: `IsNullOrEmpty([displayName])`, Input: map[string]any{"displayName": "John"}, Want: "False"},
			},
			Impl: func(c *Call, args []Value) (Value, error) { return Bool(IsNullOrEmpty(args[0])), nil },
		},
		&Func{
			Name: "IsPresent", Category: "Logic", MinArgs: 1, MaxArgs: 1, Params: []string{"expression"},
			Doc: `Returns True when the expression is neither null nor empty. The inverse of IsNullOrEmpty. Do not use it as the source of a Switch: use the key "" instead, as the reference cautions.`,
			Examples: []Example{
				{Expr: `IsPresent([directManager])`, Input: map[string]any{"directManager": "Sam"}, Want: "True"},
				{Expr: `Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])`, Input: map[string]any{"directManager": "Sam", "skiplevelManager": "Ann"}, Want: "Ann", Note: "the reference's own IsPresent example does not pick the first present manager: Switch compares the source (True) with each key, and the first key that is also True wins, so the skip-level manager is returned although the direct manager is present. This is the pitfall the Switch caution describes; write Switch([directManager], [directManager], \"\", Switch([skiplevelManager], [skiplevelManager], \"\", [director])) instead"},
			},
			Impl: func(c *Call, args []Value) (Value, error) { return Bool(!IsNullOrEmpty(args[0])), nil },
		},
		&Func{
			Name: "IsString", Category: "Logic", MinArgs: 1, MaxArgs: 1, Params: []string{"expression"},
			Doc: `Returns True when the expression can be evaluated to a string, that is when CStr would succeed.

Decision: strings (also empty ones), numbers, booleans and dates are strings; null and multi-valued values are not.`,
			Examples: []Example{
				{Expr: `IsString([displayName])`, Input: map[string]any{"displayName": "John"}, Want: "True"},
				{Expr: `IsString([proxyAddresses])`, Input: map[string]any{"proxyAddresses": []any{"a", "b"}}, Want: "False"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				switch args[0].(type) {
				case String, Number, Bool, DateTime:
					return Bool(true), nil
				}
				return Bool(false), nil
			},
		},
		&Func{
			Name: "Not", Category: "Logic", MinArgs: 1, MaxArgs: 1, Params: []string{"source"},
			Doc: `Flips a boolean: returns False when *source* is True (the boolean, the text True in any case, or a non-zero number), and True otherwise, null and any other text included, exactly as documented ("if source value is True, returns False; otherwise, returns True").`,
			Examples: []Example{
				{Expr: `Not([accountEnabled])`, Input: map[string]any{"accountEnabled": true}, Want: "False"},
				{Expr: `Not([accountEnabled])`, Input: map[string]any{"accountEnabled": "False"}, Want: "True"},
				{Expr: `Not(IsNull([manager]))`, Input: map[string]any{}, Want: "False"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				b, ok := toBool(args[0])
				return Bool(!(ok && b)), nil
			},
		},
	)
}

// switchKeys renders Switch's keys at Compile time when they are all
// constants, as they nearly always are, so that evaluating a Switch does
// not evaluate them again; nil otherwise. A trace still evaluates them, to
// show them. Constant keys cannot fail and
// carry no redaction, so comparing them in advance changes nothing.
func switchKeys(ck *CheckContext) []string {
	var keys []string
	for i := 2; i+1 < len(ck.Call.Args); i += 2 {
		k, ok := ck.Literal(i)
		if !ok {
			if !ck.Provided(i) {
				k = Null // an empty key renders as ""
			} else {
				return nil
			}
		}
		if _, redacted := k.(Redacted); redacted {
			return nil
		}
		keys = append(keys, Render(k))
	}
	return keys
}
