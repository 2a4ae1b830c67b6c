package lint

import (
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// CompileErrorCode is the code of the pseudo-warning LintSchema reports
// for an expression that does not compile (or a source tree that cannot be
// read): it is an error, not a pitfall, and tools should treat it so.
const CompileErrorCode = "AM000"

// LintSchema checks every attribute mapping expression of a schema, with
// the context the schema gives (target attribute type, matching priority,
// flow type, directories, source attribute definitions). Each warning
// carries the JSON path of its source, in document order.
func LintSchema(s *mapping.Schema) []Warning {
	var out []Warning
	for i := range s.SynchronizationRules {
		r := &s.SynchronizationRules[i]
		rpath := ""
		if s.Form == mapping.FormSchema {
			rpath = fmt.Sprintf("synchronizationRules[%d]", i)
		}
		for j := range r.ObjectMappings {
			m := &r.ObjectMappings[j]
			mpath := rpath
			if s.Form != mapping.FormObjectMapping {
				mpath = joinPath(rpath, fmt.Sprintf("objectMappings[%d]", j))
			}
			srcObj := s.Directory(r.SourceDirectoryName).Object(m.SourceObjectName)
			tgtObj := s.Directory(r.TargetDirectoryName).Object(m.TargetObjectName)
			for k := range m.AttributeMappings {
				a := &m.AttributeMappings[k]
				if a.Source == nil {
					continue
				}
				path := joinPath(mpath, fmt.Sprintf("attributeMappings[%d].source", k))
				out = append(out, lintMapping(a, path, r, srcObj, tgtObj)...)
			}
		}
	}
	return out
}

// lintMapping checks one attribute mapping.
func lintMapping(a *mapping.AttributeMapping, path string, r *mapping.SynchronizationRule, srcObj, tgtObj *mapping.ObjectDefinition) []Warning {
	text, err := a.Source.Text()
	if err != nil {
		return []Warning{{Code: CompileErrorCode, Rule: "compile-error", Msg: err.Error(), Path: path, Line: 1, Col: 1}}
	}
	// An expression text that does not compile, or says something else
	// than the tree the service uses, is an error of its own: the tree is
	// linted below, but people read and edit the text.
	var disagree []Warning
	if err := a.Source.Check(); err != nil {
		disagree = append(disagree, Warning{Code: CompileErrorCode, Rule: "compile-error", Msg: err.Error(), Path: path + ".expression", Source: a.Source.Expression, Line: 1, Col: 1})
	}
	return append(disagree, lintTree(a, path, r, srcObj, tgtObj, text)...)
}

// lintTree lints the expression text derived from a mapping's tree.
func lintTree(a *mapping.AttributeMapping, path string, r *mapping.SynchronizationRule, srcObj, tgtObj *mapping.ObjectDefinition, text string) []Warning {
	prog, err := expr.Compile(text)
	if err != nil {
		w := Warning{Code: CompileErrorCode, Rule: "compile-error", Msg: err.Error(), Path: path, Source: text, Line: 1, Col: 1}
		if e, ok := expr.AsError(err); ok {
			w.Msg, w.Span, w.Line, w.Col, w.Suggestion = e.Msg, e.Span, e.Line, e.Col, e.Hint
		}
		return []Warning{w}
	}
	ctx := Context{
		Known:           true,
		TargetAttribute: a.TargetAttributeName,
		Matching:        a.MatchingPriority > 0,
		AddOnly:         a.FlowType == mapping.ObjectAddOnly,
		SourceDirectory: r.SourceDirectoryName,
		TargetDirectory: r.TargetDirectoryName,
	}
	if tgtObj != nil {
		if def := tgtObj.Attribute(a.TargetAttributeName); def != nil {
			ctx.TargetIsReference = strings.EqualFold(string(def.Type), string(mapping.TypeReference))
		}
	} else if strings.EqualFold(a.TargetAttributeName, "manager") {
		// Without directory definitions, manager is the documented
		// example of a referential attribute.
		ctx.TargetIsReference = true
	}
	if srcObj != nil {
		ctx.Required = func(attr string) bool {
			d := srcObj.Attribute(attr)
			return d != nil && d.Required
		}
		ctx.MultiValued = func(attr string) (bool, bool) {
			d := srcObj.Attribute(attr)
			if d == nil {
				return false, false
			}
			return d.Multivalued, true
		}
	}
	ws := LintIn(prog, ctx)
	for i := range ws {
		ws[i].Path = path
	}
	return ws
}

// joinPath joins JSON path segments, skipping empty ones.
func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}
