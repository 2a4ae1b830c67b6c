package main

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/internal/diag"
	"github.com/attrmap/attrmap/internal/objfile"
)

// objectInput is a file of objects opened by openObjects: one object
// (single is set) or rows.
type objectInput struct {
	or     *objfile.Reader
	single *object
	rows   iter.Seq[row]
}

// openObjects opens the objects of -i: a file (or a directory of Graph
// or SCIM pages, or - for stdin) in any format internal/objfile reads,
// told apart by content. A file holding one JSON object, not in an array
// or a page, is one object; anything else is rows. sources are the
// schema's source attribute names, for naming Graph properties (nil: the
// built-in table). wrap, if not nil, wraps each file read (progress).
func openObjects(path string, stdin io.Reader, sources []string, wrap func(io.Reader) io.Reader) (*objectInput, error) {
	or, err := objfile.Open(path, stdin, objfile.Options{SourceAttributes: sources, Wrap: wrap})
	if err != nil {
		return nil, err
	}
	in := &objectInput{or: or}
	first, err := readRow(or)
	if err == io.EOF {
		or.Close()
		return nil, errors.New(inputName(path) + ": no objects (expected a JSON object, an array or pages of objects, JSON lines, or CSV with a header row)")
	}
	if first.fatal {
		or.Close()
		return nil, first.err
	}
	pending := []row{first}
	if first.err == nil && !first.paged && or.Format() == objfile.JSONStream {
		second, err := readRow(or)
		if err == io.EOF {
			in.single = &first.obj
			return in, nil
		}
		pending = append(pending, second)
	}
	in.rows = func(yield func(row) bool) {
		for _, r := range pending {
			if !yield(r) || r.fatal {
				return
			}
		}
		for {
			r, err := readRow(or)
			if err == io.EOF || !yield(r) || r.fatal {
				return
			}
		}
	}
	return in, nil
}

func inputName(path string) string {
	if path == "-" {
		return "<stdin>"
	}
	return path
}

// readRow reads the next object as a row; io.EOF at the end. A row that
// could not be read carries its error; fatal when reading cannot go on.
func readRow(or *objfile.Reader) (row, error) {
	o, err := or.Next()
	if err == io.EOF {
		return row{}, io.EOF
	}
	if err != nil {
		var e *objfile.Error
		recoverable := errors.As(err, &e) && e.Recoverable
		n := 0
		if e != nil {
			n = e.Object
		}
		return row{n: n, key: "#" + strconv.Itoa(n), err: err, fatal: !recoverable}, nil
	}
	keys, attrs, err := or.Values(o)
	if err != nil {
		return row{n: o.N, key: objfile.Key(o), err: err}, nil
	}
	return row{n: o.N, key: objfile.Key(o), obj: object{keys: keys, attrs: attrs}, paged: o.Paged}, nil
}

// Close closes the file.
func (in *objectInput) Close() error { return in.or.Close() }

// Incomplete says, once every row is read, why the input is not the whole
// collection (a last page with a next link), or "".
func (in *objectInput) Incomplete() string { return in.or.Incomplete() }

// warnIncomplete tells on stderr that the rows were not the whole
// collection their pages belong to.
func warnIncomplete(stderr io.Writer, cmd string, in *objectInput) {
	if why := in.Incomplete(); why != "" {
		fmt.Fprintf(stderr, "attrmap %s: warning: %s\n", cmd, why)
	}
}

// attrWatch remembers the attribute names the input objects have, to warn
// about an expression that reads one no object has: a typo such as
// [givenNmae] would otherwise silently give null.
type attrWatch struct {
	seen  map[string]bool // lower case
	names []string
}

// maxWatched bounds the names remembered, should every object have its own.
const maxWatched = 10000

func (w *attrWatch) see(keys []string) {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	for _, k := range keys {
		l := strings.ToLower(k)
		if !w.seen[l] && len(w.names) < maxWatched {
			w.seen[l] = true
			w.names = append(w.names, k)
		}
	}
}

// rows passes rows through, remembering their attribute names.
func (w *attrWatch) rows(rows iter.Seq[row]) iter.Seq[row] {
	return func(yield func(row) bool) {
		for r := range rows {
			if r.err == nil {
				w.see(r.obj.keys)
			}
			if !yield(r) {
				return
			}
		}
	}
}

// warn writes a warning naming the attributes of wanted that no object
// had, each with the closest name the objects have; virtual attributes
// (supplied by the command) are left out.
func (w *attrWatch) warn(stderr io.Writer, cmd string, wanted []string, virtual func(name string) bool) {
	if w.seen == nil {
		return // no object was read
	}
	done := map[string]bool{}
	var missing []string
	for _, a := range wanted {
		l := strings.ToLower(a)
		if w.seen[l] || done[l] || (virtual != nil && virtual(a)) {
			continue
		}
		done[l] = true
		m := "[" + a + "]"
		if hint := diag.Suggest(a, w.names); hint != "" {
			m += fmt.Sprintf(" (did you mean [%s]?)", hint)
		}
		missing = append(missing, m)
	}
	switch len(missing) {
	case 0:
	case 1:
		fmt.Fprintf(stderr, "attrmap %s: warning: no input object has %s, so it reads as null\n", cmd, missing[0])
	default:
		fmt.Fprintf(stderr, "attrmap %s: warning: no input object has %s, so they read as null\n", cmd, strings.Join(missing, ", "))
	}
}
