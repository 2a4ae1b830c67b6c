package objfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"unsafe"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Member is one attribute of an object as the file gives it: the JSON
// text of its value, or a CSV cell.
type Member struct {
	// Name is the attribute name, after flattening (see the package
	// documentation).
	Name []byte
	// Raw is the value's JSON text; nil for a CSV cell.
	Raw []byte
	// Cell is a CSV cell's text, when IsCell.
	Cell   string
	IsCell bool
}

// Shape tells how an object was written.
type Shape uint8

// The shapes of an object.
const (
	// Plain is a flat object (or one flattened by dotted names): the
	// format of attrmap's own files, CSV rows included.
	Plain Shape = iota
	// Graph is a Microsoft Graph object (it or its page has @odata
	// members); its names are mapped to Entra's source attribute names.
	Graph
	// SCIM is a SCIM 2.0 resource (its schemas member lists SCIM URNs,
	// or it came in a ListResponse); its names are flattened to the
	// target attribute paths Entra's SCIM mappings use.
	SCIM
)

func (s Shape) String() string {
	switch s {
	case Plain:
		return "plain"
	case Graph:
		return "Microsoft Graph"
	case SCIM:
		return "SCIM"
	}
	return fmt.Sprintf("Shape(%d)", uint8(s))
}

// Format is how a file is laid out, told from its content.
type Format uint8

// The formats of a file.
const (
	Unknown Format = iota
	JSONArray
	// JSONStream is JSON values one after another: JSON lines, one
	// object, or pages.
	JSONStream
	CSV
)

func (f Format) String() string {
	return [...]string{"empty", "JSON array", "JSON", "CSV"}[f]
}

// Object is one object of a file. Its members, and the bytes they point
// into, are valid until the next call of Next.
type Object struct {
	Members []Member
	// N is the object's number in the input, from 1. In a directory of
	// pages (Open) it counts on across the files, in the order they are
	// read, so that it names one object of the whole export; positions
	// (line, column) are within the object's file, which errors name.
	N int
	// Shape is how the object was written.
	Shape Shape
	// Paged marks an object of a Graph page or a SCIM ListResponse.
	Paged bool
	// off is the byte offset where the object starts (-1 unknown); line
	// is set instead for CSV rows.
	off  int64
	line int
	// file is the name of the object's file (Options.Name when read).
	file string
}

// Options configures a Reader.
type Options struct {
	// Name is the file name errors give; empty for none.
	Name string
	// SourceAttributes are the attribute names of the source directory
	// ("Azure Active Directory" in a synchronization schema), used to name
	// flattened Graph properties. Empty means the built-in table.
	SourceAttributes []string
	// Keep names a member of plain objects left as it is, not flattened
	// (the planner's "attributes" member).
	Keep string
	// Wrap, if not nil, wraps each input before it is read (to count the
	// bytes read, for progress).
	Wrap func(io.Reader) io.Reader
}

// Reader reads the objects of one file, one at a time.
type Reader struct {
	opts  Options
	in    io.Reader
	t     *tracker
	br    *bufio.Reader
	base  int64 // tracker offset where the decoder or CSV reader starts
	fmt   Format
	start bool
	err   error // sticky: once reading fails it stays failed
	n     int

	// fast reads JSON in one pass (fastjson.go) until it hands over to
	// dec; slow, set by tests, starts with dec, and fastSize, set by
	// tests, is the fast reader's first buffer size.
	fast     *fastJSON
	slow     bool
	fastSize int
	dec      *json.Decoder
	decSrc   io.Reader
	raw      json.RawMessage
	array    bool
	// lines counts the objects read so far when each was on a line of its
	// own (JSON lines); -1 once one was not. Only in JSON lines can
	// reading go on after a syntax error, at the next line.
	lines int

	// The page being read: its elements, and where it starts.
	page      []byte
	pageAt    int
	pageOff   int64
	pageShape Shape
	pageKind  string // the object type the page's context names
	// incomplete says why the input lacks objects (a last page with a
	// next link), or is empty.
	incomplete string

	csv *csvState

	obj     Object
	top     []Member
	out     []Member
	names   Names
	sources map[string]bool

	// The files still to read after this one (Open), and the one open.
	files []string
	file  *os.File
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader, opts Options) *Reader {
	if opts.Wrap != nil && r != nil {
		r = opts.Wrap(r)
	}
	rd := &Reader{opts: opts, in: r}
	if len(opts.SourceAttributes) > 0 {
		rd.sources = make(map[string]bool, len(opts.SourceAttributes))
		for _, a := range opts.SourceAttributes {
			rd.sources[strings.ToLower(a)] = true
		}
	}
	return rd
}

// Format returns the file's format, known after the first call of Next.
func (r *Reader) Format() Format { return r.fmt }

// Incomplete returns, after the last object, why the file does not hold
// the whole collection it is a page of (a Graph page with an
// @odata.nextLink, a SCIM ListResponse with more totalResults), or "".
func (r *Reader) Incomplete() string { return r.incomplete }

// Next returns the next object, or io.EOF after the last one. Any other
// error is an *Error; reading may go on after one whose Recoverable is
// true (a CSV row of the wrong length).
func (r *Reader) Next() (*Object, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.start {
		r.start = true
		if err := r.begin(); err != nil {
			r.err = err
			return nil, err
		}
	}
	var o *Object
	var err error
	switch r.fmt {
	case Unknown:
		err = io.EOF
	case CSV:
		o, err = r.nextCSV()
	default:
		o, err = r.nextJSON()
	}
	if err == io.EOF && len(r.files) > 0 {
		if err := r.openNext(); err != nil {
			r.err = r.wrap(err)
			return nil, r.err
		}
		return r.Next()
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || !e.Recoverable {
			r.err = err
		}
	}
	return o, err
}

const utf8BOM = "\xef\xbb\xbf"

// begin detects the encoding and the format.
func (r *Reader) begin() error {
	r.t = &tracker{r: r.in}
	r.br = bufio.NewReaderSize(r.t, 64<<10)
	b, _ := r.br.Peek(4)
	switch {
	case bytes.HasPrefix(b, []byte(utf8BOM)):
		r.br.Discard(len(utf8BOM))
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}), bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		// UTF-16 with a byte order mark, as Windows PowerShell 5.1 writes
		// (Export-Csv, Out-File): positions count the decoded text.
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder()
		r.t = &tracker{r: transform.NewReader(r.br, dec)}
		r.br = bufio.NewReaderSize(r.t, 64<<10)
	case len(b) >= 2 && (b[0] == 0) != (b[1] == 0):
		return r.errorAt(0, 0, "the file looks like UTF-16 without a byte order mark (expected UTF-8, or UTF-16 with a byte order mark)")
	}
	// Leading white space is skipped; CSV gets it back, since there it
	// belongs to the first header.
	var lead []byte
	for {
		c, size, err := r.br.ReadRune()
		if err == io.EOF {
			r.fmt = Unknown
			return nil
		}
		if err != nil {
			return r.wrap(err)
		}
		if c == utf8.RuneError && size == 1 || !unicode.IsSpace(c) {
			if err := r.br.UnreadRune(); err != nil {
				return err
			}
			break
		}
		lead = utf8.AppendRune(lead, c)
	}
	first, _ := r.br.Peek(1)
	if first[0] != '[' && first[0] != '{' {
		r.fmt = CSV
		return r.beginCSV(lead)
	}
	r.base = r.t.off - int64(r.br.Buffered())
	r.array = first[0] == '['
	r.fmt = JSONStream
	if r.array {
		r.fmt = JSONArray
	}
	if !r.slow {
		r.fast = &fastJSON{array: r.array, Window: Window{Off: r.base, Size: fastChunk}}
		if r.fastSize > 0 {
			r.fast.Size = r.fastSize
		}
		if r.array {
			r.br.ReadByte() // the '['
			r.fast.Off++
		}
		return nil
	}
	r.decSrc = &spaceTrimmer{r: r.br}
	r.dec = json.NewDecoder(r.decSrc)
	if r.array {
		if _, err := r.dec.Token(); err != nil {
			return r.jsonError(err, 0, 0)
		}
	}
	return nil
}

func (r *Reader) nextJSON() (*Object, error) {
	for {
		if r.page != nil {
			if o, ok, err := r.nextElem(); ok || err != nil {
				return o, err
			}
			continue
		}
		var off int64
		if r.fast != nil {
			raw, at, err := r.nextFast()
			if err == errFallback {
				r.fallback()
				continue
			}
			if err != nil {
				return nil, err
			}
			r.raw, off = raw, at
			r.countLine()
		} else {
			var o *Object
			var err error
			if off, o, err = r.nextDecoded(); o != nil || err != nil {
				return o, err
			}
			r.top = Split(r.raw, r.top[:0], &r.names)
		}
		if r.startPage(r.top, off) {
			continue
		}
		r.n++
		return r.object(r.top, Plain, off)
	}
}

// nextDecoded reads the next value with the Decoder into r.raw and
// returns its offset. A value that is not an object is returned as the
// object or error it is read as.
func (r *Reader) nextDecoded() (int64, *Object, error) {
	before := r.dec.InputOffset()
	if r.array && !r.dec.More() {
		if _, err := r.dec.Token(); err != nil {
			return 0, nil, r.jsonError(err, 0, before)
		}
		if _, err := r.dec.Token(); err != io.EOF {
			return 0, nil, r.errorAt(r.base+r.dec.InputOffset(), 0, "text after the JSON array (expected the end of the file)")
		}
		return 0, nil, io.EOF
	}
	if err := r.dec.Decode(&r.raw); err == io.EOF && !r.array {
		return 0, nil, io.EOF
	} else if err != nil {
		e := r.jsonError(err, r.n+1, before)
		if r.lines > 0 && !r.array {
			r.n++
			if r.resync() {
				e.(*Error).Recoverable = true
			}
		}
		return 0, nil, e
	}
	r.countLine()
	off := r.base + r.dec.InputOffset() - int64(len(r.raw))
	switch r.raw[0] {
	case '{':
	case 'n':
		r.n++
		r.obj = Object{Members: r.out[:0], N: r.n, off: off, file: r.opts.Name}
		return off, &r.obj, nil
	default:
		r.n++
		return off, nil, r.errorAt(off, r.n, "%s (expected a JSON object)", jsonKind(r.raw))
	}
	return off, nil, nil
}

// countLine notes whether the object just read was on one line.
func (r *Reader) countLine() {
	if r.lines >= 0 && bytes.IndexByte(r.raw, '\n') < 0 {
		r.lines++
	} else {
		r.lines = -1
	}
}

// resync skips the rest of the line a JSON syntax error is on and
// starts a new decoder at the next line; false at the end of the input.
func (r *Reader) resync() bool {
	start := r.base + r.dec.InputOffset()
	rest := bufio.NewReader(io.MultiReader(r.dec.Buffered(), r.decSrc))
	skipped := int64(0)
	for {
		c, err := rest.ReadByte()
		if err != nil {
			return false
		}
		skipped++
		if c == '\n' && skipped > 1 {
			break
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			// Inside the bad line: from here the next newline ends it.
			for {
				c, err := rest.ReadByte()
				if err != nil {
					return false
				}
				skipped++
				if c == '\n' {
					break
				}
			}
			break
		}
	}
	r.base = start + skipped
	r.dec = json.NewDecoder(rest)
	r.decSrc = rest
	return true
}

// nextElem returns the next object of the page being read; false at its
// end.
func (r *Reader) nextElem() (*Object, bool, error) {
	i := skipSpace(r.page, r.pageAt)
	if i < len(r.page) && r.page[i] == ',' {
		i = skipSpace(r.page, i+1)
	}
	if i >= len(r.page) || r.page[i] == ']' {
		r.page = nil
		return nil, false, nil
	}
	end := SkipValue(r.page, i)
	elem := r.page[i:end]
	r.pageAt = end
	off := r.pageOff + int64(i)
	r.n++
	if elem[0] != '{' {
		return nil, true, r.errorAt(off, r.n, "%s (expected a JSON object in the page)", jsonKind(elem))
	}
	r.top = Split(elem, r.top[:0], &r.names)
	o, err := r.object(r.top, r.pageShape, off)
	if o != nil {
		o.Paged = true
	}
	return o, true, err
}

// pageMembers are the members of a top-level object that tell a page.
type pageMembers struct {
	value, resources, next, schemas, context, total, startIdx, perPage *Member
	odata                                                              bool
	n                                                                  int
}

// findPage finds the members of top that tell a page.
func findPage(top []Member) pageMembers {
	p := pageMembers{n: len(top)}
	for i := range top {
		m := &top[i]
		switch string(m.Name) {
		case "value":
			p.value = m
		case "Resources":
			p.resources = m
		case "@odata.nextLink":
			p.next = m
		case "@odata.context":
			p.context = m
		case "schemas":
			p.schemas = m
		case "totalResults":
			p.total = m
		case "startIndex":
			p.startIdx = m
		case "itemsPerPage":
			p.perPage = m
		}
		if bytes.HasPrefix(m.Name, []byte("@odata.")) {
			p.odata = true
		}
	}
	return p
}

// shape is Graph for a Graph page, SCIM for a SCIM ListResponse, Plain
// for an object that is no page.
func (p pageMembers) shape() Shape {
	switch {
	case p.value != nil && p.value.Raw[0] == '[' && (p.odata || p.n == 1):
		return Graph
	case p.schemas != nil && bytes.Contains(p.schemas.Raw, []byte(scimListResponse)):
		return SCIM
	}
	return Plain
}

// startPage begins reading a Graph page ({"@odata.context": ...,
// "value": [...]}) or a SCIM ListResponse ({"schemas":
// [".../ListResponse"], "Resources": [...]}); false when top is neither.
func (r *Reader) startPage(top []Member, off int64) bool {
	p := findPage(top)
	switch p.shape() {
	case Graph:
		r.beginPage(p.value, Graph, off)
		r.pageKind = ""
		if p.context != nil && p.context.Raw[0] == '"' {
			r.pageKind = graphContextType(StringOf(p.context.Raw))
		}
		r.incomplete = ""
		if p.next != nil && p.next.Raw[0] == '"' {
			r.incomplete = fmt.Sprintf("the last Graph page has @odata.nextLink %s: the rest of the collection is missing (put every page in the file, or the pages' files in one directory)", p.next.Raw)
		}
		return true
	case SCIM:
		r.pageKind = ""
		r.incomplete = ""
		n := 0
		if p.resources != nil && p.resources.Raw[0] == '[' {
			r.beginPage(p.resources, SCIM, off)
			Elements(p.resources.Raw, func([]byte) bool { n++; return true })
		}
		if t, ok := jsonInt(p.total); ok {
			first := 1
			if s, ok := jsonInt(p.startIdx); ok {
				first = s
			}
			if pp, ok := jsonInt(p.perPage); ok && pp < n {
				n = pp
			}
			if first-1+n < t {
				r.incomplete = fmt.Sprintf("the last SCIM ListResponse ends at resource %d of totalResults %d: the rest is missing (put every page in the file, or the pages' files in one directory)", first-1+n, t)
			}
		}
		return true
	}
	return false
}

const scimListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

func (r *Reader) beginPage(m *Member, shape Shape, off int64) {
	r.page, r.pageAt, r.pageShape = m.Raw, 1, shape
	// The member's value lies inside r.raw, so its offset follows.
	r.pageOff = off + int64(offsetIn(r.raw, m.Raw))
}

// offsetIn returns where sub starts inside b, which holds it.
func offsetIn(b, sub []byte) int {
	if len(sub) == 0 || len(b) == 0 {
		return 0
	}
	return int(uintptrOf(sub) - uintptrOf(b))
}

func uintptrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

func jsonInt(m *Member) (int, bool) {
	if m == nil || m.Raw[0] == '"' || m.Raw[0] == 'n' {
		return 0, false
	}
	var n int
	if err := json.Unmarshal(m.Raw, &n); err != nil {
		return 0, false
	}
	return n, true
}

// graphContextType returns the object type a Graph @odata.context names:
// "https://graph.microsoft.com/v1.0/$metadata#users" is User.
func graphContextType(ctx string) string {
	_, frag, ok := strings.Cut(ctx, "#")
	if !ok {
		return ""
	}
	frag, _, _ = strings.Cut(frag, "(")
	frag, _, _ = strings.Cut(frag, "/")
	switch strings.ToLower(frag) {
	case "users":
		return "User"
	case "groups":
		return "Group"
	}
	return ""
}

// object finishes an object: it flattens Graph and SCIM members.
func (r *Reader) object(top []Member, shape Shape, off int64) (*Object, error) {
	if shape == Plain {
		shape = detectShape(top)
	}
	r.obj = Object{N: r.n, Shape: shape, off: off, file: r.opts.Name}
	var err error
	switch shape {
	case Graph:
		r.out, err = r.graph(top, r.out[:0])
	case SCIM:
		r.out, err = r.scim(top, r.out[:0])
	default:
		if !nested(top, r.opts.Keep) {
			r.obj.Members = top
			return &r.obj, nil
		}
		r.out, err = r.plain(top, r.out[:0], nil)
	}
	if err != nil {
		return nil, r.errorAt(off, r.n, "%v", err)
	}
	r.obj.Members = r.out
	return &r.obj, nil
}

// nested reports whether a plain object has a member to flatten.
func nested(top []Member, keep string) bool {
	for i := range top {
		m := &top[i]
		if m.Raw != nil && (m.Raw[0] == '{' || m.Raw[0] == '[' && bytes.IndexByte(m.Raw[1:], '{') >= 0) && string(m.Name) != keep {
			return true
		}
	}
	return false
}

// detectShape tells a Graph object or a SCIM resource by its members.
func detectShape(top []Member) Shape {
	for i := range top {
		m := &top[i]
		if len(m.Name) > 0 && m.Name[0] == '@' && bytes.HasPrefix(m.Name, []byte("@odata.")) {
			return Graph
		}
		if len(m.Name) == 7 && string(m.Name) == "schemas" && m.Raw[0] == '[' && bytes.Contains(m.Raw, []byte("urn:ietf:params:scim:schemas:")) {
			return SCIM
		}
	}
	return Plain
}

// jsonError turns a decoding error into an *Error at its position.
func (r *Reader) jsonError(err error, n int, before int64) error {
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// A Decoder's offsets leave out what Token consumed, so the value
		// that failed is scanned again on its own: it starts at the
		// decoder's input offset, and what the decoder holds reaches the
		// error.
		at := r.base + se.Offset - 1
		if r.dec != nil {
			rest, _ := io.ReadAll(r.dec.Buffered())
			var v json.RawMessage
			if err := json.Unmarshal(rest, &v); errors.As(err, &se) {
				at = r.base + r.dec.InputOffset() + se.Offset - 1
			}
		}
		return r.errorAt(at, n, "invalid JSON: %s", se.Error())
	case errors.As(err, &ue):
		return r.errorAt(r.base+before+ue.Offset, n, "invalid JSON: %s", ue.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return r.errorAt(r.t.off, n, "invalid JSON: the file ends inside a value (expected the rest of it)")
	}
	e := r.wrap(err).(*Error)
	e.Object = n
	return e
}

// wrap names the file in an error that has no position (a failed read).
func (r *Reader) wrap(err error) error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{File: r.opts.Name, Msg: err.Error(), Err: err}
}

// errorAt returns an *Error at a byte offset of the input.
func (r *Reader) errorAt(off int64, n int, format string, args ...any) *Error {
	e := &Error{File: r.opts.Name, Object: n, Msg: fmt.Sprintf(format, args...)}
	if r.t != nil {
		e.Line, e.Col = r.t.pos(off)
	}
	return e
}

// Errorf returns an *Error about an object the Reader returned: a
// consumer's complaint ("no id") with the object's file and position.
func (r *Reader) Errorf(o *Object, format string, args ...any) error {
	if o.file != r.opts.Name {
		// An object of a file read before: its position is gone.
		return &Error{File: o.file, Object: o.N, Msg: fmt.Sprintf(format, args...)}
	}
	if o.line > 0 {
		return &Error{File: r.opts.Name, Line: o.line, Object: o.N, Msg: fmt.Sprintf(format, args...)}
	}
	return r.errorAt(o.off, o.N, format, args...)
}

// jsonKind names the kind of a JSON value, for messages.
func jsonKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// Error is a problem with the input, at a position.
type Error struct {
	// File is the file name, or empty.
	File string
	// Line and Col are 1-based; 0 when unknown. Col counts bytes.
	Line, Col int
	// Object is the 1-based number of the object concerned, or 0.
	Object int
	Msg    string
	// Recoverable marks an error about one object only: reading can go
	// on with the next.
	Recoverable bool
	Err         error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ", column %d", e.Col)
		}
		b.WriteString(": ")
	}
	if e.Object > 0 {
		fmt.Fprintf(&b, "object %d: ", e.Object)
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// spaceTrimmer passes a reader through but for the white space at its
// end, which bytes.TrimSpace drops and the JSON decoder would not all skip
// (a form feed, a no-break space).
type spaceTrimmer struct {
	r     io.Reader
	buf   []byte // buf[off:] is read and not yet returned
	off   int
	ready int // buf[off:ready] is followed by something other than white space
	err   error
}

func (t *spaceTrimmer) Read(p []byte) (int, error) {
	for t.ready == t.off {
		if t.err != nil {
			// At the end the white space goes; after an error all that was
			// read comes first.
			t.ready = len(t.buf)
			if t.err == io.EOF {
				t.ready = t.off + len(bytes.TrimRightFunc(t.buf[t.off:], unicode.IsSpace))
			}
			if t.ready == t.off {
				return 0, t.err
			}
			break
		}
		if t.off > 0 {
			t.buf = t.buf[:copy(t.buf, t.buf[t.off:])]
			t.ready -= t.off
			t.off = 0
		}
		if cap(t.buf)-len(t.buf) < 4096 {
			t.buf = slices.Grow(t.buf, max(64<<10, len(t.buf)))
		}
		n, err := t.r.Read(t.buf[len(t.buf):cap(t.buf)])
		t.buf, t.err = t.buf[:len(t.buf)+n], err
		// Held back: the white space at the end, and the bytes before it,
		// which may be the start of a white-space rune cut in two.
		t.ready = max(t.off, len(bytes.TrimRightFunc(t.buf, unicode.IsSpace))-utf8.UTFMax)
	}
	n := copy(p, t.buf[t.off:t.ready])
	t.off += n
	return n, nil
}
