package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/google/go-cmp/cmp"
)

// oldPlanJSON is the plan writer the streaming one replaced (the JSON
// structs through encoding/json, then respaced by compact), kept as the
// oracle of TestPlanJSONUnchanged.
func oldPlanJSON(p *Plan) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	fmt.Fprintf(&b, "  \"version\": %d,\n  \"rule\": %s,\n  \"initial\": %t,\n", planVersion, compact(p.Rule), p.Initial)
	fmt.Fprintf(&b, "  \"stats\": %s,\n", compact(statsJSON(p.Stats)))
	b.WriteString("  \"ops\": ")
	oldWriteOps(&b, p.Ops, "  ")
	b.WriteString(",\n  \"skipped\": ")
	oldWriteOps(&b, p.Skipped, "  ")
	b.WriteString(",\n  \"errors\": [")
	for i, e := range p.Errors {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(compact(errorJSON{Object: e.Object, Key: e.Key, Stage: e.Stage, Attribute: e.Attribute, Error: e.Err.Error(), Escrow: e.Escrow}))
	}
	if len(p.Errors) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],\n  \"held\": ")
	if p.Held == nil {
		b.WriteString("null")
	} else {
		fmt.Fprintf(&b, "{\"threshold\": %d, \"ops\": ", p.Held.Threshold)
		oldWriteOps(&b, p.Held.Ops, "  ")
		b.WriteString("}")
	}
	b.WriteString(",\n  \"unresolved\": [")
	for i, u := range p.Unresolved {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(compact(unresolvedJSON(u)))
	}
	if len(p.Unresolved) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes()
}

type oldSetChangeJSON struct {
	Name     string   `json:"name"`
	Ref      string   `json:"ref,omitempty"`
	Add      []string `json:"add,omitempty"`
	Remove   []string `json:"remove,omitempty"`
	Redacted bool     `json:"redacted,omitempty"`
}

func oldWriteOps(b *bytes.Buffer, ops []Op, indent string) {
	b.WriteString("[")
	for i := range ops {
		op := &ops[i]
		o := opJSON{Kind: op.Kind, Object: op.Object, Key: op.Key, Target: op.Target, FollowUp: op.FollowUp, Reason: op.Reason, Match: op.Match}
		if op.Kind == Skip {
			a := op.Action
			o.Action = &a
		}
		if i > 0 {
			b.WriteString(",")
		}
		head := compact(o)
		b.WriteString("\n" + indent + "  ")
		if len(op.Changes) == 0 {
			b.Write(head)
			continue
		}
		b.Write(head[:len(head)-1])
		b.WriteString(", \"changes\": [")
		for j, c := range op.Changes {
			cj := changeJSON{Name: c.Name, Ref: c.Ref, Redacted: c.Redacted}
			if c.IsSet() {
				cj.Add, cj.Remove = c.Add, c.Remove
				if c.Redacted {
					cj.Add, cj.Remove = redactList(c.Add), redactList(c.Remove)
				}
			} else if c.Redacted {
				cj.Old, cj.New = "[Redact]", "[Redact]"
				if c.Old == nil || expr.IsNull(c.Old) {
					cj.Old = nil
				}
			} else {
				cj.Old, cj.New = jsonValue(c.Old), jsonValue(c.New)
			}
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + "    ")
			if len(cj.Add) > 0 || len(cj.Remove) > 0 {
				b.Write(compact(oldSetChangeJSON{Name: cj.Name, Ref: cj.Ref, Add: cj.Add, Remove: cj.Remove, Redacted: cj.Redacted}))
			} else {
				b.Write(compact(cj))
			}
		}
		b.WriteString("\n" + indent + "  ]}")
	}
	if len(ops) > 0 {
		b.WriteString("\n" + indent)
	}
	b.WriteString("]")
}

// oldStateJSON is the state writer the streaming one replaced.
func oldStateJSON(s *State) []byte {
	links := append([]Link(nil), s.Links...)
	sortLinks(links)
	var buf bytes.Buffer
	m := func(v string) {
		b, _ := json.Marshal(v)
		buf.Write(b)
	}
	buf.WriteString("{\n  \"version\": 1,\n  \"rule\": ")
	m(s.Rule)
	buf.WriteString(",\n  \"links\": [")
	for i, l := range links {
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n    {")
		if l.Type != "" {
			buf.WriteString("\"type\": ")
			m(l.Type)
			buf.WriteString(", ")
		}
		buf.WriteString("\"source\": ")
		m(l.Source)
		buf.WriteString(", \"target\": ")
		m(l.Target)
		fmt.Fprintf(&buf, ", \"provisioned\": %t}", l.Provisioned)
	}
	if len(links) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	return buf.Bytes()
}

// oddPlan holds every shape the plan JSON has, with strings that need
// escaping: redacted plain and set changes, skips, follow-ups, errors with
// and without attribute and escrow, held deletions and unresolved
// references.
func oddPlan() *Plan {
	odd := "<b>&\"q\"\\ \n\t\x01 \u2028 é \xff"
	ch := []AttrChange{
		{Name: "mail", Old: expr.Null, New: expr.String(odd)},
		{Name: "list", Old: expr.Multi{"a", odd}, New: expr.Multi{}},
		{Name: "nil", Old: nil, New: expr.Bool(true)},
		{Name: "num", Old: expr.Int(15), New: expr.Int(-3)},
		{Name: "secret", Old: expr.String("x"), New: expr.Redacted{V: expr.String("y")}, Redacted: true},
		{Name: "secretNew", Old: expr.Null, New: expr.Redacted{V: expr.String("y")}, Redacted: true},
		{Name: "members", Ref: "Group", Add: []string{"a", odd}, Remove: []string{"c"}},
		{Name: "onlyRemove", Remove: []string{"c"}},
		{Name: "hiddenSet", Add: []string{"a", "b"}, Redacted: true},
	}
	return &Plan{Rule: "Users " + odd, Initial: true,
		Ops: []Op{
			{Kind: Create, Object: "User", Key: "k" + odd, Target: "t", Reason: "why " + odd, Match: "no match", Changes: ch},
			{Kind: Update, Key: "k2", Target: "t2", Reason: "r", FollowUp: true, Changes: ch[:1]},
			{Kind: Delete, Object: "User", Key: "k3", Target: "t3", Reason: "gone"},
		},
		Skipped: []Op{{Kind: Skip, Action: Update, Object: "User", Key: "s", Target: "t", Reason: "skipped: " + odd, Changes: ch[6:]}},
		Errors: []ObjectError{
			{Object: "User", Key: "e" + odd, Stage: "map", Attribute: "mail", Err: errors.New("bad " + odd), Escrow: true},
			{Key: "e2", Stage: "source", Err: errDuplicateSource},
		},
		Unresolved: []Unresolved{{Object: "Group", Key: "g", Attribute: "members", Value: odd, Reason: "not provisioned"}},
		Held:       &HeldDeletions{Threshold: 3, Ops: []Op{{Kind: Disable, Object: "User", Key: "d", Target: "t", Reason: odd}}},
		Stats:      Stats{Source: 1, Target: 2, InScope: 3, OutOfScope: 4, Gone: 5, Linked: 6, Matched: 7, Unchanged: 8, Create: 9, Update: 10, Disable: 11, Delete: 12, Skipped: 13, Errors: 14, Held: 15, Unresolved: 16},
	}
}

// smallWrites stores what it is given n bytes at a time; it checks that
// WriteJSON's blocks join up.
type smallWrites struct {
	buf bytes.Buffer
	n   int
}

func (w *smallWrites) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), w.n)
		w.buf.Write(p[:k])
		p = p[k:]
	}
	return n, nil
}

// TestPlanJSONUnchanged: the streaming writers write, byte for byte, what
// the reflection-based ones wrote, for an empty plan, a plan with every
// shape and awkward strings, and a plan large enough to be written in many
// blocks. TestScenarioJSONUnchanged checks every golden scenario's plan and
// state.
func TestPlanJSONUnchanged(t *testing.T) {
	type item struct {
		name  string
		plan  *Plan
		state *State
	}
	items := []item{{"empty", &Plan{}, &State{}}, {"odd", oddPlan(), &State{Rule: "<r>&", Links: []Link{
		{Source: "b<", Target: "t&", Provisioned: true}, {Type: "Group", Source: "a\u2028", Target: "\xff"}}}}}
	big := &Plan{Rule: "big"}
	bigState := &State{Rule: "big"}
	for i := range 5000 {
		op := oddPlan().Ops[0]
		op.Key = fmt.Sprintf("k%05d", i)
		big.Ops = append(big.Ops, op)
		bigState.Links = append(bigState.Links, Link{Source: fmt.Sprintf("s%05d", 5000-i), Target: op.Key, Provisioned: i%2 == 0})
	}
	items = append(items, item{"big", big, bigState})
	for _, it := range items {
		checkWriters(t, it.name, it.plan, it.state)
	}
}

// checkWriters requires that MarshalJSON and WriteJSON (in small writes)
// of the plan and the state write what the old writers wrote.
func checkWriters(t *testing.T, name string, plan *Plan, state *State) {
	t.Helper()
	want := oldPlanJSON(plan)
	got, _ := plan.MarshalJSON()
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s: MarshalJSON differs from the old writer (-old +new):\n%s", name, d)
	}
	w := &smallWrites{n: 7}
	if err := plan.WriteJSON(w); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.buf.Bytes(), want) {
		t.Errorf("%s: WriteJSON differs from the old writer", name)
	}
	wantState := oldStateJSON(state)
	gotState, _ := state.MarshalJSON()
	if d := cmp.Diff(string(wantState), string(gotState)); d != "" {
		t.Errorf("%s: State.MarshalJSON differs from the old writer (-old +new):\n%s", name, d)
	}
	var sb bytes.Buffer
	if err := state.WriteJSON(&sb); err != nil || !bytes.Equal(sb.Bytes(), wantState) {
		t.Errorf("%s: State.WriteJSON differs from the old writer (err %v)", name, err)
	}
}

type failAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errDiskFull
	}
	w.n--
	return len(p), nil
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

// TestWriteJSONErrors: a write error, or a short write, is returned, not
// lost, whether it happens on the first block or a later one.
func TestWriteJSONErrors(t *testing.T) {
	big := &Plan{}
	st := &State{}
	for i := range 3000 {
		big.Ops = append(big.Ops, oddPlan().Ops[0])
		st.Links = append(st.Links, Link{Source: fmt.Sprintf("s%05d", i), Target: "t", Provisioned: true})
	}
	for _, n := range []int{0, 1} {
		if err := big.WriteJSON(&failAfter{n: n}); !errors.Is(err, errDiskFull) {
			t.Errorf("Plan.WriteJSON failing after %d blocks: err = %v, want the write error", n, err)
		}
		if err := st.WriteJSON(&failAfter{n: n}); !errors.Is(err, errDiskFull) {
			t.Errorf("State.WriteJSON failing after %d blocks: err = %v, want the write error", n, err)
		}
	}
	if err := (&Plan{}).WriteJSON(shortWriter{}); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("Plan.WriteJSON to a short writer: err = %v, want io.ErrShortWrite", err)
	}
}

// TestAppendSpaced: a value rendered as JSON text (jsonValue's
// json.RawMessage) is written as compact writes it.
func TestAppendSpaced(t *testing.T) {
	for _, raw := range []string{`"a"`, `"a, b: c"`, `["a","b"]`, `[ "a" , "b\"," ]`, `1.5e3`, `-0`, `true`, `null`,
		`{"k":1,"l":[1, 2]}`, " \n[1,\t2]\r ", `"<&>\u2028"`, `"\\"`, `[]`, `["x\\\",y"]`} {
		if got, want := string(appendSpaced(nil, []byte(raw))), string(compact(json.RawMessage(raw))); got != want {
			t.Errorf("appendSpaced(%s) = %s, compact writes %s", raw, got, want)
		}
	}
}
