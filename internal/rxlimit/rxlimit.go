// Package rxlimit runs .NET-syntax regular expressions (github.com/dlclark/regexp2)
// under a CPU-time budget, so that whether a match finishes does not depend on
// how busy the machine is.
//
// regexp2 bounds a match by wall-clock time. On a loaded machine a trivial
// match can be descheduled past that limit and fail, and regexp2's Replace
// drops a timeout that happens after its first match and returns "". Both
// made plans differ from run to run. This package fixes both:
//
//   - Every match first runs with a wall-clock limit equal to the budget,
//     which costs nothing when it finishes. When it times out, the match runs
//     again on a locked OS thread whose CPU time is measured (Linux), with
//     wall-clock limits growing 4 times at each attempt. It is a real timeout
//     only when the attempt used the whole budget of CPU time; an attempt
//     that timed out because the thread was not running is retried. After
//     the last attempt (256 budgets of wall-clock time) the match fails with
//     ErrBusy rather than guess. Where the thread's CPU time cannot be read,
//     wall-clock time stands in for it, as regexp2 does.
//   - Replace checks every match for a timeout before it replaces anything.
//
// The outcome therefore depends only on the pattern, the input and the
// speed of the CPU; a match that needs close to the budget may still end
// differently on a much slower CPU. Check rejects the patterns that make
// the budget matter, nested unbounded quantifiers, when they are compiled.
package rxlimit

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
)

// Regexp is a compiled pattern and its CPU-time budget per match. It is
// safe for concurrent use.
type Regexp struct {
	re     *regexp2.Regexp // wall-clock limit = budget: the fast path
	free   *regexp2.Regexp // no limit: used only once every match is known to finish
	budget time.Duration
}

// TimeoutError reports a match that used up its budget.
type TimeoutError struct {
	// Budget is the CPU time the match was given.
	Budget time.Duration
	// Busy is set when the machine was so busy that the match could not get
	// its budget of CPU time within 256 budgets of wall-clock time.
	Busy bool
}

func (e *TimeoutError) Error() string {
	if e.Busy {
		return fmt.Sprintf("regular expression could not run: the machine is too busy to give it %v of CPU time", e.Budget)
	}
	return fmt.Sprintf("regular expression timed out after %v of CPU time", e.Budget)
}

// ErrBusy is matched by errors.Is for a TimeoutError with Busy set.
var ErrBusy = errors.New("machine too busy")

// Is lets errors.Is(err, ErrBusy) find a busy timeout.
func (e *TimeoutError) Is(target error) bool { return target == ErrBusy && e.Busy }

// Compile compiles pattern with .NET syntax and rejects what Check
// rejects. budget <= 0 means no limit.
func Compile(pattern string, budget time.Duration) (*Regexp, error) {
	re, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		return nil, err
	}
	if err := Check(pattern); err != nil {
		return nil, err
	}
	free, _ := regexp2.Compile(pattern, regexp2.None)
	if budget <= 0 {
		return &Regexp{re: free, free: free}, nil
	}
	re.MatchTimeout = budget
	return &Regexp{re: re, free: free, budget: budget}, nil
}

// Budget returns the CPU time each match may use; 0 means no limit.
func (r *Regexp) Budget() time.Duration { return r.budget }

// String returns the pattern.
func (r *Regexp) String() string { return r.free.String() }

// GroupNumberFromName returns the number of a named (or numbered) group,
// -1 if there is none.
func (r *Regexp) GroupNumberFromName(name string) int { return r.free.GroupNumberFromName(name) }

// GetGroupNumbers returns the group numbers, in .NET's order.
func (r *Regexp) GetGroupNumbers() []int { return r.free.GetGroupNumbers() }

// GetGroupNames returns the group names, in number order.
func (r *Regexp) GetGroupNames() []string { return r.free.GetGroupNames() }

// MatchString reports whether s contains a match.
func (r *Regexp) MatchString(s string) (bool, error) {
	var ok bool
	err := r.run(func(re *regexp2.Regexp) error {
		var err error
		ok, err = re.MatchString(s)
		return err
	})
	return ok, err
}

// FindStringMatch returns the first match in s, nil if there is none.
func (r *Regexp) FindStringMatch(s string) (*regexp2.Match, error) {
	var m *regexp2.Match
	err := r.run(func(re *regexp2.Regexp) error {
		var err error
		m, err = re.FindStringMatch(s)
		return err
	})
	return m, err
}

// FindRunesMatch returns the first match in s, nil if there is none.
func (r *Regexp) FindRunesMatch(s []rune) (*regexp2.Match, error) {
	var m *regexp2.Match
	err := r.run(func(re *regexp2.Regexp) error {
		var err error
		m, err = re.FindRunesMatch(s)
		return err
	})
	return m, err
}

// FindNextMatch returns the match after m, nil if there is none.
func (r *Regexp) FindNextMatch(m *regexp2.Match) (*regexp2.Match, error) {
	var next *regexp2.Match
	err := r.run(func(re *regexp2.Regexp) error {
		var err error
		next, err = re.FindNextMatch(m)
		return err
	})
	return next, err
}

// Replace is .NET's Regex.Replace(s, replacement): every match replaced,
// with $ substitutions. Unlike regexp2's Replace, a timeout on any match is
// an error, never "".
func (r *Regexp) Replace(s, replacement string) (string, error) {
	// Find every match under the budget first; the unlimited copy then
	// repeats exactly the same matches, which are known to finish.
	for m, err := r.FindStringMatch(s); m != nil || err != nil; m, err = r.FindNextMatch(m) {
		if err != nil {
			return "", err
		}
	}
	return r.free.Replace(s, replacement, -1, -1)
}

// ReplaceFunc replaces every match in s with what f returns for it.
func (r *Regexp) ReplaceFunc(s string, f func(m *regexp2.Match) string) (string, error) {
	m, err := r.FindStringMatch(s)
	if err != nil || m == nil {
		return s, err
	}
	var b strings.Builder
	text := []rune(s)
	prev := 0
	for m != nil {
		b.WriteString(string(text[prev:m.Index]))
		b.WriteString(f(m))
		prev = m.Index + m.Length
		if m, err = r.FindNextMatch(m); err != nil {
			return "", err
		}
	}
	b.WriteString(string(text[prev:]))
	return b.String(), nil
}

// attempts is the number of measured attempts after a fast-path timeout;
// the wall-clock limit grows 4 times at each (1, 4, 16, 64, 256 budgets).
const attempts = 5

// run runs one match. See the package documentation.
func (r *Regexp) run(match func(re *regexp2.Regexp) error) error {
	err := match(r.re)
	if err == nil || !isTimeout(err) {
		return err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	limit := r.budget
	for range attempts {
		re, _ := regexp2.Compile(r.free.String(), regexp2.None)
		re.MatchTimeout = limit
		start, t0 := threadCPU(), time.Now()
		err := match(re)
		if err == nil || !isTimeout(err) {
			return err
		}
		used := time.Since(t0)
		if start >= 0 {
			used = threadCPU() - start
		}
		if used >= r.budget {
			return &TimeoutError{Budget: r.budget}
		}
		limit *= 4
	}
	return &TimeoutError{Budget: r.budget, Busy: true}
}

// isTimeout recognises regexp2's timeout error, which has no type of its
// own.
func isTimeout(err error) bool { return strings.HasPrefix(err.Error(), "match timeout") }
