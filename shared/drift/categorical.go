package drift

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// ChiSquareResult is Evidently's chi-square test: current counts against
// the reference proportions scaled to the current size.
type ChiSquareResult struct {
	Statistic float64
	PValue    float64
	DF        int
}

// ChiSquare runs Evidently's chi-square goodness of fit: expected counts are
// the reference counts times n_cur/n_ref, observed the current counts, over
// the categories of either sample. A category absent from the reference has
// expected count 0, an infinite statistic and p = 0. With a single category
// there are no degrees of freedom and the p-value is NaN, as in scipy.
func ChiSquare(ref, cur []float64) ChiSquareResult {
	nRef, nCur := sumOf(ref), sumOf(cur)
	k := nCur / nRef
	terms := make([]float64, len(ref))
	for i := range ref {
		exp := ref[i] * k
		d := cur[i] - exp
		terms[i] = d * d / exp
	}
	stat := pairwiseSum(terms)
	df := len(ref) - 1
	if df < 1 {
		return ChiSquareResult{Statistic: stat, PValue: math.NaN(), DF: df}
	}
	return ChiSquareResult{Statistic: stat, PValue: chi2SF(stat, df), DF: df}
}

// chi2SF is scipy's chi2.sf: the regularised upper incomplete gamma
// function Q(df/2, x/2).
func chi2SF(x float64, df int) float64 {
	switch {
	case math.IsNaN(x):
		return math.NaN()
	case math.IsInf(x, 1):
		return 0
	case x <= 0:
		return 1
	}
	return mathext.GammaIncRegComp(float64(df)/2, x/2)
}

// ZResult is Evidently's two-proportion z-test.
type ZResult struct {
	Statistic float64
	PValue    float64
}

// ZTest is Evidently's pooled two-proportion z-test on the share of values
// other than the first category (in sorted order): counts are per category
// in that order. Two samples holding the same single value give p = 1. The
// p-value is 2·(1 − Φ(|z|)), computed as Evidently does (not as Φ's tail).
func ZTest(ref, cur []float64) ZResult {
	nRef, nCur := sumOf(ref), sumOf(cur)
	if len(ref) == 1 {
		return ZResult{Statistic: 0, PValue: 1}
	}
	p1 := (nRef - ref[0]) / nRef
	p2 := (nCur - cur[0]) / nCur
	pooled := (p1*nRef + p2*nCur) / (nRef + nCur)
	z := (p1 - p2) / math.Sqrt(pooled*(1-pooled)*(1.0/nRef+1.0/nCur))
	return ZResult{Statistic: z, PValue: 2 * (1 - normCDF(math.Abs(z)))}
}

// normCDF is scipy's ndtr (cephes), with its switch between erf and erfc.
func normCDF(a float64) float64 {
	x := a * (1 / math.Sqrt2)
	z := math.Abs(x)
	if z < 1/math.Sqrt2 {
		return 0.5 + 0.5*math.Erf(x)
	}
	y := 0.5 * math.Erfc(z)
	if x > 0 {
		return 1 - y
	}
	return y
}

func sumOf(a []float64) float64 {
	s := 0.0
	for _, v := range a {
		s += v
	}
	return s
}
