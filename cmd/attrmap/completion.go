package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

const completionUsage = `usage: attrmap completion bash|zsh|fish|powershell

Completion prints a script that completes attrmap's commands, their flags,
the schema subcommands, function names for "funcs" and file names, for
the given shell. Load it from the shell's start-up file:

	bash        source <(attrmap completion bash)          (~/.bashrc)
	zsh         source <(attrmap completion zsh)           (~/.zshrc)
	fish        attrmap completion fish | source           (~/.config/fish/config.fish)
	powershell  attrmap completion powershell | Out-String | Invoke-Expression
	                                                       ($PROFILE)
`

// probe, while not nil, makes parseFlags record the flags of the command
// being probed instead of parsing; see commandFlags.
var probe *[]*flag.Flag

// commandFlags returns the flags command c defines, sorted by name, by
// running it with the probe set: parseFlags returns before any work.
func commandFlags(c command) []*flag.Flag {
	var flags []*flag.Flag
	probe = &flags
	defer func() { probe = nil }()
	c.fn(context.Background(), nil, strings.NewReader(""), io.Discard, io.Discard)
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	return flags
}

// flagSpelling is how the README writes a flag: -i, --json.
func flagSpelling(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// isBoolFlag reports whether a flag takes no value.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// completionWords are the words completed after a command's name, besides
// flags and files.
func completionWords(name string) []string {
	switch name {
	case "schema":
		return []string{"validate", "fmt", "export", "import", "diff"}
	case "completion":
		return []string{"bash", "zsh", "fish", "powershell"}
	case "help":
		return commandNames()
	case "funcs":
		return funcsRegistry().Names()
	}
	return nil
}

// cmdCompletion implements "attrmap completion SHELL".
func cmdCompletion(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("completion", completionUsage, stderr)
	pos, err := parseFlags(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	shells := completionWords("completion")
	if len(pos) != 1 {
		return usagef("expected one shell: %s", strings.Join(shells, ", "))
	}
	switch pos[0] {
	case "bash":
		writeBash(stdout)
	case "zsh":
		writeZsh(stdout)
	case "fish":
		writeFish(stdout)
	case "powershell", "pwsh":
		writePowerShell(stdout)
	default:
		if s := suggest(pos[0], shells); s != "" {
			return usagef("unknown shell %q; did you mean %q?", pos[0], s)
		}
		return usagef("unknown shell %q (expected %s)", pos[0], strings.Join(shells, ", "))
	}
	return nil
}

// completionSpec is what every script knows about one command.
type completionSpec struct {
	name, summary string
	flags         []*flag.Flag
	words         []string
}

func completionSpecs() []completionSpec {
	specs := make([]completionSpec, len(commands))
	for i, c := range commands {
		specs[i] = completionSpec{c.name, c.summary, commandFlags(c), completionWords(c.name)}
	}
	return specs
}

// takesFiles reports whether the command's arguments are files (or
// expressions): all but help, completion and funcs, whose words are known.
func (s completionSpec) takesFiles() bool {
	switch s.name {
	case "help", "completion", "funcs":
		return false
	}
	return true
}

// valueFlags lists the flags of a spec that take a value.
func (s completionSpec) valueFlags() []string {
	var out []string
	for _, f := range s.flags {
		if !isBoolFlag(f) {
			out = append(out, flagSpelling(f.Name))
		}
	}
	return out
}

func (s completionSpec) flagWords() []string {
	out := make([]string, len(s.flags))
	for i, f := range s.flags {
		out[i] = flagSpelling(f.Name)
	}
	return out
}

func writeBash(w io.Writer) {
	specs := completionSpecs()
	fmt.Fprint(w, `# bash completion for attrmap; load with: source <(attrmap completion bash)
_attrmap() {
    local cur prev cmd
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "`)
	fmt.Fprint(w, strings.Join(commandNames(), " "))
	fmt.Fprint(w, ` --help --version" -- "$cur"))
        return
    fi
    cmd="${COMP_WORDS[1]}"
    local flags="" words="" valueflags="" files=1
    case "$cmd" in
`)
	for _, s := range specs {
		files := 1
		if !s.takesFiles() {
			files = 0
		}
		fmt.Fprintf(w, "        %s) flags=%q; valueflags=%q; words=%q; files=%d ;;\n", s.name,
			strings.Join(s.flagWords(), " "), " "+strings.Join(s.valueFlags(), " ")+" ", strings.Join(s.words, " "), files)
	}
	fmt.Fprint(w, `    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    if [[ "$valueflags" == *" $prev "* ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    if [[ $files -eq 1 ]]; then
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _attrmap attrmap
`)
}

func writeZsh(w io.Writer) {
	specs := completionSpecs()
	fmt.Fprint(w, `#compdef attrmap
# zsh completion for attrmap; load with: source <(attrmap completion zsh)
_attrmap() {
    local -a commands
    commands=(
`)
	for _, s := range specs {
		fmt.Fprintf(w, "        %s\n", zshQuote(s.name+":"+s.summary))
	}
	fmt.Fprint(w, `    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'attrmap command' commands
        return
    fi
    local -a args
    case $words[2] in
`)
	for _, s := range specs {
		fmt.Fprintf(w, "        %s)\n            args=(\n", s.name)
		for _, f := range s.flags {
			spec := flagSpelling(f.Name) + "[" + zshEscape(f.Usage) + "]"
			if !isBoolFlag(f) {
				spec += ":value:_files"
			}
			fmt.Fprintf(w, "                %s\n", zshQuote(spec))
		}
		if !s.takesFiles() {
			fmt.Fprintf(w, "                %s\n", zshQuote("*:argument:("+strings.Join(s.words, " ")+")"))
		} else if len(s.words) > 0 {
			fmt.Fprintf(w, "                %s\n", zshQuote("1:subcommand:("+strings.Join(s.words, " ")+")"))
			fmt.Fprintf(w, "                %s\n", zshQuote("*:file:_files"))
		} else {
			fmt.Fprintf(w, "                %s\n", zshQuote("*:file:_files"))
		}
		fmt.Fprint(w, "            ) ;;\n")
	}
	fmt.Fprint(w, `    esac
    shift words
    (( CURRENT-- ))
    _arguments -s $args
}
if [[ "$funcstack[1]" = "_attrmap" ]]; then
    _attrmap "$@"
else
    compdef _attrmap attrmap
fi
`)
}

// zshQuote single-quotes s for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// zshEscape escapes the characters _arguments gives a meaning in a
// description.
func zshEscape(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`, ":", `\:`, "`", "").Replace(s)
}

func writeFish(w io.Writer) {
	specs := completionSpecs()
	fmt.Fprint(w, "# fish completion for attrmap; load with: attrmap completion fish | source\n")
	fmt.Fprint(w, "complete -c attrmap -f\n")
	for _, s := range specs {
		fmt.Fprintf(w, "complete -c attrmap -n __fish_use_subcommand -a %s -d %s\n", s.name, fishQuote(s.summary))
	}
	for _, s := range specs {
		cond := "'__fish_seen_subcommand_from " + s.name + "'"
		for _, f := range s.flags {
			opt := "-l " + f.Name
			if len(f.Name) == 1 {
				opt = "-s " + f.Name
			}
			req := ""
			if !isBoolFlag(f) {
				req = " -r -F"
			}
			fmt.Fprintf(w, "complete -c attrmap -n %s %s%s -d %s\n", cond, opt, req, fishQuote(strings.ReplaceAll(f.Usage, "`", "")))
		}
		if len(s.words) > 0 {
			fmt.Fprintf(w, "complete -c attrmap -n %s -a %s\n", cond, fishQuote(strings.Join(s.words, " ")))
		}
		if s.takesFiles() {
			fmt.Fprintf(w, "complete -c attrmap -n %s -F\n", cond)
		}
	}
}

// fishQuote single-quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func writePowerShell(w io.Writer) {
	specs := completionSpecs()
	fmt.Fprint(w, `# PowerShell completion for attrmap; load with:
#   attrmap completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName attrmap, attrmap.exe -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $commands = @{
`)
	for _, s := range specs {
		words := append(s.flagWords(), s.words...)
		quoted := make([]string, len(words))
		for i, x := range words {
			quoted[i] = psQuote(x)
		}
		fmt.Fprintf(w, "        %s = @(%s)\n", psQuote(s.name), strings.Join(quoted, ", "))
	}
	fmt.Fprint(w, `    }
    $elements = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
    if ($elements.Count -le 1 -or ($elements.Count -eq 2 -and $wordToComplete -ne '')) {
        $candidates = $commands.Keys | Sort-Object
    } else {
        $candidates = $commands[$elements[1]]
    }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`)
}

// psQuote single-quotes s for PowerShell.
func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
