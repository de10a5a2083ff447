package drift

import (
	"math"
	"sort"
)

// Kind is a column's type as CONTRACTS.md names it.
type Kind string

// Column kinds.
const (
	Numerical   Kind = "numerical"
	Categorical Kind = "categorical"
)

// Sample is one column of one dataset with missing and infinite values
// already dropped: sorted values for a numerical column, counts per
// category for a categorical one.
type Sample struct {
	Kind   Kind
	Values []float64
	Counts map[string]int64
}

// NumericalSample takes ownership of values: it drops NaN and ±Inf, turns
// −0 into 0 and sorts the rest in place.
func NumericalSample(values []float64) Sample {
	kept := values[:0]
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		kept = append(kept, v+0) // −0 + 0 is +0
	}
	SortFloat64s(kept)
	return Sample{Kind: Numerical, Values: kept}
}

// CategoricalSample counts values, dropping those IsMissing recognises.
func CategoricalSample(values []string) Sample {
	counts := make(map[string]int64)
	for _, v := range values {
		if !IsMissing(v) {
			counts[v]++
		}
	}
	return Sample{Kind: Categorical, Counts: counts}
}

// CategoricalCounts wraps counts already taken, dropping zero and missing
// categories.
func CategoricalCounts(counts map[string]int64) Sample {
	kept := make(map[string]int64, len(counts))
	for k, c := range counts {
		if c > 0 && !IsMissing(k) {
			kept[k] = c
		}
	}
	return Sample{Kind: Categorical, Counts: kept}
}

// Len is the number of non-missing values.
func (s Sample) Len() int64 {
	if s.Kind == Numerical {
		return int64(len(s.Values))
	}
	var n int64
	for _, c := range s.Counts {
		n += c
	}
	return n
}

// missingTokens are the strings pandas.read_csv reads as missing by
// default, which is how Evidently users' data reaches its tests.
var missingTokens = map[string]bool{
	"": true, "#N/A": true, "#N/A N/A": true, "#NA": true, "-1.#IND": true,
	"-1.#QNAN": true, "-NaN": true, "-nan": true, "1.#IND": true, "1.#QNAN": true,
	"<NA>": true, "N/A": true, "NA": true, "NULL": true, "NaN": true, "None": true,
	"n/a": true, "nan": true, "null": true,
}

// IsMissing reports whether a raw value stands for a missing value.
func IsMissing(v string) bool { return missingTokens[v] }

// distinctUpTo counts the distinct values of two sorted samples together,
// stopping once it exceeds limit.
func distinctUpTo(a, b []float64, limit int) int {
	n, i, j := 0, 0, 0
	for (i < len(a) || j < len(b)) && n <= limit {
		v := nextValue(a, b, i, j)
		n++
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
	}
	return n
}

// valueCounts turns two sorted numerical samples into counts per distinct
// value over the union of their values, in ascending order.
func valueCounts(a, b []float64) (ref, cur []float64) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		v := nextValue(a, b, i, j)
		i0, j0 := i, j
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		ref = append(ref, float64(i-i0))
		cur = append(cur, float64(j-j0))
	}
	return ref, cur
}

// categoryCounts lays two count maps over the sorted union of categories.
func categoryCounts(a, b map[string]int64) (ref, cur []float64) {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	ref = make([]float64, len(keys))
	cur = make([]float64, len(keys))
	for i, k := range keys {
		ref[i], cur[i] = float64(a[k]), float64(b[k])
	}
	return ref, cur
}
