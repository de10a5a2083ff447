package fairness

// Report is the result of one evaluation. It marshals to the JSON of the
// `aimsaudit fairness` command: undefined values are null, groups are sorted
// by their values, and Clarify appears only when a facet was asked for.
type Report struct {
	Source   string    `json:"source,omitempty"`
	Rows     int64     `json:"rows"`
	Positive string    `json:"positive"`
	Negative *string   `json:"negative"`
	Method   string    `json:"method"`
	Agg      string    `json:"agg"`
	Overall  Rates     `json:"overall"`
	Sets     []Set     `json:"sets"`
	Clarify  *Clarify  `json:"clarify,omitempty"`
	Warnings []Warning `json:"warnings"`
}

// Rates holds the count, the weight and the weighted rates of one group (or
// of the whole input). A rate whose denominator is empty is nil.
type Rates struct {
	Count             int64    `json:"count"`
	Weight            float64  `json:"weight"`
	SelectionRate     *float64 `json:"selection_rate"`
	TruePositiveRate  *float64 `json:"true_positive_rate"`
	FalsePositiveRate *float64 `json:"false_positive_rate"`
	TrueNegativeRate  *float64 `json:"true_negative_rate"`
	FalseNegativeRate *float64 `json:"false_negative_rate"`
	Precision         *float64 `json:"precision"`
	Accuracy          *float64 `json:"accuracy"`
}

// Set is the result for one sensitive set: its groups and the fairness
// metrics aggregated over them with the report's method and agg.
type Set struct {
	Sensitive []string  `json:"sensitive"`
	Groups    []Group   `json:"groups"`
	Metrics   Metrics   `json:"metrics"`
	Warnings  []Warning `json:"warnings"`
}

// Group is one combination of sensitive values that occurs in the input.
type Group struct {
	Group map[string]string `json:"group"`
	Rates
	// values holds the group's values in the set's column order, for sorting
	// and for naming the group in judgements without map iteration.
	values []string
}

// Values returns the group's values in the order of its set's columns.
func (g Group) Values() []string { return append([]string(nil), g.values...) }

// Metrics are the fairlearn aggregates of one set. Nil means undefined: no
// group had a defined rate, or a ratio was 0/0.
type Metrics struct {
	DemographicParityDifference *float64 `json:"demographic_parity_difference"`
	DemographicParityRatio      *float64 `json:"demographic_parity_ratio"`
	EqualizedOddsDifference     *float64 `json:"equalized_odds_difference"`
	EqualizedOddsRatio          *float64 `json:"equalized_odds_ratio"`
	EqualOpportunityDifference  *float64 `json:"equal_opportunity_difference"`
	EqualOpportunityRatio       *float64 `json:"equal_opportunity_ratio"`
}

// Warning says why something could not be assessed or deserves attention.
// Group is nil when the warning is about a whole set or the whole input;
// Metric is empty when it concerns no single metric.
type Warning struct {
	Code    string            `json:"code"`
	Group   map[string]string `json:"group"`
	Metric  *string           `json:"metric"`
	Message string            `json:"message"`
}

// Warning codes.
const (
	WarnUndefinedRate    = "undefined-rate"
	WarnSingleGroup      = "single-group"
	WarnEmptyCombination = "empty-combination"
	WarnNoRows           = "no-rows"
	WarnFacetEmpty       = "facet-empty"
	WarnUndefinedMetric  = "undefined-metric"
)

// Clarify holds SageMaker Clarify's post-training bias metrics for one facet
// d (the rows whose facet column has the facet value) against the rest a,
// with the signs of METRICS.md. Counts are weighted when the spec names a
// weight column. A metric that divides by zero is nil (Clarify reports 0 or
// infinity).
type Clarify struct {
	Facet map[string]string `json:"facet"`
	DPPL  *float64          `json:"DPPL"`
	DI    *float64          `json:"DI"`
	DCA   *float64          `json:"DCA"`
	DCR   *float64          `json:"DCR"`
	RD    *float64          `json:"RD"`
	SD    *float64          `json:"SD"`
	DAR   *float64          `json:"DAR"`
	DRR   *float64          `json:"DRR"`
	AD    *float64          `json:"AD"`
	TE    *float64          `json:"TE"`
}
