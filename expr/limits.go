package expr

import "fmt"

// MaxValueSize bounds the size of a value an evaluation computes: a string
// of at most 1 MiB (in UTF-8 bytes), or a multi-valued value whose values
// add up to at most that. A function whose result would be larger fails
// with a *SizeError before it allocates it (Join, Replace, &) or as soon as
// it returns, so amplification such as Replace inside Replace ends as an
// error on that object instead of exhausting memory. Attribute values read
// from the object are not limited: only what the expression makes of them.
const MaxValueSize = 1 << 20

// SizeError reports a value that would exceed MaxValueSize.
type SizeError struct {
	// Size is the size in bytes the value would have had.
	Size int
	// AtLeast is set when the value was stopped while it was being built
	// (Replace's substitutions): Size is then what it had reached, and the
	// whole value would have been larger.
	AtLeast bool
}

func (e *SizeError) Error() string {
	if e.AtLeast {
		return fmt.Sprintf("the result would be more than %d bytes, past the %d-byte limit of a value (MaxValueSize)", e.Size-1, MaxValueSize)
	}
	return fmt.Sprintf("the result would be %d bytes, more than the %d-byte limit of a value (MaxValueSize)", e.Size, MaxValueSize)
}

// valueSize is the size MaxValueSize limits.
func valueSize(v Value) int {
	switch v := v.(type) {
	case String:
		return len(v)
	case Multi:
		n := 0
		for _, s := range v {
			n += len(s)
		}
		return n
	}
	return 0
}

// checkSize returns a *SizeError when size exceeds MaxValueSize.
func checkSize(size int) error {
	if size > MaxValueSize || size < 0 {
		return &SizeError{Size: size}
	}
	return nil
}
