package mapping

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/diag"
	"github.com/attrmap/attrmap/scoping"
)

// Error is one problem Validate found, located by the JSON path of the
// member at fault, such as
// "synchronizationRules[0].objectMappings[1].attributeMappings[3].source".
// AttributeMappingSource.Text and Check return one too, its Path relative
// to the source node ("" for the node itself, "parameters[1].value" below
// it).
type Error struct {
	Path string
	Msg  string
	// Err is the underlying error, such as an *expr.Error or a
	// *scoping.CompileError, if any.
	Err error
}

// Error formats the problem as "path: msg".
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is the list of problems Validate found, in document order.
type ErrorList []*Error

// Error joins the problems, one per line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// maxErrors caps the problems Validate reports; a last entry says how many
// more there were.
const maxErrors = 200

// softDeleteAttr is the virtual source attribute the service computes (the
// object is unassigned, out of scope, soft deleted or disabled); directory
// definitions need not declare it.
const softDeleteAttr = "IsSoftDeleted"

// Validate reports every problem of the schema that would stop the service
// from running it as intended: expressions that do not compile, source trees
// that cannot be read or disagree with their expression text, attributes
// the source directory does not define, target attributes the target
// directory does not define, two mappings for one target attribute,
// missing matching attributes or duplicate matching priorities, unknown
// flow types, and scoping filters that do not compile.
//
// Directory checks run only where the schema has the directory and object
// definitions (a bare objectMapping has none). Problems are sorted by
// document position and capped at 200 (with a last entry saying how many more).
func (s *Schema) Validate() ErrorList {
	v := &validator{s: s}
	for i := range s.Directories {
		v.directory(i)
	}
	for i := range s.SynchronizationRules {
		v.rule(i)
	}
	slices.SortStableFunc(v.errs, func(a, b *Error) int { return comparePaths(a.Path, b.Path) })
	if len(v.errs) > maxErrors {
		more := len(v.errs) - maxErrors
		v.errs = append(v.errs[:maxErrors], &Error{Msg: fmt.Sprintf("too many problems (%d more not shown)", more)})
	}
	return v.errs
}

type validator struct {
	s    *Schema
	errs ErrorList
}

func (v *validator) add(path string, err error, format string, args ...any) {
	v.errs = append(v.errs, &Error{Path: path, Msg: fmt.Sprintf(format, args...), Err: err})
}

func (v *validator) directory(i int) {
	d := &v.s.Directories[i]
	path := fmt.Sprintf("directories[%d]", i)
	seen := map[string]int{}
	for j := range d.Objects {
		o := &d.Objects[j]
		opath := fmt.Sprintf("%s.objects[%d]", path, j)
		if k, dup := seen[strings.ToLower(o.Name)]; dup {
			v.add(opath+".name", nil, "object %q is defined twice (also objects[%d])", o.Name, k)
		}
		seen[strings.ToLower(o.Name)] = j
		attrs := map[string]int{}
		for k := range o.Attributes {
			a := &o.Attributes[k]
			apath := fmt.Sprintf("%s.attributes[%d]", opath, k)
			if a.Name == "" {
				v.add(apath+".name", nil, "attribute without a name")
				continue
			}
			if prev, dup := attrs[strings.ToLower(a.Name)]; dup {
				v.add(apath+".name", nil, "attribute %q is defined twice (also attributes[%d])", a.Name, prev)
			}
			attrs[strings.ToLower(a.Name)] = k
			if a.Type != "" && !slices.Contains([]AttributeType{TypeString, TypeInteger, TypeReference, TypeBinary, TypeBoolean, TypeDateTime}, a.Type) {
				v.add(apath+".type", nil, "unknown attribute type %q (expected String, Integer, Reference, Binary, Boolean or DateTime)", a.Type)
			}
		}
	}
}

func (v *validator) rule(i int) {
	r := &v.s.SynchronizationRules[i]
	rpath := v.s.rulePath(i)
	if len(v.s.Directories) > 0 {
		if r.SourceDirectoryName != "" && v.s.Directory(r.SourceDirectoryName) == nil {
			v.add(joinPath(rpath, "sourceDirectoryName"), nil, "directory %q is not defined in directories", r.SourceDirectoryName)
		}
		if r.TargetDirectoryName != "" && v.s.Directory(r.TargetDirectoryName) == nil {
			v.add(joinPath(rpath, "targetDirectoryName"), nil, "directory %q is not defined in directories", r.TargetDirectoryName)
		}
	}
	for j := range r.ObjectMappings {
		v.objectMapping(r, &r.ObjectMappings[j], v.s.mappingPath(i, j))
	}
}

func (v *validator) objectMapping(r *SynchronizationRule, m *ObjectMapping, path string) {
	srcObj, tgtObj := v.s.objectDefs(r, m)
	if d := v.s.Directory(r.SourceDirectoryName); d != nil && m.SourceObjectName != "" && srcObj == nil {
		v.add(joinPath(path, "sourceObjectName"), nil, "object %q is not defined in directory %q", m.SourceObjectName, d.Name)
	}
	if d := v.s.Directory(r.TargetDirectoryName); d != nil && m.TargetObjectName != "" && tgtObj == nil {
		v.add(joinPath(path, "targetObjectName"), nil, "object %q is not defined in directory %q", m.TargetObjectName, d.Name)
	}
	for _, w := range strings.Split(m.FlowTypes, ",") {
		w = strings.TrimSpace(w)
		if w != "" && !containsFold([]string{"Add", "Update", "Delete"}, w) {
			v.add(joinPath(path, "flowTypes"), nil, "unknown flow type %q (expected Add, Update and Delete, comma-separated)", w)
		}
	}
	if m.Scope != nil {
		if _, err := m.Scope.Compile(); err != nil {
			p := joinPath(path, "scope")
			var ce *scoping.CompileError
			if errors.As(err, &ce) {
				p = joinPath(p, ce.Path())
			}
			v.add(p, err, "scoping filter does not compile: %v", err)
		}
	}
	targets := map[string]int{}
	priorities := map[int32]int{}
	matching := 0
	for k := range m.AttributeMappings {
		a := &m.AttributeMappings[k]
		apath := joinPath(path, fmt.Sprintf("attributeMappings[%d]", k))
		v.attributeMapping(a, apath, srcObj, tgtObj)
		if a.TargetAttributeName != "" {
			key := strings.ToLower(a.TargetAttributeName)
			if prev, dup := targets[key]; dup {
				v.add(joinPath(apath, "targetAttributeName"), nil, "more than one mapping for target attribute %q (also attributeMappings[%d])", a.TargetAttributeName, prev)
			} else {
				targets[key] = k
			}
		}
		switch {
		case a.MatchingPriority < 0:
			v.add(joinPath(apath, "matchingPriority"), nil, "negative matching priority %d (0 means not matching, 1 is tried first)", a.MatchingPriority)
		case a.MatchingPriority > 0:
			matching++
			if prev, dup := priorities[a.MatchingPriority]; dup {
				v.add(joinPath(apath, "matchingPriority"), nil, "matching priority %d is also used by attributeMappings[%d]", a.MatchingPriority, prev)
			} else {
				priorities[a.MatchingPriority] = k
			}
			if a.Source == nil {
				v.add(joinPath(apath, "source"), nil, "matching attribute %q has no source", a.TargetAttributeName)
			} else if strings.Contains(sourceText(a.Source), "SelectUniqueValue") {
				v.add(joinPath(apath, "source"), nil, "matching attribute %q uses SelectUniqueValue, whose value differs from run to run", a.TargetAttributeName)
			}
		}
	}
	if matching == 0 && len(m.AttributeMappings) > 0 {
		v.add(joinPath(path, "attributeMappings"), nil, "no matching attribute (set matchingPriority 1 on the mapping that identifies objects in both directories)")
	}
}

func sourceText(s *AttributeMappingSource) string {
	t, _ := s.Text()
	return t
}

func (v *validator) attributeMapping(a *AttributeMapping, path string, srcObj, tgtObj *ObjectDefinition) {
	if a.TargetAttributeName == "" {
		v.add(joinPath(path, "targetAttributeName"), nil, "mapping without a target attribute")
	} else if tgtObj != nil && tgtObj.Attribute(a.TargetAttributeName) == nil {
		v.add(joinPath(path, "targetAttributeName"), nil, "target attribute %q is not defined on %s%s", a.TargetAttributeName, tgtObj.Name, didYouMean(a.TargetAttributeName, tgtObj))
	}
	if a.FlowType != "" && !slices.Contains([]FlowType{Always, ObjectAddOnly, MultiValueAddOnly, ValueAddOnly, AttributeAddOnly}, a.FlowType) {
		v.add(joinPath(path, "flowType"), nil, "unknown flow type %q (expected Always, ObjectAddOnly, MultiValueAddOnly, ValueAddOnly or AttributeAddOnly)", a.FlowType)
	}
	if a.FlowBehavior != "" && a.FlowBehavior != FlowWhenChanged && a.FlowBehavior != FlowAlways {
		v.add(joinPath(path, "flowBehavior"), nil, "unknown flow behavior %q (expected FlowWhenChanged or FlowAlways)", a.FlowBehavior)
	}
	if a.Source == nil {
		if a.DefaultValue == "" {
			v.add(joinPath(path, "source"), nil, "mapping has neither a source nor a default value")
		}
		return
	}
	spath := joinPath(path, "source")
	text, err := a.Source.Text()
	if err != nil {
		var se *Error
		if errors.As(err, &se) {
			v.add(joinPath(spath, se.Path), err, "%s", se.Msg)
		} else {
			v.add(spath, err, "%v", err)
		}
		return
	}
	if err := a.Source.Check(); err != nil {
		v.add(joinPath(spath, "expression"), err, "%v", err)
	}
	prog, err := expr.Compile(text)
	if err != nil {
		v.add(spath, err, "expression %s does not compile: %v", strconv.Quote(text), err)
		return
	}
	if slices.Contains(prog.Functions(), "SelectUniqueValue") && a.FlowType != ObjectAddOnly && a.MatchingPriority == 0 {
		v.add(joinPath(path, "flowType"), nil, "SelectUniqueValue should only flow on create (set flowType ObjectAddOnly), or the value may change on every update")
	}
	if srcObj == nil {
		return
	}
	for _, name := range prog.Attributes() {
		if strings.EqualFold(name, softDeleteAttr) || srcObj.Attribute(name) != nil {
			continue
		}
		v.add(spath, nil, "source attribute %q is not defined on %s%s", name, srcObj.Name, didYouMean(name, srcObj))
	}
}

// didYouMean suggests the closest attribute name of o, or "".
func didYouMean(name string, o *ObjectDefinition) string {
	names := make([]string, len(o.Attributes))
	for i, a := range o.Attributes {
		names[i] = a.Name
	}
	best := diag.Suggest(name, names)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// comparePaths orders JSON paths in document order: member by member,
// array indexes numerically.
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		ca, cb := a[0], b[0]
		if isDigit(ca) && isDigit(cb) {
			na, ra := leadingInt(a)
			nb, rb := leadingInt(b)
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			a, b = ra, rb
			continue
		}
		if ca != cb {
			return int(ca) - int(cb)
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func leadingInt(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && isDigit(s[i]) {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:]
}

// Directory returns the directory definition named name (ignoring case),
// or nil.
func (s *Schema) Directory(name string) *DirectoryDefinition {
	for i := range s.Directories {
		if strings.EqualFold(s.Directories[i].Name, name) {
			return &s.Directories[i]
		}
	}
	return nil
}

// Object returns the object definition named name (ignoring case), or nil.
func (d *DirectoryDefinition) Object(name string) *ObjectDefinition {
	if d == nil {
		return nil
	}
	for i := range d.Objects {
		if strings.EqualFold(d.Objects[i].Name, name) {
			return &d.Objects[i]
		}
	}
	return nil
}

// Attribute returns the attribute definition named name (ignoring case),
// or nil.
func (o *ObjectDefinition) Attribute(name string) *AttributeDefinition {
	if o == nil {
		return nil
	}
	for i := range o.Attributes {
		if strings.EqualFold(o.Attributes[i].Name, name) {
			return &o.Attributes[i]
		}
	}
	return nil
}

// objectDefs returns the definitions of the source and target objects of
// m, nil where the schema does not define them.
func (s *Schema) objectDefs(r *SynchronizationRule, m *ObjectMapping) (src, tgt *ObjectDefinition) {
	return s.Directory(r.SourceDirectoryName).Object(m.SourceObjectName),
		s.Directory(r.TargetDirectoryName).Object(m.TargetObjectName)
}
