package drift

import (
	"math"
	"sort"
)

// sturgesBinsMinDistinct: Evidently bins a numerical column with Sturges'
// rule when its reference has more than this many distinct values.
const sturgesBinsMinDistinct = 20

// emptyShare is the share an empty bin gets for PSI and KL, unless the
// smallest non-empty share is itself at most this small.
const emptyShare = 0.0001

// SturgesEdges is numpy.histogram_bin_edges(values, bins="sturges") over the
// reference and current samples together, which must be sorted ascending.
func SturgesEdges(ref, cur []float64) []float64 {
	lo := math.Min(ref[0], cur[0])
	hi := math.Max(ref[len(ref)-1], cur[len(cur)-1])
	n := float64(len(ref) + len(cur))
	width := (hi - lo) / (math.Log2(n) + 1.0) // from the data's range, as numpy
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	bins := 1
	if width > 0 {
		bins = int(math.Ceil((hi - lo) / width))
	}
	return linspace(lo, hi, bins+1)
}

// linspace is numpy.linspace with endpoint: start + i·step, the last edge
// set to stop exactly.
func linspace(start, stop float64, num int) []float64 {
	out := make([]float64, num)
	div := float64(num - 1)
	step := (stop - start) / div
	for i := range out {
		if step == 0 {
			out[i] = float64(i)/div*(stop-start) + start
		} else {
			out[i] = float64(i)*step + start
		}
	}
	out[num-1] = stop
	return out
}

// HistogramShares is numpy.histogram(sample, edges)[0] / len(sample) for a
// sorted sample: bins are half-open [e_i, e_i+1) except the last, which is
// closed; values outside the edges are not counted.
func HistogramShares(sorted []float64, edges []float64) []float64 {
	k := len(edges) - 1
	shares := make([]float64, k)
	n := float64(len(sorted))
	lastRight := sort.Search(len(sorted), func(i int) bool { return sorted[i] > edges[k] })
	prev := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= edges[0] })
	for b := 0; b < k; b++ {
		next := lastRight
		if b < k-1 {
			e := edges[b+1]
			next = sort.Search(len(sorted), func(i int) bool { return sorted[i] >= e })
		}
		shares[b] = float64(next-prev) / n
		prev = next
	}
	return shares
}

// QuantileEdges are the interior edges of the credit-risk PSI convention:
// the reference's deciles by numpy's default linear interpolation,
// deduplicated. The reference must be sorted.
func QuantileEdges(ref []float64) []float64 {
	var edges []float64
	for i := 1; i <= 9; i++ {
		q := quantileLinear(ref, float64(i)/10)
		if len(edges) == 0 || q != edges[len(edges)-1] {
			edges = append(edges, q)
		}
	}
	return edges
}

// quantileLinear is numpy.quantile's "linear" method, including its lerp
// that interpolates from the upper neighbour when the fraction is ≥ 0.5.
func quantileLinear(sorted []float64, q float64) float64 {
	idx := float64(len(sorted)-1) * q
	lo := math.Floor(idx)
	i := int(lo)
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	t := idx - lo
	a, b := sorted[i], sorted[i+1]
	diff := b - a
	if t >= 0.5 {
		return b - diff*(1-t)
	}
	return a + diff*t
}

// QuantileShares counts a sorted sample into the open-ended bins the
// interior edges define: a value lands in the bin numbered by how many
// edges are ≤ it.
func QuantileShares(sorted []float64, edges []float64) []float64 {
	shares := make([]float64, len(edges)+1)
	n := float64(len(sorted))
	prev := 0
	for b, e := range edges {
		next := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= e })
		shares[b] = float64(next-prev) / n
		prev = next
	}
	shares[len(edges)] = float64(len(sorted)-prev) / n
	return shares
}

// FillEmpty is Evidently's rule for empty bins before PSI and KL: each
// empty share becomes 0.0001, or the smallest non-empty share / 10⁶ when
// that share is at most 0.0001. It changes shares in place and does not
// renormalise.
func FillEmpty(shares []float64) {
	smallest := math.Inf(1)
	for _, s := range shares {
		if s != 0 {
			smallest = math.Min(smallest, s)
		}
	}
	fill := emptyShare
	if smallest <= emptyShare {
		fill = smallest / 1e6
	}
	for i, s := range shares {
		if s == 0 {
			shares[i] = fill
		}
	}
}
