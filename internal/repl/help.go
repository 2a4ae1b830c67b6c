package repl

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// intro is the first part of :help.
const intro = `Type an expression to see its value against the current object, such as
  Join("@", NormalizeDiacritics([givenName]), "contoso.com")
An expression may span lines while parentheses or quotes are open. Tab
completes function names, [attribute names and :commands.

Commands:`

func (s *Session) cmdHelp(arg string) (string, error) {
	if arg == "" {
		var b strings.Builder
		b.WriteString(intro)
		w := 0
		for _, c := range commands {
			w = max(w, len(c.name)+1+len(c.args))
		}
		for _, c := range commands {
			fmt.Fprintf(&b, "\n  %-*s  %s", w, strings.TrimSpace(c.name+" "+c.args), c.summary)
		}
		b.WriteString("\n\n:help NAME shows a function, :help :CMD a command, :funcs lists functions.")
		return b.String(), nil
	}
	if strings.HasPrefix(arg, ":") {
		c, ok := lookupCommand(arg)
		if !ok {
			out, _, err := s.command(arg) // the unknown-command message
			return out, err
		}
		out := strings.TrimSpace(c.name+" "+c.args) + "\n" + c.summary
		if len(c.aliases) > 0 {
			out += "\nAlso: " + strings.Join(c.aliases, ", ")
		}
		if c.help != "" {
			out += "\n\n" + c.help
		}
		return out, nil
	}
	f, ok := expr.Default().Lookup(arg)
	if !ok {
		msg := fmt.Sprintf("no function or command %q", arg)
		if hint := suggest(arg, expr.Default().Names()); hint != "" {
			msg += fmt.Sprintf("; did you mean %s?", hint)
		}
		return "", fmt.Errorf("%s", msg)
	}
	return s.describe(f), nil
}

// describe renders the documentation of one function.
func (s *Session) describe(f *expr.Func) string {
	var b strings.Builder
	b.WriteString(f.Signature())
	cat := f.Category
	if cat == "" {
		cat = "Other"
	}
	fmt.Fprintf(&b, "  (%s)", cat)
	if len(f.Aliases) > 0 {
		fmt.Fprintf(&b, "\nAlso spelled: %s", strings.Join(f.Aliases, ", "))
	}
	b.WriteString("\n")
	for _, para := range strings.Split(strings.TrimSpace(f.Doc), "\n\n") {
		b.WriteString("\n")
		b.WriteString(wrap(para, s.width))
		b.WriteString("\n")
	}
	if len(f.Examples) > 0 {
		b.WriteString("\nExamples:")
		for _, ex := range f.Examples {
			fmt.Fprintf(&b, "\n  %s", ex.Expr)
			if len(ex.Input) > 0 {
				in, _ := json.Marshal(ex.Input) // map keys come out sorted
				fmt.Fprintf(&b, "\n    with %s", in)
			}
			if ex.Now != "" {
				fmt.Fprintf(&b, "\n    at %s", ex.Now)
			}
			if len(ex.Existing) > 0 {
				fmt.Fprintf(&b, "\n    existing %s", quoteList(ex.Existing))
			}
			fmt.Fprintf(&b, "\n    => %s", exampleResult(ex))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// exampleResult renders the documented result of an example like Show.
func exampleResult(ex expr.Example) string {
	if ex.Want == nil {
		if ex.Ignored {
			return Show(expr.Ignored)
		}
		return Show(expr.Null)
	}
	return Show(expr.FromGo(ex.Want))
}

// wrap fills a paragraph to width columns. List items ("- ", "* ") and
// table rows start lines of their own; table rows are kept as written.
func wrap(para string, width int) string {
	var items []string
	for _, l := range strings.Split(para, "\n") {
		t := strings.TrimSpace(l)
		if len(items) == 0 || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") ||
			strings.HasPrefix(t, "|") || strings.HasPrefix(items[len(items)-1], "|") {
			items = append(items, t)
			continue
		}
		items[len(items)-1] += " " + t
	}
	for i, it := range items {
		if !strings.HasPrefix(it, "|") {
			items[i] = fill(it, width)
		}
	}
	return strings.Join(items, "\n")
}

// fill breaks one line into lines of at most width runes at spaces.
func fill(line string, width int) string {
	words := strings.Fields(line)
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for i, w := range words {
		l := len([]rune(w))
		if i > 0 && n+1+l > width {
			b.WriteString("\n")
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

func (s *Session) cmdFuncs(arg string) (string, error) {
	reg := expr.Default()
	byCat := map[string][]*expr.Func{}
	for _, f := range reg.Funcs() {
		cat := f.Category
		if cat == "" {
			cat = "Other"
		}
		if arg != "" && !strings.EqualFold(cat, arg) && !strings.HasPrefix(strings.ToLower(f.Name), strings.ToLower(arg)) {
			continue
		}
		byCat[cat] = append(byCat[cat], f)
	}
	if len(byCat) == 0 {
		return "", fmt.Errorf("no function or category matches %q", arg)
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var b strings.Builder
	for i, c := range cats {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(c + ":")
		for _, f := range byCat[c] {
			b.WriteString("\n  " + f.Signature())
		}
	}
	b.WriteString("\n\n:help NAME for the documentation and examples of one.")
	return b.String(), nil
}
