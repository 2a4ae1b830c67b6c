package main

import (
	"errors"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/objfile"
	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/scoping"
)

// jsonVersion is the "version" member of the JSON documents attrmap prints
// (schema validate, schema diff, lint, plan --explain): it changes when a
// member is removed or changes meaning; adding members keeps it. JSON lines
// (eval, scope, map) follow the same rule without repeating it per line.
const jsonVersion = 1

// Error codes of errorJSON.Code, documented in the README.
const (
	codeCompile = "compile" // an expression does not compile
	codeEval    = "eval"    // evaluating an expression failed
	codeInput   = "input"   // an input file or line cannot be read or decoded
	codeSchema  = "schema"  // a schema problem found by validation
	codeFilter  = "filter"  // a scoping filter does not compile
)

// errorJSON is how every --json output shows an error: always these five
// members (line and column 0 when the error has no position), plus where
// it is when that is known.
type errorJSON struct {
	Message string `json:"message"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Hint    string `json:"hint"`
	Code    string `json:"code"`
	// File is the file the error is in, when the output spans files.
	File string `json:"file,omitempty"`
	// Path is where in the document: a JSON path such as
	// attributeMappings[0].source, or a row or line.
	Path string `json:"path,omitempty"`
}

// errorObject converts err, taking the position, hint and code from the
// most precise error it wraps; code is the default code.
func errorObject(err error, code string) *errorJSON {
	o := &errorJSON{Message: err.Error(), Code: code}
	var (
		ee *expr.Error
		le *mapping.LoadError
		ve *mapping.Error
		se *scoping.CompileError
		fe *objfile.Error
	)
	if errors.As(err, &ve) {
		o.Path, o.Message = ve.Path, ve.Msg
		o.Code = codeSchema
	}
	switch {
	case errors.As(err, &ee):
		// The position is in the expression (for a schema problem, the
		// expression at Path).
		o.Line, o.Column, o.Hint = ee.Line, ee.Col, ee.Hint
		if ve == nil {
			o.Message = ee.Msg
		}
		if code != codeEval {
			o.Code = codeCompile
		}
	case errors.As(err, &se):
		o.Hint = se.Hint
		o.Code = codeFilter
	case errors.As(err, &le):
		o.Line, o.Column, o.Path, o.Message = le.Line, le.Col, le.Path, le.Msg
		o.Code = codeInput
	case errors.As(err, &fe):
		o.Line, o.Column = fe.Line, fe.Col
	}
	return o
}
