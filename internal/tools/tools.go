//go:build tools

// .ci/run builds the tools listed here from this module:
//
//	(cd internal/tools && go build -o BIN honnef.co/go/tools/cmd/staticcheck)
package tools

import _ "honnef.co/go/tools/cmd/staticcheck"
