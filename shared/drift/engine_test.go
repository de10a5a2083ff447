package drift

import (
	"math"
	"strconv"
	"testing"
)

// spread returns n values cycling through k distinct ones, starting at from.
func spread(n, k int, from float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + float64(i%k)
	}
	return out
}

func cats(n, k int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "c" + strconv.Itoa(i%k)
	}
	return out
}

func TestDefaultTestFollowsEvidently(t *testing.T) {
	tests := []struct {
		name     string
		ref, cur Sample
		want     string
	}{
		{"small numerical 6 values", NumericalSample(spread(1000, 6, 0)),
			NumericalSample(spread(50, 6, 0)), TestKS},
		{"small numerical 5 values", NumericalSample(spread(1000, 5, 0)),
			NumericalSample(spread(50, 5, 0)), TestChiSquare},
		{"distinct counted over both", NumericalSample(spread(100, 3, 0)),
			NumericalSample(spread(100, 3, 10)), TestKS},
		{"small binary", NumericalSample(spread(1000, 2, 0)),
			NumericalSample(spread(50, 2, 0)), TestZ},
		{"small categorical 3", CategoricalSample(cats(500, 3)),
			CategoricalSample(cats(50, 3)), TestChiSquare},
		{"small categorical 2", CategoricalSample(cats(500, 2)),
			CategoricalSample(cats(50, 2)), TestZ},
		{"large numerical", NumericalSample(spread(1001, 6, 0)),
			NumericalSample(spread(50, 6, 0)), TestWasserstein},
		{"large numerical few values", NumericalSample(spread(1001, 5, 0)),
			NumericalSample(spread(50, 5, 0)), TestJensenShannon},
		{"large categorical", CategoricalSample(cats(5000, 40)),
			CategoricalSample(cats(50, 40)), TestJensenShannon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultTest(tt.ref, tt.cur); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestMissingAndInfiniteDropped(t *testing.T) {
	s := NumericalSample([]float64{3, math.NaN(), math.Inf(1), -1, math.Inf(-1), math.Copysign(0, -1)})
	want := []float64{-1, 0, 3}
	assertSlice(t, "values", s.Values, want)
	if math.Signbit(s.Values[1]) {
		t.Error("−0 kept its sign; want +0")
	}
	c := CategoricalSample([]string{"a", "", "NA", "b", "nan", "a", "None"})
	if len(c.Counts) != 2 || c.Counts["a"] != 2 || c.Counts["b"] != 1 {
		t.Errorf("got counts %v, want a:2 b:1", c.Counts)
	}
}

func TestEmptyColumnIsUndefined(t *testing.T) {
	ref := NumericalSample([]float64{math.NaN(), math.NaN()})
	cur := NumericalSample([]float64{1, 2, 3})
	for _, test := range []string{TestAuto, TestKS, TestWasserstein, TestPSI} {
		r, err := Compare("income", ref, cur, Options{Test: test})
		if err != nil {
			t.Fatal(err)
		}
		if r.Statistic != nil || r.PValue != nil || r.Drifted != nil {
			t.Errorf("%s: got %+v, want undefined statistic, p-value and verdict", test, r)
		}
		if len(r.Warnings) != 1 || r.Warnings[0].Code != "empty-sample" {
			t.Errorf("%s: got warnings %+v, want one empty-sample", test, r.Warnings)
		}
	}
}

func TestConstantColumns(t *testing.T) {
	ref, cur := NumericalSample(spread(30, 1, 7)), NumericalSample(spread(20, 1, 7))
	tests := []struct {
		test    string
		stat    float64
		p       *float64
		drifted bool
	}{
		{TestKS, 0, ptr(1), false},
		{TestZ, 0, ptr(1), false},
		{TestWasserstein, 0, nil, false},
		{TestJensenShannon, 0, nil, false},
		{TestPSI, 0, nil, false},
		{TestPSIQuantile, 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.test, func(t *testing.T) {
			r, err := Compare("c", ref, cur, Options{Test: tt.test})
			if err != nil {
				t.Fatal(err)
			}
			if r.Statistic == nil || *r.Statistic != tt.stat || r.Drifted == nil ||
				*r.Drifted != tt.drifted {
				t.Fatalf("got %+v, want statistic %v drifted %v", r, tt.stat, tt.drifted)
			}
			if (tt.p == nil) != (r.PValue == nil) || (tt.p != nil && *r.PValue != *tt.p) {
				t.Errorf("p-value: got %v, want %v", r.PValue, tt.p)
			}
		})
	}
	r, err := Compare("c", ref, cur, Options{Test: TestChiSquare})
	if err != nil {
		t.Fatal(err)
	}
	if r.PValue != nil || r.Drifted != nil || len(r.Warnings) != 1 {
		t.Errorf("chi-square on one category: got %+v, want undefined with a warning", r)
	}
}

func ptr(v float64) *float64 { return &v }

func TestCategoryOnlyInCurrent(t *testing.T) {
	ref := CategoricalCounts(map[string]int64{"a": 50, "b": 50})
	cur := CategoricalCounts(map[string]int64{"a": 40, "b": 40, "new": 1})
	r, err := Compare("region", ref, cur, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Test != TestChiSquare || r.PValue == nil || *r.PValue != 0 || !*r.Drifted {
		t.Fatalf("got %+v, want chisquare p = 0 drifted", r)
	}
	if r.Statistic != nil || len(r.Warnings) != 1 ||
		r.Warnings[0].Code != "category-not-in-reference" {
		t.Errorf("got statistic %v warnings %+v, want null and a warning", r.Statistic, r.Warnings)
	}
}

func TestThresholdOverrideAndRules(t *testing.T) {
	ref := CategoricalCounts(map[string]int64{"a": 60, "b": 40})
	cur := CategoricalCounts(map[string]int64{"a": 40, "b": 60})
	// p = erfc(2) ≈ 0.00468: drifted at 0.05, not at 0.001 nor at p itself.
	p := ZTest([]float64{60, 40}, []float64{40, 60}).PValue
	for _, tt := range []struct {
		threshold float64
		want      bool
	}{{0.05, true}, {0.001, false}, {p, false}} {
		th := tt.threshold
		r, err := Compare("x", ref, cur, Options{Test: TestZ, Threshold: &th})
		if err != nil {
			t.Fatal(err)
		}
		if *r.Drifted != tt.want || r.Threshold != th {
			t.Errorf("threshold %v: got drifted %v, want %v (p must be < threshold)",
				th, *r.Drifted, tt.want)
		}
	}
	// Distances drift at ≥ threshold: PSI = 0.25·ln 3 exactly at its own value.
	th := PSI([]float64{0.5, 0.5}, []float64{0.25, 0.75})
	r, err := Compare("x", CategoricalCounts(map[string]int64{"a": 2, "b": 2}),
		CategoricalCounts(map[string]int64{"a": 1, "b": 3}), Options{Test: TestPSI, Threshold: &th})
	if err != nil {
		t.Fatal(err)
	}
	if !*r.Drifted {
		t.Errorf("psi at its threshold: got not drifted, want drifted (≥)")
	}
}

func TestCompareRejects(t *testing.T) {
	num, cat := NumericalSample([]float64{1, 2}), CategoricalSample([]string{"a"})
	tests := []struct {
		name     string
		ref, cur Sample
		test     string
	}{
		{"kinds differ", num, cat, TestAuto},
		{"ks on categorical", cat, cat, TestKS},
		{"wasserstein on categorical", cat, cat, TestWasserstein},
		{"psi_quantile on categorical", cat, cat, TestPSIQuantile},
		{"unknown test", num, num, "anderson"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compare("x", tt.ref, tt.cur, Options{Test: tt.test}); err == nil {
				t.Error("got no error")
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	yes, no := true, false
	rep := Summarize([]Result{{Drifted: &yes}, {Drifted: &no},
		{Drifted: nil, Warnings: []Warning{{Code: "empty-sample"}}}})
	if rep.DriftedColumns != 1 || *rep.DriftedShare != 0.5 || !*rep.DatasetDrift {
		t.Errorf("got %d, %v, %v; want 1 drifted, share 0.5 (undefined left out), dataset drift",
			rep.DriftedColumns, *rep.DriftedShare, *rep.DatasetDrift)
	}
	if len(rep.Warnings) != 1 {
		t.Errorf("got %d warnings, want the column's one", len(rep.Warnings))
	}
	rep = Summarize([]Result{{Drifted: &yes}, {Drifted: &no}, {Drifted: &no}})
	if *rep.DatasetDrift {
		t.Errorf("share 1/3: got dataset drift, want none")
	}
	if rep = Summarize(nil); rep.DriftedShare != nil || rep.DatasetDrift != nil {
		t.Errorf("no columns: got %v %v, want undefined", rep.DriftedShare, rep.DatasetDrift)
	}
}
