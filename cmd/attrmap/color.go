package main

import (
	"io"
	"os"
	"strings"
)

// painter colours text with ANSI escapes when it is on: only on a
// terminal, never when NO_COLOR is set to anything (https://no-color.org)
// or TERM is dumb. Pipes and files get plain text.
type painter struct{ on bool }

// newPainter decides for w.
func newPainter(w io.Writer) painter {
	return painter{on: colorTerminal(w)}
}

// colorTerminal reports whether w is a terminal that shows colour.
func colorTerminal(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	return isTerminal(w) && !strings.EqualFold(os.Getenv("TERM"), "dumb")
}

// ANSI colours.
const (
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func (p painter) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p painter) red(s string) string    { return p.paint(ansiRed, s) }
func (p painter) green(s string) string  { return p.paint(ansiGreen, s) }
func (p painter) yellow(s string) string { return p.paint(ansiYellow, s) }
func (p painter) bold(s string) string   { return p.paint(ansiBold, s) }
