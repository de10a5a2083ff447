package drift

import "math"

// This file follows scipy.special.smirnov (cephes kolmogorov.c): the survival
// function of the one-sided one-sample KS statistic D_n+, by the
// Smirnov/Birnbaum–Tingey sum. scipy carries the sum in double-double
// arithmetic; here each term is a float64 mantissa with a separate binary
// exponent, which keeps the relative error near n·2^-53 and far inside the
// 1e-9 this package promises.

const (
	smirnovMaxComputeN = 1000000
	smirnovUpperTerms  = 3
	smirnovUpperMinN   = 10
	cephesMinLog       = -7.451332191019412076235e2 // log(2^-1075)
	dblEpsilon         = 2.220446049250313e-16
)

// SmirnovSF is P(D_n+ ≥ x), scipy.special.smirnov(n, x).
func SmirnovSF(n int, x float64) float64 {
	if n <= 0 || math.IsNaN(x) || x < 0 || x > 1 {
		return math.NaN()
	}
	switch {
	case n == 1:
		return 1 - x
	case x == 0:
		return 1
	case x == 1:
		return 0
	}
	fn := float64(n)
	nxfl, alpha := floorNX(n, x)
	if nxfl == 0 || (nxfl == 1 && alpha == 0) {
		return clip01(1 - x*math.Pow(1+x, fn-1))
	}
	if -2*fn*x*x < cephesMinLog {
		return 0
	}
	if nxfl >= n-1 {
		return clip01(math.Pow(1-x, fn))
	}
	if n > smirnovMaxComputeN {
		return clip01(math.Exp(-math.Pow(6*fn*x+1, 2) / 18 / fn))
	}
	return clip01(smirnovSum(n, x, nxfl, alpha))
}

// floorNX is floor(n·x) and the remainder, computed exactly with a fused
// multiply-add so that x just below k/n is not rounded up to k/n.
func floorNX(n int, x float64) (int, float64) {
	hi := float64(n) * x
	lo := math.FMA(float64(n), x, -hi)
	fl := math.Floor(hi)
	alpha := (hi - fl) + lo
	if alpha < 0 {
		fl--
		alpha++
	}
	if alpha >= 1 {
		fl++
		alpha = 0
	}
	return int(fl), alpha
}

// smirnovSum adds the terms A_v = C(n,v)·(1−x−v/n)^(n−v)·(x+v/n)^(v−1) from
// below (the SF directly) or, when few terms lie above n(1−x) and x is small,
// from above (the CDF), as cephes decides.
func smirnovSum(n int, x float64, nxfl int, alpha float64) float64 {
	fn := float64(n)
	n1mxfl, n1mxceil := n-nxfl-1, n-nxfl
	if alpha == 0 {
		n1mxfl, n1mxceil = n-nxfl-1, n-nxfl+1
	}
	nUpper := n - n1mxceil + 1
	useUpper := (nUpper <= 1 && x < 0.5) ||
		(n >= smirnovUpperMinN && nUpper <= smirnovUpperTerms && x <= 0.5/math.Sqrt(fn))
	start, step, nTerms := 0, 1, n1mxfl+1
	var sum kahan
	if useUpper {
		start, step, nTerms = n, -1, nUpper
		sum.add(math.Pow(1+x, fn-1))
	} else {
		sum.add(math.Pow(1-x, fn) / x)
	}
	cm, ce := math.Frexp(fn) // C(n, 1) as mantissa and exponent
	vmid := n / 2
	for j := 1; j < nTerms; j++ {
		v := start + j*step
		aj := smirnovTerm(n, x, v, cm, ce)
		if aj != 0 && !math.IsInf(aj, 0) {
			sum.add(aj)
		}
		if aj != 0 {
			if 4*float64(nTerms-j)*math.Abs(aj) < dblEpsilon*sum.value() && j != nTerms-1 {
				break
			}
		} else if j > vmid {
			break
		}
		cm, ce = nextBinomial(cm, ce, n, j)
	}
	prob := x * sum.value()
	if step < 0 {
		return 1 - prob
	}
	return prob
}

// smirnovTerm is A_v with the binomial coefficient given as cm·2^ce.
func smirnovTerm(n int, x float64, v int, cm float64, ce int) float64 {
	fn := float64(n)
	t2m, t2e := powScaled(float64(n-v)/fn-x, n-v)
	t1m, t1e := powScaled(float64(v)/fn+x, v-1)
	return math.Ldexp(cm*t1m*t2m, ce+t1e+t2e)
}

// nextBinomial turns C(n, j) into C(n, j+1), kept as mantissa and exponent
// because the coefficient overflows float64 for large n.
func nextBinomial(cm float64, ce int, n, j int) (float64, int) {
	m, e := math.Frexp(cm * (float64(n-j) / float64(j+1)))
	return m, ce + e
}

// powScaled is b^m as mantissa·2^exponent, by squaring with renormalisation
// so that neither underflows.
func powScaled(b float64, m int) (float64, int) {
	if m < 0 {
		pm, pe := powScaled(b, -m)
		im, ie := math.Frexp(1 / pm)
		return im, ie - pe
	}
	if b == 0 {
		if m == 0 {
			return 0.5, 1
		}
		return 0, 0
	}
	bm, be := math.Frexp(b)
	rm, re := 0.5, 1
	baseE := be
	for k := m; k > 0; k >>= 1 {
		if k&1 == 1 {
			var e int
			rm, e = math.Frexp(rm * bm)
			re += e + baseE
		}
		if k > 1 {
			var e int
			bm, e = math.Frexp(bm * bm)
			baseE = 2*baseE + e
		}
	}
	return rm, re
}
