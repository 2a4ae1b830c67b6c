package provision

import (
	"bytes"
	"io"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/attrmap/attrmap/internal/objfile"
)

// Reading a snapshot on several cores.
//
// objfile's Chunker cuts the file into chunks at line ends; workers (as
// many as GOMAXPROCS) read each chunk into a part of its own: the chunk's
// objects, numbered against an attribute table of the chunk's own (which
// starts as the snapshot's when the chunk was handed out), with an intern
// table of the chunk's own. The first chunk is read alone; the attributes
// it stopped interning (ids, mails) are not interned in the others, which
// would otherwise each look up their first thousand values again. The
// parts are merged in input order:
// each part's attributes are looked up in (or added to) the snapshot's
// table in the part's order, which is the order reading the file from its
// start adds them in, and the objects' values move to the positions that
// gives (nearly always the same ones). Nothing depends on which worker
// read which chunk, or when, so the snapshot is the one reading the file
// on one goroutine gives.
//
// At the first chunk that cannot be read whole (anything but a sequence
// of plain objects, an object the snapshot refuses, a failed read), the
// merge stops and the rest of the file is read sequentially from there
// (objfile.Chunker.Resume), in the state reading it from the start would
// have reached: errors, their object numbers and positions are the same.

// chunkSize is the size of the chunks a snapshot file is cut into.
const chunkSize = 1 << 20

// chunkPart is what a worker read of one chunk.
type chunkPart struct {
	attrs  []string       // the chunk's attribute table
	keys   map[string]int // member names to positions in attrs
	off    []int          // the positions no longer interned
	blocks [][]Object
	stats  objfile.ChunkStats
}

// chunkJob is a chunk on its way through a worker.
type chunkJob struct {
	ch *objfile.Chunk
	// attrs and keys are the snapshot's attribute table when the chunk
	// was handed out: a chunk whose names are all there reads into the
	// snapshot's positions, and merging moves no value.
	attrs []string
	keys  map[string]int
	// off marks the positions of attrs whose values the first chunk
	// stopped interning (ids, mails): not judged again in each chunk.
	off  []bool
	done chan struct{}
	part chunkPart
	ok   bool
}

// readChunks reads the chunks of c on several cores and merges them.
func readChunks(c *objfile.Chunker, opts SnapshotOptions) (*Snapshot, error) {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *chunkJob, 2*workers+1)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		w := &chunkWorker{cr: c.NewChunkReader(), rd: newSnapshotReader(opts)}
		wg.Go(func() {
			for j := range jobs {
				j.part, j.ok = w.read(j, &stop)
				close(j.done)
			}
		})
	}
	defer func() {
		stop.Store(true)
		close(jobs)
		wg.Wait()
	}()
	m := newSnapshotReader(opts)
	objects, lines := 0, 0
	var queue []*chunkJob
	var off []bool
	more, first := true, true
	for {
		// The first chunk is read alone: the others start from its
		// attribute table and its intern decisions.
		for more && len(queue) < cap(jobs) && (!first || len(queue) == 0) {
			ch, err := c.Next()
			if err == io.EOF {
				more = false
				break
			}
			j := &chunkJob{ch: ch, done: make(chan struct{}), attrs: m.s.Attributes, keys: maps.Clone(m.keys), off: off}
			queue = append(queue, j)
			if ch.Bad() {
				more = false
				break
			}
			jobs <- j
		}
		if len(queue) == 0 {
			return m.finish(), nil
		}
		j := queue[0]
		if !j.ch.Bad() {
			<-j.done
		}
		if j.ch.Bad() || !j.ok {
			stop.Store(true)
			chunks := make([]*objfile.Chunk, len(queue))
			for i, q := range queue {
				chunks[i] = q.ch
			}
			or, err := c.Resume(chunks, objects, lines)
			if err != nil {
				return nil, err
			}
			m.stamp = make([]int, len(m.s.Attributes))
			return m.read(or)
		}
		remap := m.merge(&j.part)
		if first {
			first = false
			off = make([]bool, len(m.s.Attributes))
			for _, i := range j.part.off {
				off[remap[i]] = true
			}
		}
		objects += j.part.stats.Objects
		if lines >= 0 && j.part.stats.OneLine {
			lines += j.part.stats.Objects
		} else {
			lines = -1
		}
		c.Release(j.ch)
		queue = queue[1:]
	}
}

// chunkWorker reads chunks, one after the other.
type chunkWorker struct {
	cr *objfile.ChunkReader
	rd *snapshotReader
}

// read reads the objects of a chunk into a part; false when the chunk
// cannot be read whole (or stop was set).
func (w *chunkWorker) read(j *chunkJob, stop *atomic.Bool) (chunkPart, bool) {
	rd := w.rd
	rd.reset(j.attrs, j.keys, j.off, bytes.Count(j.ch.Data, []byte("\n"))+1)
	st, ok := w.cr.Read(j.ch, stop, func(o *objfile.Object) error {
		rd.top = o.Members
		return rd.addObject()
	})
	if !ok {
		return chunkPart{}, false
	}
	p := chunkPart{attrs: rd.s.Attributes, keys: rd.keys, blocks: append(rd.objs.full, rd.objs.cur), stats: st}
	for i, st := range rd.in.stats {
		if st.off {
			p.off = append(p.off, i)
		}
	}
	rd.objs = blockList[Object]{}
	return p, true
}

// reset readies a worker's reader for a new chunk of about n objects: a
// new attribute table (starting as attrs, keys) and intern table (the
// positions off marks not interned); the blocks values and strings are
// cut from stay.
func (rd *snapshotReader) reset(attrs []string, keys map[string]int, off []bool, n int) {
	rd.s = &Snapshot{Attributes: slices.Clone(attrs)}
	rd.keys = keys
	if len(attrs) > len(rd.stamp) {
		rd.stamp = append(rd.stamp, make([]int, len(attrs)-len(rd.stamp))...)
	}
	rd.layout = rd.layout[:0]
	rd.in.reset()
	for i, o := range off {
		if o {
			rd.in.stat(i).off = true
		}
	}
	rd.objs = blockList[Object]{cur: make([]Object, 0, min(n, objectBlock))}
}

// reset empties the intern table.
func (in *interner) reset() {
	clear(in.strs)
	clear(in.nums)
	clear(in.names)
	in.stats = in.stats[:0]
	in.size = 0
}

// merge adds a part's objects, after those merged before, and returns
// the positions its attributes have in the snapshot.
func (rd *snapshotReader) merge(p *chunkPart) []int {
	remap := make([]int, len(p.attrs))
	same := true
	for i, a := range p.attrs {
		remap[i] = rd.s.attr(a)
		same = same && remap[i] == i
	}
	for k, i := range p.keys {
		if _, ok := rd.keys[k]; !ok {
			rd.keys[k] = remap[i]
		}
	}
	for _, b := range p.blocks {
		if !same {
			for i := range b {
				rd.remap(&b[i], remap)
			}
		}
		if len(b) > 0 {
			rd.objs.full = append(rd.objs.full, b)
		}
	}
	return remap
}

// remap moves an object's values to the positions of the snapshot's table:
// the value at position i goes to remap[i].
func (rd *snapshotReader) remap(o *Object, remap []int) {
	width := 0
	for i, v := range o.Values {
		if v != nil {
			width = max(width, remap[i]+1)
		}
	}
	if width == 0 {
		o.Values = nil
		return
	}
	vals := rd.values(width)
	for i, v := range o.Values {
		if v != nil {
			vals[remap[i]] = v
		}
	}
	o.Values = vals
}
