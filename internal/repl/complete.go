package repl

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/attrmap/attrmap/expr"
)

// Complete returns the completions of the word before pos in line, in the
// form line editors such as liner want: head is the text before the word,
// tail the text after pos, and each completion replaces the word. It
// completes:
//
//   - ":" and a partial command name: the commands;
//   - after "[": the attributes of the current object (and of the loaded
//     schema's source object), with the closing bracket;
//   - the argument of :help: function names and commands;
//   - the attribute of :set and :unset: the current attributes;
//   - the file of :load and :schema: file names;
//   - any other word: function names (ignoring case, with "(") and the
//     enum words such as vbTextCompare.
func (s *Session) Complete(line string, pos int) (head string, completions []string, tail string) {
	pos = min(max(pos, 0), len(line))
	before, tail := line[:pos], line[pos:]
	if s.pending.Len() == 0 && strings.HasPrefix(strings.TrimLeft(before, " "), ":") {
		if h, c, ok := s.completeCommand(before); ok {
			return h, c, tail
		}
	}
	// An open attribute name: complete it.
	if i := strings.LastIndexByte(before, '['); i >= 0 && !strings.Contains(before[i:], "]") && !inString(before[:i]) {
		prefix := before[i+1:]
		var out []string
		for _, a := range s.attributeNames() {
			if hasPrefixFold(a, prefix) {
				out = append(out, "["+a+"]")
			}
		}
		return before[:i], out, tail
	}
	if inString(before) {
		return before, nil, tail
	}
	start := wordStart(before)
	return before[:start], s.completeFunc(before[start:]), tail
}

// completeCommand completes the command name or its argument.
func (s *Session) completeCommand(before string) (head string, out []string, ok bool) {
	name, rest, hasArg := strings.Cut(strings.TrimLeft(before, " "), " ")
	lead := before[:len(before)-len(strings.TrimLeft(before, " "))]
	if !hasArg {
		for _, c := range commandNames() {
			if strings.HasPrefix(c, name) {
				out = append(out, c+" ")
			}
		}
		return lead, out, true
	}
	c, known := lookupCommand(name)
	if !known {
		return "", nil, false
	}
	argHead := before[:len(before)-len(rest)]
	switch c.name {
	case ":help":
		word := strings.TrimLeft(rest, " ")
		h := before[:len(before)-len(word)]
		if strings.HasPrefix(word, ":") {
			for _, n := range commandNames() {
				if strings.HasPrefix(n, word) {
					out = append(out, n)
				}
			}
			return h, out, true
		}
		for _, f := range expr.Default().Funcs() {
			if hasPrefixFold(f.Name, word) {
				out = append(out, f.Name)
			}
		}
		return h, out, true
	case ":set", ":unset":
		if c.name == ":set" && strings.ContainsAny(rest, "= ") {
			return "", nil, false // completing the value: nothing useful
		}
		words := strings.Split(rest, " ")
		word := words[len(words)-1]
		h := before[:len(before)-len(word)]
		for _, a := range s.Attributes() {
			if hasPrefixFold(a, strings.TrimPrefix(word, "[")) {
				out = append(out, a)
			}
		}
		return h, out, true
	case ":load", ":schema":
		if strings.Contains(strings.TrimLeft(rest, " "), " ") {
			return "", nil, true
		}
		word := strings.TrimLeft(rest, " ")
		return before[:len(before)-len(word)], s.completeFile(word), true
	case ":now":
		if hasPrefixFold("off", rest) {
			return argHead, []string{"off"}, true
		}
		return argHead, nil, true
	case ":existing":
		if hasPrefixFold("clear", rest) {
			return argHead, []string{"clear"}, true
		}
		return argHead, nil, true
	case ":map":
		for _, w := range []string{"create", "update"} {
			if hasPrefixFold(w, rest) {
				out = append(out, w)
			}
		}
		return argHead, out, true
	}
	return "", nil, false // :trace, :fmt, :lint: complete as an expression
}

// completeFunc completes a function name or enum word.
func (s *Session) completeFunc(word string) []string {
	if word == "" {
		return nil
	}
	var out []string
	for _, f := range expr.Default().Funcs() {
		if hasPrefixFold(f.Name, word) {
			out = append(out, f.Name+"(")
		}
	}
	for _, e := range expr.EnumNames() {
		if hasPrefixFold(e, word) {
			out = append(out, e)
		}
	}
	return out
}

// completeFile lists the files and directories starting with prefix.
func (s *Session) completeFile(prefix string) []string {
	dir, base := filepath.Split(prefix)
	entries, err := os.ReadDir(s.path(cmpOr(dir, ".")))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if e.IsDir() {
			name += string(filepath.Separator)
		}
		out = append(out, dir+name)
	}
	sort.Strings(out)
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// attributeNames returns the current object's attributes and those of the
// schema's source object, sorted and without duplicates (ignoring case).
func (s *Session) attributeNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if k := strings.ToLower(n); !seen[k] {
			seen[k] = true
			names = append(names, n)
		}
	}
	for _, a := range s.Attributes() {
		add(a)
	}
	if s.schema != nil {
		r := &s.schema.SynchronizationRules[s.rule]
		m := &r.ObjectMappings[s.objMp]
		if o := s.schema.Directory(r.SourceDirectoryName).Object(m.SourceObjectName); o != nil {
			for _, a := range o.Attributes {
				add(a.Name)
			}
		}
	}
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	return names
}

// wordStart returns the offset where the identifier ending s begins.
func wordStart(s string) int {
	i := len(s)
	for i > 0 {
		c := s[i-1]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			i--
			continue
		}
		break
	}
	return i
}

// inString reports whether s ends inside a string literal.
func inString(s string) bool {
	in := false
	for i := 0; i < len(s); i++ {
		switch {
		case in && s[i] == '\\':
			i++
		case s[i] == '"':
			in = !in
		case !in && s[i] == '[':
			if j := strings.IndexByte(s[i:], ']'); j >= 0 {
				i += j
			} else {
				return false
			}
		}
	}
	return in
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
