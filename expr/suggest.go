package expr

import (
	"fmt"

	"github.com/attrmap/attrmap/internal/diag"
)

// didYouMean formats a hint for the candidate closest to name, or "".
func didYouMean(name string, candidates []string) string {
	if s := diag.Suggest(name, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}
