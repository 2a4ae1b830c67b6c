// Package dotnet is attrmap's differential test against real .NET: a
// deterministic generator of realistic cases per function family, a small
// C# oracle (oracle/Oracle.cs) that answers them with the .NET base class
// library, and the comparison that measures how often the expression engine
// agrees.
//
// The oracle needs Mono (apt-get install mono-complete), so everything that
// runs it is opt-in: `ATTRMAP_DOTNET=1 go test ./internal/dotnet/` compiles
// Oracle.cs with mcs, asks it about 20,000 generated cases per family,
// prints the agreement table, and rewrites the checked-in sample under
// testdata/expr/dotnet/ (the first cases of each family on which .NET and
// attrmap agree). The ordinary conformance runner of package expr runs that
// sample everywhere, without Mono. ATTRMAP_DOTNET_N changes the number of
// cases per family and ATTRMAP_DOTNET_SEED the seed; the same seed gives the
// same cases.
//
// Mono lacks the Microsoft.VisualBasic runtime, so the oracle ports the VB
// functions it needs (DateDiff, InStr, the numeric-string conversions) from
// the reference source of Microsoft.VisualBasic.Core onto the real
// DateTime, CompareInfo and Double.Parse. Where Mono itself is older than
// modern .NET (Double.ToString's shortest round-trip form, the UTF-8
// decoder's replacement of maximal subparts), the oracle answers as modern
// .NET does and reports Mono's own answer beside it; those cases are counted
// as "Mono differs" in the table.
package dotnet
