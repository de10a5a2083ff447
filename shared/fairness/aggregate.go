package fairness

import "math"

// rateOf picks one rate out of a group's rates.
type rateOf func(Rates) *float64

func selectionRate(r Rates) *float64     { return r.SelectionRate }
func truePositiveRate(r Rates) *float64  { return r.TruePositiveRate }
func falsePositiveRate(r Rates) *float64 { return r.FalsePositiveRate }

// difference is fairlearn's MetricFrame.difference over the groups whose rate
// is defined: max − min between groups, or the largest |group − overall|.
// It is nil when no group has a defined rate.
func difference(groups []Rates, overall Rates, rate rateOf, method string) *float64 {
	vals := definedRates(groups, rate)
	if len(vals) == 0 {
		return nil
	}
	if method == ToOverall {
		o := rate(overall)
		if o == nil {
			return nil
		}
		worst := 0.0
		for _, v := range vals {
			worst = math.Max(worst, math.Abs(v-*o))
		}
		return &worst
	}
	lo, hi := minMax(vals)
	d := hi - lo
	return &d
}

// ratio between groups is min / max (0/0 undefined); to overall, each group's
// rate over the overall rate folded to min(r, 1/r), then the smallest, with
// pandas' rule that a 0/0 group is skipped.
func ratioOf(groups []Rates, overall Rates, rate rateOf, method string) *float64 {
	vals := definedRates(groups, rate)
	if len(vals) == 0 {
		return nil
	}
	if method == ToOverall {
		return ratioToOverall(vals, rate(overall))
	}
	lo, hi := minMax(vals)
	if hi == 0 {
		return nil
	}
	r := lo / hi
	return &r
}

func ratioToOverall(vals []float64, overall *float64) *float64 {
	if overall == nil {
		return nil
	}
	var best *float64
	for _, v := range vals {
		if v == 0 && *overall == 0 {
			continue
		}
		r := v / *overall
		if r > 1 {
			r = 1 / r
		}
		if best == nil || r < *best {
			best = &r
		}
	}
	return best
}

// combine joins the TPR and FPR parts of equalized odds: the worse of the two
// or their mean. It is nil when either part is undefined (ours: half of the
// criterion cannot be assessed, so neither can the whole).
func combine(tpr, fpr *float64, agg string, worse func(a, b float64) float64) *float64 {
	if tpr == nil || fpr == nil {
		return nil
	}
	v := worse(*tpr, *fpr)
	if agg == Mean {
		v = (*tpr + *fpr) / 2
	}
	return &v
}

func definedRates(groups []Rates, rate rateOf) []float64 {
	vals := make([]float64, 0, len(groups))
	for _, g := range groups {
		if v := rate(g); v != nil {
			vals = append(vals, *v)
		}
	}
	return vals
}

func minMax(vals []float64) (lo, hi float64) {
	lo, hi = vals[0], vals[0]
	for _, v := range vals[1:] {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return lo, hi
}

// computeMetrics aggregates one set's groups into the six fairness metrics.
func computeMetrics(groups []Rates, overall Rates, method, agg string) Metrics {
	dpD := difference(groups, overall, selectionRate, method)
	dpR := ratioOf(groups, overall, selectionRate, method)
	tprD := difference(groups, overall, truePositiveRate, method)
	tprR := ratioOf(groups, overall, truePositiveRate, method)
	fprD := difference(groups, overall, falsePositiveRate, method)
	fprR := ratioOf(groups, overall, falsePositiveRate, method)
	return Metrics{
		DemographicParityDifference: dpD,
		DemographicParityRatio:      dpR,
		EqualizedOddsDifference:     combine(tprD, fprD, agg, math.Max),
		EqualizedOddsRatio:          combine(tprR, fprR, agg, math.Min),
		EqualOpportunityDifference:  tprD,
		EqualOpportunityRatio:       tprR,
	}
}
