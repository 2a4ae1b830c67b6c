package expr

import "github.com/attrmap/attrmap/internal/rxlimit"

// regex is a compiled .NET-syntax regular expression whose every match
// runs under the program's CPU-time budget (WithRegexTimeout). A match
// that uses up the budget is an error: Replace never turns it into "" and
// the result never depends on how busy the machine is (see the README's
// Safety section). The regex functions get one from Call.regexp.
type regex = rxlimit.Regexp
