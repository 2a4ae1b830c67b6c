package repl

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// record is one object read from a file, with the attribute order of the
// file (CSV columns) for picking a key.
type record struct {
	attrs map[string]any
	keys  []string
}

// keyAttrs are the attributes a KEY argument of :load is matched against,
// before the first column.
var keyAttrs = []string{"id", "objectId", "userPrincipalName", "mail", "employeeId"}

func (s *Session) cmdLoad(arg string) (string, error) {
	fields := strings.Fields(arg)
	if len(fields) == 0 || len(fields) > 2 {
		return "", usageError(":load")
	}
	name := fields[0]
	data, err := s.readFile(name)
	if err != nil {
		return "", err
	}
	recs, err := parseRecords(name, data)
	if err != nil {
		return "", fmt.Errorf("%s: %v", name, err)
	}
	if len(recs) == 0 {
		return "", fmt.Errorf("%s: no objects", name)
	}
	i := 0
	if len(fields) == 2 {
		i, err = pick(recs, fields[1])
		if err != nil {
			return "", fmt.Errorf("%s: %v", name, err)
		}
	}
	s.attrs = map[string]expr.Value{}
	for k, v := range recs[i].attrs {
		s.attrs[k] = expr.FromGo(v)
	}
	head := fmt.Sprintf("loaded %s", filepath.Base(name))
	if len(recs) > 1 {
		head = fmt.Sprintf("loaded row %d of %d from %s", i+1, len(recs), filepath.Base(name))
		if len(fields) == 1 {
			head += fmt.Sprintf(" (:load %s ROW|KEY picks another)", name)
		}
	}
	show, _ := s.cmdShow("")
	return head + "\n" + show, nil
}

// pick finds the record a ROW number or KEY value names.
func pick(recs []record, sel string) (int, error) {
	if n, err := strconv.Atoi(sel); err == nil && n >= 1 && n <= len(recs) {
		// A number is a row, unless it is out of range and could be a key
		// such as an employeeId.
		return n - 1, nil
	}
	for i, r := range recs {
		cands := append([]string(nil), keyAttrs...)
		if len(r.keys) > 0 {
			cands = append(cands, r.keys[0])
		}
		for _, k := range cands {
			for name, v := range r.attrs {
				if strings.EqualFold(name, k) && strings.EqualFold(expr.Render(expr.FromGo(v)), sel) {
					return i, nil
				}
			}
		}
	}
	return 0, fmt.Errorf("no row %s (the file has %d; a KEY is matched against %s or the first column)", sel, len(recs), strings.Join(keyAttrs, ", "))
}

// parseRecords reads a JSON object, a JSON array of objects, JSON lines or
// CSV, choosing by extension and then by content.
func parseRecords(name string, data []byte) ([]record, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".csv" || len(trimmed) > 0 && trimmed[0] != '{' && trimmed[0] != '[' {
		return parseCSV(data)
	}
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var objs []map[string]any
		if err := decodeJSON(trimmed, &objs); err != nil {
			return nil, err
		}
		recs := make([]record, len(objs))
		for i, o := range objs {
			recs[i] = record{attrs: o}
		}
		return recs, nil
	}
	// One object, or one object per line.
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var recs []record
	for dec.More() {
		var o map[string]any
		if err := dec.Decode(&o); err != nil {
			return nil, describeJSONError(trimmed, err)
		}
		recs = append(recs, record{attrs: o})
	}
	return recs, nil
}

// decodeJSON decodes with numbers kept as written.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(data, err)
	}
	return nil
}

// describeJSONError adds the line and column to a JSON syntax error.
func describeJSONError(data []byte, err error) error {
	var se *json.SyntaxError
	if e, ok := err.(*json.SyntaxError); ok {
		se = e
	}
	if se == nil {
		return err
	}
	line, col := 1, 1
	for _, c := range data[:min(int(se.Offset), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %v", line, col, err)
}

// parseCSV reads CSV with a header row; empty cells are absent attributes.
func parseCSV(data []byte) ([]record, error) {
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	header := rows[0]
	recs := make([]record, 0, len(rows)-1)
	for _, row := range rows[1:] {
		rec := record{attrs: map[string]any{}, keys: header}
		for j, cell := range row {
			if j < len(header) && cell != "" {
				rec.attrs[header[j]] = cell
			}
		}
		recs = append(recs, rec)
	}
	return recs, nil
}
