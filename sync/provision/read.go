package provision

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/objfile"
)

// ReadSnapshot reads a snapshot from r, one object at a time: a JSON array
// of objects, JSON lines (one object per line) or CSV with a header row,
// told apart by the first byte that is not white space (after a UTF-8
// byte order mark). The formats and reserved members are DecodeSnapshot's;
// errors name the object (JSON) or the line (CSV) that failed.
//
// Reading needs little more memory than the result: the current object
// is held besides the snapshot being built or, for a JSON stream or array
// longer than a chunk (1 MiB), the few chunks being read on every core
// (see readchunks.go; the result and every error are those of reading on
// one goroutine). Equal short values
// (departments, cities, "True", a manager's id) are stored once and shared
// between the objects that have them; an attribute whose values turn out
// to be mostly distinct (ids, mails) stops being looked up.
func ReadSnapshot(r io.Reader, opts SnapshotOptions) (*Snapshot, error) {
	return readSnapshot(r, opts, chunkSize)
}

// readSnapshot is ReadSnapshot with chunks of size bytes: a JSON stream or
// array longer than one chunk is read on several cores (readChunks).
func readSnapshot(r io.Reader, opts SnapshotOptions, size int) (*Snapshot, error) {
	if err := opts.checkID(); err != nil {
		return nil, err
	}
	c, or := objfile.Chunked(r, opts.fileOptions(), size)
	if c == nil {
		return newSnapshotReader(opts).read(or)
	}
	return readChunks(c, opts)
}

// ReadSnapshotFile reads a snapshot from a file, or from a directory of
// files read one after the other (the pages of a Graph or SCIM export);
// "-" reads stdin. Errors name the file.
func ReadSnapshotFile(path string, stdin io.Reader, opts SnapshotOptions) (*Snapshot, error) {
	fo := opts.fileOptions()
	if fo.Name = path; path == "-" {
		fo.Name = "<stdin>"
	}
	or, err := objfile.Open(path, stdin, fo)
	if err != nil {
		return nil, err
	}
	defer or.Close()
	return readObjects(or, opts)
}

func (opts SnapshotOptions) fileOptions() objfile.Options {
	return objfile.Options{Name: opts.Name, Keep: keyAttributes, SourceAttributes: opts.SourceAttributes}
}

func readObjects(or *objfile.Reader, opts SnapshotOptions) (*Snapshot, error) {
	if err := opts.checkID(); err != nil {
		return nil, err
	}
	return newSnapshotReader(opts).read(or)
}

func (opts SnapshotOptions) checkID() error {
	if !utf8.ValidString(opts.IDAttribute) {
		// Member names are read as UTF-8, invalid bytes becoming U+FFFD, so
		// such a name could only match by accident (case folding takes
		// every invalid byte for the same rune).
		return fmt.Errorf("id attribute %q is not valid UTF-8", opts.IDAttribute)
	}
	return nil
}

// read adds the objects of or and returns the snapshot.
func (rd *snapshotReader) read(or *objfile.Reader) (*Snapshot, error) {
	for {
		o, err := or.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rd.top = o.Members
		if err := rd.addObject(); err != nil {
			return nil, or.Errorf(o, "%v", err)
		}
	}
	// A Graph page with an @odata.nextLink, or a SCIM ListResponse short
	// of its totalResults, is not the whole collection: a snapshot missing
	// objects would plan creates and deletes that are wrong.
	if why := or.Incomplete(); why != "" {
		return nil, fmt.Errorf("%s: %s", cmpName(rd.opts.Name), why)
	}
	return rd.finish(), nil
}

func cmpName(name string) string {
	if name == "" {
		return "snapshot"
	}
	return name
}

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
	names       objfile.Names // decoded member names of nested objects
	set         []posValue
	pos         []int // the positions addFast sets
	slab        []expr.Value

	// layout is the last object's attributes by member: objects of one
	// file mostly list the same names in the same order, and comparing
	// a name with the one at its place costs less than a map lookup.
	layout []layoutEntry
	// idVal is the boxed id of the object being added, when it came from
	// a JSON string.
	idVal expr.Value
	// The objects read, in blocks of objectBlock.
	objs blockList[Object]
}

type layoutEntry struct {
	name []byte
	pos  int
}

// objectBlock is the number of objects in a block.
const objectBlock = 4096

// member is one member of the current object: raw JSON, or a CSV cell.
type member = objfile.Member

type posValue struct {
	pos int
	v   expr.Value
}

func newSnapshotReader(opts SnapshotOptions) *snapshotReader {
	return &snapshotReader{s: &Snapshot{}, opts: opts, keys: map[string]int{}, in: newInterner()}
}

// addObject adds the object whose members are in rd.top, with the rules
// of the package documentation ("Snapshot format"). When a member is
// given twice the last one counts, and when two names differ only in case
// the one sorting last does, as when objects were decoded into maps.
func (rd *snapshotReader) addObject() error {
	idNames := [2]string{"id", "objectId"}
	if rd.opts.IDAttribute != "" {
		idNames = [2]string{rd.opts.IDAttribute, ""}
	}
	r := findReserved(rd.top, idNames)
	members, flat := rd.attributes(&r, idNames)
	var o Object
	idFrom, err := rd.objectID(&o, members, flat, &r, idNames)
	if err != nil {
		return err
	}
	if err := rd.flags(&o, &r); err != nil {
		return err
	}
	if !rd.addFast(&o, members, flat, idFrom) {
		rd.addSlow(&o, members, flat, idFrom)
	}
	rd.objs.add(o, objectBlock)
	return nil
}

// reserved are the members of an object that addObject reads itself.
type reserved struct {
	assigned, softDeleted, objectType, attrs *member
	// enabled is accountEnabled among the attributes (at the top in the
	// flat form); topEnabled is the top one in the nested form, only a
	// flag there.
	enabled, topEnabled *member
	// id and nestedID are the members named like idNames, at the top and
	// among the nested attributes.
	id, nestedID [2]*member
}

// findReserved finds the reserved members at the top of an object.
func findReserved(top []member, idNames [2]string) reserved {
	var r reserved
	for i := range top {
		m := &top[i]
		switch string(m.Name) {
		case keyAssigned:
			r.assigned = m
		case keySoftDeleted:
			r.softDeleted = m
		case keyObjectType:
			r.objectType = m
		case keyAccountEnabled:
			r.enabled = m
		case keyAttributes:
			r.attrs = m
		}
		// Not in the switch: IDAttribute may name a reserved member.
		if string(m.Name) == idNames[0] {
			r.id[0] = m
		} else if idNames[1] != "" && string(m.Name) == idNames[1] {
			r.id[1] = m
		}
	}
	return r
}

// attributes returns the members that hold the object's attributes: the
// top ones (flat), or those of the nested "attributes" object, where it
// finds accountEnabled and the id candidates.
func (rd *snapshotReader) attributes(r *reserved, idNames [2]string) (members []member, flat bool) {
	if r.attrs == nil || r.attrs.IsCell || r.attrs.Raw[0] != '{' {
		return rd.top, true
	}
	rd.nested = objfile.Split(r.attrs.Raw, rd.nested[:0], &rd.names)
	r.topEnabled, r.enabled = r.enabled, nil
	for i := range rd.nested {
		m := &rd.nested[i]
		if string(m.Name) == keyAccountEnabled {
			r.enabled = m
		}
		if string(m.Name) == idNames[0] {
			r.nestedID[0] = m
		} else if idNames[1] != "" && string(m.Name) == idNames[1] {
			r.nestedID[1] = m
		}
	}
	return rd.nested, false
}

// objectID sets the object's id, from the first of idNames an object has
// (at the top, then among the nested attributes), and returns the member
// it came from.
func (rd *snapshotReader) objectID(o *Object, members []member, flat bool, r *reserved, idNames [2]string) (*member, error) {
	var idFrom *member
	rd.idVal = nil
	for k := range idNames {
		if id, ok := rd.memberID(r.id[k]); ok {
			o.ID, idFrom = id, r.id[k]
			break
		}
		if !flat {
			if id, ok := memberString(r.nestedID[k]); ok && id != "" {
				o.ID, idFrom = id, r.nestedID[k]
				break
			}
		}
	}
	if idFrom == nil {
		// Only now, off the common path: a name differing in case
		// ("Id", the column Windows PowerShell's Export-Csv writes for
		// Graph's id) when no member has the exact name.
		o.ID, idFrom = idIgnoringCase(rd.top, members, flat, idNames)
	}
	if idFrom == nil {
		return nil, fmt.Errorf("no id (want a string member %q)", idName(rd.opts))
	}
	if idFrom.IsCell {
		o.ID = strings.Clone(o.ID) // a cell shares its bytes with the whole record
	}
	return idFrom, nil
}

// flags sets the object's type and its flags: assigned, soft deleted,
// enabled.
func (rd *snapshotReader) flags(o *Object, r *reserved) error {
	isAssigned, err := memberFlag(r.assigned, keyAssigned, true)
	if err != nil {
		return err
	}
	o.Unassigned = !isAssigned
	if o.SoftDeleted, err = memberFlag(r.softDeleted, keySoftDeleted, false); err != nil {
		return err
	}
	if r.objectType != nil && !isNull(r.objectType) {
		t, ok := memberString(r.objectType)
		if !ok {
			return fmt.Errorf("%s must be a string (got %v)", keyObjectType, goValue(r.objectType))
		}
		o.Type = rd.in.name(t)
	}
	for _, m := range []*member{r.topEnabled, r.enabled} {
		if m != nil {
			on, err := memberFlag(m, keyAccountEnabled, true)
			if err != nil {
				return err
			}
			o.Disabled = o.Disabled || !on
		}
	}
	return nil
}

// idIgnoringCase finds the id in a member whose name is one of idNames
// ignoring case, in the order of idNames, as addObject does with the exact
// names: at the top, then among the nested attributes.
func idIgnoringCase(top, members []member, flat bool, idNames [2]string) (string, *member) {
	for _, want := range idNames {
		if want == "" {
			continue
		}
		for i := range top {
			if strings.EqualFold(string(top[i].Name), want) {
				if id, ok := memberID(&top[i]); ok {
					return id, &top[i]
				}
			}
		}
		if flat {
			continue
		}
		for i := range members {
			if strings.EqualFold(string(members[i].Name), want) {
				if id, ok := memberString(&members[i]); ok && id != "" {
					return id, &members[i]
				}
			}
		}
	}
	return "", nil
}

// finish returns the snapshot, its objects in one slice.
func (rd *snapshotReader) finish() *Snapshot {
	rd.s.Objects = rd.objs.appendTo([]Object{})
	return rd.s
}

// skipFlag reports whether a top-level member of a flat object is a flag
// rather than an attribute.
func skipFlag(m *member, flat bool) bool {
	if !flat {
		return false
	}
	// Compared without a variable: string(m.Name) then does not allocate.
	return string(m.Name) == keyAssigned || string(m.Name) == keySoftDeleted || string(m.Name) == keyObjectType
}

// addFast sets the object's values when every name is known and given
// once, which is nearly always: then the order of the members does not
// matter. It reports false, having set nothing, otherwise.
func (rd *snapshotReader) addFast(o *Object, members []member, flat bool, idFrom *member) bool {
	rd.n++
	rd.pos = rd.pos[:0]
	width := 0
	for i := range members {
		m := &members[i]
		if skipFlag(m, flat) {
			continue
		}
		var pos int
		if i < len(rd.layout) && string(rd.layout[i].name) == string(m.Name) {
			pos = rd.layout[i].pos
		} else {
			p, ok := rd.keys[string(m.Name)]
			if !ok {
				return false
			}
			pos = p
			if i >= len(rd.layout) {
				rd.layout = append(rd.layout, make([]layoutEntry, i+1-len(rd.layout))...)
			}
			rd.layout[i] = layoutEntry{append(rd.layout[i].name[:0], m.Name...), pos}
		}
		if rd.stamp[pos] == rd.n {
			return false
		}
		rd.stamp[pos] = rd.n
		if !isNull(m) {
			rd.pos = append(rd.pos, pos)
			width = max(width, pos+1)
		}
	}
	if len(rd.pos) == 0 {
		return true
	}
	// Converted only now, so that a value is interned at most once, and
	// written once, into the object's own slots: while the collector
	// runs, every pointer written costs a write barrier.
	vals := rd.values(width)
	k := 0
	for i := range members {
		m := &members[i]
		if skipFlag(m, flat) || isNull(m) {
			continue
		}
		vals[rd.pos[k]] = rd.value(rd.pos[k], m, idFrom, o.ID)
		k++
	}
	o.Values = vals
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
			last[string(m.Name)] = m
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
	vals := rd.values(n)
	for _, pv := range rd.set {
		vals[pv.pos] = pv.v
	}
	o.Values = vals
}

// values returns n empty value slots for an object, cut from a shared
// slab: one allocation for many objects instead of one each.
func (rd *snapshotReader) values(n int) []expr.Value {
	if n > slabSize/8 {
		return make([]expr.Value, n)
	}
	if len(rd.slab)+n > cap(rd.slab) {
		rd.slab = make([]expr.Value, 0, slabSize)
	}
	vals := rd.slab[len(rd.slab) : len(rd.slab)+n : len(rd.slab)+n]
	rd.slab = rd.slab[:len(rd.slab)+n]
	return vals
}

// slabSize is the number of values in one slab (64 KiB).
const slabSize = 4096

func isNull(m *member) bool { return m == nil || !m.IsCell && m.Raw[0] == 'n' }

// value converts a member to its attribute value, as expr.FromGo converts
// a decoded JSON value (numbers as json.Number).
func (rd *snapshotReader) value(pos int, m *member, idFrom *member, id string) expr.Value {
	if m == idFrom && (m.IsCell || m.Raw[0] == '"') {
		if rd.idVal != nil {
			return rd.idVal
		}
		return expr.String(id) // shares the id's bytes
	}
	if m.IsCell {
		return rd.in.str(pos, m.Cell, true)
	}
	raw := m.Raw
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
	return fromJSON(goValue(m))
}

var (
	boxedTrue  expr.Value = expr.Bool(true)
	boxedFalse expr.Value = expr.Bool(false)
)

// stringValue converts a JSON string literal.
func (rd *snapshotReader) stringValue(pos int, lit []byte) expr.Value {
	if s, ok := objfile.PlainString(lit); ok {
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
	n, ok := 0, true
	objfile.Elements(raw, func(e []byte) bool {
		switch e[0] {
		case '[', '{':
			ok = false
			return false
		case 'n':
		default:
			n++
		}
		return true
	})
	if !ok {
		return nil, false
	}
	out := make(expr.Multi, 0, n)
	objfile.Elements(raw, func(e []byte) bool {
		var v expr.Value
		switch e[0] {
		case 'n':
			return true
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
		return true
	})
	return out, true
}

// memberID is the function memberID; an id from a JSON string is boxed in
// the arena, as rd.idVal, and shares its bytes.
func (rd *snapshotReader) memberID(m *member) (string, bool) {
	if m != nil && !m.IsCell && m.Raw[0] == '"' {
		if s, ok := objfile.PlainString(m.Raw); ok {
			if len(s) == 0 {
				return "", false
			}
			rd.idVal = rd.in.arena.box(s)
			return string(rd.idVal.(expr.String)), true
		}
	}
	rd.idVal = nil
	return memberID(m)
}

// memberID reads an id from a top-level member: a non-empty string, or a
// number as written.
func memberID(m *member) (string, bool) {
	if m == nil {
		return "", false
	}
	if !m.IsCell && m.Raw[0] != '"' && m.Raw[0] != '[' && m.Raw[0] != '{' && m.Raw[0] != 't' && m.Raw[0] != 'f' && m.Raw[0] != 'n' {
		return string(m.Raw), true
	}
	s, ok := memberString(m)
	return s, ok && s != ""
}

// memberString returns a string member's value.
func memberString(m *member) (string, bool) {
	switch {
	case m == nil:
		return "", false
	case m.IsCell:
		return m.Cell, true
	case m.Raw[0] != '"':
		return "", false
	}
	if s, ok := objfile.PlainString(m.Raw); ok {
		return string(s), true
	}
	var s string
	if err := json.Unmarshal(m.Raw, &s); err != nil {
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
	if !m.IsCell {
		switch m.Raw[0] {
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
	if m.IsCell {
		return m.Cell
	}
	dec := json.NewDecoder(bytes.NewReader(m.Raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(err) // the decoder has checked the syntax
	}
	return v
}

// interner shares equal attribute values between the objects of one read.
// Only short values are looked up, and an attribute stops being looked up
// once most of its values have been new: interning ids or mails would
// only grow the table.
type interner struct {
	arena strArena
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
	v := in.arena.box(b)
	if st != nil {
		in.keep(in.strs, string(v.(expr.String)), v)
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
