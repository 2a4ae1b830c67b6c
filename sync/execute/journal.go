package execute

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/attrmap/attrmap/sync/provision"
)

// A journal records each request of a run twice, synced to disk: a
// "begin" record before the request is sent and an "end" record once its
// answer came. A run that is killed leaves its journal behind; Recover
// folds the completed requests into the state and the escrow, so no
// completed request is forgotten (the server's id of a created object
// included), and lists the requests whose outcome is unknown (begun, not
// ended). Those are resolved by reading the target again: an object that
// was created is then found by its matching attribute and linked, not
// created twice; an update or delete that was carried out leaves nothing
// to plan.
type journalRecord struct {
	// Run is the id of the run; the first record of a journal.
	Run string `json:"run,omitempty"`
	// Seq numbers the requests of the run from 1.
	Seq   int    `json:"seq"`
	Phase string `json:"phase"` // "begin", "end"

	// begin
	Type    string          `json:"type,omitempty"`   // target object type
	Key     string          `json:"key,omitempty"`    // source id
	Action  string          `json:"action,omitempty"` // create, update, disable, delete
	Method  string          `json:"method,omitempty"`
	Path    string          `json:"path,omitempty"`
	BulkID  string          `json:"bulkId,omitempty"`
	Link    *provision.Link `json:"link,omitempty"` // the link after success; nil with Drop
	Drop    bool            `json:"drop,omitempty"` // success removes the link
	Primary bool            `json:"primary,omitempty"`

	// end
	OK        bool      `json:"ok,omitempty"`
	ID        string    `json:"id,omitempty"` // the server's id of a created object
	Status    int       `json:"status,omitempty"`
	Code      string    `json:"code,omitempty"`
	Error     string    `json:"error,omitempty"`
	Reference bool      `json:"reference,omitempty"`
	At        time.Time `json:"at,omitzero"`
}

// Journal is the append-only record of one run's requests.
type Journal struct {
	f   *os.File
	w   *bufio.Writer
	run string
	// NoSync skips fsync after each record (tests on slow disks); a
	// crash of the machine, not only of the process, can then lose
	// records.
	NoSync bool
}

// CreateJournal starts the journal of run at path. A journal already
// there must have been recovered (and removed) first.
func CreateJournal(path, run string) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("journal %s exists: a run was interrupted; recover it first", path)
		}
		return nil, err
	}
	j := &Journal{f: f, w: bufio.NewWriter(f), run: run}
	if err := j.write(journalRecord{Run: run, Phase: "run"}); err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

func (j *Journal) write(r journalRecord) error {
	if j == nil {
		return nil
	}
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	j.w.Write(data)
	j.w.WriteByte('\n')
	if err := j.w.Flush(); err != nil {
		return err
	}
	if j.NoSync {
		return nil
	}
	return j.f.Sync()
}

// Close closes the journal file (it stays on disk until the state is
// written; see RemoveJournal).
func (j *Journal) Close() error {
	if j == nil {
		return nil
	}
	return j.f.Close()
}

// Recovered is what a left-over journal says.
type Recovered struct {
	// Run is the id of the interrupted run.
	Run string
	// Completed counts the requests that ended, successful or not.
	Completed int
	// InDoubt lists the requests begun but not ended: the server may or
	// may not have carried them out.
	InDoubt []string
	// Skipped reports that the escrow had already folded in this run
	// (the run was killed after writing its state), so nothing was
	// replayed.
	Skipped bool
}

// Recover folds a journal into the state and escrow of the run that
// wrote it: a successful request applies its link change (a created
// object is linked to the id the server returned), a failed one is
// escrowed at its time under schedule. state and escrow are modified in
// place. A truncated last line (the process died while writing it) is
// ignored, as its request never ended.
func Recover(r io.Reader, state *provision.State, escrow *Escrow, s Schedule) (*Recovered, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	lines := bytes.Split(data, []byte("\n"))
	begun := map[int]journalRecord{}
	var order []int
	rec := &Recovered{}
	links := linkMap(state)
	for n, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var jr journalRecord
		if err := json.Unmarshal(line, &jr); err != nil {
			if n == len(lines)-1 || n == len(lines)-2 && len(bytes.TrimSpace(lines[n+1])) == 0 {
				break // the last line, cut short by the kill
			}
			return nil, fmt.Errorf("journal line %d: %v", n+1, err)
		}
		switch jr.Phase {
		case "run":
			rec.Run = jr.Run
			if escrow.Committed != "" && escrow.Committed == jr.Run {
				rec.Skipped = true
				return rec, nil
			}
		case "begin":
			if jr.Drop && jr.Link == nil {
				return nil, fmt.Errorf("journal line %d: request %d drops a link it does not name", n+1, jr.Seq)
			}
			if _, dup := begun[jr.Seq]; dup {
				return nil, fmt.Errorf("journal line %d: request %d begins twice", n+1, jr.Seq)
			}
			begun[jr.Seq] = jr
			order = append(order, jr.Seq)
		case "end":
			b, ok := begun[jr.Seq]
			if !ok {
				return nil, fmt.Errorf("journal line %d: end of request %d that did not begin", n+1, jr.Seq)
			}
			delete(begun, jr.Seq)
			rec.Completed++
			if jr.OK {
				if b.Primary {
					applyLink(links, b, jr.ID)
				}
				escrow.Succeed(b.Type, b.Key)
			} else {
				escrow.Fail(b.Type, b.Key, b.Action, jr.Code, jr.Error, jr.Reference, jr.At, s)
			}
		default:
			return nil, fmt.Errorf("journal line %d: unknown phase %q", n+1, jr.Phase)
		}
	}
	for _, seq := range order {
		if b, ok := begun[seq]; ok {
			rec.InDoubt = append(rec.InDoubt, fmt.Sprintf("%s %s %s (%s %s)", b.Action, b.Type, b.Key, b.Method, b.Path))
		}
	}
	state.Links = links.sorted()
	if rec.Run != "" {
		escrow.Committed = rec.Run
	}
	return rec, nil
}

// applyLink applies a successful primary request's link change.
func applyLink(links linkSet, b journalRecord, id string) {
	switch {
	case b.Drop:
		links.drop(b.Link.Type, b.Link.Source)
	case b.Link != nil:
		l := *b.Link
		if b.BulkID != "" && id != "" {
			l.Target = id
		}
		links.set(l)
	}
}
