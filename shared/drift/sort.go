package drift

import (
	"math"
	"runtime"
	"sort"
	"sync"
	"unsafe"
)

// radixMinLen: below this, the standard library's sort is faster than
// building radix histograms.
const radixMinLen = 4096

// SortFloat64s sorts finite float64 values ascending. Large inputs use an
// LSD radix sort on the IEEE bit patterns (16-bit digits, parallel
// histograms and scatter), which sorts ten million values several times
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
// uint64 so that only one scratch buffer is allocated), sorts the keys and
// turns them back.
func radixSort(a []float64) {
	keys := unsafe.Slice((*uint64)(unsafe.Pointer(&a[0])), len(a))
	tmp := make([]uint64, len(a))
	workers := runtime.GOMAXPROCS(0)
	parallelFor(len(a), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			keys[i] = sortKey(a[i])
		}
	})
	src, dst := keys, tmp
	for shift := uint(0); shift < 64; shift += 16 {
		if radixPass(src, dst, shift, workers) {
			src, dst = dst, src
		}
	}
	parallelFor(len(a), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a[i] = fromKey(src[i])
		}
	})
}

// radixPass scatters src into dst by the 16-bit digit at shift, each worker
// owning a contiguous slice of src and its own offsets, so the sort stays
// stable. It returns false, leaving dst untouched, when every key has the
// same digit.
func radixPass(src, dst []uint64, shift uint, workers int) bool {
	const buckets = 1 << 16
	counts := make([][]int, workers)
	bounds := splitRange(len(src), workers)
	parallelEach(workers, func(w int) {
		c := make([]int, buckets)
		for _, k := range src[bounds[w]:bounds[w+1]] {
			c[(k>>shift)&(buckets-1)]++
		}
		counts[w] = c
	})
	if singleDigit(counts, len(src)) {
		return false
	}
	offset := 0
	for d := 0; d < buckets; d++ {
		for w := 0; w < workers; w++ {
			c := counts[w][d]
			counts[w][d] = offset
			offset += c
		}
	}
	parallelEach(workers, func(w int) {
		next := counts[w]
		for _, k := range src[bounds[w]:bounds[w+1]] {
			d := (k >> shift) & (buckets - 1)
			dst[next[d]] = k
			next[d]++
		}
	})
	return true
}

func singleDigit(counts [][]int, n int) bool {
	for d := range counts[0] {
		total := 0
		for w := range counts {
			total += counts[w][d]
		}
		if total == n {
			return true
		}
		if total != 0 {
			return false
		}
	}
	return false
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
