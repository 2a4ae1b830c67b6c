package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// parseExpressionRequest is the request body of Graph's
// POST .../synchronization/jobs/{id}/schema/parseExpression.
type parseExpressionRequest struct {
	Expression      string `json:"expression"`
	TestInputObject *struct {
		Definition json.RawMessage `json:"definition"`
		Properties []struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		} `json:"properties"`
	} `json:"testInputObject"`
	TargetAttributeDefinition *mapping.AttributeDefinition `json:"targetAttributeDefinition"`
}

// parseExpressionResponse is Graph's parseExpressionResponse, with its
// members in the order of the documented example.
type parseExpressionResponse struct {
	Error               *publicError `json:"error"`
	EvaluationSucceeded bool         `json:"evaluationSucceeded"`
	EvaluationResult    []string     `json:"evaluationResult"`
	ParsedExpression    *parsedNode  `json:"parsedExpression"`
	ParsingSucceeded    bool         `json:"parsingSucceeded"`
}

// publicError is Graph's publicError, the members attrmap fills.
type publicError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// parsedNode is an attributeMappingSource as parseExpression returns it:
// expression, name, parameters, type, in that order.
type parsedNode struct {
	Expression string        `json:"expression"`
	Name       string        `json:"name"`
	Parameters []parsedParam `json:"parameters"`
	Type       string        `json:"type"`
}

type parsedParam struct {
	Key   string      `json:"key"`
	Value *parsedNode `json:"value"`
}

func toParsedNode(s *mapping.AttributeMappingSource) *parsedNode {
	n := &parsedNode{Expression: s.Expression, Name: s.Name, Type: string(s.Type), Parameters: []parsedParam{}}
	if n.Type == "" {
		n.Type = string(mapping.SourceAttribute)
	}
	for _, p := range s.Parameters {
		n.Parameters = append(n.Parameters, parsedParam{Key: p.Key, Value: toParsedNode(p.Value)})
	}
	return n
}

// parseExpression implements eval --parse-expression: it reads the request
// body of Graph's parseExpression action and writes the response the
// service documents. The expression is parsed into its
// attributeMappingSource tree; with a testInputObject it is evaluated
// against the object's properties (key/value pairs; a value may be a
// string collection), and with a targetAttributeDefinition the result is
// converted to the attribute's type as the service converts it before
// flowing it (Boolean gives "True" or "False", Integer digits; a value
// that does not convert is an evaluation error). evaluationResult is a
// string collection: empty for null, and for a value that does not flow.
// The documented request sample writes member names without quotes; they
// are accepted.
func parseExpression(cfg *evalConfig, path string, stdin io.Reader, stdout io.Writer) error {
	in, err := openInput(path, stdin)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(in)
	in.Close()
	if err != nil {
		return err
	}
	var req parseExpressionRequest
	dec := json.NewDecoder(bytes.NewReader(quoteMemberNames(data)))
	if err := dec.Decode(&req); err != nil {
		return fmt.Errorf("%s: the request body is not a parseExpression request (expected {\"expression\": ..., \"testInputObject\": ..., \"targetAttributeDefinition\": ...}): %v", displayPath(path), err)
	}
	resp := answerParseExpression(cfg, &req)
	out, err := marshalIndentNoEscape(resp)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// answerParseExpression computes the response to a request.
func answerParseExpression(cfg *evalConfig, req *parseExpressionRequest) *parseExpressionResponse {
	resp := &parseExpressionResponse{}
	src, err := mapping.SourceFromExpression(req.Expression)
	if err != nil {
		resp.Error = &publicError{Code: "InvalidExpression", Message: exprMessage(err)}
		return resp
	}
	resp.ParsingSucceeded = true
	resp.ParsedExpression = toParsedNode(src)
	// The service writes the root's expression as it prints it, not as
	// given: "Replace([preferredLanguage], \"-\", , , \"_\", ,  )" comes
	// back with one space before the last parenthesis.
	prog, _ := expr.Compile(req.Expression)
	resp.ParsedExpression.Expression = expr.Print(prog.Root())
	if req.TestInputObject == nil {
		return resp
	}
	attrs := map[string]any{}
	for _, p := range req.TestInputObject.Properties {
		var v any
		if len(p.Value) > 0 {
			if err := json.Unmarshal(p.Value, &v); err != nil {
				resp.Error = &publicError{Code: "InvalidTestInputObject", Message: fmt.Sprintf("property %q: %v", p.Key, err)}
				return resp
			}
		}
		attrs[p.Key] = v
	}
	v, err := prog.EvalWith(expr.NewEnv(attrs), cfg.options(cfg.now, nil))
	if err != nil {
		resp.Error = &publicError{Code: "EvaluationFailed", Message: exprMessage(err)}
		return resp
	}
	result, err := evaluationResult(v, req.TargetAttributeDefinition)
	if err != nil {
		resp.Error = &publicError{Code: "EvaluationFailed", Message: err.Error()}
		return resp
	}
	resp.EvaluationSucceeded = true
	resp.EvaluationResult = result
	return resp
}

// exprMessage is an expression error as one line, with its position
// (and its "did you mean", which Error includes).
func exprMessage(err error) string { return err.Error() }

// evaluationResult renders a value as the string collection of the
// response, converted to the target attribute's type by
// mapping.AttributeDefinition.Convert, the conversion every mapping's
// value goes through: a Boolean target gets "True" or "False".
func evaluationResult(v expr.Value, target *mapping.AttributeDefinition) ([]string, error) {
	v, _ = expr.Unwrap(v)
	switch v.Kind() {
	case expr.KindIgnored, expr.KindIgnoredObject, expr.KindNull:
		return []string{}, nil
	}
	v, err := target.Convert(v)
	if err != nil {
		return nil, err
	}
	if m, ok := v.(expr.Multi); ok {
		return append([]string{}, m...), nil
	}
	return []string{expr.Render(v)}, nil
}

// quoteMemberNames quotes the bare member names of JavaScript-style
// object literals ({ key: "objectId" }), as the documented request sample
// writes them, so that the body decodes as JSON. Text inside strings is
// left alone.
func quoteMemberNames(data []byte) []byte {
	var out []byte
	last := byte(0) // the last byte outside strings that is not white space
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '"' {
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(data))
			out = append(out, data[i:j]...)
			i, last = j-1, '"'
			continue
		}
		if (last == '{' || last == ',') && (c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			j := i
			for j < len(data) && (data[j] == '_' || data[j] == '$' || data[j] == '.' || data[j] == '@' || data[j] >= 'a' && data[j] <= 'z' || data[j] >= 'A' && data[j] <= 'Z' || data[j] >= '0' && data[j] <= '9') {
				j++
			}
			k := j
			for k < len(data) && (data[k] == ' ' || data[k] == '\t' || data[k] == '\r' || data[k] == '\n') {
				k++
			}
			if k < len(data) && data[k] == ':' {
				out = append(out, '"')
				out = append(out, data[i:j]...)
				out = append(out, '"')
				i, last = j-1, '"'
				continue
			}
		}
		out = append(out, c)
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			last = c
		}
	}
	return out
}

// marshalIndentNoEscape writes v as JSON indented by four spaces, as the
// documented response is, without HTML escaping, with a final newline.
func marshalIndentNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
