package drift

import "math"

// Durbin's matrix method for the CDF of D_n (scipy's _kolmogn_DMTW).

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
