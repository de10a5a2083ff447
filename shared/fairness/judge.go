package fairness

import (
	"fmt"
	"math"
)

// Judgement is one fairness metric recomputed for an envelope bound under
// the register's minimum-group-size rule: over the groups with at least
// minGroupSize rows and a defined rate only. The caller applies the rule:
// if Value breaks the bound, fail; else if LeftOut is not empty,
// indeterminate; else pass (a nil Value with nothing left out is
// undefined, hence indeterminate too).
type Judgement struct {
	Metric       string       `json:"metric"`
	Sensitive    []string     `json:"sensitive"`
	Method       string       `json:"method"`
	Agg          string       `json:"agg"`
	MinGroupSize int          `json:"minGroupSize"`
	Value        *float64     `json:"value"`
	Judged       []GroupCount `json:"judged"`
	LeftOut      []LeftOut    `json:"leftOut"`
	// Err is set when the request itself is wrong (unknown metric, method,
	// agg or set); Value is then nil.
	Err error `json:"-"`
}

// GroupCount names a group with its row count, as evidence.
type GroupCount struct {
	Group map[string]string `json:"group"`
	Count int64             `json:"count"`
}

// LeftOut is a group a judgement could not use, and why: Reason is
// LeftOutTooSmall or LeftOutUndefined, Rate the rate it concerns.
type LeftOut struct {
	Group  map[string]string `json:"group"`
	Count  int64             `json:"count"`
	Reason string            `json:"reason"`
	Rate   string            `json:"rate"`
}

// Reasons for leaving a group out of a judgement.
const (
	LeftOutTooSmall  = "too-small"
	LeftOutUndefined = "rate-undefined"
)

// fairnessMetrics maps each fairness metric to the rates it compares and
// whether it is a difference or a ratio.
var fairnessMetrics = map[string]struct {
	rates []string
	ratio bool
}{
	"demographic_parity_difference": {[]string{"selection_rate"}, false},
	"demographic_parity_ratio":      {[]string{"selection_rate"}, true},
	"equal_opportunity_difference":  {[]string{"true_positive_rate"}, false},
	"equal_opportunity_ratio":       {[]string{"true_positive_rate"}, true},
	"equalized_odds_difference":     {[]string{"true_positive_rate", "false_positive_rate"}, false},
	"equalized_odds_ratio":          {[]string{"true_positive_rate", "false_positive_rate"}, true},
}

// IsFairnessMetric reports whether name is one of the six group fairness
// metrics (as opposed to a performance metric judged on Overall).
func IsFairnessMetric(name string) bool {
	_, ok := fairnessMetrics[name]
	return ok
}

// Judge recomputes metric over set setIndex (the index into Spec.Sets) with
// method and agg (empty means the defaults), leaving out the groups with
// fewer than minGroupSize rows or an undefined rate. With ToOverall the
// overall rate stays the one of every row, as fairlearn's is. A performance
// metric (accuracy, precision, ...) is judged on the overall value, with no
// group left out.
func (r *Report) Judge(setIndex int, metric, method, agg string, minGroupSize int) Judgement {
	method, agg = orDefault(method, BetweenGroups), orDefault(agg, WorstCase)
	j := Judgement{Metric: metric, Method: method, Agg: agg, MinGroupSize: minGroupSize,
		Judged: []GroupCount{}, LeftOut: []LeftOut{}}
	def, ok := fairnessMetrics[metric]
	switch {
	case !ok:
		j.Value = r.Overall.Metric(metric)
		if !isRateName(metric) {
			j.Err = fmt.Errorf("unknown metric %q", metric)
		}
		return j
	case setIndex < 0 || setIndex >= len(r.Sets):
		j.Err = fmt.Errorf("no sensitive set %d (the report has %d)", setIndex, len(r.Sets))
		return j
	case method != BetweenGroups && method != ToOverall:
		j.Err = fmt.Errorf("unknown method %q", method)
		return j
	case agg != WorstCase && agg != Mean:
		j.Err = fmt.Errorf("unknown agg %q", agg)
		return j
	}
	set := r.Sets[setIndex]
	j.Sensitive = set.Sensitive
	var parts []*float64
	for _, rate := range def.rates {
		parts = append(parts, j.judgeRate(set, r.Overall, rate, def.ratio))
	}
	j.Value = parts[0]
	if len(parts) == 2 {
		worse := math.Max
		if def.ratio {
			worse = math.Min
		}
		j.Value = combine(parts[0], parts[1], agg, worse)
	}
	return j
}

// judgeRate aggregates one rate over the eligible groups and records the
// groups left out.
func (j *Judgement) judgeRate(set Set, overall Rates, rate string, isRatio bool) *float64 {
	of := rateByName(rate)
	var eligible []Rates
	for _, g := range set.Groups {
		switch {
		case g.Count < int64(j.MinGroupSize):
			j.leaveOut(g, LeftOutTooSmall, rate)
		case of(g.Rates) == nil:
			j.leaveOut(g, LeftOutUndefined, rate)
		default:
			eligible = append(eligible, g.Rates)
			j.addJudged(g)
		}
	}
	if isRatio {
		return ratioOf(eligible, overall, of, j.Method)
	}
	return difference(eligible, overall, of, j.Method)
}

func (j *Judgement) leaveOut(g Group, reason, rate string) {
	for _, l := range j.LeftOut {
		if reason == LeftOutTooSmall && l.Reason == reason && sameGroup(l.Group, g.Group) {
			return
		}
	}
	j.LeftOut = append(j.LeftOut,
		LeftOut{Group: g.Group, Count: g.Count, Reason: reason, Rate: rate})
}

func (j *Judgement) addJudged(g Group) {
	for _, x := range j.Judged {
		if sameGroup(x.Group, g.Group) {
			return
		}
	}
	j.Judged = append(j.Judged, GroupCount{Group: g.Group, Count: g.Count})
}

func sameGroup(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Metric returns a performance metric by its JSON name (selection_rate,
// true_positive_rate, false_positive_rate, true_negative_rate,
// false_negative_rate, precision, accuracy; recall is accepted for the true
// positive rate). It is nil when undefined or unknown.
func (r Rates) Metric(name string) *float64 {
	if name == "recall" {
		name = "true_positive_rate"
	}
	if !isRateName(name) {
		return nil
	}
	return rateByName(name)(r)
}

func isRateName(name string) bool {
	if name == "recall" {
		return true
	}
	for _, rn := range rateNames {
		if rn.name == name {
			return true
		}
	}
	return false
}

func rateByName(name string) rateOf {
	for _, rn := range rateNames {
		if rn.name == name {
			return rn.of
		}
	}
	return func(Rates) *float64 { return nil }
}

// metricField pairs a fairness metric's JSON name with its value in Metrics.
type metricField struct {
	name  string
	value **float64
}

func metricFields(m *Metrics) []metricField {
	return []metricField{
		{"demographic_parity_difference", &m.DemographicParityDifference},
		{"demographic_parity_ratio", &m.DemographicParityRatio},
		{"equalized_odds_difference", &m.EqualizedOddsDifference},
		{"equalized_odds_ratio", &m.EqualizedOddsRatio},
		{"equal_opportunity_difference", &m.EqualOpportunityDifference},
		{"equal_opportunity_ratio", &m.EqualOpportunityRatio},
	}
}

// Metric returns one of the set's six fairness metrics by its JSON name.
func (m Metrics) Metric(name string) *float64 {
	for _, f := range metricFields(&m) {
		if f.name == name {
			return *f.value
		}
	}
	return nil
}
