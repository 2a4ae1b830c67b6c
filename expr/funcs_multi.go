package expr

import "strings"

// Multi-valued functions: Count, Item, Contains and RemoveDuplicates.
//
// Each of them also accepts a single value, which counts as a multi-valued
// value with one element, because a directory returns a multi-valued
// attribute holding one value exactly like a single-valued one.

func init() {
	register(
		&Func{
			Name:     "Count",
			Category: "Multi-valued",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"attribute"},
			Doc: "Returns the number of values of a multi-valued attribute.\n\n" +
				"A null or empty-string attribute counts 0 (the service treats an empty string as absent, as `IsPresent` does); " +
				"any other single value counts 1. Empty strings inside a multi-valued value are counted: they are values.",
			Examples: []Example{
				{Expr: `Count([proxyAddresses])`, Input: map[string]any{"proxyAddresses": []any{"SMTP:a@contoso.com", "smtp:b@contoso.com"}}, Want: "2"},
				{Expr: `Count([missing])`, Want: "0"},
				{Expr: `Count("x")`, Want: "1"},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				return Int(int64(count(args[0]))), nil
			},
		},
		&Func{
			Name:     "Item",
			Category: "Multi-valued",
			MinArgs:  2, MaxArgs: 2,
			Params: []string{"attribute", "index"},
			Doc: "Returns value number `index` (1-based) of a multi-valued attribute.\n\n" +
				"An index below 1 or past the last value is an error, as the cloud-sync reference states (\"Throws an error " +
				"if index is out of bounds\"; the provisioning reference says index 0 \"shouldn't be used\"). A null (or " +
				"empty multi-valued) attribute gives null whatever the index, so an absent attribute does not fail the " +
				"object. A single value is a one-element list.",
			Examples: []Example{
				{Expr: `Item([proxyAddresses], 1)`, Input: map[string]any{"proxyAddresses": []any{"SMTP:a@contoso.com", "smtp:b@contoso.com"}}, Want: "SMTP:a@contoso.com"},
				{Expr: `Item([proxyAddresses], Contains([proxyAddresses], "SMTP:"))`, Input: map[string]any{"proxyAddresses": []any{"smtp:b@contoso.com", "SMTP:a@contoso.com"}}, Want: "SMTP:a@contoso.com"},
				{Expr: `Item([missing], 1)`, Want: nil},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				i, err := toInt(1, args[1])
				if err != nil {
					return nil, err
				}
				vals := Strings(args[0])
				if len(vals) == 0 {
					return Null, nil
				}
				if i < 1 || i > int64(len(vals)) {
					return nil, argErrorf(1, "index out of range (expected 1 to %d, got %d)", len(vals), i)
				}
				if s, ok := args[0].(String); ok {
					return s, nil
				}
				return String(vals[i-1]), nil
			},
		},
		&Func{
			Name:     "Contains",
			Category: "Multi-valued",
			MinArgs:  2, MaxArgs: 3,
			Params: []string{"attribute", "search", "caseType"},
			Doc: "Returns the 1-based index of the first value of a multi-valued attribute that contains `search` as a " +
				"substring, or 0 when none does (Connect-sync semantics; the cloud-sync reference uses it with `Item`).\n\n" +
				"The search is case-sensitive unless `caseType` is \"CaseInsensitive\" (also accepted: vbTextCompare or 1; " +
				"\"CaseSensitive\", vbBinaryCompare or 0 select the default). A null attribute gives 0; a single value is a " +
				"one-element list.",
			Examples: []Example{
				{Expr: `Contains([proxyAddresses], "SMTP:")`, Input: map[string]any{"proxyAddresses": []any{"smtp:b@contoso.com", "SMTP:a@contoso.com"}}, Want: "2"},
				{Expr: `Contains([proxyAddresses], "smtp:", "CaseInsensitive")`, Input: map[string]any{"proxyAddresses": []any{"x500:/o=contoso", "SMTP:a@contoso.com"}}, Want: "2"},
				{Expr: `Contains([proxyAddresses], "sip:")`, Input: map[string]any{"proxyAddresses": []any{"SMTP:a@contoso.com"}}, Want: "0"},
			},
			Check: func(ck *CheckContext) error {
				if v, ok := ck.Literal(2); ok {
					_, err := caseMode(2, v)
					return err
				}
				return nil
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				fold := false
				if len(args) > 2 {
					var err error
					if fold, err = caseMode(2, args[2]); err != nil {
						return nil, err
					}
				}
				search, err := singleString(1, args[1])
				if err != nil {
					return nil, err
				}
				return Int(int64(containsIndex(Strings(args[0]), search, fold))), nil
			},
		},
		&Func{
			Name:     "RemoveDuplicates",
			Category: "Multi-valued",
			MinArgs:  1, MaxArgs: 1,
			Params: []string{"attribute"},
			Doc: "Removes repeated values from a multi-valued attribute, keeping the first occurrence of each in its " +
				"original order.\n\n" +
				"Values are compared exactly (case-sensitive, ordinal), as .NET's `Distinct()` does by default. A " +
				"case-insensitive comparison would merge values that differ in meaning, such as the primary address " +
				"\"SMTP:a@contoso.com\" and the secondary \"smtp:a@contoso.com\" in proxyAddresses. A null attribute stays " +
				"null and a single value is returned as it is.",
			Examples: []Example{
				{Expr: `RemoveDuplicates([proxyAddresses])`, Input: map[string]any{"proxyAddresses": []any{"SMTP:a@contoso.com", "smtp:b@contoso.com", "SMTP:a@contoso.com"}}, Want: []string{"SMTP:a@contoso.com", "smtp:b@contoso.com"}},
				{Expr: `RemoveDuplicates([otherMails])`, Input: map[string]any{"otherMails": []any{"a@contoso.com", "A@contoso.com"}}, Want: []string{"a@contoso.com", "A@contoso.com"}},
			},
			Impl: func(c *Call, args []Value) (Value, error) {
				m, ok := args[0].(Multi)
				if !ok {
					return args[0], nil
				}
				return removeDuplicates(m), nil
			},
		},
	)
}

// count implements Count.
func count(v Value) int {
	switch v := v.(type) {
	case Multi:
		return len(v)
	case String:
		if v == "" {
			return 0
		}
	}
	if IsNull(v) {
		return 0
	}
	return 1
}

// caseMode reads Contains's caseType and reports whether the search
// ignores case.
func caseMode(i int, v Value) (fold bool, err error) {
	if IsNull(v) {
		return false, nil
	}
	if s, ok := v.(String); ok {
		switch strings.ToLower(strings.TrimSpace(string(s))) {
		case "casesensitive", "vbbinarycompare":
			return false, nil
		case "caseinsensitive", "vbtextcompare":
			return true, nil
		}
	}
	if n, ok := v.(Number); ok && n.IsInt() && (n.Int64() == 0 || n.Int64() == 1) {
		return n.Int64() == 1, nil
	}
	return false, argErrorf(i, "expected \"CaseSensitive\" or \"CaseInsensitive\" (got %s)", Display(v))
}

// containsIndex returns the 1-based index of the first value containing
// search, or 0.
func containsIndex(vals []string, search string, fold bool) int {
	if fold {
		search = strings.ToLower(search)
	}
	for i, v := range vals {
		if fold {
			v = strings.ToLower(v)
		}
		if strings.Contains(v, search) {
			return i + 1
		}
	}
	return 0
}

// removeDuplicates keeps the first occurrence of each value. It returns m
// itself when there is nothing to remove.
func removeDuplicates(m Multi) Multi {
	seen := make(map[string]struct{}, len(m))
	var out Multi
	for i, s := range m {
		if _, dup := seen[s]; dup {
			if out == nil {
				out = append(make(Multi, 0, len(m)-1), m[:i]...)
			}
			continue
		}
		seen[s] = struct{}{}
		if out != nil {
			out = append(out, s)
		}
	}
	if out == nil {
		return m
	}
	return out
}
