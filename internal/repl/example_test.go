package repl_test

import (
	"fmt"
	"time"

	"github.com/attrmap/attrmap/internal/repl"
)

func ExampleSession_Process() {
	s := repl.New(repl.WithNow(time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)))
	for _, line := range []string{
		`:set givenName = "Zoë"`,
		`Join("@", NormalizeDiacritics([givenName]),`, // parenthesis still open
		`"contoso.com")`,
		`Jion("@", [givenName])`,
	} {
		fmt.Print(s.Prompt(), line, "\n")
		out, _, err := s.Process(line)
		if out != "" {
			fmt.Println(out)
		}
		if err != nil {
			fmt.Println(repl.ErrorText(err))
		}
	}
	// Output:
	// > :set givenName = "Zoë"
	// givenName = "Zoë"
	// > Join("@", NormalizeDiacritics([givenName]),
	// .. "contoso.com")
	// "Zoe@contoso.com"
	// > Jion("@", [givenName])
	// unknown function "Jion" (1:1)
	//  | Jion("@", [givenName])
	//  | ^
	// hint: did you mean "Join"?
}

func ExampleSession_Complete() {
	s := repl.New()
	s.Process(`:set givenName = "Zoë"`)
	head, completions, tail := s.Complete(`Join("@", [gi`, 13)
	fmt.Printf("%q %q %q\n", head, completions, tail)
	_, completions, _ = s.Complete(`No`, 2)
	fmt.Println(completions)
	_, completions, _ = s.Complete(`:tr`, 3)
	fmt.Println(completions)
	// Output:
	// "Join(\"@\", " ["[givenName]"] ""
	// [NormalizeDiacritics( Not( Now(]
	// [:trace ]
}
