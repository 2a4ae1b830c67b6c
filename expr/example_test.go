package expr_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/attrmap/attrmap/expr"
)

func ExampleCompile() {
	p, err := expr.Compile(`Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com")`)
	if err != nil {
		panic(err)
	}
	for _, user := range []map[string]any{
		{"givenName": "Zoë", "surname": "Van der Berg"},
		{"givenName": "José", "surname": "Núñez"},
	} {
		v, err := p.Eval(expr.NewEnv(user))
		if err != nil {
			panic(err)
		}
		fmt.Println(expr.Render(v))
	}
	// Output:
	// Zoe.VanderBerg@contoso.com
	// Jose.Nunez@contoso.com
}

func ExampleProgram_Eval() {
	p := expr.MustCompile(`Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney", "QLD", "Australia/Brisbane")`)
	v, _ := p.Eval(expr.MapEnv{"state": expr.String("QLD")})
	fmt.Println(expr.Render(v))

	// IgnoreFlowIfNullOrEmpty gives a distinct "do not flow" result.
	p = expr.MustCompile(`IgnoreFlowIfNullOrEmpty([department])`)
	v, _ = p.Eval(expr.MapEnv{})
	fmt.Println(v == expr.Ignored)
	// Output:
	// Australia/Brisbane
	// true
}

func ExampleError_Render() {
	_, err := expr.Compile(`Join("@", NormaliseDiacritics([givenName]), "contoso.com")`)
	var e *expr.Error
	if errors.As(err, &e) {
		fmt.Println(e.Render())
	}
	// Output:
	// unknown function "NormaliseDiacritics" (1:11)
	//  | Join("@", NormaliseDiacritics([givenName]), "contoso.com")
	//  | ..........^
	// hint: did you mean "NormalizeDiacritics"?
}

func ExampleWithFunctions() {
	shout := &expr.Func{
		Name: "Shout", Category: "String", MinArgs: 1, MaxArgs: 1, Params: []string{"source"},
		Doc: "Upper-cases its argument and adds an exclamation mark.",
		Impl: func(c *expr.Call, args []expr.Value) (expr.Value, error) {
			return expr.String(strings.ToUpper(expr.Render(args[0])) + "!"), nil
		},
	}
	p := expr.MustCompile(`shout([givenName])`, expr.WithFunctions(shout))
	v, _ := p.Eval(expr.MapEnv{"givenName": expr.String("Ann")})
	fmt.Println(p, "=", expr.Render(v))
	// Output: Shout([givenName]) = ANN!
}

func ExampleWithExisting() {
	taken := map[string]bool{"john.smith@contoso.com": true}
	p := expr.MustCompile(`SelectUniqueValue(
		Join("@", Join(".", [givenName], [surname]), "contoso.com"),
		Join("@", Join(".", Mid([givenName], 1, 1), [surname]), "contoso.com"))`,
		expr.WithExisting(func(v string) bool { return taken[strings.ToLower(v)] }))
	v, _ := p.Eval(expr.NewEnv(map[string]any{"givenName": "John", "surname": "Smith"}))
	fmt.Println(expr.Render(v))
	// Output: J.Smith@contoso.com
}

func ExampleProgram_EvalWith() {
	p := expr.MustCompile(`IIF([flag] = "1", "on", "off")`)
	v, _ := p.EvalWith(expr.NewEnv(map[string]any{"flag": "1"}), expr.EvalOptions{Now: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)})
	fmt.Println(expr.Render(v))
	// Output: on
}

// AppendJSON writes a value as plans and apply's output hold it: booleans
// and numbers keep their JSON type.
func ExampleAppendJSON() {
	for _, v := range []expr.Value{expr.Bool(false), expr.Int(3), expr.String("True"), expr.Multi{"a", "b"}, expr.Null} {
		fmt.Println(string(expr.AppendJSON(nil, v)))
	}
	// Output:
	// false
	// 3
	// "True"
	// ["a","b"]
	// null
}
