package provision

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/objfile"
)

// State is what a cycle remembers for the next one: the link from each
// source object to its target object, as the service caches the target's
// id once it has created or matched an object. Planning without a state runs
// an initial cycle.
type State struct {
	// Rule names the object mapping the links belong to.
	Rule string
	// Links are sorted by Source, then Type; each source appears once
	// per type.
	Links []Link
}

// Link ties a source object to the target object it was provisioned or
// matched to.
type Link struct {
	// Type is the source object type (the object mapping's
	// sourceObjectName); empty means the first object mapping's.
	Type   string `json:"type,omitempty"`
	Source string `json:"source"`
	Target string `json:"target"`
	// Provisioned reports that the engine manages the target object: it
	// was created or matched while its source was in scope and has not
	// been disabled since. A disabled object keeps its link (so it is
	// enabled again when its source comes back in scope) but is no longer
	// managed: it is not deleted when its source is hard-deleted, as the
	// service's known limitation says.
	Provisioned bool `json:"provisioned"`
}

const stateVersion = 1

// MarshalJSON writes the state in its documented form, links sorted by
// source.
func (s *State) MarshalJSON() ([]byte, error) { return encodeJSON(nil, s.writeJSON) }

// WriteJSON writes what MarshalJSON returns to w, link by link, without
// building the document in memory. It returns the first write error.
func (s *State) WriteJSON(w io.Writer) error {
	_, err := encodeJSON(w, s.writeJSON)
	return err
}

func (s *State) writeJSON(j *jsonOut) {
	links := s.Links
	if !slices.IsSortedFunc(links, compareLinks) { // a state Plan made is sorted
		links = slices.Clone(links)
		sortLinks(links)
	}
	// The strings are escaped as json.Marshal escapes them, HTML
	// included, as the state was always written.
	j.raw("{\n  \"version\": 1,\n  \"rule\": ")
	j.b = expr.AppendJSONString(j.b, s.Rule, true)
	j.raw(",\n  \"links\": [")
	for i := range links {
		l := &links[i]
		if i > 0 {
			j.raw(",")
		}
		j.raw("\n    {")
		if l.Type != "" {
			j.raw("\"type\": ")
			j.b = expr.AppendJSONString(j.b, l.Type, true)
			j.raw(", ")
		}
		j.raw("\"source\": ")
		j.b = expr.AppendJSONString(j.b, l.Source, true)
		j.raw(", \"target\": ")
		j.b = expr.AppendJSONString(j.b, l.Target, true)
		j.raw(", \"provisioned\": ")
		j.bool(l.Provisioned)
		j.raw("}")
		j.more()
	}
	if len(links) > 0 {
		j.raw("\n  ")
	}
	j.raw("]\n}\n")
}

// UnmarshalJSON reads a state written by MarshalJSON. A source linked
// twice is an error.
func (s *State) UnmarshalJSON(data []byte) error {
	st, err := ReadState(bytes.NewReader(data))
	if err != nil {
		return err
	}
	*s = *st
	return nil
}

// ReadState reads a state document, link by link: the links are decoded
// one at a time from the stream, so a state of millions of links costs
// the links, not the document as well. Unknown members are errors, as is
// a source linked twice (per type).
//
// The document is read in one pass (readStateFast); whatever that pass is
// not sure of, it hands to encoding/json's Decoder (decodeState) in the
// state the Decoder would have reached, so errors read as they always have.
func ReadState(r io.Reader) (*State, error) {
	return finishState(readStateFast(r, 256<<10))
}

// finishState checks the version and the links, and sorts them.
func finishState(st *State, version int, err error) (*State, error) {
	if err != nil {
		return nil, err
	}
	if version != stateVersion {
		return nil, fmt.Errorf("state: unsupported version %d (want %d)", version, stateVersion)
	}
	if !slices.IsSortedFunc(st.Links, compareLinks) {
		sortLinks(st.Links)
	}
	for i := 1; i < len(st.Links); i++ {
		if a, b := st.Links[i], st.Links[i-1]; a.Source == b.Source && strings.EqualFold(a.Type, b.Type) {
			return nil, fmt.Errorf("state: source %q is linked twice", a.Source)
		}
	}
	return st, nil
}

// Where readStateFast hands over to the Decoder: what it has read is
// replaced by a prefix that brings the Decoder to the same state.
const (
	resumeStart     = iota // before the document: no prefix
	resumeFirst            // after '{': {
	resumeMember           // after a member: {"version":N, N the version read
	resumeLinks            // inside links, before the first link: {"links":[
	resumeAfterLink        // inside links, after a link: {"links":[{}
	resumeEnd              // after the document's '}': {}
)

// decodeState reads a state with encoding/json, from the point resume
// says; st and version hold what was read before it.
func decodeState(dec *json.Decoder, st *State, version int, resume int) (*State, int, error) {
	dec.DisallowUnknownFields()
	fail := func(err error) (*State, int, error) { return nil, 0, fmt.Errorf("state: %w", err) }
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	links := func() error {
		for dec.More() {
			var l Link
			if err := dec.Decode(&l); err != nil {
				return fmt.Errorf("link %d: %w", len(st.Links)+1, err)
			}
			st.Links = append(st.Links, l)
		}
		_, err := dec.Token()
		return err
	}
	if resume == resumeLinks || resume == resumeAfterLink {
		dec.Token() // "links"
		dec.Token() // '['
		if resume == resumeAfterLink {
			var skip json.RawMessage
			dec.Decode(&skip)
		}
		if err := links(); err != nil {
			return fail(err)
		}
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		switch key, _ := tok.(string); key {
		case "version":
			if err := dec.Decode(&version); err != nil {
				return fail(err)
			}
		case "rule":
			if err := dec.Decode(&st.Rule); err != nil {
				return fail(err)
			}
		case "links":
			if tok, err := dec.Token(); err != nil {
				return fail(err)
			} else if tok == nil {
				continue // null
			} else if d, ok := tok.(json.Delim); !ok || d != '[' {
				return fail(fmt.Errorf("links must be an array (got %v)", tok))
			}
			if err := links(); err != nil {
				return fail(err)
			}
		default:
			return fail(fmt.Errorf("json: unknown field %q", key))
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(errors.New("invalid character after top-level value"))
	}
	return st, version, nil
}

// stateReader reads a state document in one pass, from a buffer that
// keeps what is not read yet.
type stateReader struct {
	src io.Reader
	// Keep is where the Decoder would resume (the start of the step).
	objfile.Window

	st      *State
	version int
	resume  int
	members []objfile.Member
	pair    []byte
	types   map[string]string
	// The links read, in blocks of linkBlock.
	gathered blockList[Link]
}

// readStateFast reads a state document, handing over to decodeState at
// the first thing it is not sure of.
// size is the first buffer's size.
func readStateFast(r io.Reader, size int) (*State, int, error) {
	sr := &stateReader{src: r, st: &State{}, resume: resumeStart}
	sr.Size = size
	ok := sr.read()
	sr.join()
	if ok {
		return sr.st, sr.version, nil
	}
	// What was read comes first, in one piece, then the rest.
	prefix := [...]string{"", "{", "", `{"links":[`, `{"links":[{}`, "{}"}[sr.resume]
	if sr.resume == resumeMember {
		prefix = `{"version":` + strconv.Itoa(sr.version) + " " // the space ends the number
	}
	srcs := []io.Reader{bytes.NewReader(append([]byte(prefix), sr.Buf[sr.Keep:]...))}
	switch {
	case sr.Err != nil:
		srcs = append(srcs, errorReader{sr.Err})
	case !sr.EOF:
		srcs = append(srcs, r)
	}
	return decodeState(json.NewDecoder(bufio.NewReaderSize(io.MultiReader(srcs...), 64<<10)), sr.st, sr.version, sr.resume)
}

// appendString appends the value of the JSON string literal lit, if any.
func appendString(b, lit []byte) []byte {
	if lit == nil {
		return b
	}
	if s, ok := objfile.PlainString(lit); ok {
		return append(b, s...)
	}
	return append(b, objfile.StringOf(lit)...)
}

type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// fill reads more, keeping the bytes from Keep on; false at the end of
// the input.
func (sr *stateReader) fill() bool {
	if sr.EOF || sr.Err != nil {
		return false
	}
	sr.Fill(sr.src)
	return true
}

// space skips white space and returns the next byte; false at the end of
// the input.
func (sr *stateReader) space() (byte, bool) {
	for {
		sr.Pos = objfile.SkipSpace(sr.Buf, sr.Pos)
		if sr.Pos < len(sr.Buf) {
			return sr.Buf[sr.Pos], true
		}
		if !sr.fill() {
			return 0, false
		}
	}
}

// item moves to the next member or element of an object or array (past
// the comma unless it is the first) and returns its first byte; end when
// the closer comes instead (it is read), false when the Decoder must judge.
func (sr *stateReader) item(first bool, closer byte) (c byte, end, ok bool) {
	if c, ok = sr.space(); !ok {
		return 0, false, false
	}
	if c == closer {
		sr.Pos++
		return c, true, true
	}
	if !first {
		if c != ',' {
			return 0, false, false
		}
		sr.Pos++
		if c, ok = sr.space(); !ok {
			return 0, false, false
		}
	}
	return c, false, true
}

// value scans the value at pos and returns it; false when the Decoder
// must judge it.
func (sr *stateReader) value() ([]byte, bool) {
	for {
		end, st := objfile.ScanValue(sr.Buf, sr.Pos)
		switch {
		case st == objfile.ScanOK:
			v := sr.Buf[sr.Pos:end]
			sr.Pos = end
			return v, true
		case st == objfile.ScanMore && sr.fill():
			continue
		}
		return nil, false
	}
}

// read reads the document; false, with resume and keep set, where the
// Decoder must take over.
func (sr *stateReader) read() bool {
	if c, ok := sr.space(); !ok || c != '{' {
		return false
	}
	sr.Pos++
	sr.resume, sr.Keep = resumeFirst, sr.Pos
	for first := true; ; first = false {
		c, end, ok := sr.item(first, '}')
		if !ok {
			return false
		}
		if end {
			break
		}
		if c != '"' {
			return false
		}
		lit, ok := sr.value()
		if !ok {
			return false
		}
		key := string(lit) // lit moves when the buffer is filled
		if c, ok = sr.space(); !ok || c != ':' {
			return false
		}
		sr.Pos++
		if _, ok = sr.space(); !ok {
			return false
		}
		switch key {
		case `"version"`:
			v, ok := sr.value()
			if !ok || len(v) > 9 || v[0] < '0' || v[0] > '9' || bytes.ContainsAny(v, ".eE") {
				return false
			}
			sr.version, _ = strconv.Atoi(string(v))
		case `"rule"`:
			v, ok := sr.value()
			if !ok || v[0] != '"' {
				return false
			}
			sr.st.Rule = objfile.StringOf(v)
		case `"links"`:
			if sr.Buf[sr.Pos] != '[' {
				return false
			}
			sr.Pos++
			sr.resume, sr.Keep = resumeLinks, sr.Pos
			if !sr.links() {
				return false
			}
		default:
			return false
		}
		sr.resume, sr.Keep = resumeMember, sr.Pos
	}
	sr.resume, sr.Keep = resumeEnd, sr.Pos
	if _, ok := sr.space(); ok || sr.Err != nil {
		return false // text after the document, or a failed read
	}
	return true
}

// links reads the links of the links array, and its ']'.
func (sr *stateReader) links() bool {
	for first := true; ; first = false {
		c, end, ok := sr.item(first, ']')
		if !ok {
			return false
		}
		if end {
			return true
		}
		if c != '{' {
			return false
		}
		for {
			ms, end, st := objfile.ScanObject(sr.Buf, sr.Pos, sr.members[:0], nil)
			sr.members = ms
			if st == objfile.ScanMore && sr.fill() {
				continue
			}
			if st != objfile.ScanOK || !sr.link(ms) {
				return false
			}
			sr.Pos = end
			break
		}
		sr.resume, sr.Keep = resumeAfterLink, sr.Pos
	}
}

// link adds the link whose members are ms; false for anything but the
// four members with values of their types.
func (sr *stateReader) link(ms []objfile.Member) bool {
	var typ, source, target []byte
	var l Link
	for _, m := range ms {
		switch string(m.Name) {
		case "type":
			typ = m.Raw
		case "source":
			source = m.Raw
		case "target":
			target = m.Raw
		case "provisioned":
			switch m.Raw[0] {
			case 't':
				l.Provisioned = true
			case 'f':
				l.Provisioned = false
			default:
				return false
			}
		default:
			return false
		}
	}
	for _, v := range [][]byte{typ, source, target} {
		if v != nil && v[0] != '"' {
			return false
		}
	}
	// Source and target share one allocation.
	sr.pair = appendString(sr.pair[:0], source)
	n := len(sr.pair)
	sr.pair = appendString(sr.pair, target)
	both := string(sr.pair)
	l.Source, l.Target = both[:n], both[n:]
	if typ != nil {
		t := objfile.StringOf(typ)
		if sr.types == nil {
			sr.types = map[string]string{}
		}
		if u, ok := sr.types[t]; ok {
			t = u
		} else if len(sr.types) < 1024 {
			sr.types[t] = t
		}
		l.Type = t
	}
	sr.gathered.add(l, linkBlock)
	return true
}

// linkBlock is the number of links in a block.
const linkBlock = 8192

// join appends the links read (gathered in blocks) to st.Links.
func (sr *stateReader) join() {
	sr.st.Links = sr.gathered.appendTo(sr.st.Links)
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}
