package provision

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/attrmap/attrmap/expr"
	"github.com/attrmap/attrmap/mapping"
)

// TestObjectErrorCause checks that an object's error carries its cause:
// the expression's *expr.Error for a failing mapping (the first one, with
// the count of the others), expr.ErrNotUnique for an escrow, and the
// claims of the plan named by SelectUniqueValue itself rather than by
// rewriting its message.
func TestObjectErrorCause(t *testing.T) {
	s, err := mapping.Decode([]byte(`{
	  "name": "Users", "sourceObjectName": "User", "targetObjectName": "User",
	  "attributeMappings": [
	    {"targetAttributeName": "externalId", "matchingPriority": 1, "source": {"expression": "[id]"}},
	    {"targetAttributeName": "title", "source": {"expression": "Left([title], [n])"}},
	    {"targetAttributeName": "city", "source": {"expression": "Mid([city], [n], 1)"}},
	    {"targetAttributeName": "userName", "source": {"expression": "SelectUniqueValue(Join(\"@\", [nick], \"x.com\"), Join(\"@\", [nick], \"2\", \"x.com\"))"}}
	  ]}`))
	if err != nil {
		t.Fatal(err)
	}
	rule, err := s.Compile("", "")
	if err != nil {
		t.Fatal(err)
	}
	source := &Snapshot{}
	source.Add("bad", map[string]any{"id": "bad", "title": "CEO", "city": "Oslo", "n": "x", "nick": "b"})
	source.Add("u1", map[string]any{"id": "u1", "n": 1, "nick": "ann"})
	source.Add("u2", map[string]any{"id": "u2", "n": 1, "nick": "ann"})
	source.Add("u3", map[string]any{"id": "u3", "n": 1, "nick": "ann"})
	target := &Snapshot{}
	target.Add("t0", map[string]any{"externalId": "other", "userName": "ann@x.com"})
	planner, err := NewPlanner([]*mapping.CompiledObjectMapping{rule}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := planner.Plan(context.Background(), source, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]ObjectError{}
	for _, e := range plan.Errors {
		byKey[e.Key] = e
	}

	bad := byKey["bad"]
	var ee *expr.Error
	if !errors.As(bad, &ee) || bad.Attribute != "city" || !strings.HasSuffix(bad.Error(), "(and 1 more failing attributes)") {
		t.Errorf("bad: %v: want the expression error of city, the first failing attribute, and one more", bad)
	}

	// u1 takes ann@2@x.com; u2 and u3 find both candidates taken, one in
	// the target and one by u1 earlier in the plan.
	u3 := byKey["u3"]
	if !u3.Escrow || !errors.Is(u3, expr.ErrNotUnique) || !errors.As(u3, &ee) {
		t.Errorf("u3: %v (escrow %t): want an escrowed expr.ErrNotUnique", u3, u3.Escrow)
	}
	if want := "every candidate value already exists in the target or was given to an object earlier in this plan"; !strings.Contains(u3.Error(), want) {
		t.Errorf("u3: %v: want it to say %q", u3, want)
	}
	if _, ok := byKey["u1"]; ok {
		t.Errorf("u1 failed: %v", byKey["u1"])
	}
}
