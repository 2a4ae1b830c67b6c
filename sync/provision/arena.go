package provision

import (
	"slices"
	"unsafe"

	"github.com/attrmap/attrmap/expr"
)

// Boxing the strings of a snapshot in shared blocks.
//
// A String in an expr.Value is a pointer to a 16-byte string header that
// points at the bytes: converting a string read from a file costs two
// allocations, and the header is an object the collector must scan. A
// snapshot's strings live as long as the snapshot, so strArena cuts each
// header and its bytes from a shared pointer-free block instead (as
// expr's own boxing does for the strings it builds, see expr/box.go):
// no allocation per value, nothing for the collector to scan, and no
// size-class rounding. The header's pointer points into its own block,
// so the collector never needs to see it: whoever holds the Value, or a
// string taken out of it, holds a pointer into the block, which keeps it
// alive. Values are immutable, so nothing ever stores another pointer in
// the header. TestArenaStrings checks the layout of interface values this
// relies on, across collections.

// ifaceWords is the layout of an interface value: a method-table word,
// then a data pointer.
type ifaceWords struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// stringTab is the method-table word of a String in a Value.
var stringTab = func() unsafe.Pointer {
	v := expr.Value(expr.String("x"))
	return (*ifaceWords)(unsafe.Pointer(&v)).tab
}()

const (
	arenaBlock   = 64 << 10 // bytes per block
	arenaMaxLen  = 1 << 10  // longer strings are allocated on their own
	stringHeader = int(unsafe.Sizeof(""))
)

// strArena hands out boxed strings from its current block.
type strArena struct {
	block []byte
}

// box returns b as a String Value.
func (a *strArena) box(b []byte) expr.Value {
	n := len(b)
	if n == 0 {
		return expr.String("")
	}
	if n > arenaMaxLen {
		return expr.String(string(b))
	}
	need := stringHeader + (n+7)&^7 // headers stay 8-byte aligned
	if len(a.block)+need > cap(a.block) {
		a.block = make([]byte, 0, arenaBlock)
	}
	i := len(a.block)
	a.block = a.block[:i+need]
	copy(a.block[i+stringHeader:], b)
	h := (*string)(unsafe.Pointer(&a.block[i]))
	*h = unsafe.String(&a.block[i+stringHeader], n)
	var v expr.Value
	w := (*ifaceWords)(unsafe.Pointer(&v))
	w.tab, w.data = stringTab, unsafe.Pointer(h)
	return v
}

// blockList gathers values in blocks of a fixed size: appending to one
// slice would copy it again and again as it grows. A snapshot's objects
// and a state's links are read into one, and copied once at the end.
type blockList[T any] struct {
	full [][]T // the blocks filled, in order
	cur  []T   // the block being filled, after them
}

// add appends v, starting a block of size values when the current one is
// full.
func (l *blockList[T]) add(v T, size int) {
	if len(l.cur) == cap(l.cur) {
		if l.cur != nil {
			l.full = append(l.full, l.cur)
		}
		l.cur = make([]T, 0, size)
	}
	l.cur = append(l.cur, v)
}

// appendTo appends the values gathered to dst, in order, growing dst once,
// and empties the list. With nothing gathered it returns dst as it is.
func (l *blockList[T]) appendTo(dst []T) []T {
	n := len(l.cur)
	for _, b := range l.full {
		n += len(b)
	}
	if n == 0 {
		*l = blockList[T]{}
		return dst
	}
	dst = slices.Grow(dst, n)
	for _, b := range l.full {
		dst = append(dst, b...)
	}
	dst = append(dst, l.cur...)
	*l = blockList[T]{}
	return dst
}
