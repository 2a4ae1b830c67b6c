package scoping

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/attrmap/attrmap/internal/diag"
)

// Load reads all of r and decodes it with Decode.
func Load(r io.Reader) (*Filter, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Decode(data)
}

// Decode decodes a scoping filter, accepting the shapes people actually have
// at hand:
//
//   - a Graph filter object: {"groups": [...], "inputFilterGroups": [...], ...}
//     (so also the short {"groups": [...]});
//   - a bare JSON array of filterGroup objects, taken as the groups set;
//   - an objectMapping, or any object with a "scope" member and none of the
//     filter's own members: its scope is decoded;
//   - the literal null, or an object without groups: an empty filter, which
//     lets every object in.
//
// Anything else is an error. Syntax errors are *DecodeError values with a
// 1-based line and column; structural errors name the JSON path at fault.
// Empty input is an error rather than an empty filter, because an empty file
// is more likely a mistake than a deliberate "everyone is in scope".
func Decode(data []byte) (*Filter, error) {
	if err := checkSyntax(data); err != nil {
		return nil, err
	}
	f := &Filter{}
	switch diag.JSONKind(data) {
	case "null":
		return f, nil
	case "array":
		groups, err := decodeGroups(data, "")
		if err != nil {
			return nil, err
		}
		f.Groups = groups
		return f, nil
	case "object":
		ms, err := objectMembers(data, "")
		if err != nil {
			return nil, err
		}
		if scope, ok := scopeMember(ms); ok {
			if err := f.decode(scope, "scope"); err != nil {
				return nil, err
			}
			return f, nil
		}
		if err := f.decode(data, ""); err != nil {
			return nil, err
		}
		return f, nil
	}
	return nil, &DecodeError{Msg: "expected a filter object or an array of groups, got " + diag.JSONKind(data)}
}

// scopeMember returns the "scope" member of an objectMapping-like object, if
// the object has one and none of the filter's own members.
func scopeMember(ms []member) (json.RawMessage, bool) {
	var scope json.RawMessage
	for _, m := range ms {
		switch m.key {
		case "groups", "inputFilterGroups", "categoryFilterGroups":
			return nil, false
		case "scope":
			scope = m.raw
		}
	}
	return scope, scope != nil
}

// checkSyntax validates data as exactly one JSON value and converts a syntax
// error's byte offset to a line and column.
func checkSyntax(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return &DecodeError{Line: 1, Col: 1, Msg: "no JSON value (empty input)"}
	}
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := diag.LineCol(data, int(se.Offset)-1) // Offset counts the byte at fault
		return &DecodeError{Line: line, Col: col, Msg: se.Error()}
	}
	return &DecodeError{Msg: err.Error()}
}

// Save writes the filter in its canonical form: members sorted by name,
// 2-space indent, trailing newline, "&" not HTML-escaped.
func (f *Filter) Save(w io.Writer) error {
	if f == nil {
		f = &Filter{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}
