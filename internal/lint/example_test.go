package lint_test

import (
	"fmt"

	"github.com/attrmap/attrmap/internal/lint"
)

func ExampleLint() {
	ws, err := lint.Lint(`IIF(IsPresent([country]), [country], "Other")`)
	if err != nil {
		panic(err)
	}
	for _, w := range ws {
		fmt.Println(w.Render())
	}
	// Output:
	// AM002 IIF cannot test [country] for null or empty: the condition check fails when the attribute is empty or null (1:1)
	//  | IIF(IsPresent([country]), [country], "Other")
	//  | ^
	// suggestion: Switch([country], [country], "", "Other")
}

func ExampleApply() {
	src := `Join("@", Item([proxyAddresses], 0), "contoso.com")`
	ws, _ := lint.Lint(src)
	fmt.Println(lint.Apply(src, ws))
	// Output:
	// Join("@", Item([proxyAddresses], 1), "contoso.com")
}
