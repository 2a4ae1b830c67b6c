package expr

import (
	"fmt"
	"sort"
	"strings"
)

// Suggest returns the candidate closest to name, ignoring case, when its
// edit distance is below 3, so that it is a likely typo; "" otherwise. A
// candidate equal but for case wins outright, and ties resolve in sorted
// order, so the answer is the same on every run. It is the "did you mean"
// of every error message of attrmap, exported for the packages and
// commands that build on expr.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	lower := strings.ToLower(name)
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		lc := strings.ToLower(c)
		if lc == lower {
			return c
		}
		if d := levenshtein(lower, lc); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean formats a hint for suggest's answer.
func didYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}

// levenshtein computes the edit distance between a and b, by runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
