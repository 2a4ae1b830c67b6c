package expr

import "github.com/attrmap/attrmap/internal/rxlimit"

// Regexp is a compiled .NET-syntax regular expression whose every match
// runs under the program's CPU-time budget (WithRegexTimeout). A match
// that uses up the budget is an error: Replace never turns it into "" and
// the result never depends on how busy the machine is (see the README's
// Safety section). Functions get one from Call.Regexp.
type Regexp = rxlimit.Regexp
