package drift

import "math"

// The Pelz–Good approximation of the CDF of D_n (scipy's _kolmogn_PelzGood).

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
