package provision

import (
	"errors"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// ObjectError is the failure of one object: it gets no operation, its
// link (if any) is kept as it was, and the other objects go on, as the
// service escrows an object and retries it next cycle.
type ObjectError struct {
	// Object is the target object type of the object mapping that failed.
	Object string
	// Key is the source object's id.
	Key string
	// Stage is where it failed: "source" (the snapshot), "scope", "match"
	// or "map".
	Stage string
	// Attribute is the target attribute whose mapping failed, if any.
	Attribute string
	// Err is the cause: for the map stage the expression's error (an
	// *expr.Error, errors.Is(Err, expr.ErrNotUnique) for an escrow), for
	// a plan read back from JSON the message alone.
	Err error
	// Escrow reports a failure the service retries rather than reports as
	// a configuration error: SelectUniqueValue found every candidate taken.
	Escrow bool
}

// Error formats the failure as one line.
func (e ObjectError) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	b.WriteString(": ")
	b.WriteString(e.Stage)
	if e.Attribute != "" {
		b.WriteString(" ")
		b.WriteString(e.Attribute)
	}
	b.WriteString(": ")
	b.WriteString(errText(e.Err))
	if e.Escrow {
		b.WriteString(" (escrowed)")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e ObjectError) Unwrap() error { return e.Err }

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// isEscrow reports an error the service escrows: SelectUniqueValue found
// every candidate taken.
func isEscrow(err error) bool { return errors.Is(err, expr.ErrNotUnique) }

// moreFailures adds to the first failing attribute's error how many others
// failed, keeping it as the cause.
type moreFailures struct {
	err  error
	more int
}

func (e *moreFailures) Error() string {
	return e.err.Error() + " (and " + strconv.Itoa(e.more) + " more failing attributes)"
}

func (e *moreFailures) Unwrap() error { return e.err }
