package objfile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
)

// csvState is the CSV reader and its header.
type csvState struct {
	r     *csv.Reader
	keys  [][]byte
	multi []bool
	skip  int // lines before the CSV reader's first (a #TYPE line)
	sep   rune
}

// beginCSV reads the header. A first line "#TYPE ..." (Windows
// PowerShell's Export-Csv) is skipped; the separator is a semicolon when
// the header has more semicolons than commas outside quotes (Export-Csv
// -Delimiter ';', or -UseCulture in much of Europe), else a comma.
func (r *Reader) beginCSV(lead []byte) error {
	st := &csvState{sep: ','}
	r.csv = st
	src := io.MultiReader(bytes.NewReader(lead), r.br)
	// Peeking at the first lines does not consume them.
	head, _ := r.br.Peek(64 << 10)
	head = append(slices.Clone(lead), head...)
	if bytes.HasPrefix(head, []byte("#TYPE")) || bytes.HasPrefix(head, []byte("#type")) {
		nl := bytes.IndexByte(head, '\n')
		if nl < 0 {
			return r.errorAt(0, 0, "the file has only a #TYPE line (expected a header row after it)")
		}
		skip := head[:nl+1]
		head = head[nl+1:]
		// Drop the line from what the CSV reader gets.
		if _, err := io.CopyN(io.Discard, src, int64(len(skip))); err != nil {
			return r.wrap(err)
		}
		st.skip = 1
	}
	st.sep = separator(head)
	cr := csv.NewReader(src)
	cr.Comma = st.sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	st.r = cr
	header, err := cr.Read()
	if err == io.EOF {
		return &Error{File: r.opts.Name, Line: 1 + st.skip, Msg: "no header row (expected the attribute names)"}
	}
	if err != nil {
		return r.csvError(err)
	}
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		multi := strings.HasSuffix(h, "[]")
		h = strings.TrimSuffix(h, "[]")
		if h == "" {
			return &Error{File: r.opts.Name, Line: 1 + st.skip, Msg: "header cell " + itoa(i+1) + " is empty (expected an attribute name)"}
		}
		if seen[strings.ToLower(h)] {
			return &Error{File: r.opts.Name, Line: 1 + st.skip, Msg: "the header names " + quote(h) + " twice (expected each attribute once)"}
		}
		seen[strings.ToLower(h)] = true
		st.keys = append(st.keys, []byte(h))
		st.multi = append(st.multi, multi)
	}
	return nil
}

// separator picks ',' or ';' from the first line.
func separator(head []byte) rune {
	commas, semis, quoted := 0, 0, false
	for _, c := range head {
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				commas++
			}
		case ';':
			if !quoted {
				semis++
			}
		case '\n':
			if !quoted {
				if semis > commas {
					return ';'
				}
				return ','
			}
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func (r *Reader) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg += " (expected a quoted cell to end with a quote, and quotes inside it doubled)"
		}
		return &Error{File: r.opts.Name, Line: pe.Line + r.csv.skip, Col: pe.Column, Msg: msg, Err: err}
	}
	return r.wrap(err)
}

// nextCSV reads a row. Empty cells are absent attributes: CSV cannot tell
// an empty value from a missing one, and exports write absent attributes
// as empty cells. A column whose header ends in "[]" is multi-valued: its
// cell holds one value per line (a quoted multi-line cell).
func (r *Reader) nextCSV() (*Object, error) {
	st := r.csv
	rec, err := st.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, r.csvError(err)
	}
	r.n++
	line, _ := st.r.FieldPos(0)
	line += st.skip
	if len(rec) != len(st.keys) {
		return nil, &Error{File: r.opts.Name, Line: line, Object: r.n, Recoverable: true,
			Msg: "the row has " + itoa(len(rec)) + " cells (expected " + itoa(len(st.keys)) + ", as the header has)"}
	}
	r.obj = Object{N: r.n, Shape: Plain, off: -1, line: line, file: r.opts.Name}
	r.out = r.out[:0]
	for i, cell := range rec {
		if cell == "" {
			continue
		}
		if psTypeName(cell) {
			_, col := st.r.FieldPos(i)
			return nil, &Error{File: r.opts.Name, Line: line, Col: col, Object: r.n, Recoverable: true,
				Msg: "column " + quote(string(st.keys[i])) + " holds the .NET type name " + quote(cell) + ", not a value (expected text: in PowerShell, turn the property into text with a calculated property, such as @{n='" + string(st.keys[i]) + "[]';e={$_." + string(st.keys[i]) + " -join \"`n\"}})"}
		}
		if st.multi[i] {
			var vals []string
			for _, v := range strings.Split(cell, "\n") {
				if v = strings.TrimSuffix(v, "\r"); v != "" {
					vals = append(vals, v)
				}
			}
			raw, _ := json.Marshal(vals)
			r.out = append(r.out, Member{Name: st.keys[i], Raw: raw})
			continue
		}
		r.out = append(r.out, Member{Name: st.keys[i], Cell: cell, IsCell: true})
	}
	r.obj.Members = r.out
	return &r.obj, nil
}

// psTypeName reports whether a cell is what PowerShell writes for a value
// it cannot turn into text: the name of its .NET type.
func psTypeName(cell string) bool {
	switch cell[0] {
	case 'S':
		return strings.HasPrefix(cell, "System.Object[]") || strings.HasPrefix(cell, "System.Collections.") || strings.HasPrefix(cell, "System.String[]")
	case 'M':
		return strings.HasPrefix(cell, "Microsoft.Graph.PowerShell.Models.")
	}
	return false
}
