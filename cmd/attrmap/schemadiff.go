package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/attrmap/attrmap/mapping"
	"github.com/attrmap/attrmap/mapping/schemadiff"
)

// changeJSON is one change of schema diff --json.
type changeJSON struct {
	Op        string `json:"op"`
	Rule      string `json:"rule"`
	Object    string `json:"object,omitempty"`
	Attribute string `json:"attribute,omitempty"`
	Group     string `json:"group,omitempty"`
	Field     string `json:"field"`
	Old       string `json:"old"`
	New       string `json:"new"`
}

// schemaDiff implements "attrmap schema diff OLD NEW": exit status 0 when
// the schemas are the same, 1 when they differ, 2 when one cannot be read,
// so that a script can gate on 1.
func schemaDiff(oldPath, newPath string, lenient, asJSON bool, stdin io.Reader, stdout, stderr io.Writer) error {
	var schemas [2]*mapping.Schema
	for i, path := range []string{oldPath, newPath} {
		s, err := loadSchema(path, lenient, stdin, stderr)
		if err != nil {
			return &statusError{status: exitUsage, err: err, bare: true}
		}
		schemas[i] = s
	}
	changes := schemadiff.Diff(schemas[0], schemas[1])
	if asJSON {
		out := struct {
			Version int          `json:"version"`
			Old     string       `json:"old"`
			New     string       `json:"new"`
			Changes []changeJSON `json:"changes"`
		}{jsonVersion, oldPath, newPath, make([]changeJSON, len(changes))}
		for i, c := range changes {
			out.Changes[i] = changeJSON{string(c.Op), c.Rule, c.Object, c.Attribute, c.Group, c.Field, c.Old, c.New}
		}
		data, _ := json.MarshalIndent(out, "", "  ")
		stdout.Write(append(data, '\n'))
	} else {
		writeDiffText(stdout, oldPath, newPath, changes, newPainter(stdout))
	}
	if len(changes) > 0 {
		return &statusError{status: exitFailure}
	}
	return nil
}

// writeDiffText prints the changes grouped by rule and object mapping.
func writeDiffText(w io.Writer, oldPath, newPath string, changes []schemadiff.Change, p painter) {
	if len(changes) == 0 {
		fmt.Fprintf(w, "%s and %s: no changes\n", oldPath, newPath)
		return
	}
	fmt.Fprintln(w, p.red("--- "+oldPath))
	fmt.Fprintln(w, p.green("+++ "+newPath))
	var head string
	for _, c := range changes {
		var parts []string
		if c.Rule != "" {
			parts = append(parts, "rule "+strconv.Quote(c.Rule))
		}
		if c.Object != "" && c.Field != "object mapping" {
			parts = append(parts, "object mapping "+strconv.Quote(c.Object))
		}
		h := strings.Join(parts, ", ")
		if h == "" {
			h = "object mapping" // a bare objectMapping document
		}
		if h != head {
			head = h
			fmt.Fprintf(w, "\n%s:\n", p.bold(h))
		}
		writeChange(w, c, p)
	}
	fmt.Fprintf(w, "\n%s\n", plural(len(changes), "change"))
}

// writeChange prints one change: "+" added, "-" removed, "~" changed.
func writeChange(w io.Writer, c schemadiff.Change, p painter) {
	mark := map[schemadiff.ChangeOp]string{schemadiff.Added: p.green("+"), schemadiff.Removed: p.red("-"), schemadiff.Changed: p.yellow("~")}[c.Op]
	value := c.New
	if c.Op == schemadiff.Removed {
		value = c.Old
	}
	switch c.Field {
	case "rule":
		fmt.Fprintf(w, "  %s rule: %s\n", mark, value)
	case "object mapping":
		fmt.Fprintf(w, "  %s object mapping %q: %s\n", mark, c.Object, value)
	case "attribute mapping":
		fmt.Fprintf(w, "  %s %s <- %s\n", mark, c.Attribute, value)
	case "scope group":
		fmt.Fprintf(w, "  %s scope group %q: %s\n", mark, c.Group, value)
	case "scope clause":
		fmt.Fprintf(w, "  %s scope group %q clause: %s\n", mark, c.Group, value)
	case "expression":
		// The expressions in full, one above the other, with a caret line
		// under the part that changed.
		fmt.Fprintf(w, "  %s %s: expression\n", mark, c.Attribute)
		fmt.Fprintf(w, "      %s %s\n", p.red("-"), c.Old)
		fmt.Fprintf(w, "      %s %s\n", p.green("+"), c.New)
		if at, n := changedSpan(c.Old, c.New); n > 0 {
			fmt.Fprintf(w, "        %s%s\n", strings.Repeat(" ", at), p.yellow(strings.Repeat("^", n)))
		}
	default:
		where := ""
		if c.Attribute != "" {
			where = c.Attribute + " "
		}
		fmt.Fprintf(w, "  %s %s%s: %s -> %s\n", mark, where, c.Field, quoteEmpty(c.Old), quoteEmpty(c.New))
	}
}

// quoteEmpty shows an empty value as "".
func quoteEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// changedSpan returns where, in runes, the text b differs from a (after
// their common prefix and before their common suffix), and how long that
// part of b is; a pure deletion marks the one rune after it.
func changedSpan(a, b string) (at, n int) {
	ra, rb := []rune(a), []rune(b)
	pre := 0
	for pre < len(ra) && pre < len(rb) && ra[pre] == rb[pre] {
		pre++
	}
	suf := 0
	for suf < len(ra)-pre && suf < len(rb)-pre && ra[len(ra)-1-suf] == rb[len(rb)-1-suf] {
		suf++
	}
	n = len(rb) - pre - suf
	if n == 0 && len(ra) != len(rb) && pre < len(rb) {
		n = 1
	}
	return pre, n
}
