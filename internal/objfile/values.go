package objfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Values decodes an object's members into Go values, as the expression
// environment takes them: strings, booleans, json.Number for numbers (so
// that large integers stay exact), []any for multi-valued attributes, nil
// for null. names keeps the members' order; a name given twice keeps its
// first position and its last value. A member that is still an object
// (Options.Keep) is an error.
func (r *Reader) Values(o *Object) (names []string, attrs map[string]any, err error) {
	attrs = make(map[string]any, len(o.Members))
	for _, m := range o.Members {
		name := string(m.Name)
		var v any
		if m.IsCell {
			v = m.Cell
		} else {
			if m.Raw[0] == '{' {
				return nil, nil, r.Errorf(o, "member %q is an object (expected a string, number, boolean or array)", name)
			}
			var ok bool
			if v, ok = scalarValue(m.Raw); !ok {
				dec := json.NewDecoder(bytes.NewReader(m.Raw))
				dec.UseNumber()
				if err := dec.Decode(&v); err != nil {
					return nil, nil, r.Errorf(o, "member %q: %v", name, err)
				}
			}
		}
		if _, dup := attrs[name]; !dup {
			names = append(names, name)
		}
		attrs[name] = v
	}
	return names, attrs, nil
}

// scalarValue decodes the common JSON values as a Decoder with UseNumber
// does, without one: a string needing no decoding, true, false, null and
// an integer. false for anything else.
func scalarValue(raw []byte) (any, bool) {
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	case "null":
		return nil, true
	}
	if raw[0] == '"' && len(raw) >= 2 && raw[len(raw)-1] == '"' {
		if s, ok := PlainString(raw); ok && bytes.IndexByte(s, '"') < 0 && !bytes.ContainsFunc(s, func(r rune) bool { return r < 0x20 }) {
			return string(s), true
		}
		return nil, false
	}
	digits := raw
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return nil, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, false
		}
	}
	return json.Number(raw), true
}

// keyNames are the attributes that identify an object, in order of
// preference.
var keyNames = []string{"id", "objectId", "userPrincipalName", "userName"}

// Key returns the text that identifies an object for people: its id,
// objectId, userPrincipalName or userName, else its first attribute, else
// "#N".
func Key(o *Object) string {
	for _, want := range keyNames {
		for i := range o.Members {
			if strings.EqualFold(string(o.Members[i].Name), want) {
				if s := scalarText(&o.Members[i]); s != "" {
					return s
				}
			}
		}
	}
	if len(o.Members) > 0 {
		if s := scalarText(&o.Members[0]); s != "" {
			return s
		}
	}
	return "#" + strconv.Itoa(o.N)
}

// scalarText returns a member's value as text when it is a string,
// number or boolean.
func scalarText(m *Member) string {
	if m.IsCell {
		return m.Cell
	}
	switch m.Raw[0] {
	case '"':
		return StringOf(m.Raw)
	case '{', '[', 'n':
		return ""
	case 't':
		return "True"
	case 'f':
		return "False"
	}
	return string(m.Raw)
}

// Files returns the files a path names: the path itself, or for a
// directory (of Graph or SCIM pages) its files in name order, skipping
// hidden ones.
func Files(path string) ([]string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		files = append(files, filepath.Join(path, e.Name()))
	}
	slices.Sort(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: the directory has no files (expected page files)", path)
	}
	return files, nil
}

// Open returns a Reader of the files a path names (see Files): one file,
// or a directory's files read one after the other, each by its own
// content, as one sequence of objects. Errors name the file concerned.
// "-" reads stdin. Close closes the file being read.
func Open(path string, stdin io.Reader, opts Options) (*Reader, error) {
	if path == "-" {
		if opts.Name == "" {
			opts.Name = "<stdin>"
		}
		return NewReader(stdin, opts), nil
	}
	files, err := Files(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{}
	*r = *NewReader(nil, opts)
	r.files = files
	if err := r.openNext(); err != nil {
		return nil, err
	}
	return r, nil
}

// openNext starts reading the next of r.files.
func (r *Reader) openNext() error {
	if r.file != nil {
		r.file.Close()
		r.file = nil
	}
	f, err := os.Open(r.files[0])
	if err != nil {
		return err
	}
	r.opts.Name, r.files = r.files[0], r.files[1:]
	r.file, r.in = f, f
	if r.opts.Wrap != nil {
		r.in = r.opts.Wrap(f)
	}
	// r.n counts on: object numbers name objects of the whole directory.
	r.start, r.fmt, r.dec, r.fast, r.array, r.page, r.csv = false, Unknown, nil, nil, false, nil, nil
	return nil
}

// Close closes the file being read, if the Reader opened it.
func (r *Reader) Close() error {
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	r.file = nil
	return err
}
