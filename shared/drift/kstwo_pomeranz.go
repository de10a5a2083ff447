package drift

import "math"

// Pomeranz's recursion for the CDF of D_n (scipy's _kolmogn_Pomeranz).

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
	j1, _ := pomeranzBounds(0, n, ll, ceilf, roundf)
	for i := 1; i < 2*n+2; i++ {
		k1 := j1
		v0, v1 = v1, v0
		v0s, v1s = v1s, v0s
		clear(v1)
		var j2 int
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
