package expr

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteReference writes the Markdown function reference of r: a table of
// contents by category, then each function's signature, documentation and
// examples with their inputs and results.
func WriteReference(w io.Writer, r *Registry) error {
	var b strings.Builder
	b.WriteString("# Function reference\n\n")
	b.WriteString("Generated from the function registry by `go generate ./expr`; do not edit by hand. ")
	b.WriteString("Every example below is executed by `go test ./expr`.\n\n")
	b.WriteString("Function names are case-insensitive. Arguments in brackets are optional; `...` repeats the last ones.\n\n")
	byCat := map[string][]*Func{}
	var cats []string
	for _, f := range r.Funcs() {
		if _, ok := byCat[f.Category]; !ok {
			cats = append(cats, f.Category)
		}
		byCat[f.Category] = append(byCat[f.Category], f)
	}
	sort.Strings(cats)
	for _, c := range cats {
		fmt.Fprintf(&b, "- **%s**:", c)
		for i, f := range byCat[c] {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, " [%s](#%s)", f.Name, strings.ToLower(f.Name))
		}
		b.WriteByte('\n')
	}
	for _, f := range r.Funcs() {
		fmt.Fprintf(&b, "\n## %s\n\n`%s`", f.Name, f.Signature())
		if len(f.Aliases) > 0 {
			fmt.Fprintf(&b, " (also spelled %s)", strings.Join(f.Aliases, ", "))
		}
		fmt.Fprintf(&b, " · %s\n\n%s\n", f.Category, strings.TrimSpace(f.Doc))
		if len(f.Examples) == 0 {
			continue
		}
		b.WriteString("\n| Expression | Input | Result |\n| --- | --- | --- |\n")
		for _, ex := range f.Examples {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", cell(ex.Expr), cell(exampleInput(ex)), cell(exampleResult(ex)))
		}
		for _, ex := range f.Examples {
			if ex.Note != "" {
				fmt.Fprintf(&b, "\n> `%s`: %s\n", ex.Expr, ex.Note)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func exampleInput(ex Example) string {
	var parts []string
	keys := make([]string, 0, len(ex.Input))
	for k := range ex.Input {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		j, _ := json.Marshal(ex.Input[k])
		parts = append(parts, fmt.Sprintf("%s = %s", k, j))
	}
	if ex.Now != "" {
		parts = append(parts, "now = "+ex.Now)
	}
	if len(ex.Existing) > 0 {
		j, _ := json.Marshal(ex.Existing)
		parts = append(parts, "existing = "+string(j))
	}
	return strings.Join(parts, "; ")
}

func exampleResult(ex Example) string {
	if ex.Ignored {
		return "*(not flowed)*"
	}
	if ex.Want == nil {
		return "*null*"
	}
	j, _ := json.Marshal(ex.Want)
	return string(j)
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
