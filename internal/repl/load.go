package repl

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/internal/objfile"
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
	var sources []string
	if s.schema != nil {
		// The loaded schema's source attributes name Graph properties,
		// as they do for map and plan.
		sources = s.schema.SourceAttributeNames()
	}
	recs, err := parseRecords(name, data, sources)
	if err != nil {
		return "", err
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

// parseRecords reads the objects of a file with the reader every command
// uses (internal/objfile): JSON, JSON lines, CSV, Graph and SCIM pages,
// in UTF-8 or UTF-16. Errors name the file and the position. sources are
// the schema's source attribute names (nil: the built-in table).
func parseRecords(name string, data []byte, sources []string) ([]record, error) {
	or := objfile.NewReader(bytes.NewReader(data), objfile.Options{Name: name, SourceAttributes: sources})
	var recs []record
	for {
		o, err := or.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return nil, err
		}
		keys, attrs, err := or.Values(o)
		if err != nil {
			return nil, err
		}
		recs = append(recs, record{attrs: attrs, keys: keys})
	}
}
