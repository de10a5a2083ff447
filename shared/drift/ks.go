package drift

import (
	"fmt"
	"math"
)

// KSMode says how the two-sample Kolmogorov–Smirnov p-value is computed, with
// the names of scipy's ks_2samp.
type KSMode string

// KS modes.
const (
	KSAuto  KSMode = "auto"  // exact when both samples have at most 10000 values
	KSExact KSMode = "exact" // exact unless the lattice is too large or it fails
	KSAsymp KSMode = "asymp" // the one-sample Kolmogorov distribution at n1·n2/(n1+n2)
)

// ksMaxAutoN is scipy's MAX_AUTO_N: auto is exact up to this sample size.
const ksMaxAutoN = 10000

// KSResult is a two-sided two-sample KS test. Statistic is the one scipy
// reports: in the exact path it is rounded to a multiple of 1/lcm(n1, n2).
// Method says which path produced the p-value.
type KSResult struct {
	Statistic float64
	PValue    float64
	Method    KSMode
}

// KS2Samp runs scipy.stats.ks_2samp (two-sided) on two samples that are
// already sorted ascending and free of NaN. It reproduces scipy's choice
// between the exact recursion and the asymptotic distribution.
func KS2Samp(x, y []float64, mode KSMode) (KSResult, error) {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return KSResult{}, fmt.Errorf("ks test: empty sample")
	}
	d := ksStatistic(x, y)
	g := gcd(n1, n2)
	n1g, n2g := n1/g, n2/g
	switch mode {
	case KSAuto:
		mode = KSAsymp
		if max(n1, n2) <= ksMaxAutoN {
			mode = KSExact
		}
	case KSExact:
		if float64(n1g) >= float64(math.MaxInt32)/float64(n2g) {
			mode = KSAsymp
		}
	case KSAsymp:
	default:
		return KSResult{}, fmt.Errorf("ks test: unknown mode %q", mode)
	}
	if mode == KSExact {
		if de, p, ok := ksExact(n1, n2, g, d); ok {
			return KSResult{Statistic: de, PValue: clip01(p), Method: KSExact}, nil
		}
	}
	m, n := float64(max(n1, n2)), float64(min(n1, n2))
	en := m * n / (m + n)
	p := KolmogorovSF(math.RoundToEven(en), d)
	return KSResult{Statistic: d, PValue: clip01(p), Method: KSAsymp}, nil
}

// ksStatistic is max |F1 − F2| over the pooled values, with the ECDFs taken
// right-continuous and each difference computed as scipy does, i/n1 − j/n2.
func ksStatistic(x, y []float64) float64 {
	n1, n2 := float64(len(x)), float64(len(y))
	i, j := 0, 0
	maxS, minS := math.Inf(-1), math.Inf(1)
	for i < len(x) || j < len(y) {
		v := nextValue(x, y, i, j)
		for i < len(x) && x[i] <= v {
			i++
		}
		for j < len(y) && y[j] <= v {
			j++
		}
		diff := float64(i)/n1 - float64(j)/n2
		maxS = max(maxS, diff)
		minS = min(minS, diff)
	}
	lower := min(max(-minS, 0), 1)
	if lower > maxS {
		return lower
	}
	return maxS
}

func nextValue(x, y []float64, i, j int) float64 {
	switch {
	case i == len(x):
		return y[j]
	case j == len(y):
		return x[i]
	default:
		return min(x[i], y[j])
	}
}

// ksExact is scipy's _attempt_exact_2kssamp for the two-sided alternative.
// It returns the statistic rounded to the lattice, the p-value and whether
// the computation succeeded.
func ksExact(n1, n2, g int, d float64) (float64, float64, bool) {
	lcm := (n1 / g) * n2
	h := int(math.RoundToEven(d * float64(lcm)))
	d = float64(h) / float64(lcm)
	if h == 0 {
		return d, 1, true
	}
	var p float64
	switch {
	case n1 == n2:
		p = probOutsideSquare(n1, h)
	case insideCost(n1, n2, g, h) > ksExactMaxSteps:
		return d, math.NaN(), false
	default:
		p = outerProbInside(n1, n2, g, h)
	}
	if math.IsNaN(p) || p < 0 || p > 1 {
		return d, p, false
	}
	return d, p, true
}

// ksExactMaxSteps bounds the inner steps of the exact recursion. scipy has
// no bound and would run for hours on, say, 10⁷ against 5·10⁶ values with a
// forced exact mode; past this many steps (seconds of work) the asymptotic
// distribution is used instead, as when scipy's exact attempt fails.
const ksExactMaxSteps = 4e9

// insideCost is the number of steps outerProbInside takes: one column per
// value of the larger sample, each as tall as the band.
func insideCost(n1, n2, g, h int) float64 {
	m, n := max(n1, n2), min(n1, n2)
	mg := m / g
	band := min(n+1, 2*int(math.Ceil(float64(h)/float64(mg)))+2)
	return float64(m) * float64(band)
}

// probOutsideSquare is P(D_{n,n} ≥ h/n), scipy's _compute_prob_outside_square:
// the alternating sum of binomial ratios evaluated Horner-style to avoid
// cancellation.
func probOutsideSquare(n, h int) float64 {
	p := 0.0
	for k := int(math.Floor(float64(n) / float64(h))); k >= 0; k-- {
		p1 := 1.0
		for j := 0; j < h; j++ {
			p1 = float64(n-k*h-j) * p1 / float64(n+k*h+j+1)
		}
		p = p1 * (1 - p)
	}
	return 2 * p
}

// outerProbInside is scipy's _compute_outer_prob_inside_method: the share of
// lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm,
// computed directly as a probability (Viehmann's recursion for 1 − p) over a
// sliding window of one column.
func outerProbInside(m, n, g, h int) float64 {
	if m < n {
		m, n = n, m
	}
	mg, ng := m/g, n/g
	minj, maxj := 0, min(int(math.Ceil(float64(h)/float64(mg))), n+1)
	curlen := maxj - minj
	lenA := min(2*maxj+2, n+1)
	a := make([]float64, lenA)
	for k := range a {
		a[k] = 1
	}
	for k := minj; k < maxj; k++ {
		a[k] = 0
	}
	for i := 1; i <= m; i++ {
		lastminj, lastlen := minj, curlen
		minj = max(int(math.Floor(float64(ng*i-h)/float64(mg)))+1, 0)
		minj = min(minj, n)
		maxj = min(int(math.Ceil(float64(ng*i+h)/float64(mg))), n+1)
		if maxj <= minj {
			return 1
		}
		val := 1.0
		if minj == 0 {
			val = 0
		}
		fi := float64(i)
		for jj := 0; jj < maxj-minj; jj++ {
			j := float64(jj + minj)
			val = (a[jj+minj-lastminj]*fi + val*j) / (fi + j)
			a[jj] = val
		}
		curlen = maxj - minj
		if lastlen > curlen {
			end := min(maxj-minj+(lastlen-curlen), len(a))
			for k := maxj - minj; k < end; k++ {
				a[k] = 1
			}
		}
	}
	return a[maxj-minj-1]
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func clip01(p float64) float64 {
	return min(max(p, 0), 1)
}
