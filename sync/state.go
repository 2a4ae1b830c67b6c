package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// State is what a cycle remembers for the next one: the link from each
// source object to its target object, as the service caches the target's
// id once it has created or matched an object. Diff without a state runs
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

type stateJSON struct {
	Version int    `json:"version"`
	Rule    string `json:"rule"`
	Links   []Link `json:"links"`
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
	var w stateJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if w.Version != stateVersion {
		return fmt.Errorf("state: unsupported version %d (want %d)", w.Version, stateVersion)
	}
	sortLinks(w.Links)
	for i := 1; i < len(w.Links); i++ {
		if a, b := w.Links[i], w.Links[i-1]; a.Source == b.Source && strings.EqualFold(a.Type, b.Type) {
			return fmt.Errorf("state: source %q is linked twice", w.Links[i].Source)
		}
	}
	*s = State{Rule: w.Rule, Links: w.Links}
	return nil
}

// ReadState reads a state document.
func ReadState(r io.Reader) (*State, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s := &State{}
	return s, s.UnmarshalJSON(data)
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
