package execute

import (
	"bytes"
	"testing"

	"github.com/attrmap/attrmap/sync/provision"
)

// FuzzRecover: a journal of any content never panics Recover; what it
// accepts leaves a state that marshals and reads back.
func FuzzRecover(f *testing.F) {
	f.Add([]byte(`{"run":"r1","seq":0,"phase":"run"}
{"seq":1,"phase":"begin","type":"User","key":"u1","action":"create","method":"POST","path":"/Users","bulkId":"u1","link":{"type":"User","source":"u1","target":"u1","provisioned":true},"primary":true}
{"seq":1,"phase":"end","ok":true,"id":"scim-1","at":"2026-03-01T08:00:00Z"}
{"seq":2,"phase":"begin","type":"User","key":"u2","action":"delete","method":"DELETE","path":"/Users/t2","link":{"type":"User","source":"u2","target":"t2","provisioned":true},"drop":true,"primary":true}
{"seq":2,"phase":"end","status":500,"code":"InternalServerError","error":"500","at":"2026-03-01T08:00:00Z"}
{"seq":3,"phase":"begin","type":"User","key":"u3"`))
	f.Add([]byte(`{"seq":1,"phase":"end","ok":true}`))
	f.Add([]byte(`{"seq":1,"phase":"begin","drop":true,"primary":true}` + "\n" + `{"seq":1,"phase":"end","ok":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		state := &provision.State{Links: []provision.Link{{Type: "User", Source: "u2", Target: "t2", Provisioned: true}}}
		esc := &Escrow{}
		if _, err := Recover(bytes.NewReader(data), state, esc, DocumentedSchedule); err != nil {
			return
		}
		out, err := state.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := provision.ReadState(bytes.NewReader(out)); err != nil && !bytes.Contains(out, []byte(`"source": ""`)) {
			t.Fatalf("the recovered state does not read back: %v\n%s", err, out)
		}
		var buf bytes.Buffer
		if err := esc.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadEscrow(buf.Bytes()); err != nil {
			t.Fatalf("the escrow does not read back: %v\n%s", err, buf.Bytes())
		}
	})
}

// FuzzReadEscrow: any bytes give an escrow or an error, never a panic;
// an escrow read writes back the same way.
func FuzzReadEscrow(f *testing.F) {
	f.Add([]byte(`{"version":1,"entries":[{"type":"User","key":"u1","action":"create","firstFailure":"2026-03-01T08:00:00Z","lastFailure":"2026-03-01T08:00:00Z","retries":0,"nextRetry":"2026-03-01T14:00:00Z","code":"EntryConflict","error":"409"}],"counters":{"succeeded":1,"failed":1,"referenceFailed":0}}`))
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ReadEscrow(data)
		if err != nil {
			return
		}
		var a, b bytes.Buffer
		if err := e.WriteJSON(&a); err != nil {
			t.Fatal(err)
		}
		e2, err := ReadEscrow(a.Bytes())
		if err != nil {
			t.Fatalf("written escrow does not read back: %v\n%s", err, a.Bytes())
		}
		e2.WriteJSON(&b)
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("not stable:\n%s\n%s", a.Bytes(), b.Bytes())
		}
	})
}

// A journal whose run the escrow already folded in (the run was killed
// after writing its state and escrow) is not replayed.
func TestRecoverCommitted(t *testing.T) {
	journal := `{"run":"r1","seq":0,"phase":"run"}
{"seq":1,"phase":"begin","type":"User","key":"u1","action":"create","method":"POST","path":"/Users","bulkId":"u1","link":{"type":"User","source":"u1","target":"u1","provisioned":true},"primary":true}
{"seq":1,"phase":"end","ok":true,"id":"scim-1","at":"2026-03-01T08:00:00Z"}
{"seq":2,"phase":"begin","type":"User","key":"u2","action":"create","method":"POST","path":"/Users","bulkId":"u2","link":{"type":"User","source":"u2","target":"u2","provisioned":true},"primary":true}
{"seq":2,"phase":"end","code":"InternalServerError","error":"500","at":"2026-03-01T08:00:00Z"}
{"seq":3,"phase":"begin","type":"User","key":"u3","action":"create","method":"POST","path":"/Users","bulkId":"u3","primary":true}
{"seq":3,"pha`
	esc := &Escrow{Committed: "r1", Counters: Counters{Succeeded: 1, Failed: 1}}
	state := &provision.State{}
	rec, err := Recover(bytes.NewReader([]byte(journal)), state, esc, DocumentedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Skipped || len(state.Links) != 0 || esc.Counters != (Counters{Succeeded: 1, Failed: 1}) {
		t.Errorf("replayed a committed journal: %+v, %v, %+v", rec, state.Links, esc.Counters)
	}
	// Not committed: replayed, the cut last line ignored, request 3 in doubt.
	esc = &Escrow{}
	rec, err = Recover(bytes.NewReader([]byte(journal)), state, esc, DocumentedSchedule)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Skipped || rec.Completed != 2 || len(rec.InDoubt) != 1 || !bytes.Contains([]byte(rec.InDoubt[0]), []byte("u3")) {
		t.Errorf("recovered %+v", rec)
	}
	if len(state.Links) != 1 || state.Links[0].Target != "scim-1" || len(esc.Entries) != 1 || esc.Committed != "r1" {
		t.Errorf("state %v, escrow %+v", state.Links, esc)
	}
}
