// Command attrmap evaluates Entra ID attribute-mapping expressions, scoping
// filters and mappings from the command line. Run "attrmap help" for the
// list of commands.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
