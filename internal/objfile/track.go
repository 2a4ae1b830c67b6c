package objfile

import (
	"bytes"
	"io"
)

// tracker passes a reader through and remembers where the lines of the
// last few reads begin, so that a byte offset met later (an error in the
// object just decoded) can be given as a line and a column without
// keeping the whole input.
type tracker struct {
	r      io.Reader
	off    int64 // bytes read so far
	line   int   // newlines read so far
	chunks []chunk
	next   int // ring position of the oldest chunk once full
	// from is where the remembered input begins, at a line start (0, or
	// where a resumed reader's line began, see Chunker.Resume).
	from int64
}

// chunk is one read: where it starts, the newlines before it and the
// offsets of its own newlines.
type chunk struct {
	off  int64
	n    int
	line int
	nl   []int32
}

// keptChunks bounds the reads remembered (at 64 KiB each, 2 MiB of input).
const keptChunks = 32

func (t *tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		var c *chunk
		if len(t.chunks) < keptChunks {
			t.chunks = append(t.chunks, chunk{})
			c = &t.chunks[len(t.chunks)-1]
		} else {
			c = &t.chunks[t.next]
			t.next = (t.next + 1) % keptChunks
		}
		c.off, c.n, c.line, c.nl = t.off, n, t.line, c.nl[:0]
		for i := 0; i < n; {
			j := bytes.IndexByte(p[i:n], '\n')
			if j < 0 {
				break
			}
			c.nl = append(c.nl, int32(i+j))
			i += j + 1
		}
		t.off += int64(n)
		t.line += len(c.nl)
	}
	return n, err
}

// pos returns the 1-based line and byte column of an offset, or zeros
// when the offset is no longer remembered. The column is 0 when the line
// began before the remembered reads.
func (t *tracker) pos(off int64) (line, col int) {
	if off >= t.off && off > 0 && len(t.chunks) > 0 {
		off = t.off // the end of the input: an error "at" EOF
	}
	for i := range t.chunks {
		c := &t.chunks[i]
		if off < c.off || off > c.off+int64(c.n) {
			continue
		}
		rel := int32(off - c.off)
		k := 0
		for k < len(c.nl) && c.nl[k] < rel {
			k++
		}
		line = c.line + k + 1
		if k > 0 {
			return line, int(rel - c.nl[k-1])
		}
		// The line began in an earlier read: find its newline there.
		start, ok := t.lineStart(c.off)
		if !ok {
			return line, 0
		}
		return line, int(off-start) + 1
	}
	if off == 0 {
		return 1, 1
	}
	return 0, 0
}

// lineStart returns the offset after the last newline before off.
func (t *tracker) lineStart(off int64) (int64, bool) {
	best := int64(-1)
	oldest := off
	for i := range t.chunks {
		c := &t.chunks[i]
		oldest = min(oldest, c.off)
		if c.off >= off {
			continue
		}
		for k := len(c.nl) - 1; k >= 0; k-- {
			if o := c.off + int64(c.nl[k]); o < off {
				best = max(best, o+1)
				break
			}
		}
	}
	if best >= 0 {
		return best, true
	}
	return t.from, oldest == t.from
}
