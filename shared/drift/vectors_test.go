package drift

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The expected numbers below were computed by scipy 1.10.1, numpy 1.24.2 and
// Evidently 0.7.21's stattests on the drift vectors of the shared data set.
// d03's inputs are small enough to copy as counts; d01's 2200 values are
// read from ../shared when present.

// vectorDir holds the shared drift vectors, outside the repository.
var vectorDir = filepath.Join("..", "..", "..", "shared", "data", "fairness-vectors", "drift")

const vectorTol = 1e-9

func loadD01(t *testing.T) (ref, cur Sample) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectorDir, "d01_numeric_shift_large.json"))
	if err != nil {
		t.Skipf("shared drift vectors not present: %v", err)
	}
	var v struct {
		Inputs struct {
			Reference []float64 `json:"reference"`
			Current   []float64 `json:"current"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("parse d01: %v", err)
	}
	if len(v.Inputs.Reference) != 1200 || len(v.Inputs.Current) != 1000 {
		t.Fatalf("got %d/%d values, want 1200/1000",
			len(v.Inputs.Reference), len(v.Inputs.Current))
	}
	return NumericalSample(v.Inputs.Reference), NumericalSample(v.Inputs.Current)
}

func assertClose(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !closeRel(got, want, vectorTol) {
		t.Errorf("%s: got %.17g, want %.17g", what, got, want)
	}
}

func closeRel(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), 1e-300)
}

func assertSlice(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range want {
		assertClose(t, what, got[i], want[i])
	}
}

func TestVectorD01KolmogorovSmirnov(t *testing.T) {
	ref, cur := loadD01(t)
	tests := []struct {
		mode       KSMode
		stat, p    float64
		wantMethod KSMode
	}{
		{KSAuto, 0.1125, 1.8223353072697385e-06, KSExact},
		{KSExact, 0.1125, 1.8223353072697385e-06, KSExact},
		{KSAsymp, 0.11249999999999993, 1.830633921493856e-06, KSAsymp},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			r, err := KS2Samp(ref.Values, cur.Values, tt.mode)
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "statistic", r.Statistic, tt.stat)
			assertClose(t, "p-value", r.PValue, tt.p)
			if r.Method != tt.wantMethod {
				t.Errorf("method: got %s, want %s", r.Method, tt.wantMethod)
			}
		})
	}
}

func TestVectorD01QuantilePSI(t *testing.T) {
	ref, cur := loadD01(t)
	edges := QuantileEdges(ref.Values)
	assertSlice(t, "interior edges", edges, []float64{-1.2570999999999999,
		-0.8747999999999999, -0.5812999999999999, -0.3364, -0.0155, 0.24140000000000053,
		0.5155000000000004, 0.8316000000000001, 1.2511000000000014})
	refShares := QuantileShares(ref.Values, edges)
	curShares := QuantileShares(cur.Values, edges)
	assertSlice(t, "reference counts", scaled(refShares, 1200),
		[]float64{120, 120, 120, 120, 120, 120, 120, 120, 120, 120})
	assertSlice(t, "current counts", scaled(curShares, 1000),
		[]float64{82, 77, 79, 59, 118, 92, 91, 104, 115, 183})
	assertClose(t, "psi", PSIQuantile(ref.Values, cur.Values), 0.09307326401785693)
}

func scaled(a []float64, n float64) []float64 {
	out := make([]float64, len(a))
	for i, v := range a {
		out[i] = math.Round(v * n)
	}
	return out
}

func TestVectorD01Evidently(t *testing.T) {
	ref, cur := loadD01(t)
	assertClose(t, "raw wasserstein", Wasserstein(ref.Values, cur.Values), 0.272699)
	assertClose(t, "reference std", stdDev(ref.Values), 1.0202127921813937)
	p, q := binnedShares(ref, cur, true)
	assertSlice(t, "binned reference", p, []float64{0.0001, 0.0008333333333333334,
		0.0008333333333333334, 0.015833333333333335, 0.059166666666666666,
		0.12583333333333332, 0.22583333333333333, 0.22583333333333333, 0.1875, 0.1025,
		0.03916666666666667, 0.0125, 0.004166666666666667})
	assertSlice(t, "binned current", q, []float64{0.001, 0.001, 0.001, 0.008, 0.037,
		0.112, 0.169, 0.222, 0.197, 0.148, 0.064, 0.024, 0.016})
	if got := DefaultTest(ref, cur); got != TestWasserstein {
		t.Errorf("default test: got %s, want wasserstein", got)
	}
	runEvidentlyCases(t, ref, cur, []evidentlyCase{
		{TestPSI, 0.08884088939465207, false, 0.1},
		{TestKS, 1.8223353072697385e-06, true, 0.05},
		{TestWasserstein, 0.2672961975088763, true, 0.1},
		{TestJensenShannon, 0.10478563473278937, true, 0.1},
		{TestKLDiv, 0.04202164145419424, false, 0.1},
	})
}

// d03: categorical; "d" only in the reference, "e" only in the current data.
var d03Ref = map[string]int64{"a": 120, "b": 90, "c": 60, "d": 30}
var d03Cur = map[string]int64{"a": 100, "b": 70, "c": 60, "e": 20}

func TestVectorD03Evidently(t *testing.T) {
	ref, cur := CategoricalCounts(d03Ref), CategoricalCounts(d03Cur)
	p, q := binnedShares(ref, cur, true)
	assertSlice(t, "reference shares", p, []float64{0.4, 0.3, 0.2, 0.1, 0.0001})
	assertSlice(t, "current shares", q, []float64{0.4, 0.28, 0.24, 0.0001, 0.08})
	if got := DefaultTest(ref, cur); got != TestChiSquare {
		t.Errorf("default test: got %s, want chisquare", got)
	}
	runEvidentlyCases(t, ref, cur, []evidentlyCase{
		{TestPSI, 1.23285794911248, true, 0.1},
		{TestChiSquare, 0.0, true, 0.05},
		{TestZ, 1.0, false, 0.05},
		{TestJensenShannon, 0.2519246742311926, true, 0.1},
		{TestKLDiv, 0.674273189493792, true, 0.1},
	})
}

// evidentlyCase is Evidently's (score, drifted, threshold) for one test; the
// score is the p-value of a p-value test and the distance otherwise.
type evidentlyCase struct {
	test      string
	score     float64
	drifted   bool
	threshold float64
}

func runEvidentlyCases(t *testing.T, ref, cur Sample, cases []evidentlyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.test, func(t *testing.T) {
			r, err := Compare("x", ref, cur, Options{Test: c.test})
			if err != nil {
				t.Fatal(err)
			}
			score := r.Statistic
			if r.PValue != nil {
				score = r.PValue
			}
			if score == nil || r.Drifted == nil {
				t.Fatalf("got undefined result %+v", r)
			}
			assertClose(t, "score", *score, c.score)
			if *r.Drifted != c.drifted || r.Threshold != c.threshold {
				t.Errorf("got drifted %v at %v, want %v at %v",
					*r.Drifted, r.Threshold, c.drifted, c.threshold)
			}
		})
	}
}
