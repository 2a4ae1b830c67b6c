// Command gendoc writes the function reference of package expr.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/attrmap/attrmap/expr"
)

func main() {
	out := flag.String("o", "FUNCTIONS.md", "output file")
	flag.Parse()
	var b bytes.Buffer
	if err := expr.WriteReference(&b, expr.Default()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
