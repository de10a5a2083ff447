package drift

import (
	"fmt"
	"math"
)

// Test names, as CONTRACTS.md spells them.
const (
	TestAuto          = "auto"
	TestKS            = "ks"
	TestChiSquare     = "chisquare"
	TestZ             = "z"
	TestWasserstein   = "wasserstein"
	TestJensenShannon = "jensenshannon"
	TestPSI           = "psi"
	TestPSIQuantile   = "psi_quantile"
	TestKLDiv         = "kl_div"
)

// Tests lists every test name Compare accepts.
var Tests = []string{TestAuto, TestKS, TestChiSquare, TestZ, TestWasserstein,
	TestJensenShannon, TestPSI, TestPSIQuantile, TestKLDiv}

// Evidently's default thresholds and the size limits of its default choice.
const (
	pValueThreshold   = 0.05
	distanceThreshold = 0.1
	smallReference    = 1000
	fewValues         = 5
	binaryValues      = 2
)

// Options choose the test for a column. The zero value is Evidently's
// default choice with its default threshold and KS auto mode.
type Options struct {
	Test      string
	KSMode    KSMode
	Threshold *float64
}

// Result is one column's verdict, in CONTRACTS.md's field names. Statistic,
// PValue and Drifted are nil where undefined: p_value for the distances,
// all three when a sample is empty.
type Result struct {
	Column    string   `json:"column"`
	Type      Kind     `json:"type"`
	Test      string   `json:"test"`
	Statistic *float64 `json:"statistic"`
	PValue    *float64 `json:"p_value"`
	Threshold float64  `json:"threshold"`
	Drifted   *bool    `json:"drifted"`
	// KSMethod says whether a KS p-value is exact or asymptotic.
	KSMethod      KSMode    `json:"ks_method,omitempty"`
	ReferenceRows int64     `json:"reference_rows"`
	CurrentRows   int64     `json:"current_rows"`
	Warnings      []Warning `json:"-"`
}

// Warning is CONTRACTS.md's warning object; Group holds the column.
type Warning struct {
	Code    string `json:"code"`
	Group   string `json:"group"`
	Metric  string `json:"metric"`
	Message string `json:"message"`
}

// Compare tests one column of the reference against the same column of the
// current data. It fails only on a test that cannot apply to the column's
// kind; an empty sample gives an undefined result with a warning.
func Compare(column string, ref, cur Sample, opt Options) (Result, error) {
	test, err := chooseTest(ref, cur, opt)
	if err != nil {
		return Result{}, fmt.Errorf("compare %s: %w", column, err)
	}
	mode := opt.KSMode
	if mode == "" {
		mode = KSAuto
	}
	r := Result{Column: column, Type: ref.Kind, Test: test,
		Threshold: defaultThreshold(test), ReferenceRows: ref.Len(), CurrentRows: cur.Len()}
	if opt.Threshold != nil {
		r.Threshold = *opt.Threshold
	}
	if r.ReferenceRows == 0 || r.CurrentRows == 0 {
		r.Warnings = append(r.Warnings, Warning{Code: "empty-sample", Group: column,
			Metric: test, Message: "no non-missing values in the reference or the current " +
				"data; drift cannot be assessed"})
		return r, nil
	}
	if err := runTest(&r, ref, cur, mode); err != nil {
		return Result{}, fmt.Errorf("compare %s: %w", column, err)
	}
	return r, nil
}

// chooseTest resolves auto and checks that the test applies to the column.
func chooseTest(ref, cur Sample, opt Options) (string, error) {
	if ref.Kind != cur.Kind {
		return "", fmt.Errorf("reference is %s, current is %s", ref.Kind, cur.Kind)
	}
	test := opt.Test
	if test == "" || test == TestAuto {
		test = DefaultTest(ref, cur)
	}
	return test, checkApplies(test, ref.Kind)
}

// DefaultTest is Evidently 0.7's choice of test, with distinct values
// counted over both samples together.
func DefaultTest(ref, cur Sample) string {
	distinct := distinctCount(ref, cur, fewValues)
	numerous := ref.Kind == Numerical && distinct > fewValues
	switch {
	case ref.Len() <= smallReference && numerous:
		return TestKS
	case ref.Len() <= smallReference && distinct > binaryValues:
		return TestChiSquare
	case ref.Len() <= smallReference:
		return TestZ
	case numerous:
		return TestWasserstein
	default:
		return TestJensenShannon
	}
}

// distinctCount counts distinct values over both samples, stopping past limit.
func distinctCount(ref, cur Sample, limit int) int {
	if ref.Kind == Numerical {
		return distinctUpTo(ref.Values, cur.Values, limit)
	}
	n := len(ref.Counts)
	for k := range cur.Counts {
		if _, ok := ref.Counts[k]; !ok {
			n++
		}
	}
	return n
}

func checkApplies(test string, kind Kind) error {
	switch test {
	case TestKS, TestWasserstein, TestPSIQuantile:
		if kind != Numerical {
			return fmt.Errorf("test %s needs a numerical column", test)
		}
	case TestChiSquare, TestZ, TestJensenShannon, TestPSI, TestKLDiv:
	default:
		return fmt.Errorf("unknown test %q", test)
	}
	return nil
}

func defaultThreshold(test string) float64 {
	switch test {
	case TestKS, TestChiSquare, TestZ:
		return pValueThreshold
	}
	return distanceThreshold
}

// runTest fills the statistic, p-value and verdict.
func runTest(r *Result, ref, cur Sample, mode KSMode) error {
	switch r.Test {
	case TestKS:
		ks, err := KS2Samp(ref.Values, cur.Values, mode)
		if err != nil {
			return err
		}
		r.KSMethod = ks.Method
		if mode == KSExact && ks.Method != KSExact {
			r.Warnings = append(r.Warnings, Warning{Code: "ks-exact-unavailable",
				Group: r.Column, Metric: r.Test, Message: "the exact KS p-value is out of " +
					"reach for these sample sizes; the asymptotic one is reported"})
		}
		setPValue(r, ks.Statistic, ks.PValue, ks.PValue <= r.Threshold)
	case TestChiSquare:
		c := ChiSquare(counts(ref, cur))
		if math.IsInf(c.Statistic, 1) {
			r.Warnings = append(r.Warnings, Warning{Code: "category-not-in-reference",
				Group: r.Column, Metric: r.Test, Message: "a category of the current data " +
					"is absent from the reference: the statistic is infinite and p = 0"})
		}
		if c.DF < 1 {
			r.Warnings = append(r.Warnings, Warning{Code: "single-category", Group: r.Column,
				Metric: r.Test, Message: "one category in both samples: chi-square has no " +
					"degrees of freedom"})
		}
		setPValue(r, c.Statistic, c.PValue, c.PValue < r.Threshold)
	case TestZ:
		z := ZTest(counts(ref, cur))
		setPValue(r, z.Statistic, z.PValue, z.PValue < r.Threshold)
	case TestWasserstein:
		setDistance(r, WassersteinNorm(ref.Values, cur.Values))
	case TestJensenShannon:
		p, q := binnedShares(ref, cur, false)
		setDistance(r, JensenShannon(p, q))
	case TestPSI:
		p, q := binnedShares(ref, cur, true)
		setDistance(r, PSI(p, q))
	case TestKLDiv:
		p, q := binnedShares(ref, cur, true)
		setDistance(r, KLDiv(p, q))
	case TestPSIQuantile:
		setDistance(r, PSIQuantile(ref.Values, cur.Values))
	}
	return nil
}

func setPValue(r *Result, stat, p float64, drifted bool) {
	r.Statistic = finite(stat)
	r.PValue = finite(p)
	if r.PValue != nil {
		r.Drifted = &drifted
	}
}

func setDistance(r *Result, d float64) {
	r.Statistic = finite(d)
	if r.Statistic != nil {
		drifted := d >= r.Threshold
		r.Drifted = &drifted
	}
}

// finite returns nil for NaN and ±Inf, which JSON cannot carry; callers
// warn about an infinite statistic.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// counts lays both samples over the sorted union of their values.
func counts(ref, cur Sample) ([]float64, []float64) {
	if ref.Kind == Numerical {
		return valueCounts(ref.Values, cur.Values)
	}
	return categoryCounts(ref.Counts, cur.Counts)
}

// binnedShares is Evidently's get_binned_data: Sturges bins over both
// samples for a numerical column with more than 20 distinct reference
// values, otherwise one bin per value; fill applies the empty-bin rule.
func binnedShares(ref, cur Sample, fill bool) ([]float64, []float64) {
	var p, q []float64
	if ref.Kind == Numerical &&
		distinctUpTo(ref.Values, nil, sturgesBinsMinDistinct) > sturgesBinsMinDistinct {
		edges := SturgesEdges(ref.Values, cur.Values)
		p, q = HistogramShares(ref.Values, edges), HistogramShares(cur.Values, edges)
	} else {
		p, q = counts(ref, cur)
		nr, nc := float64(ref.Len()), float64(cur.Len())
		for i := range p {
			p[i] /= nr
			q[i] /= nc
		}
	}
	if fill {
		FillEmpty(p)
		FillEmpty(q)
	}
	return p, q
}

// PSIQuantile is the credit-risk PSI: reference deciles as edges, open
// outer bins, the same empty-bin rule. Both samples must be sorted.
func PSIQuantile(ref, cur []float64) float64 {
	edges := QuantileEdges(ref)
	p, q := QuantileShares(ref, edges), QuantileShares(cur, edges)
	FillEmpty(p)
	FillEmpty(q)
	return PSI(p, q)
}

// Report is the dataset verdict of CONTRACTS.md.
type Report struct {
	Columns        []Result  `json:"columns"`
	DriftedColumns int       `json:"drifted_columns"`
	DriftedShare   *float64  `json:"drifted_share"`
	DatasetDrift   *bool     `json:"dataset_drift"`
	Warnings       []Warning `json:"warnings"`
}

// datasetDriftShare: the dataset drifts when at least this share of its
// columns drift, Evidently's default.
const datasetDriftShare = 0.5

// Summarize counts drifted columns. Columns whose verdict is undefined are
// left out of the share (and carry a warning); with none judged the share
// and the dataset verdict are undefined.
func Summarize(results []Result) Report {
	rep := Report{Columns: results, Warnings: []Warning{}}
	judged := 0
	for _, r := range results {
		rep.Warnings = append(rep.Warnings, r.Warnings...)
		if r.Drifted == nil {
			continue
		}
		judged++
		if *r.Drifted {
			rep.DriftedColumns++
		}
	}
	if judged > 0 {
		share := float64(rep.DriftedColumns) / float64(judged)
		drift := share >= datasetDriftShare
		rep.DriftedShare, rep.DatasetDrift = &share, &drift
	}
	return rep
}
