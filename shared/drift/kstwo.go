package drift

import "math"

// This file follows scipy.stats._ksstats: the distribution of the two-sided
// one-sample KS statistic D_n (scipy's kstwo), with Simard and L'Ecuyer's
// choice among exact and approximate methods. ks_2samp's asymptotic p-value
// is kstwo.sf(d, round(n1·n2/(n1+n2))).

const (
	ksE128     = 128
	ksMinLog   = -708
	ksPiSq     = math.Pi * math.Pi
	ksPi4      = ksPiSq * ksPiSq
	ksPi6      = ksPi4 * ksPiSq
	ksSqrt2Pi  = 2.5066282746310002 // sqrt(2π)
	ksLog2Pi   = 1.8378770664093453 // log(2π)
	ksSqrt3    = 1.7320508075688772
	ksDMTWNx2  = 0.754693
	ksSmallN   = 140
	ksDMTWMaxN = 100000
)

var (
	ksEP128 = math.Ldexp(1, ksE128)
	ksEM128 = math.Ldexp(1, -ksE128)
)

// KolmogorovSF is P(D_n ≥ x) for the two-sided one-sample KS statistic,
// scipy's kstwo.sf(x, n).
func KolmogorovSF(n, x float64) float64 {
	if math.IsNaN(n) || math.IsNaN(x) || n <= 0 || n != math.Trunc(n) {
		return math.NaN()
	}
	if x <= 0.5/n {
		return 1
	}
	if x >= 1 {
		return 0
	}
	return kolmogn(int(n), x, false)
}

// kolmogn is scipy's _kolmogn: the CDF or SF of D_n at x, by exact
// formulas at the ends of the support and Simard and L'Ecuyer's choice of
// method in between.
func kolmogn(n int, x float64, cdf bool) float64 {
	if x >= 1 {
		return pick(1, 0, cdf)
	}
	if x <= 0 {
		return pick(0, 1, cdf)
	}
	fn := float64(n)
	t := fn * x
	switch {
	case t <= 0.5:
		return pick(0, 1, cdf)
	case t <= 1:
		prob := rubenGambinoCDF(n, t)
		return pick(prob, 1-prob, cdf)
	case t >= fn-1:
		prob := 2 * math.Pow(1-x, fn)
		return pick(1-prob, prob, cdf)
	case x >= 0.5:
		prob := 2 * SmirnovSF(n, x)
		return pick(1-prob, prob, cdf)
	case n <= ksSmallN:
		return kolmognSmall(n, x, cdf)
	}
	return kolmognLarge(n, x, cdf)
}

// rubenGambinoCDF is P(D_n ≤ x) = n!/n^n·(2t − 1)^n for 1/2 < t = n·x ≤ 1.
func rubenGambinoCDF(n int, t float64) float64 {
	fn := float64(n)
	if n > ksSmallN {
		return math.Exp(logNFactorialDivNPowN(fn) + fn*math.Log(2*t-1))
	}
	prob := 1.0
	for i := 1; i <= n; i++ {
		prob *= float64(i) * (1.0 / fn) * (2*t - 1)
	}
	return prob
}

// kolmognSmall: up to 140 values, the exact algorithms, or twice the
// one-sided tail where the two tails no longer overlap.
func kolmognSmall(n int, x float64, cdf bool) float64 {
	nx2 := float64(n) * x * x
	var prob float64
	switch {
	case nx2 <= ksDMTWNx2:
		prob = kolmognDMTW(n, x)
	case nx2 <= 4:
		prob = kolmognPomeranz(n, x)
	default:
		prob = 2 * SmirnovSF(n, x)
		return pick(1-prob, prob, cdf)
	}
	return pick(prob, 1-prob, cdf)
}

// kolmognLarge: above 140 values the SF and the CDF switch methods at
// different points; the SF in the tail is twice the one-sided one.
func kolmognLarge(n int, x float64, cdf bool) float64 {
	fn := float64(n)
	nx2 := fn * x * x
	if !cdf {
		if nx2 >= 370 {
			return 0
		}
		if nx2 >= 2.2 {
			return clip01(2 * SmirnovSF(n, x))
		}
	}
	var cdfprob float64
	switch {
	case nx2 >= 18:
		cdfprob = 1
	case n <= ksDMTWMaxN && fn*math.Pow(x, 1.5) <= 1.4:
		cdfprob = kolmognDMTW(n, x)
	default:
		cdfprob = kolmognPelzGood(n, x)
	}
	return pick(cdfprob, 1-cdfprob, cdf)
}

// pick selects the CDF or the SF and clips it to [0, 1].
func pick(cdfprob, sfprob float64, cdf bool) float64 {
	if cdf {
		return clip01(cdfprob)
	}
	return clip01(sfprob)
}

// stirlingCoeffs are B_{2j}/(2j)/(2j−1) for j = 8..1, highest power first.
var stirlingCoeffs = []float64{
	-2.955065359477124183e-2, 6.4102564102564102564e-3,
	-1.9175269175269175269e-3, 8.4175084175084175084e-4,
	-5.952380952380952381e-4, 7.9365079365079365079e-4,
	-2.7777777777777777778e-3, 8.3333333333333333333e-2,
}

// logNFactorialDivNPowN is log(n!/n^n) by Stirling's series, with n·log(n)
// removed up front to avoid cancellation.
func logNFactorialDivNPowN(n float64) float64 {
	rn := 1 / n
	return math.Log(n)/2 - n + ksLog2Pi/2 + rn*polyval(stirlingCoeffs, rn/n)
}

func polyval(c []float64, x float64) float64 {
	y := 0.0
	for _, v := range c {
		y = y*x + v
	}
	return y
}
