package drift

import (
	"math"
	"math/bits"
	"runtime"
	"sort"
	"sync"
	"unsafe"
)

// radixMinLen: below this, the standard library's sort is faster than
// building radix histograms.
const radixMinLen = 4096

// SortFloat64s sorts finite float64 values ascending. Large inputs use an
// LSD radix sort on the IEEE bit patterns (digits of up to 11 bits over the
// bits that vary, parallel histograms and scatter), which sorts ten million values several times
// faster than a comparison sort.
func SortFloat64s(a []float64) {
	if len(a) < radixMinLen {
		sort.Float64s(a)
		return
	}
	radixSort(a)
}

// sortKey maps a float's bits to an unsigned key with the same order.
func sortKey(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func fromKey(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// radixSort turns the values into keys in place (the slice is reused as
// uint64 so that only one scratch buffer is allocated), noting which bits
// vary at all, sorts the keys on those bits only and turns them back. Whole
// numbers such as incomes vary in some twenty bits: two passes, not six.
func radixSort(a []float64) {
	keys := unsafe.Slice((*uint64)(unsafe.Pointer(&a[0])), len(a))
	workers := runtime.GOMAXPROCS(0)
	bounds := splitRange(len(a), workers)
	ors, ands := make([]uint64, workers), make([]uint64, workers)
	parallelEach(workers, func(w int) {
		or, and := uint64(0), ^uint64(0)
		for i := bounds[w]; i < bounds[w+1]; i++ {
			k := sortKey(a[i])
			keys[i] = k
			or |= k
			and &= k
		}
		ors[w], ands[w] = or, and
	})
	varying := uint64(0)
	for w := range ors {
		varying |= ors[w] ^ ands[w]
	}
	tmp := make([]uint64, len(a))
	src, dst := keys, tmp
	for _, dg := range radixDigitsFor(varying) {
		radixPass(src, dst, dg, bounds)
		src, dst = dst, src
	}
	parallelFor(len(a), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a[i] = fromKey(src[i])
		}
	})
}

// radixMaxBits: digits of at most 11 bits keep the scatter's 2048 write
// positions in cache.
const (
	radixMaxBits    = 11
	radixMaxBuckets = 1 << radixMaxBits
)

// digit is a bit field of the keys: the bits [shift, shift+bits).
type digit struct {
	shift, bits uint
}

// radixDigitsFor splits the span of varying bits into equal digits of at
// most radixMaxBits each; no digit when nothing varies.
func radixDigitsFor(varying uint64) []digit {
	if varying == 0 {
		return nil
	}
	low := uint(bits.TrailingZeros64(varying))
	span := uint(64-bits.LeadingZeros64(varying)) - low
	passes := (span + radixMaxBits - 1) / radixMaxBits
	width := (span + passes - 1) / passes
	out := make([]digit, 0, passes)
	for s := low; s < low+span; s += width {
		out = append(out, digit{shift: s, bits: min(width, low+span-s)})
	}
	return out
}

// radixPass scatters src into dst by one digit, each worker owning a
// contiguous slice of src and its own offsets, so the sort stays stable.
func radixPass(src, dst []uint64, dg digit, bounds []int) {
	workers := len(bounds) - 1
	mask := uint64(1)<<dg.bits - 1
	offsets := make([][radixMaxBuckets]int, workers)
	parallelEach(workers, func(w int) {
		c := &offsets[w]
		for _, k := range src[bounds[w]:bounds[w+1]] {
			c[(k>>dg.shift)&mask]++
		}
	})
	offset := 0
	for b := 0; b <= int(mask); b++ {
		for w := 0; w < workers; w++ {
			n := offsets[w][b]
			offsets[w][b] = offset
			offset += n
		}
	}
	parallelEach(workers, func(w int) {
		next := &offsets[w]
		for _, k := range src[bounds[w]:bounds[w+1]] {
			b := (k >> dg.shift) & mask
			dst[next[b]] = k
			next[b]++
		}
	})
}

func splitRange(n, parts int) []int {
	b := make([]int, parts+1)
	for i := 0; i <= parts; i++ {
		b[i] = n * i / parts
	}
	return b
}

func parallelEach(workers int, f func(w int)) {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w)
		}()
	}
	wg.Wait()
}

func parallelFor(n, workers int, f func(lo, hi int)) {
	b := splitRange(n, workers)
	parallelEach(workers, func(w int) { f(b[w], b[w+1]) })
}
