package provision

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/attrmap/attrmap/expr"
)

// ReadSnapshot reads a snapshot from r, one object at a time: a JSON array
// of objects, JSON lines (one object per line) or CSV with a header row,
// told apart by the first byte that is not white space (after a UTF-8
// byte order mark). The formats and reserved members are DecodeSnapshot's;
// errors name the object (JSON) or the line (CSV) that failed.
//
// Only the current object is held besides the snapshot being built, so
// reading needs little more memory than the result. Equal short values
// (departments, cities, "True", a manager's id) are stored once and shared
// between the objects that have them; an attribute whose values turn out
// to be mostly distinct (ids, mails) stops being looked up.
func ReadSnapshot(r io.Reader, opts SnapshotOptions) (*Snapshot, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(utf8BOM)); string(b) == utf8BOM {
		br.Discard(len(utf8BOM))
	}
	// Leading white space is skipped, as DecodeSnapshot always did; CSV
	// gets it back, since there it belongs to the first header.
	var lead []byte
	for {
		c, size, err := br.ReadRune()
		if err == io.EOF {
			return &Snapshot{}, nil
		}
		if err != nil {
			return nil, err
		}
		if c == utf8.RuneError && size == 1 || !unicode.IsSpace(c) {
			if err := br.UnreadRune(); err != nil {
				return nil, err
			}
			break
		}
		lead = utf8.AppendRune(lead, c)
	}
	rd := newSnapshotReader(opts)
	first, _ := br.Peek(1)
	if first[0] != '[' && first[0] != '{' {
		return rd.s, rd.readCSV(io.MultiReader(bytes.NewReader(lead), br))
	}
	return rd.s, rd.readJSON(&spaceTrimmer{r: br}, first[0] == '[')
}

const utf8BOM = "\xef\xbb\xbf"

// snapshotReader builds a snapshot object by object. It owns the scratch
// space every object reuses, and the intern table, which lives only as
// long as the read.
type snapshotReader struct {
	s    *Snapshot
	opts SnapshotOptions
	in   interner

	// keys maps a member name to its position in s.Attributes, including
	// names that differ from the table's only in case.
	keys map[string]int
	// stamp[pos] is the number of the last object that set pos, to notice
	// a name given twice.
	stamp []int
	n     int

	top, nested []member
	names       map[string][]byte // decoded member names, by literal
	set         []posValue
	slab        []expr.Value
}

// member is one member of the current object: raw JSON, or a CSV cell.
type member struct {
	key   []byte
	raw   []byte // JSON value; nil for a CSV cell
	cell  string
	isCSV bool
}

type posValue struct {
	pos int
	v   expr.Value
}

func newSnapshotReader(opts SnapshotOptions) *snapshotReader {
	return &snapshotReader{s: &Snapshot{}, opts: opts, keys: map[string]int{}, in: newInterner()}
}

func (rd *snapshotReader) readJSON(r io.Reader, array bool) error {
	dec := json.NewDecoder(r)
	if array {
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	var raw json.RawMessage // reused: Decode appends to its capacity
	for n := 1; ; n++ {
		if array && !dec.More() {
			return nil
		}
		if err := dec.Decode(&raw); err == io.EOF && !array {
			return nil
		} else if err != nil {
			return fmt.Errorf("object %d: %w", n, err)
		}
		if err := rd.addJSON(raw); err != nil {
			return fmt.Errorf("object %d: %w", n, err)
		}
	}
}

// spaceTrimmer passes a reader through but for the white space at its
// end, which bytes.TrimSpace drops and the JSON decoder would not all skip
// (a form feed, a no-break space): DecodeSnapshot always trimmed it.
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

func (rd *snapshotReader) readCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("csv header: %w", err)
	}
	header = slices.Clone(header)
	keys := make([][]byte, len(header))
	for i, h := range header {
		keys[i] = []byte(h)
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("csv: %w", err)
		}
		rd.top = rd.top[:0]
		for i := range header {
			if i < len(rec) && rec[i] != "" {
				rd.top = append(rd.top, member{key: keys[i], cell: rec[i], isCSV: true})
			}
		}
		if err := rd.addObject(); err != nil {
			return fmt.Errorf("csv line %d: %w", line, err)
		}
	}
}

// addJSON adds one decoded JSON value, which must be an object (or null,
// an object without an id).
func (rd *snapshotReader) addJSON(raw []byte) error {
	switch raw[0] {
	case '{':
		rd.top = rd.splitObject(raw, rd.top[:0])
	case 'n':
		rd.top = rd.top[:0]
	default:
		var m map[string]any // for the error message decoding into a map gives
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		return fmt.Errorf("not an object")
	}
	return rd.addObject()
}

// addObject adds the object whose members are in rd.top, with the rules
// of the package documentation ("Snapshot format"). When a member is
// given twice the last one counts, and when two names differ only in case
// the one sorting last does, as when objects were decoded into maps.
func (rd *snapshotReader) addObject() error {
	top := rd.top
	var (
		assigned, softDeleted, objectType, enabled, attrs, id1, id2 *member
	)
	idNames := [2]string{"id", "objectId"}
	if rd.opts.IDAttribute != "" {
		idNames = [2]string{rd.opts.IDAttribute, ""}
	}
	for i := range top {
		m := &top[i]
		switch string(m.key) {
		case keyAssigned:
			assigned = m
		case keySoftDeleted:
			softDeleted = m
		case keyObjectType:
			objectType = m
		case keyAccountEnabled:
			enabled = m
		case keyAttributes:
			attrs = m
		}
		// Not in the switch: IDAttribute may name a reserved member.
		if string(m.key) == idNames[0] {
			id1 = m
		} else if idNames[1] != "" && string(m.key) == idNames[1] {
			id2 = m
		}
	}
	members, flat := top, true
	// In the nested form, accountEnabled may be given at the top and among
	// the attributes; the top one is only a flag.
	var topEnabled, nid1, nid2 *member
	if attrs != nil && !attrs.isCSV && attrs.raw[0] == '{' {
		rd.nested = rd.splitObject(attrs.raw, rd.nested[:0])
		members, flat = rd.nested, false
		topEnabled, enabled = enabled, nil
		for i := range members {
			m := &members[i]
			if string(m.key) == keyAccountEnabled {
				enabled = m
			}
			if string(m.key) == idNames[0] {
				nid1 = m
			} else if idNames[1] != "" && string(m.key) == idNames[1] {
				nid2 = m
			}
		}
	}

	var o Object
	var idFrom *member
	for _, c := range []struct{ top, nested *member }{{id1, nid1}, {id2, nid2}} {
		if id, ok := memberID(c.top); ok {
			o.ID, idFrom = id, c.top
			break
		}
		if !flat {
			if id, ok := memberString(c.nested); ok && id != "" {
				o.ID, idFrom = id, c.nested
				break
			}
		}
	}
	if idFrom == nil {
		return fmt.Errorf("no id (want a string member %q)", idName(rd.opts))
	}
	if idFrom.isCSV {
		o.ID = strings.Clone(o.ID) // a cell shares its bytes with the whole record
	}
	isAssigned, err := memberFlag(assigned, keyAssigned, true)
	if err != nil {
		return err
	}
	o.Unassigned = !isAssigned
	if o.SoftDeleted, err = memberFlag(softDeleted, keySoftDeleted, false); err != nil {
		return err
	}
	if objectType != nil && !isNull(objectType) {
		t, ok := memberString(objectType)
		if !ok {
			return fmt.Errorf("%s must be a string (got %v)", keyObjectType, goValue(objectType))
		}
		o.Type = rd.in.name(t)
	}
	if topEnabled != nil {
		on, err := memberFlag(topEnabled, keyAccountEnabled, true)
		if err != nil {
			return err
		}
		o.Disabled = !on
	}
	if enabled != nil {
		on, err := memberFlag(enabled, keyAccountEnabled, true)
		if err != nil {
			return err
		}
		o.Disabled = o.Disabled || !on
	}

	if !rd.addFast(&o, members, flat, idFrom) {
		rd.addSlow(&o, members, flat, idFrom)
	}
	rd.s.Objects = append(rd.s.Objects, o)
	return nil
}

// skipFlag reports whether a top-level member of a flat object is a flag
// rather than an attribute.
func skipFlag(m *member, flat bool) bool {
	if !flat {
		return false
	}
	// Compared without a variable: string(m.key) then does not allocate.
	return string(m.key) == keyAssigned || string(m.key) == keySoftDeleted || string(m.key) == keyObjectType
}

// addFast sets the object's values when every name is known and given
// once, which is nearly always: then the order of the members does not
// matter. It reports false, having set nothing, otherwise.
func (rd *snapshotReader) addFast(o *Object, members []member, flat bool, idFrom *member) bool {
	rd.n++
	rd.set = rd.set[:0]
	for i := range members {
		m := &members[i]
		if skipFlag(m, flat) {
			continue
		}
		pos, ok := rd.keys[string(m.key)]
		if !ok || rd.stamp[pos] == rd.n {
			return false
		}
		rd.stamp[pos] = rd.n
		if !isNull(m) {
			rd.set = append(rd.set, posValue{pos, nil})
		}
	}
	// Converted only now, so that a value is interned at most once.
	k := 0
	for i := range members {
		m := &members[i]
		if skipFlag(m, flat) || isNull(m) {
			continue
		}
		rd.set[k].v = rd.value(rd.set[k].pos, m, idFrom, o.ID)
		k++
	}
	rd.store(o)
	return true
}

// addSlow sets the object's values as decoding it into a map did: the last
// member of a name counts, names are taken in sorted order, and a new name
// is added to the attribute table (a name differing only in case from one
// there shares its position).
func (rd *snapshotReader) addSlow(o *Object, members []member, flat bool, idFrom *member) {
	last := make(map[string]*member, len(members))
	for i := range members {
		m := &members[i]
		if !skipFlag(m, flat) {
			last[string(m.key)] = m
		}
	}
	names := make([]string, 0, len(last))
	for k := range last {
		names = append(names, k)
	}
	slices.Sort(names)
	rd.set = rd.set[:0]
	for _, k := range names {
		m := last[k]
		if isNull(m) {
			continue
		}
		pos, ok := rd.keys[k]
		if !ok {
			pos = rd.s.attr(k)
			rd.keys[k] = pos
		}
		rd.set = append(rd.set, posValue{pos, rd.value(pos, m, idFrom, o.ID)})
	}
	if n := len(rd.s.Attributes); n > len(rd.stamp) {
		rd.stamp = append(rd.stamp, make([]int, n-len(rd.stamp))...)
	}
	rd.store(o)
}

// store gives the object the values in rd.set (a later one for the same
// position wins), cut from a shared slab: one allocation for many objects
// instead of one each.
func (rd *snapshotReader) store(o *Object) {
	if len(rd.set) == 0 {
		return
	}
	n := 0
	for _, pv := range rd.set {
		n = max(n, pv.pos+1)
	}
	var vals []expr.Value
	if n > slabSize/8 {
		vals = make([]expr.Value, n)
	} else {
		if len(rd.slab)+n > cap(rd.slab) {
			rd.slab = make([]expr.Value, 0, slabSize)
		}
		vals = rd.slab[len(rd.slab) : len(rd.slab)+n : len(rd.slab)+n]
		rd.slab = rd.slab[:len(rd.slab)+n]
	}
	for _, pv := range rd.set {
		vals[pv.pos] = pv.v
	}
	o.Values = vals
}

// slabSize is the number of values in one slab (64 KiB).
const slabSize = 4096

func isNull(m *member) bool { return m == nil || !m.isCSV && m.raw[0] == 'n' }

// value converts a member to its attribute value, as expr.FromGo converts
// a decoded JSON value (numbers as json.Number).
func (rd *snapshotReader) value(pos int, m *member, idFrom *member, id string) expr.Value {
	if m == idFrom && (m.isCSV || m.raw[0] == '"') {
		return expr.String(id) // shares the id's bytes
	}
	if m.isCSV {
		return rd.in.str(pos, m.cell, true)
	}
	raw := m.raw
	switch raw[0] {
	case '"':
		return rd.stringValue(pos, raw)
	case 't':
		return boxedTrue
	case 'f':
		return boxedFalse
	case '[':
		if v, ok := rd.multi(pos, raw); ok {
			return v
		}
	case '{':
	default:
		return rd.in.number(pos, raw)
	}
	return expr.FromGo(goValue(m))
}

var (
	boxedTrue  expr.Value = expr.Bool(true)
	boxedFalse expr.Value = expr.Bool(false)
)

// stringValue converts a JSON string literal.
func (rd *snapshotReader) stringValue(pos int, lit []byte) expr.Value {
	if s, ok := plainString(lit); ok {
		return rd.in.bytes(pos, s)
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	return rd.in.str(pos, s, false)
}

// multi converts an array of strings, numbers, booleans and nulls; false
// for one holding arrays or objects, left to expr.FromGo.
func (rd *snapshotReader) multi(pos int, raw []byte) (expr.Value, bool) {
	n := 0
	for i := skipSpace(raw, 1); raw[i] != ']'; {
		switch raw[i] {
		case '[', '{':
			return nil, false
		case 'n':
		default:
			n++
		}
		i = nextElem(raw, i)
	}
	out := make(expr.Multi, 0, n)
	for i := skipSpace(raw, 1); raw[i] != ']'; i = nextElem(raw, i) {
		e := raw[i:skipValue(raw, i)]
		var v expr.Value
		switch e[0] {
		case 'n':
			continue
		case '"':
			v = rd.stringValue(pos, e)
		case 't':
			v = boxedTrue
		case 'f':
			v = boxedFalse
		default:
			v = rd.in.number(pos, e)
		}
		if s, ok := v.(expr.String); ok {
			out = append(out, string(s))
		} else {
			out = append(out, expr.Render(v))
		}
	}
	return out, true
}

// nextElem returns the start of the array element after the one at i, or
// of the closing bracket.
func nextElem(raw []byte, i int) int {
	i = skipSpace(raw, skipValue(raw, i))
	if raw[i] == ',' {
		i = skipSpace(raw, i+1)
	}
	return i
}

// memberID reads an id from a top-level member: a non-empty string, or a
// number as written.
func memberID(m *member) (string, bool) {
	if m == nil {
		return "", false
	}
	if !m.isCSV && m.raw[0] != '"' && m.raw[0] != '[' && m.raw[0] != '{' && m.raw[0] != 't' && m.raw[0] != 'f' && m.raw[0] != 'n' {
		return string(m.raw), true
	}
	s, ok := memberString(m)
	return s, ok && s != ""
}

// memberString returns a string member's value.
func memberString(m *member) (string, bool) {
	switch {
	case m == nil:
		return "", false
	case m.isCSV:
		return m.cell, true
	case m.raw[0] != '"':
		return "", false
	}
	if s, ok := plainString(m.raw); ok {
		return string(s), true
	}
	var s string
	if err := json.Unmarshal(m.raw, &s); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	return s, true
}

// memberFlag reads a boolean member: JSON true/false or the strings
// "true"/"false" in any case. Absent, null or empty means def.
func memberFlag(m *member, key string, def bool) (bool, error) {
	if isNull(m) {
		return def, nil
	}
	if !m.isCSV {
		switch m.raw[0] {
		case 't':
			return true, nil
		case 'f':
			return false, nil
		}
	}
	if s, ok := memberString(m); ok {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "":
			return def, nil
		}
	}
	return false, fmt.Errorf("%s must be true or false (got %v)", key, goValue(m))
}

// goValue decodes a member as DecodeSnapshot once did: into any, numbers
// as json.Number.
func goValue(m *member) any {
	if m.isCSV {
		return m.cell
	}
	dec := json.NewDecoder(bytes.NewReader(m.raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	return v
}

// The object splitter works on JSON the decoder has already checked, so
// it need not report errors.

// splitObject appends the members of a JSON object to dst.
func (rd *snapshotReader) splitObject(raw []byte, dst []member) []member {
	i := skipSpace(raw, 1)
	for raw[i] != '}' {
		end := skipValue(raw, i)
		key, ok := plainString(raw[i:end])
		if !ok {
			key = rd.decodeName(raw[i:end])
		}
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // ':'
		end = skipValue(raw, i)
		dst = append(dst, member{key: key, raw: raw[i:end]})
		i = skipSpace(raw, end)
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return dst
}

// decodeName decodes a member name with escapes, or that is not valid
// UTF-8 (target attributes such as addresses[type eq "work"].locality):
// the same few names come back in every object, so they are decoded once.
func (rd *snapshotReader) decodeName(lit []byte) []byte {
	if key, ok := rd.names[string(lit)]; ok {
		return key
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	if rd.names == nil {
		rd.names = map[string][]byte{}
	}
	if len(rd.names) < maxNames {
		rd.names[string(lit)] = []byte(s)
	}
	return []byte(s)
}

// maxNames bounds the decoded names kept, should every object have its
// own.
const maxNames = 4096

// plainString returns the contents of a JSON string literal when they need
// no decoding: no escapes, valid UTF-8.
func plainString(lit []byte) ([]byte, bool) {
	s := lit[1 : len(lit)-1]
	for _, c := range s {
		if c == '\\' || c >= utf8.RuneSelf {
			if bytes.IndexByte(s, '\\') >= 0 || !utf8.Valid(s) {
				return nil, false
			}
			break
		}
	}
	return s, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value starting at i.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// skipString returns the end of the string literal starting at i.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// interner shares equal attribute values between the objects of one read.
// Only short values are looked up, and an attribute stops being looked up
// once most of its values have been new: interning ids or mails would
// only grow the table.
type interner struct {
	strs  map[string]expr.Value
	nums  map[string]expr.Value
	names map[string]string
	stats []internStats // by attribute position
	size  int
}

type internStats struct {
	seen, hits int
	off        bool
}

const (
	internMaxLen = 64      // longer values are never interned
	internSample = 1024    // values of an attribute seen before judging it
	internMax    = 1 << 20 // values the table holds at most
)

func newInterner() interner {
	return interner{strs: map[string]expr.Value{}, nums: map[string]expr.Value{}, names: map[string]string{}}
}

func (in *interner) stat(pos int) *internStats {
	if pos >= len(in.stats) {
		in.stats = append(in.stats, make([]internStats, pos+1-len(in.stats))...)
	}
	return &in.stats[pos]
}

// try reports whether a value of n bytes of the attribute at pos should
// be looked up.
func (in *interner) try(pos, n int) *internStats {
	st := in.stat(pos)
	if st.off || n > internMaxLen {
		return nil
	}
	st.seen++
	return st
}

// miss records a value not found, and stops looking up the attribute's
// values once fewer than half of them have been found.
func (st *internStats) miss() {
	if st.seen >= internSample && st.hits < st.seen/2 {
		st.off = true
	}
}

func (in *interner) keep(table map[string]expr.Value, s string, v expr.Value) {
	if in.size < internMax {
		table[s] = v
		in.size++
	}
}

// bytes returns the string value b of the attribute at pos.
func (in *interner) bytes(pos int, b []byte) expr.Value {
	st := in.try(pos, len(b))
	if st != nil {
		if v, found := in.strs[string(b)]; found {
			st.hits++
			return v
		}
		st.miss()
	}
	s := string(b)
	v := expr.Value(expr.String(s))
	if st != nil {
		in.keep(in.strs, s, v)
	}
	return v
}

// str returns the string value s of the attribute at pos. A CSV cell is
// copied, so that the snapshot does not hold the record it was cut from.
func (in *interner) str(pos int, s string, cell bool) expr.Value {
	st := in.try(pos, len(s))
	if st != nil {
		if v, found := in.strs[s]; found {
			st.hits++
			return v
		}
		st.miss()
	}
	if cell {
		s = strings.Clone(s)
	}
	v := expr.Value(expr.String(s))
	if st != nil {
		in.keep(in.strs, s, v)
	}
	return v
}

// number returns the number written lit of the attribute at pos.
func (in *interner) number(pos int, lit []byte) expr.Value {
	st := in.try(pos, len(lit))
	if st != nil {
		if v, found := in.nums[string(lit)]; found {
			st.hits++
			return v
		}
		st.miss()
	}
	s := string(lit)
	v := expr.FromGo(json.Number(s))
	if st != nil {
		in.keep(in.nums, s, v)
	}
	return v
}

// name returns s, shared with earlier equal names (object types).
func (in *interner) name(s string) string {
	if t, ok := in.names[s]; ok {
		return t
	}
	s = strings.Clone(s) // it may be cut from a CSV record
	if len(in.names) < 1024 {
		in.names[s] = s
	}
	return s
}
