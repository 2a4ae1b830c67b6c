package provision

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
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
func (s *State) MarshalJSON() ([]byte, error) {
	links := slices.Clone(s.Links)
	sortLinks(links)
	if links == nil {
		links = []Link{}
	}
	var buf bytes.Buffer
	buf.WriteString("{\n  \"version\": 1,\n  \"rule\": ")
	writeJSONValue(&buf, s.Rule)
	buf.WriteString(",\n  \"links\": [")
	for i, l := range links {
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n    {")
		if l.Type != "" {
			buf.WriteString("\"type\": ")
			writeJSONValue(&buf, l.Type)
			buf.WriteString(", ")
		}
		buf.WriteString("\"source\": ")
		writeJSONValue(&buf, l.Source)
		buf.WriteString(", \"target\": ")
		writeJSONValue(&buf, l.Target)
		fmt.Fprintf(&buf, ", \"provisioned\": %t}", l.Provisioned)
	}
	if len(links) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	return buf.Bytes(), nil
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
func ReadState(r io.Reader) (*State, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.DisallowUnknownFields()
	fail := func(err error) (*State, error) { return nil, fmt.Errorf("state: %w", err) }
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	st := &State{}
	version := 0
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
			for dec.More() {
				var l Link
				if err := dec.Decode(&l); err != nil {
					return fail(fmt.Errorf("link %d: %w", len(st.Links)+1, err))
				}
				st.Links = append(st.Links, l)
			}
			if _, err := dec.Token(); err != nil {
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

// Link returns the link of a source object.
func (s *State) Link(source string) (Link, bool) {
	if s == nil {
		return Link{}, false
	}
	i, ok := slices.BinarySearchFunc(s.Links, source, func(l Link, k string) int { return strings.Compare(l.Source, k) })
	if !ok {
		return Link{}, false
	}
	return s.Links[i], true
}
