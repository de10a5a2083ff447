package tabular

import (
	"encoding/binary"
	"unsafe"
)

// Interner gives each distinct value of a column a small dense id, so that
// counting by value costs an id lookup instead of a string hash per row.
// One-byte values ("F", "1") are found by indexing a table; values of up
// to seven bytes (most categories: "25-34", "north") are packed into one
// machine word and found in an open-addressing table with
// one probe; longer ones go through a map. The zero value is ready to use;
// an Interner is not safe for concurrent use (give each Scan handler its
// own).
type Interner struct {
	bytes  [256]uint32 // id+1 of each one-byte value, 0 when not seen
	words  wordTable
	index  map[string]uint32
	values []string
}

// ID returns b's id, adding b when it is new. Ids count up from 0 in the
// order values are first seen.
func (in *Interner) ID(b []byte) uint32 {
	if len(b) == 1 && in.bytes[b[0]] != 0 {
		return in.bytes[b[0]] - 1
	}
	key, short := pack(b)
	if short {
		if id, ok := in.words.get(key); ok {
			return id
		}
	}
	return in.slow(b, key, short)
}

func (in *Interner) slow(b []byte, key uint64, short bool) uint32 {
	if in.index == nil {
		in.index = map[string]uint32{}
	}
	id, ok := in.index[unsafe.String(unsafe.SliceData(b), len(b))]
	if !ok {
		id = uint32(len(in.values))
		v := string(b)
		in.index[v] = id
		in.values = append(in.values, v)
	}
	if short {
		in.words.put(key, id)
	}
	if len(b) == 1 {
		in.bytes[b[0]] = id + 1
	}
	return id
}

// Lookup returns the id of v without adding it.
func (in *Interner) Lookup(v string) (uint32, bool) {
	id, ok := in.index[v]
	return id, ok
}

// Value returns the value of an id.
func (in *Interner) Value(id uint32) string { return in.values[id] }

// Len is the number of distinct values seen.
func (in *Interner) Len() int { return len(in.values) }

// lowBytes[n] keeps the low n bytes of a word.
var lowBytes = [8]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff,
	0xffffffffffff, 0xffffffffffffff}

// pack puts a value of at most seven bytes and its length into one word;
// the length byte keeps "a" and "a\x00" apart. When the slice's capacity
// reaches eight bytes (a field inside a read buffer) it loads one word and
// masks it instead of looping.
func pack(b []byte) (uint64, bool) {
	n := len(b)
	if n > 7 {
		return 0, false
	}
	key := uint64(n+1) << 56
	if cap(b) >= 8 {
		return key | binary.LittleEndian.Uint64(b[:8])&lowBytes[n], true
	}
	for i, c := range b {
		key |= uint64(c) << (8 * i)
	}
	return key, true
}

// wordTable maps non-zero words to ids by open addressing with linear
// probing, kept at most half full.
type wordTable struct {
	keys  []uint64
	ids   []uint32
	n     int
	shift uint
}

func (t *wordTable) slot(key uint64) uint64 {
	return (key * 0x9e3779b97f4a7c15) >> t.shift
}

func (t *wordTable) get(key uint64) (uint32, bool) {
	if len(t.keys) == 0 {
		return 0, false
	}
	mask := uint64(len(t.keys) - 1)
	for i := t.slot(key); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case key:
			return t.ids[i], true
		case 0:
			return 0, false
		}
	}
}

func (t *wordTable) put(key uint64, id uint32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	i := t.slot(key)
	for t.keys[i] != 0 && t.keys[i] != key {
		i = (i + 1) & mask
	}
	if t.keys[i] == 0 {
		t.n++
	}
	t.keys[i], t.ids[i] = key, id
}

func (t *wordTable) grow() {
	old, oldIDs := t.keys, t.ids
	size := max(16, 2*len(old))
	t.keys, t.ids, t.n = make([]uint64, size), make([]uint32, size), 0
	t.shift = uint(64 - bitsFor(size))
	for i, k := range old {
		if k != 0 {
			t.put(k, oldIDs[i])
		}
	}
}

// bitsFor is log2 of a power of two.
func bitsFor(n int) int {
	b := 0
	for n > 1 {
		n >>= 1
		b++
	}
	return b
}
