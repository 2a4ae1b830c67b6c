package mapping

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// Convert converts an expression result to the type of the target
// attribute d, as the service converts a value before it flows: it is what
// a mapping writes (Apply, and so the planner's plans), and what Graph's
// parseExpression returns for a targetAttributeDefinition.
//
//   - Boolean: a boolean stays; the text True or False in any case
//     (spaces around it ignored) becomes a boolean; anything else is an
//     error.
//   - Integer: an integral number stays; the text of a whole number
//     (spaces around it ignored) becomes a number; anything else is an
//     error.
//   - String (and an attribute without a type): a boolean or a number
//     becomes its text ("True", "1001").
//   - DateTime, Reference, Binary: unchanged. A date-time result stays a
//     date-time, which plans write as its expr.Render text and SCIM
//     requests as an xsd:dateTime.
//
// The elements of a multi-valued value are converted one by one and stay
// text (a Multi holds strings): "true" becomes "True" for a Boolean
// attribute. Null, Ignored and redacted values keep their form; a nil d
// converts nothing. The type's name is compared ignoring case.
func (d *AttributeDefinition) Convert(v expr.Value) (expr.Value, error) {
	if d == nil {
		return v, nil
	}
	if _, ok := v.(expr.String); ok && (d.Type == TypeString || d.Type == "") {
		return v, nil // the common case: text for a String attribute stays
	}
	inner, redacted := expr.Unwrap(v)
	if expr.IsNull(inner) {
		return v, nil
	}
	out, err := d.convert(inner)
	if err != nil || !redacted {
		return out, err
	}
	return expr.Redacted{V: out}, nil
}

func (d *AttributeDefinition) convert(v expr.Value) (expr.Value, error) {
	t := d.Type
	switch {
	case strings.EqualFold(string(t), string(TypeBoolean)), strings.EqualFold(string(t), string(TypeInteger)):
		if m, ok := v.(expr.Multi); ok {
			out := make(expr.Multi, len(m))
			for i, s := range m {
				e, err := d.convertOne(expr.String(s))
				if err != nil {
					return nil, err
				}
				out[i] = expr.Render(e)
			}
			return out, nil
		}
		return d.convertOne(v)
	case t == "" || strings.EqualFold(string(t), string(TypeString)):
		switch v.Kind() {
		case expr.KindBool, expr.KindNumber:
			return expr.String(expr.Render(v)), nil
		}
	}
	return v, nil
}

// convertOne converts a single value for a Boolean or Integer attribute.
func (d *AttributeDefinition) convertOne(v expr.Value) (expr.Value, error) {
	if strings.EqualFold(string(d.Type), string(TypeBoolean)) {
		if b, ok := v.(expr.Bool); ok {
			return b, nil
		}
		s := expr.Render(v)
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return expr.Bool(true), nil
		case "false":
			return expr.Bool(false), nil
		}
		return nil, fmt.Errorf("the result %q cannot be converted to the Boolean target attribute %q (expected true or false)", s, d.Name)
	}
	if n, ok := v.(expr.Number); ok && n.IsInt() {
		return n, nil
	}
	s := expr.Render(v)
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("the result %q cannot be converted to the Integer target attribute %q (expected a whole number)", s, d.Name)
	}
	return expr.Int(n), nil
}
