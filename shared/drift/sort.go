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
// LSD radix sort on the IEEE bit patterns (11-bit digits, parallel
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
// uint64 so that only one scratch buffer is allocated), counting every
// digit in the same pass, sorts the keys and turns them back.
func radixSort(a []float64) {
	keys := unsafe.Slice((*uint64)(unsafe.Pointer(&a[0])), len(a))
	workers := runtime.GOMAXPROCS(0)
	bounds := splitRange(len(a), workers)
	hist := make([][radixDigits][radixBuckets]int, workers)
	parallelEach(workers, func(w int) {
		h := &hist[w]
		for i := bounds[w]; i < bounds[w+1]; i++ {
			k := sortKey(a[i])
			keys[i] = k
			for d := 0; d < radixDigits; d++ {
				h[d][(k>>(d*radixBits))&radixMask]++
			}
		}
	})
	tmp := make([]uint64, len(a))
	src, dst := keys, tmp
	for d := 0; d < radixDigits; d++ {
		if radixPass(src, dst, hist, d, bounds) {
			src, dst = dst, src
		}
	}
	parallelFor(len(a), workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a[i] = fromKey(src[i])
		}
	})
}

// Radix digits: 11 bits keep the scatter's 2048 write positions in cache;
// six digits cover 64 bits.
const (
	radixBits    = 11
	radixBuckets = 1 << radixBits
	radixMask    = radixBuckets - 1
	radixDigits  = (64 + radixBits - 1) / radixBits
)

// radixPass scatters src into dst by digit d, each worker owning a
// contiguous slice of src and its own offsets, so the sort stays stable. The
// all-digit histograms taken before the first pass only tell which digits
// vary; each pass counts its own digit per worker, since earlier passes
// moved the keys between workers' slices. It returns false, leaving dst
// untouched, when every key has the same digit.
func radixPass(src, dst []uint64, hist [][radixDigits][radixBuckets]int, d int,
	bounds []int) bool {
	workers := len(hist)
	if singleDigit(hist, d, len(src)) {
		return false
	}
	shift := uint(d * radixBits)
	offsets := make([][radixBuckets]int, workers)
	parallelEach(workers, func(w int) {
		c := &offsets[w]
		for _, k := range src[bounds[w]:bounds[w+1]] {
			c[(k>>shift)&radixMask]++
		}
	})
	offset := 0
	for b := 0; b < radixBuckets; b++ {
		for w := 0; w < workers; w++ {
			n := offsets[w][b]
			offsets[w][b] = offset
			offset += n
		}
	}
	parallelEach(workers, func(w int) {
		next := &offsets[w]
		for _, k := range src[bounds[w]:bounds[w+1]] {
			b := (k >> shift) & radixMask
			dst[next[b]] = k
			next[b]++
		}
	})
	return true
}

func singleDigit(hist [][radixDigits][radixBuckets]int, d, n int) bool {
	for b := 0; b < radixBuckets; b++ {
		total := 0
		for w := range hist {
			total += hist[w][d][b]
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
