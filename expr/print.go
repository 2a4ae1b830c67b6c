package expr

import "strings"

// Print returns the canonical text of a syntax tree: canonical function
// names, ", " between arguments, strings with only \\ and \" escaped,
// numbers in decimal (hexadecimal literals as &H with upper-case digits),
// enum words in their canonical spelling, and binary operators with a space
// on each side. Compiling the printed text gives the same tree.
func Print(n Node) string {
	var b strings.Builder
	printNode(&b, n)
	return b.String()
}

func printNode(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case *CallExpr:
		if n.Func != nil {
			b.WriteString(n.Func.Name)
		} else {
			b.WriteString(n.Name)
		}
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			printNode(b, a)
		}
		b.WriteByte(')')
	case *AttrExpr:
		b.WriteByte('[')
		b.WriteString(n.Name)
		b.WriteByte(']')
	case *StringLit:
		b.WriteString(Quote(n.Value))
	case *NumberLit:
		if n.Hex {
			b.WriteString("&H")
			b.WriteString(strings.ToUpper(strconvHex(n.Value.Int64())))
		} else {
			b.WriteString(n.Value.literal())
		}
	case *EnumLit:
		b.WriteString(n.Name)
	case *EmptyArg:
	case *BinaryExpr:
		printOperand(b, n.Left, precedence(n.Op), false)
		b.WriteByte(' ')
		b.WriteString(n.Op)
		b.WriteByte(' ')
		printOperand(b, n.Right, precedence(n.Op), true)
	}
}

// printOperand parenthesizes a nested binary expression when its operator
// binds less tightly than its parent's, or as tightly on the right (the
// operators are left-associative).
func printOperand(b *strings.Builder, n Node, parent int, right bool) {
	if x, ok := n.(*BinaryExpr); ok && (precedence(x.Op) < parent || (right && precedence(x.Op) == parent)) {
		b.WriteByte('(')
		printNode(b, n)
		b.WriteByte(')')
		return
	}
	printNode(b, n)
}

// Quote writes s as a string literal of the language.
func Quote(s string) string {
	if !strings.ContainsAny(s, `\"`) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == '"' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

func strconvHex(n int64) string {
	const digits = "0123456789ABCDEF"
	if n == 0 {
		return "0"
	}
	u := uint64(n)
	var buf [16]byte
	i := len(buf)
	for u > 0 {
		i--
		buf[i] = digits[u&15]
		u >>= 4
	}
	return string(buf[i:])
}

// Format prints a tree like Print, but breaks calls that do not fit in
// width columns over several lines, one argument per line, indented by two
// spaces per level. The result compiles to the same tree.
func Format(n Node, width int) string {
	var b strings.Builder
	formatNode(&b, n, 0, width)
	// Empty arguments stay on the line of the argument before them, which
	// can leave a space at the end of a line.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func formatNode(b *strings.Builder, n Node, indent, width int) {
	flat := Print(n)
	call, ok := n.(*CallExpr)
	if !ok || indent+len(flat) <= width || len(call.Args) == 0 {
		b.WriteString(flat)
		return
	}
	b.WriteString(call.Func.Name)
	b.WriteString("(\n")
	pad := strings.Repeat("  ", indent/2+1)
	atLineStart := true
	for i, a := range call.Args {
		_, empty := a.(*EmptyArg)
		if atLineStart && !empty {
			b.WriteString(pad)
		}
		if !empty {
			formatNode(b, a, len(pad), width)
		}
		if i < len(call.Args)-1 {
			b.WriteByte(',')
			if _, nextEmpty := call.Args[i+1].(*EmptyArg); nextEmpty {
				b.WriteByte(' ')
				atLineStart = false
				continue
			}
		}
		b.WriteByte('\n')
		atLineStart = true
	}
	b.WriteString(strings.Repeat("  ", indent/2))
	b.WriteByte(')')
}
