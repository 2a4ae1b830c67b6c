package provision

import (
	"fmt"

	"github.com/attrmap/attrmap/mapping"
)

// trace hears what the engine decides about one object. Bulk runs pass
// noTrace, whose methods do nothing, so the decision code never asks
// whether it is being explained; Explain passes a *steps, which words each
// decision as a Step. The methods take the pieces of a step rather than
// its text, so that noTrace costs no formatting.
type trace interface {
	// step records a step whose text is built already.
	step(stage, text string)
	// none records an action step "prefix + id + suffix".
	none(prefix, id, suffix string)
	outOfScope(why string)
	inScope(e *engine, env *objEnv)
	// mapped records the mapping's flows: all of them, or only the
	// attributes soft (those that read IsSoftDeleted) when the object is
	// being disabled.
	mapped(e *engine, flows []mapping.Explanation, soft []int)
	linked(l Link)
	linkedOutOfScope(l Link)
	relinking(target string)
	// explaining reports that the steps are kept, for the match, whose
	// text then lists every attribute tried.
	explaining() bool
}

// noTrace is the trace of bulk runs: it keeps nothing.
type noTrace struct{}

func (noTrace) step(string, string)                          {}
func (noTrace) none(string, string, string)                  {}
func (noTrace) outOfScope(string)                            {}
func (noTrace) inScope(*engine, *objEnv)                     {}
func (noTrace) mapped(*engine, []mapping.Explanation, []int) {}
func (noTrace) linked(Link)                                  {}
func (noTrace) linkedOutOfScope(Link)                        {}
func (noTrace) relinking(string)                             {}
func (noTrace) explaining() bool                             { return false }

// steps is the trace of Explain: the steps of one object.
type steps []Step

func (s *steps) step(stage, text string) { *s = append(*s, Step{Stage: stage, Text: text}) }

// stepf records a step, formatted; for Explain's own steps.
func (s *steps) stepf(stage, format string, args ...any) { s.step(stage, fmt.Sprintf(format, args...)) }

func (s *steps) none(prefix, id, suffix string) { s.step("action", prefix+id+suffix) }

func (s *steps) outOfScope(why string) { s.step("scope", "out of scope: "+why) }

func (s *steps) inScope(e *engine, env *objEnv) { s.step("scope", e.inScopeReason(env)) }

func (s *steps) mapped(e *engine, flows []mapping.Explanation, soft []int) {
	if soft != nil {
		for _, k := range soft {
			s.step("map", flows[k].String()+" (IsSoftDeleted = True)")
		}
		return
	}
	for k := range flows {
		s.step("map", flows[k].String())
	}
}

func (s *steps) linked(l Link) { s.step("match", "linked by state to target "+l.Target) }

func (s *steps) linkedOutOfScope(l Link) {
	s.step("match", "linked by state to target "+l.Target+" ("+provisionedWord(l.Provisioned)+")")
}

func (s *steps) relinking(target string) {
	s.step("match", "the linked target "+target+" is gone from the target snapshot; matching again")
}

func (s *steps) explaining() bool { return true }

func provisionedWord(p bool) string {
	if p {
		return "provisioned"
	}
	return "deprovisioned earlier, no longer managed"
}
