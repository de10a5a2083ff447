package drift

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestChiSquareClosedForms(t *testing.T) {
	tests := []struct {
		name     string
		ref, cur []float64
		stat, p  float64
	}{
		// One degree of freedom: Q(1/2, x/2) = erfc(sqrt(x/2)).
		{"df1", []float64{50, 50}, []float64{30, 70}, 16, math.Erfc(math.Sqrt(8))},
		// Two: Q(1, x/2) = exp(−x/2). Expected = ref·(60/120).
		{"df2 scaled", []float64{40, 40, 40}, []float64{10, 20, 30}, 10, math.Exp(-5)},
		// A category absent from the reference: infinite statistic, p = 0.
		{"new category", []float64{10, 0}, []float64{5, 5}, math.Inf(1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ChiSquare(tt.ref, tt.cur)
			if !closeRel(r.Statistic, tt.stat, 1e-12) || !closeRel(r.PValue, tt.p, 1e-12) {
				t.Errorf("got stat %v p %v, want %v %v", r.Statistic, r.PValue, tt.stat, tt.p)
			}
		})
	}
	if r := ChiSquare([]float64{5}, []float64{7}); !math.IsNaN(r.PValue) || r.DF != 0 {
		t.Errorf("one category: got p %v df %d, want NaN 0", r.PValue, r.DF)
	}
}

func TestZTestClosedForm(t *testing.T) {
	// p1 = 0.4, p2 = 0.6, pooled 0.5: z = −0.2/sqrt(0.25·0.02) = −2√2, and
	// 2(1 − Φ(2√2)) = erfc(2).
	r := ZTest([]float64{60, 40}, []float64{40, 60})
	if !closeRel(r.Statistic, -2*math.Sqrt2, 1e-12) || !closeRel(r.PValue, math.Erfc(2), 1e-9) {
		t.Errorf("got z %v p %v, want %v %v", r.Statistic, r.PValue, -2*math.Sqrt2, math.Erfc(2))
	}
	if r := ZTest([]float64{9}, []float64{4}); r.PValue != 1 {
		t.Errorf("same single value: got p %v, want 1", r.PValue)
	}
}

func TestDistancesPublishedValues(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		// scipy's documented examples.
		{"wasserstein shift", Wasserstein([]float64{0, 1, 3}, []float64{5, 6, 8}), 5},
		// Hand computed: 0.5·2 + 0.25·0.5 + 0 + 0.5·3 + 0.25·0.3.
		{"wasserstein steps", Wasserstein([]float64{3.4, 3.9, 7.5, 7.8}, []float64{1.4, 4.5}), 2.7},
		{"js disjoint", JensenShannon([]float64{1, 0, 0}, []float64{0, 1, 0}), math.Sqrt(math.Ln2)},
		{"js docs", JensenShannon([]float64{1, 0}, []float64{0.5, 0.5}), 0.46450140402245893},
		// Hand computed: 0.25·ln 2 + 0.25·ln 1.5 = 0.25·ln 3.
		{"psi", PSI([]float64{0.5, 0.5}, []float64{0.25, 0.75}), 0.25 * math.Log(3)},
		// 0.5·ln 2 + 0.5·ln(2/3) = 0.5·ln(4/3).
		{"kl", KLDiv([]float64{0.5, 0.5}, []float64{0.25, 0.75}), 0.5 * math.Log(4.0/3)},
		// KL renormalises as scipy.stats.entropy does.
		{"kl scale free", KLDiv([]float64{1, 1}, []float64{1, 3}), 0.5 * math.Log(4.0/3)},
		// std of {0,1,3} is sqrt(14/9).
		{"normed wasserstein", WassersteinNorm([]float64{0, 1, 3}, []float64{5, 6, 8}),
			5 / math.Sqrt(14.0/9)},
		{"normed constant ref", WassersteinNorm([]float64{2, 2}, []float64{2, 3}), 0.5 / 0.001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !closeRel(tt.got, tt.want, 1e-12) {
				t.Errorf("got %.17g, want %.17g", tt.got, tt.want)
			}
		})
	}
}

func TestFillEmpty(t *testing.T) {
	tests := []struct {
		name     string
		in, want []float64
	}{
		{"default fill", []float64{0, 0.5, 0.5}, []float64{0.0001, 0.5, 0.5}},
		{"tiny shares", []float64{0, 0.00005, 0.99995}, []float64{5e-11, 0.00005, 0.99995}},
		{"none empty", []float64{0.3, 0.7}, []float64{0.3, 0.7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := append([]float64(nil), tt.in...)
			FillEmpty(got)
			assertSlice(t, "shares", got, tt.want)
		})
	}
}

func TestSturgesEdgesAndHistogram(t *testing.T) {
	// Eight values: log2(8) + 1 = 4 bins of width 1.75; the last bin is closed.
	ref, cur := []float64{0, 1, 2, 3}, []float64{4, 5, 6, 7}
	edges := SturgesEdges(ref, cur)
	assertSlice(t, "edges", edges, []float64{0, 1.75, 3.5, 5.25, 7})
	assertSlice(t, "ref shares", HistogramShares(ref, edges), []float64{0.5, 0.5, 0, 0})
	assertSlice(t, "cur shares", HistogramShares(cur, edges), []float64{0, 0, 0.5, 0.5})
	// A constant column gets one bin of width 1 around its value.
	assertSlice(t, "constant", SturgesEdges([]float64{3, 3}, []float64{3}), []float64{2.5, 3.5})
}

func TestQuantiles(t *testing.T) {
	ten := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	// numpy.quantile(1..10, 0.1) = 1.9; (1,2,3,4) at 0.5 = 2.5.
	assertClose(t, "decile", quantileLinear(ten, 0.1), 1.9)
	assertClose(t, "median", quantileLinear([]float64{1, 2, 3, 4}, 0.5), 2.5)
	// A constant reference has one interior edge; values equal to an edge
	// fall in the bin above it.
	edges := QuantileEdges([]float64{5, 5, 5})
	assertSlice(t, "dedup", edges, []float64{5})
	assertSlice(t, "shares", QuantileShares([]float64{4, 5, 6, 7}, edges), []float64{0.25, 0.75})
}

func TestSortFloat64sMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func(i int) float64{
		"mixed magnitudes and signs": func(i int) float64 {
			switch i % 5 {
			case 0:
				return rng.NormFloat64() * 1e6
			case 1:
				return -rng.Float64() * 1e-300
			case 2:
				return float64(rng.IntN(7))
			case 3:
				return rng.ExpFloat64()
			default:
				return -rng.NormFloat64() * 1e300
			}
		},
		// Few varying bits: the radix skips the constant ones.
		"whole incomes":     func(int) float64 { return float64(20000 + rng.IntN(80000)) },
		"signed small ints": func(int) float64 { return float64(rng.IntN(9) - 4) },
		"constant":          func(int) float64 { return 42 },
	}
	for name, gen := range gens {
		for _, n := range []int{10, radixMinLen, 100000} {
			a := make([]float64, n)
			for i := range a {
				a[i] = gen(i)
			}
			want := append([]float64(nil), a...)
			sort.Float64s(want)
			SortFloat64s(a)
			for i := range a {
				if a[i] != want[i] {
					t.Fatalf("%s n=%d: index %d got %v, want %v", name, n, i, a[i], want[i])
				}
			}
		}
	}
}
