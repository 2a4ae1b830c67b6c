package provision

import (
	"bytes"
	"fmt"
)

// explanationVersion is the version of the explanation JSON format.
const explanationVersion = 1

type stepJSON struct {
	Stage string `json:"stage"`
	Text  string `json:"text"`
}

// MarshalJSON writes the explanation in its documented JSON form:
//
//	{"version": 1, "key": ID, "steps": [{"stage", "text"}, ...],
//	 "ops": [the operation and its follow-up, as in a plan], "held": bool,
//	 "error": {"object", "key", "stage", "attribute", "error", "escrow"} or null}
//
// Operations and the error have the shape they have in the plan's JSON.
func (x *Explanation) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"version\": %d,\n  \"key\": %s,\n  \"steps\": [", explanationVersion, compact(x.Key))
	for i, s := range x.Steps {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		b.Write(compact(stepJSON(s)))
	}
	if len(x.Steps) > 0 {
		b.WriteString("\n  ")
	}
	var ops []Op
	for _, op := range []*Op{x.Op, x.FollowUp} {
		if op != nil {
			ops = append(ops, *op)
		}
	}
	b.WriteString("],\n  \"ops\": ")
	j := newJSONOut(nil)
	writeOps(j, ops, "  ")
	b.Write(j.b)
	fmt.Fprintf(&b, ",\n  \"held\": %t,\n  \"error\": ", x.Held)
	if e := x.Err; e != nil {
		b.Write(compact(errorJSON{Object: e.Object, Key: e.Key, Stage: e.Stage, Attribute: e.Attribute, Error: errText(e.Err), Escrow: e.Escrow}))
	} else {
		b.WriteString("null")
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}
