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

// kolmognDMTW is P(D_n ≤ d) by Durbin's matrix algorithm as arranged by
// Marsaglia, Tsang and Wang: the k-th diagonal entry of H^n, scaled.
func kolmognDMTW(n int, d float64) float64 {
	if d >= 1 {
		return 1
	}
	nd := float64(n) * d
	if nd <= 0.5 {
		return 0
	}
	k := int(math.Ceil(nd))
	h := float64(k) - nd
	hm := dmtwMatrix(k, h)
	p, expnt := dmtwPower(hm, n, k)
	for i := 1; i <= n; i++ {
		p = float64(i) * p / float64(n)
		if math.Abs(p) < ksEM128 {
			p *= ksEP128
			expnt -= ksE128
		}
	}
	if expnt != 0 {
		p = math.Ldexp(p, expnt)
	}
	return clip01(p)
}

// dmtwMatrix builds Durbin's (2k−1)×(2k−1) matrix H for d = (k − h)/n.
func dmtwMatrix(k int, h float64) [][]float64 {
	m := 2*k - 1
	v := make([]float64, m)
	w := make([]float64, m)
	fac := 1.0
	for j := 1; j <= m; j++ {
		v[j-1] = 1 - math.Pow(h, float64(j))
		w[j-1] = fac
		fac /= float64(j)
		v[j-1] *= fac
	}
	tt := math.Pow(math.Max(2*h-1, 0), float64(m)) - 2*math.Pow(h, float64(m))
	v[m-1] = (1 + tt) * fac
	hm := newMatrix(m)
	for i := 1; i < m; i++ {
		for r := i - 1; r < m; r++ {
			hm[r][i] = w[r-(i-1)]
		}
	}
	for r := 0; r < m; r++ {
		hm[r][0] = v[r]
	}
	for c := 0; c < m; c++ {
		hm[m-1][c] = v[m-1-c]
	}
	return hm
}

// dmtwPower raises H to the n-th power by squaring, rescaling by 2^128 to
// stay in range, and returns entry (k−1, k−1) with its binary exponent.
func dmtwPower(hm [][]float64, n, k int) (float64, int) {
	m := len(hm)
	pw := newMatrix(m)
	for i := range pw {
		pw[i][i] = 1
	}
	expnt, hexpnt := 0, 0
	for nn := n; nn > 0; nn /= 2 {
		if nn%2 == 1 {
			pw = matmul(pw, hm)
			expnt += hexpnt
		}
		hm = matmul(hm, hm)
		hexpnt *= 2
		if math.Abs(hm[k-1][k-1]) > ksEP128 {
			for _, row := range hm {
				for c := range row {
					row[c] /= ksEP128
				}
			}
			hexpnt += ksE128
		}
	}
	return pw[k-1][k-1], expnt
}

func newMatrix(m int) [][]float64 {
	a := make([][]float64, m)
	for i := range a {
		a[i] = make([]float64, m)
	}
	return a
}

func matmul(a, b [][]float64) [][]float64 {
	m := len(a)
	c := newMatrix(m)
	for i := 0; i < m; i++ {
		for k := 0; k < m; k++ {
			aik := a[i][k]
			if aik == 0 {
				continue
			}
			for j := 0; j < m; j++ {
				c[i][j] += aik * b[k][j]
			}
		}
	}
	return c
}

// pomeranzBounds is scipy's _pomeranz_compute_j1j2: the non-zero range of
// row i of the recursion.
func pomeranzBounds(i, n, ll, ceilf, roundf int) (int, int) {
	var j1, j2 int
	if i == 0 {
		j1, j2 = -ll-ceilf-1, ll+ceilf-1
	} else {
		ip1div2, ip1mod2 := (i+1)/2, (i+1)%2
		switch {
		case ip1mod2 == 0 && ip1div2 == n+1:
			j1, j2 = n-ll-ceilf-1, n+ll+ceilf-1
		case ip1mod2 == 0:
			j1, j2 = ip1div2-1-ll-roundf-1, ip1div2+ll-1+ceilf-1
		default:
			j1, j2 = ip1div2-1-ll-1, ip1div2+ll+roundf-1
		}
	}
	return max(j1+2, 0), min(j2, n)
}

// kolmognPomeranz is P(D_n ≤ x) by Pomeranz's recursion: each row is the
// previous one convolved with (almost) Poisson probabilities.
func kolmognPomeranz(n int, x float64) float64 {
	t := float64(n) * x
	ll := int(math.Floor(t))
	f := t - float64(ll)
	g := math.Min(f, 1-f)
	ceilf, roundf := 0, 0
	if f > 0 {
		ceilf = 1
	}
	if f > 0.5 {
		roundf = 1
	}
	npwrs := 2 * (ll + 1)
	gp, twogp, onem2gp := pomeranzPowers(npwrs, g, float64(n))
	v0 := make([]float64, npwrs)
	v1 := make([]float64, npwrs)
	v1[0] = 1
	v0s, v1s := 0, 0
	expnt := 0
	j1, j2 := pomeranzBounds(0, n, ll, ceilf, roundf)
	for i := 1; i < 2*n+2; i++ {
		k1 := j1
		v0, v1 = v1, v0
		v0s, v1s = v1s, v0s
		clear(v1)
		j1, j2 = pomeranzBounds(i, n, ll, ceilf, roundf)
		pwrs := onem2gp
		switch {
		case i == 1 || i == 2*n+1:
			pwrs = gp
		case i%2 == 1:
			pwrs = twogp
		}
		ln2 := j2 - k1 + 1
		if ln2 <= 0 {
			continue
		}
		end := min(k1-v0s+ln2, len(v0))
		conv := convolve(v0[k1-v0s:end], pwrs[:min(ln2, len(pwrs))])
		start, length := j1-k1, j2-j1+1
		copy(v1[:length], conv[start:start+length])
		if mx := maxOf(v1); mx > 0 && mx < ksEM128 {
			for c := range v1 {
				v1[c] *= ksEP128
			}
			expnt -= ksE128
		}
		v1s = v0s + j1 - k1
	}
	ans := v1[n-v1s]
	for m := 1; m <= n; m++ {
		if math.Abs(ans) > ksEP128 {
			ans *= ksEM128
			expnt += ksE128
		}
		ans *= float64(m)
	}
	if expnt != 0 {
		ans = math.Ldexp(ans, expnt)
	}
	return clip01(ans)
}

// pomeranzPowers returns (g/n)^m/m!, (2g/n)^m/m! and ((1−2g)/n)^m/m!.
func pomeranzPowers(npwrs int, g, n float64) ([]float64, []float64, []float64) {
	gp := make([]float64, npwrs)
	twogp := make([]float64, npwrs)
	onem2gp := make([]float64, npwrs)
	gp[0], twogp[0], onem2gp[0] = 1, 1, 1
	a, b, c := g/n, 2*g/n, (1-2*g)/n
	for m := 1; m < npwrs; m++ {
		fm := float64(m)
		gp[m] = gp[m-1] * a / fm
		twogp[m] = twogp[m-1] * b / fm
		onem2gp[m] = onem2gp[m-1] * c / fm
	}
	return gp, twogp, onem2gp
}

// convolve is numpy's full discrete convolution.
func convolve(a, v []float64) []float64 {
	out := make([]float64, len(a)+len(v)-1)
	for i, x := range a {
		for j, y := range v {
			out[i+j] += x * y
		}
	}
	return out
}

func maxOf(a []float64) float64 {
	m := math.Inf(-1)
	for _, v := range a {
		m = math.Max(m, v)
	}
	return m
}

// kolmognPelzGood is the Pelz–Good approximation of P(D_n ≤ x): the
// Li-Chien/Korolyuk expansion K0 + K1/√n + K2/n + K3/n^1.5 rewritten with
// Jacobi theta identities for small z = x√n.
func kolmognPelzGood(n int, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	fn := float64(n)
	z := math.Sqrt(fn) * x
	z2, z3, z4, z6 := z*z, z*z*z, math.Pow(z, 4), math.Pow(z, 6)
	qlog := -ksPiSq / 8 / z2
	if qlog < ksMinLog {
		return 0
	}
	k := pelzGoodOddSum(z, z2, z4, z6, math.Exp(qlog))
	pelzGoodEvenSum(&k, z, z2, z3, z6)
	s := 0.0
	for i := range k {
		s += k[i] / math.Pow(fn, float64(i)/2)
	}
	return s
}

// pelzGoodOddSum evaluates the sums over odd integers of K0..K3 by Horner's
// scheme in q^8.
func pelzGoodOddSum(z, z2, z4, z6, q float64) [4]float64 {
	k1a, k1b := -z2, ksPiSq/4
	k2a := 6*z6 + 2*z4
	k2b := (2*z4 - 5*z2) * ksPiSq / 4
	k2c := ksPi4 * (1 - 2*z2) / 16
	k3d := ksPi6 * (5 - 30*z2) / 64
	k3c := ksPi4 * (-60*z2 + 212*z4) / 16
	k3b := ksPiSq * (135*z4 - 96*z6) / 4
	k3a := -30*z6 - 90*math.Pow(z, 8)
	var k [4]float64
	maxk := int(math.Ceil(16 * z / math.Pi))
	for kk := maxk; kk > 0; kk-- {
		m := float64(2*kk - 1)
		m2, m4, m6 := m*m, math.Pow(m, 4), math.Pow(m, 6)
		qp := math.Pow(q, float64(8*kk))
		c := [4]float64{
			1,
			k1a + k1b*m2,
			k2a + k2b*m2 + k2c*m4,
			k3a + k3b*m2 + k3c*m4 + k3d*m6,
		}
		for i := range k {
			k[i] = k[i]*qp + c[i]
		}
	}
	div := [4]float64{z, 6 * z4, 72 * math.Pow(z, 7), 6480 * math.Pow(z, 10)}
	for i := range k {
		k[i] = k[i] * q * ksSqrt2Pi / div[i]
	}
	return k
}

// pelzGoodEvenSum adds the terms of K2 and K3 that run over all integers.
func pelzGoodEvenSum(k *[4]float64, z, z2, z3, z6 float64) {
	q := math.Exp(-ksPiSq / 2 / z2)
	maxk := int(math.Ceil(16 * z / math.Pi))
	sqrt3z := ksSqrt3 * z
	var k2extra, k3extra float64
	for kk := maxk; kk > 0; kk-- {
		fk := float64(kk)
		ks2 := fk * fk
		qp := math.Pow(q, ks2)
		kspi := math.Pi * fk
		k2extra += ks2 * qp
		k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp
	}
	k[2] += k2extra * (ksPiSq * ksSqrt2Pi / (-36 * z3))
	k[3] += k3extra * (ksPiSq * ksSqrt2Pi / (216 * z6))
}
