package objfile

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync/atomic"
)

// Reading one file on several cores.
//
// A Chunker cuts a JSON stream or array, as it is read, into chunks that
// end at a line end; ChunkReaders (one per goroutine) read the objects of
// chunks independently. That is only right when each chunk starts between
// two top-level values, which a cut at a line end does not promise (an
// object may span lines). It holds by induction when the chunks are taken
// in input order: the first chunk starts at the top level, and a chunk
// whose objects were all read whole ends at the top level, so the next
// starts there. A chunk that a ChunkReader cannot read whole (a syntax
// error, a value that is not an object, a page, an object cut by the
// chunk's end, text after the array) is where the caller stops: Resume
// returns a sequential Reader from there, in the state the sequential
// reader would have reached (object number, line, offset, array state),
// which reads on and reports exactly as reading the file from its start
// would have. Every chunk before the first that failed was read right.

// Chunk is a piece of a JSON stream or array, cut at a line end.
type Chunk struct {
	// Data is the chunk's text.
	Data []byte
	// Last marks the chunk the input ends with.
	Last bool
	// bad marks a chunk that must be read by Resume's sequential Reader:
	// its read failed, or it is longer than the chunker holds.
	bad bool
	// prev is the last byte before the chunk that is not white space
	// (in an array: '[', '}', ',' or ']'); 0 in a stream.
	prev byte
	at   resumePoint
	buf  []byte // the buffer Data is cut from, for Release
}

// Bad reports whether the chunk cannot be read by a ChunkReader: its
// input failed, or it has no line end within the chunker's bounds.
func (c *Chunk) Bad() bool { return c.bad }

// resumePoint is where a sequential Reader can take over before a chunk:
// the end of the last top-level value before it (or the chunk's start),
// with the bytes from there to the chunk.
type resumePoint struct {
	off       int64  // input offset
	line      int    // newlines before off
	lineStart int64  // where the line holding off begins
	lead      []byte // the input from off to the chunk
	elems     bool   // in an array: after an element (else after '[')
}

// Chunker cuts its input into Chunks.
type Chunker struct {
	opts  Options
	r     io.Reader
	size  int
	array bool
	// buf holds the input read and not yet cut, from offset off; next is
	// the state there.
	buf  []byte
	off  int64
	next Chunk
	done bool // the last chunk was returned
	eof  bool
	err  error
	free [][]byte
}

// maxHold bounds a chunk without a line end, in chunk sizes: a longer
// line (a one-line array of every object) is read sequentially.
const maxHold = 8

// Chunked returns a Chunker of r when r holds a JSON stream or array
// longer than one chunk of size bytes; otherwise it returns nil and a
// Reader of r, as NewReader does.
func Chunked(r io.Reader, opts Options, size int) (*Chunker, *Reader) {
	if opts.Wrap != nil && r != nil {
		r = opts.Wrap(r)
		opts.Wrap = nil
	}
	c := &Chunker{opts: opts, r: r, size: max(size, 4)} // 4: the bytes begin looks at
	c.fill(nil)
	b, i := c.buf, 0
	if bytes.HasPrefix(b, []byte(utf8BOM)) {
		i = len(utf8BOM)
	} else if len(b) >= 2 && (b[0] == 0) != (b[1] == 0) {
		return nil, c.whole() // UTF-16, or text that looks like it
	}
	i = skipSpace(b, i)
	if c.eof || c.err != nil || i >= len(b) || b[i] != '{' && b[i] != '[' {
		return nil, c.whole()
	}
	c.array = b[i] == '['
	if c.array {
		i++ // read as the sequential reader does: from after the '['
		c.next.prev = '['
	}
	c.next.at = resumePoint{off: int64(i), line: bytes.Count(b[:i], newline)}
	if k := bytes.LastIndexByte(b[:i], '\n'); k >= 0 {
		c.next.at.lineStart = int64(k + 1)
	}
	c.buf, c.off = b[i:], int64(i)
	return c, nil
}

var newline = []byte("\n")

// whole returns a sequential Reader of everything read and the rest.
func (c *Chunker) whole() *Reader {
	return NewReader(c.rest(c.buf), c.opts)
}

// rest returns a reader of held, then of the input not yet read.
func (c *Chunker) rest(held ...[]byte) io.Reader {
	var srcs []io.Reader
	for _, b := range held {
		if len(b) > 0 {
			srcs = append(srcs, bytes.NewReader(b))
		}
	}
	switch {
	case c.err != nil:
		srcs = append(srcs, errReader{c.err})
	case !c.eof:
		srcs = append(srcs, c.r)
	}
	return io.MultiReader(srcs...)
}

// fill reads into a buffer of c.size bytes or more, after keep, until it
// is full or the input ends.
func (c *Chunker) fill(keep []byte) {
	size := max(c.size, 2*len(keep))
	var b []byte
	if n := len(c.free); n > 0 && cap(c.free[n-1]) >= size {
		b, c.free = c.free[n-1][:0], c.free[:n-1]
	} else {
		b = make([]byte, 0, size)
	}
	b = append(b, keep...)
	for len(b) < cap(b) && !c.eof && c.err == nil {
		n, err := c.r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			c.eof = true
		} else if err != nil {
			c.err = err
		}
	}
	c.buf = b
}

// Next returns the next chunk, or io.EOF after the last. The last chunk
// has Last set (it may be empty), unless reading failed: then the last
// chunk is Bad.
func (c *Chunker) Next() (*Chunk, error) {
	if c.done {
		return nil, io.EOF
	}
	for {
		final := c.eof || c.err != nil
		end := len(c.buf)
		if !final {
			end = bytes.LastIndexByte(c.buf, '\n') + 1
		}
		if final || end > 0 {
			return c.cut(end), nil
		}
		if len(c.buf) >= maxHold*c.size {
			// No line end: the rest is read sequentially.
			ch := c.next
			ch.Data, ch.buf, ch.bad = c.buf, c.buf, true
			c.buf, c.done = nil, true
			return &ch, nil
		}
		old := c.buf
		c.fill(old)
		c.free = append(c.free, old)
	}
}

// cut returns c.buf[:end] as a chunk and reads on for the next.
func (c *Chunker) cut(end int) *Chunk {
	ch := c.next
	d := c.buf[:end]
	ch.Data, ch.buf = d, c.buf
	if end == len(c.buf) && (c.eof || c.err != nil) {
		c.done = true
		ch.Last, ch.bad = c.err == nil, c.err != nil
	}
	// The next chunk's state, and its resume point: right after the last
	// object, where the sequential reader would hand over to the Decoder
	// (so that it resumes in the very state reading from the start
	// reaches); after white space only, this chunk's own point, this
	// chunk becoming part of its lead.
	c.next = Chunk{prev: ch.prev, at: ch.at}
	at := -1
	if j := lastNonSpace(d, len(d)); j >= 0 {
		c.next.prev = d[j]
		at = j + 1
		if c.array && (d[j] == ',' || d[j] == ']') {
			switch k := lastNonSpace(d, j); {
			case k < 0:
				at = -1
			case d[k] == '}':
				at = k + 1
			default:
				at = -2 // not after an element: this chunk is not read whole
			}
		} else if d[j] != '}' {
			at = -2
		}
	}
	switch {
	case at >= 0:
		c.next.at = ch.at.after(c.off, d, at)
	case at == -1:
		c.next.at.lead = append(append([]byte(nil), ch.at.lead...), d...)
	default:
		c.next.at = resumePoint{off: -1}
	}
	c.off += int64(end)
	if c.done {
		c.buf = nil
	} else {
		c.fill(c.buf[end:])
	}
	return &ch
}

// after returns the resume point at d[at], d being the chunk at off whose
// resume point is p.
func (p resumePoint) after(off int64, d []byte, at int) resumePoint {
	q := resumePoint{off: off + int64(at), lead: append([]byte(nil), d[at:]...), elems: true,
		line: p.line + bytes.Count(p.lead, newline) + bytes.Count(d[:at], newline)}
	switch k, l := bytes.LastIndexByte(d[:at], '\n'), bytes.LastIndexByte(p.lead, '\n'); {
	case k >= 0:
		q.lineStart = off + int64(k+1)
	case l >= 0:
		q.lineStart = p.off + int64(l+1)
	default:
		q.lineStart = p.lineStart
	}
	return q
}

// lastNonSpace returns the index of the last byte of b[:end] that is not
// JSON white space, or -1.
func lastNonSpace(b []byte, end int) int {
	for j := end - 1; j >= 0; j-- {
		switch b[j] {
		case ' ', '\t', '\n', '\r':
		default:
			return j
		}
	}
	return -1
}

// Release gives back the buffer of a chunk whose objects were read.
func (c *Chunker) Release(ch *Chunk) {
	if ch.buf != nil && len(c.free) < 4 {
		c.free = append(c.free, ch.buf)
	}
	ch.Data, ch.buf = nil, nil
}

// Resume returns a sequential Reader of the input from before chunks[0],
// the first chunk not read whole, given the objects read before it and
// how many of them, all, were each on a line of their own (-1 when one
// was not). chunks are the chunks returned from there on, in order.
func (c *Chunker) Resume(chunks []*Chunk, objects, lines int) (*Reader, error) {
	p := chunks[0].at
	if p.off < 0 {
		return nil, errors.New("objfile: internal error: no place to resume reading")
	}
	held := [][]byte{p.lead}
	for _, ch := range chunks {
		held = append(held, ch.Data)
	}
	held = append(held, c.buf)
	c.buf = nil
	in := c.rest(held...)
	r := NewReader(in, c.opts)
	r.start = true
	r.t = &tracker{r: in, off: p.off, line: p.line, from: p.off}
	if p.lineStart < p.off {
		// The line began before: remembered as a read without line ends.
		r.t.chunks = []chunk{{off: p.lineStart, n: int(p.off - p.lineStart), line: p.line}}
		r.t.from = p.lineStart
	}
	r.br = bufio.NewReaderSize(r.t, 64<<10)
	r.base = p.off
	r.array = c.array
	r.fmt = JSONStream
	if c.array {
		r.fmt = JSONArray
	}
	r.n, r.lines = objects, lines
	r.fast = &fastJSON{array: c.array, Window: Window{Off: p.off, Size: fastChunk}}
	if p.elems {
		r.fast.elems = 1
	}
	return r, nil
}

// ChunkReader reads the objects of chunks, one goroutine each.
type ChunkReader struct {
	r     Reader
	array bool
}

// NewChunkReader returns a reader of the chunks c returns.
func (c *Chunker) NewChunkReader() *ChunkReader {
	return &ChunkReader{r: *NewReader(nil, c.opts), array: c.array}
}

// ChunkStats says what Read read of a chunk.
type ChunkStats struct {
	// Objects is the number of objects read.
	Objects int
	// OneLine is true when each of them was on a line of its own.
	OneLine bool
}

// Read calls f with each object of ch (its members valid until f
// returns) and reports whether it read the chunk whole; false when the
// chunk holds anything else than objects, or f returned an error, or stop
// was set. Objects are numbered from 1 within the chunk; nothing else of
// them (file, position) is set.
func (cr *ChunkReader) Read(ch *Chunk, stop *atomic.Bool, f func(*Object) error) (ChunkStats, bool) {
	st := ChunkStats{OneLine: true}
	if ch.bad {
		return st, false
	}
	r := &cr.r
	r.n = 0
	b := ch.Data
	prev := ch.prev // in an array: '[', '}', ',' or ']'
	for i := 0; ; {
		i = skipSpace(b, i)
		if i == len(b) {
			return st, !ch.Last || !cr.array || prev == ']'
		}
		if cr.array {
			c := b[i]
			switch prev {
			case ']':
				return st, false // text after the array
			case '[', '}':
				if c == ']' {
					prev = ']'
					i++
					continue
				}
				if prev == '}' {
					if c != ',' {
						return st, false
					}
					prev = ','
					i++
					continue
				}
			}
		}
		if b[i] != '{' {
			return st, false
		}
		top, end, sc := scanObject(b, i, r.top[:0], &r.names)
		r.top = top
		if sc != ScanOK || findPage(top).shape() != Plain {
			return st, false
		}
		if st.OneLine && bytes.IndexByte(b[i:end], '\n') >= 0 {
			st.OneLine = false
		}
		r.raw = b[i:end]
		r.n++
		o, err := r.object(top, Plain, -1)
		if err != nil || f(o) != nil || stop != nil && stop.Load() {
			return st, false
		}
		st.Objects++
		i, prev = end, '}'
	}
}
