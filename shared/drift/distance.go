package drift

import "math"

// WassersteinNorm is Evidently's normed Wasserstein distance: scipy's
// first Wasserstein distance between the samples divided by the reference's
// population standard deviation (at least 0.001). Both samples must be
// sorted ascending and free of NaN.
func WassersteinNorm(ref, cur []float64) float64 {
	std := make(chan float64, 1)
	go func() { std <- stdDev(ref) }() // a second core on large samples
	w := Wasserstein(ref, cur)
	return w / math.Max(<-std, 0.001)
}

// Wasserstein is ∫|F_ref − F_cur|, summed over the gaps between consecutive
// pooled values as scipy's _cdf_distance does. Inputs must be sorted.
func Wasserstein(u, v []float64) float64 {
	nu, nv := float64(len(u)), float64(len(v))
	var sum kahan
	i, j := 0, 0
	prev := nextValue(u, v, 0, 0)
	for i < len(u) || j < len(v) {
		x := nextValue(u, v, i, j)
		if x != prev {
			gap := x - prev
			sum.add(math.Abs(float64(i)/nu-float64(j)/nv) * gap)
			prev = x
		}
		for i < len(u) && u[i] == x {
			i++
		}
		for j < len(v) && v[j] == x {
			j++
		}
	}
	return sum.value()
}

// stdDev is numpy's std with ddof 0, two-pass for accuracy.
func stdDev(a []float64) float64 {
	var s kahan
	for _, v := range a {
		s.add(v)
	}
	mean := s.value() / float64(len(a))
	var q kahan
	for _, v := range a {
		d := v - mean
		q.add(d * d)
	}
	return math.Sqrt(q.value() / float64(len(a)))
}

// JensenShannon is scipy.spatial.distance.jensenshannon with the natural
// logarithm: both share vectors are renormalised to sum 1 first.
func JensenShannon(p, q []float64) float64 {
	p, q = normalised(p), normalised(q)
	left := make([]float64, len(p))
	right := make([]float64, len(p))
	for i := range p {
		m := (p[i] + q[i]) / 2
		left[i] = relEntr(p[i], m)
		right[i] = relEntr(q[i], m)
	}
	js := pairwiseSum(left) + pairwiseSum(right)
	return math.Sqrt(js / 2)
}

// PSI is Evidently's population stability index on filled shares:
// Σ (ref − cur)·ln(ref/cur), without renormalising.
func PSI(ref, cur []float64) float64 {
	terms := make([]float64, len(ref))
	for i := range ref {
		terms[i] = (ref[i] - cur[i]) * math.Log(ref[i]/cur[i])
	}
	return pairwiseSum(terms)
}

// KLDiv is Evidently's Kullback–Leibler divergence, scipy.stats.entropy of
// the filled shares: unlike PSI, scipy renormalises both vectors to sum 1.
func KLDiv(ref, cur []float64) float64 {
	p, q := normalised(ref), normalised(cur)
	terms := make([]float64, len(p))
	for i := range p {
		terms[i] = relEntr(p[i], q[i])
	}
	return pairwiseSum(terms)
}

// relEntr is scipy.special.rel_entr.
func relEntr(x, y float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case x > 0 && y > 0:
		return x * math.Log(x/y)
	case x == 0 && y >= 0:
		return 0
	default:
		return math.Inf(1)
	}
}

func normalised(a []float64) []float64 {
	s := pairwiseSum(a)
	out := make([]float64, len(a))
	for i, v := range a {
		out[i] = 1.0 * v / s
	}
	return out
}
