package drift

import (
	"math"
	"math/rand/v2"
	"testing"
)

func benchSort(b *testing.B, gen func(r *rand.Rand) float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	src := make([]float64, 10_000_000)
	for i := range src {
		src[i] = gen(rng)
	}
	a := make([]float64, len(src))
	for b.Loop() {
		copy(a, src)
		SortFloat64s(a)
	}
}

// BenchmarkSortNormal10M sorts ten million normal deviates (all 64 bits vary).
func BenchmarkSortNormal10M(b *testing.B) {
	benchSort(b, func(r *rand.Rand) float64 { return r.NormFloat64() })
}

// BenchmarkSortIncome10M sorts ten million whole incomes, where the low
// mantissa bits are all zero and their radix passes are skipped.
func BenchmarkSortIncome10M(b *testing.B) {
	benchSort(b, func(r *rand.Rand) float64 { return math.Round(20000 + 80000*r.Float64()) })
}
