package execute

import (
	"slices"
	"strings"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/sync/provision"
)

// linkSet is a state's links by (type, source), types compared ignoring
// case.
type linkSet map[string]provision.Link

func linkKey(typ, source string) string { return strings.ToLower(typ) + "\x00" + source }

func linkMap(s *provision.State) linkSet {
	m := linkSet{}
	if s == nil {
		return m
	}
	for _, l := range s.Links {
		m[linkKey(l.Type, l.Source)] = l
	}
	return m
}

func (m linkSet) set(l provision.Link)    { m[linkKey(l.Type, l.Source)] = l }
func (m linkSet) drop(typ, source string) { delete(m, linkKey(typ, source)) }
func (m linkSet) get(typ, source string) (provision.Link, bool) {
	l, ok := m[linkKey(typ, source)]
	return l, ok
}

func (m linkSet) sorted() []provision.Link {
	out := make([]provision.Link, 0, len(m))
	for _, l := range m {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b provision.Link) int {
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.Type), strings.ToLower(b.Type))
	})
	return out
}

// types maps the target object names of the rules to their source object
// names, which the state's links are typed by.
type types struct {
	src   map[string]string
	first string
}

func newTypes(rules []*mapping.CompiledObjectMapping) types {
	t := types{src: map[string]string{}}
	for i, r := range rules {
		if i == 0 {
			t.first = r.SourceObjectName()
		}
		t.src[strings.ToLower(r.TargetObjectName())] = r.SourceObjectName()
	}
	return t
}

// source returns the link type of a target object type.
func (t types) source(target string) string {
	if s, ok := t.src[strings.ToLower(target)]; ok {
		return s
	}
	return target
}

// normalize fills the empty link types of a state (the first mapping's
// type) so that links compare by type.
func (t types) normalize(s *provision.State) *provision.State {
	if s == nil {
		return &provision.State{}
	}
	out := &provision.State{Rule: s.Rule, Links: slices.Clone(s.Links)}
	for i := range out.Links {
		if out.Links[i].Type == "" {
			out.Links[i].Type = t.first
		}
	}
	return out
}
