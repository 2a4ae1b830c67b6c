package mapping

import (
	"errors"
	"fmt"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// An attributeMappingSource holds an expression twice: as text
// (Expression) and as a tree (Type, Name, Parameters). This file converts
// between the two. The tree is what Graph treats as the structure of the
// mapping, so Text derives the text from the tree; SourceFromExpression
// builds the tree Graph's parseExpression would build from a text.
//
// Function parameters are keyed by name. The names are the ones the
// service uses (synchronizationSchema: functions, and parseExpression's
// output, which keys Replace's arguments "Find" and "Replacement"), and
// otherwise the parameter names of the function reference (expr.Func.Params).
// Empty arguments are left out of the tree, as parseExpression does, which
// is why the keys, not the order, say which argument is which.

// paramLayout returns the parameter keys of a call of f with n arguments:
// the fixed keys, and the key repeated for every argument after them.
func paramLayout(f *expr.Func, n int) (fixed []string, repeat string) {
	switch f.Name {
	case "Replace":
		return []string{"source", "Find", "RegularExpression", "RegularExpressionGroupName", "Replacement", "ReplacementPropertyName", "Template"}, ""
	case "Switch":
		return []string{"source", "defaultValue"}, "switchValue"
	case "SingleAppRoleAssignment", "AppRoleAssignmentsComplex":
		return []string{"source"}, ""
	case "FormatDateTime":
		if n == 3 {
			return []string{"source", "inputFormat", "outputFormat"}, ""
		}
	}
	if f.MaxArgs < 0 && len(f.Params) > 0 {
		return f.Params[:len(f.Params)-1], f.Params[len(f.Params)-1]
	}
	return f.Params, ""
}

// paramAliases returns other accepted keys for position i of f: the
// reference's parameter names where the service's differ.
func paramAliases(f *expr.Func, i int) []string {
	if f.Name == "Switch" && i >= 2 {
		return []string{"key", "value"}
	}
	if i < len(f.Params) {
		return []string{f.Params[i]}
	}
	if f.MaxArgs < 0 && len(f.Params) > 0 {
		return []string{f.Params[len(f.Params)-1]}
	}
	return nil
}

// binaryOps are the operators of the language. Graph has no documented
// tree form for them; attrmap writes a Function node named after the
// operator with parameters "left" and "right".
var binaryOps = []string{"=", "<>", "<", "<=", ">", ">=", "&"}

// SourceFromExpression compiles text and returns the equivalent
// attributeMappingSource tree, with an Expression on every node: the text
// as given at the root, the canonical text (expr.Print) below it. Numbers
// become Constant nodes, as in Graph's own exports. The error is the
// compile error, an *expr.Error.
func SourceFromExpression(text string, opts ...expr.Option) (*AttributeMappingSource, error) {
	prog, err := expr.Compile(text, opts...)
	if err != nil {
		return nil, err
	}
	src := fromNode(prog.Root())
	src.Expression = text
	return src, nil
}

// fromNode converts a syntax tree node to a source node.
func fromNode(n expr.Node) *AttributeMappingSource {
	s := &AttributeMappingSource{Expression: expr.Print(n), Parameters: []Parameter{}}
	switch n := n.(type) {
	case *expr.AttrExpr:
		s.Type, s.Name = SourceAttribute, n.Name
	case *expr.StringLit:
		s.Type, s.Name = SourceConstant, n.Value
	case *expr.NumberLit:
		s.Type, s.Name = SourceConstant, n.Value.String()
		if n.Hex {
			s.Name = expr.Print(n)
		}
		s.Expression = expr.Quote(s.Name)
	case *expr.EnumLit:
		s.Type, s.Name = SourceConstant, n.Name
	case *expr.EmptyArg:
		s.Type, s.Name = SourceConstant, ""
	case *expr.CallExpr:
		s.Type, s.Name = SourceFunction, n.Func.Name
		fixed, repeat := paramLayout(n.Func, len(n.Args))
		for i, a := range n.Args {
			if _, empty := a.(*expr.EmptyArg); empty {
				continue
			}
			key := repeat
			if i < len(fixed) {
				key = fixed[i]
			}
			s.Parameters = append(s.Parameters, Parameter{Key: key, Value: fromNode(a)})
		}
	case *expr.BinaryExpr:
		s.Type, s.Name = SourceFunction, n.Op
		s.Parameters = append(s.Parameters,
			Parameter{Key: "left", Value: fromNode(n.Left)},
			Parameter{Key: "right", Value: fromNode(n.Right)})
	}
	return s
}

// hasTree reports whether the node carries a tree, as opposed to only an
// expression text ({"expression": "..."} written by hand).
func (s *AttributeMappingSource) hasTree() bool {
	return s.Name != "" || len(s.Parameters) > 0 || s.Type != ""
}

// Text returns the expression the source stands for. When the node has a
// tree, the text is derived from the tree; the Expression member is
// returned as written when it says the same thing, so that people see their
// own formatting. A node with only an Expression returns it. The error
// reports a tree that cannot be turned into text (an unknown parameter key,
// a parameter given twice, a node without a name).
func (s *AttributeMappingSource) Text() (string, error) {
	if !s.hasTree() {
		if strings.TrimSpace(s.Expression) == "" {
			return "", &Error{Msg: "source has neither a name nor an expression"}
		}
		return s.Expression, nil
	}
	text, err := s.treeText()
	if err != nil {
		return "", err
	}
	if s.Expression != "" && s.Expression != text && sameMeaning(s.Expression, text) {
		return s.Expression, nil
	}
	return text, nil
}

// Check reports a source whose Expression and tree disagree, as a
// *Error. A source without one of the two agrees trivially.
func (s *AttributeMappingSource) Check() error {
	if !s.hasTree() || s.Expression == "" {
		return nil
	}
	text, err := s.treeText()
	if err != nil {
		return err
	}
	if text == s.Expression || sameMeaning(s.Expression, text) {
		return nil
	}
	// The service builds the mapping from the tree: say so, since the
	// text is what people read and edit.
	if _, err := expr.Compile(s.Expression); err != nil {
		return &Error{Msg: fmt.Sprintf("expression %q does not compile (%v), but its tree %q does; the service uses the tree", s.Expression, err, text)}
	}
	return &Error{Msg: fmt.Sprintf("expression %q and its tree %q disagree; the service uses the tree", s.Expression, text)}
}

// sameMeaning reports whether two texts compile to the same tree.
func sameMeaning(a, b string) bool {
	sa, err := SourceFromExpression(a)
	if err != nil {
		return false
	}
	sb, err := SourceFromExpression(b)
	if err != nil {
		return false
	}
	return sameTree(sa, sb)
}

// sameTree compares two canonical trees, ignoring their Expression texts.
func sameTree(a, b *AttributeMappingSource) bool {
	if a.kind() != b.kind() || a.Name != b.Name || len(a.Parameters) != len(b.Parameters) {
		return false
	}
	for i := range a.Parameters {
		pa, pb := a.Parameters[i], b.Parameters[i]
		if pa.Key != pb.Key || !sameTree(pa.Value, pb.Value) {
			return false
		}
	}
	return true
}

// under puts a source error at prefix below the node that holds it.
func (e *Error) under(prefix string) *Error {
	return &Error{Path: joinPath(prefix, e.Path), Msg: e.Msg}
}

// treeText converts the tree to expression text.
func (s *AttributeMappingSource) treeText() (string, error) {
	switch s.kind() {
	case SourceAttribute:
		if s.Name == "" {
			return "", &Error{Path: "name", Msg: "attribute source without a name"}
		}
		if strings.ContainsAny(s.Name, "[]") {
			return "", &Error{Path: "name", Msg: fmt.Sprintf("attribute name %q contains a bracket", s.Name)}
		}
		return "[" + s.Name + "]", nil
	case SourceConstant:
		return constantText(s), nil
	case SourceFunction:
		return s.callText()
	}
	return "", &Error{Path: "type", Msg: fmt.Sprintf("unknown source type %q (expected Attribute, Constant or Function)", s.Type)}
}

// constantText writes a constant. Constants are strings in Graph; a
// number or bare word (vbTextCompare, True) keeps its literal form when the
// node's own Expression writes it that way.
func constantText(s *AttributeMappingSource) string {
	e := strings.TrimSpace(s.Expression)
	if e != "" && !strings.HasPrefix(e, `"`) {
		if p, err := expr.Compile(e); err == nil {
			switch n := p.Root().(type) {
			case *expr.EnumLit:
				if strings.EqualFold(n.Name, s.Name) {
					return n.Name
				}
			case *expr.NumberLit:
				if e == s.Name || n.Value.String() == s.Name {
					return e
				}
			}
		}
	}
	return expr.Quote(s.Name)
}

func (s *AttributeMappingSource) callText() (string, error) {
	if s.Name == "" {
		return "", &Error{Path: "name", Msg: "function source without a name"}
	}
	for _, op := range binaryOps {
		if s.Name == op {
			return s.binaryText()
		}
	}
	args := make([]string, 0, len(s.Parameters))
	texts := make([]string, len(s.Parameters))
	for i, p := range s.Parameters {
		if p.Value == nil {
			return "", &Error{Path: fmt.Sprintf("parameters[%d].value", i), Msg: "parameter without a value"}
		}
		t, err := p.Value.treeText()
		if err != nil {
			var se *Error
			if errors.As(err, &se) {
				return "", se.under(fmt.Sprintf("parameters[%d].value", i))
			}
			return "", err
		}
		texts[i] = t
	}
	f, known := expr.Default().Lookup(s.Name)
	if !known {
		// Unknown function: keep the document's order; Validate reports
		// the name when it compiles the text.
		args = append(args, texts...)
		return s.Name + "(" + strings.Join(args, ", ") + ")", nil
	}
	slots, err := placeParams(f, s.Parameters)
	if err != nil {
		return "", err
	}
	pad := f.MinArgs
	if f.Name == "Replace" {
		// Graph writes Replace with all seven arguments, empty ones included.
		pad = f.MaxArgs
	}
	for len(slots) < pad {
		slots = append(slots, -1)
	}
	for _, idx := range slots {
		if idx < 0 {
			args = append(args, "")
		} else {
			args = append(args, texts[idx])
		}
	}
	return f.Name + "(" + joinArgs(args) + ")", nil
}

// joinArgs joins arguments as expr.Print does: ", " between them, nothing
// for an empty one.
func joinArgs(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a)
	}
	return b.String()
}

// placeParams maps the parameters of a call of f to argument positions.
// slots[i] is the index in params of argument i, or -1 for an argument
// left empty.
func placeParams(f *expr.Func, params []Parameter) ([]int, error) {
	n := len(params)
	if f.Name == "FormatDateTime" {
		// The three-argument form unless the styles are given.
		n = 3
		for _, p := range params {
			if strings.EqualFold(p.Key, "dateTimeStyles") {
				n = 4
			}
		}
	}
	fixed, repeat := paramLayout(f, n)
	var slots []int
	set := func(pos, idx int) error {
		for len(slots) <= pos {
			slots = append(slots, -1)
		}
		if slots[pos] >= 0 {
			return &Error{Path: fmt.Sprintf("parameters[%d].key", idx), Msg: fmt.Sprintf("parameter %q of %s given twice", params[idx].Key, f.Name)}
		}
		slots[pos] = idx
		return nil
	}
	next := len(fixed)
	for idx, p := range params {
		pos := -1
		for i, name := range fixed {
			if strings.EqualFold(p.Key, name) || containsFold(paramAliases(f, i), p.Key) {
				pos = i
				break
			}
		}
		if pos < 0 && repeat != "" && (strings.EqualFold(p.Key, repeat) || containsFold(paramAliases(f, len(fixed)), p.Key)) {
			pos = next
			next++
		}
		if pos < 0 {
			names := append([]string(nil), fixed...)
			if repeat != "" {
				names = append(names, repeat)
			}
			return nil, &Error{Path: fmt.Sprintf("parameters[%d].key", idx), Msg: fmt.Sprintf("unknown parameter %q for %s (expected one of %s)", p.Key, f.Name, strings.Join(names, ", "))}
		}
		if err := set(pos, idx); err != nil {
			return nil, err
		}
		if pos >= next {
			next = pos + 1
		}
	}
	return slots, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func (s *AttributeMappingSource) binaryText() (string, error) {
	var left, right *AttributeMappingSource
	for i, p := range s.Parameters {
		switch {
		case strings.EqualFold(p.Key, "left") && left == nil:
			left = p.Value
		case strings.EqualFold(p.Key, "right") && right == nil:
			right = p.Value
		default:
			return "", &Error{Path: fmt.Sprintf("parameters[%d].key", i), Msg: fmt.Sprintf("unexpected parameter %q for operator %s (expected left and right)", p.Key, s.Name)}
		}
	}
	if left == nil || right == nil {
		return "", &Error{Path: "parameters", Msg: fmt.Sprintf("operator %s needs parameters left and right", s.Name)}
	}
	l, err := left.treeText()
	if err != nil {
		return "", err
	}
	r, err := right.treeText()
	if err != nil {
		return "", err
	}
	return "(" + l + " " + s.Name + " " + r + ")", nil
}

// CompleteSources gives every attribute mapping source that has only an
// expression text ({"expression": "..."}, as people write by hand) the tree
// Graph expects, built by SourceFromExpression. Sources that already have
// a tree are left alone. It returns the expressions that do not compile,
// which keep their text only.
func (s *Schema) CompleteSources() ErrorList {
	var errs ErrorList
	for i := range s.SynchronizationRules {
		r := &s.SynchronizationRules[i]
		for j := range r.ObjectMappings {
			m := &r.ObjectMappings[j]
			for k := range m.AttributeMappings {
				a := &m.AttributeMappings[k]
				if a.Source == nil || a.Source.hasTree() {
					continue
				}
				tree, err := SourceFromExpression(a.Source.Expression)
				if err != nil {
					path := joinPath(s.mappingPath(i, j), fmt.Sprintf("attributeMappings[%d].source.expression", k))
					errs = append(errs, &Error{Path: path, Msg: err.Error(), Err: err})
					continue
				}
				tree.Extra, tree.w = a.Source.Extra, wire{}
				a.Source = tree
			}
		}
	}
	return errs
}
