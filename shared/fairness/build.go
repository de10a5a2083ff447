package fairness

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// maxEmptyWarnings caps the empty-combination warnings of one set; a wide
// cross product would otherwise drown the report.
const maxEmptyWarnings = 100

// maxCrossProduct bounds the combinations walked to find the empty ones.
const maxCrossProduct = 1 << 20

// buildReport turns merged counts into the report.
func buildReport(p *plan, source string, t *totals) *Report {
	r := &Report{
		Source:   source,
		Rows:     t.rows,
		Positive: p.spec.Positive,
		Method:   p.spec.Method,
		Agg:      p.spec.Agg,
		Overall:  t.overall.rates(),
		Sets:     make([]Set, 0, len(p.sets)),
		Warnings: []Warning{},
	}
	if t.otherLine > 0 {
		r.Negative = &t.other
	}
	if t.rows == 0 {
		r.Warnings = append(r.Warnings, Warning{Code: WarnNoRows,
			Message: "the input holds no rows; nothing can be assessed"})
	}
	for i, cols := range p.sets {
		r.Sets = append(r.Sets, buildSet(p, t, i, cols, r.Overall))
	}
	if p.spec.Facet != nil {
		r.Clarify = buildClarify(p.spec.Facet, &t.facetD, &t.facetA)
		if t.facetD.n == 0 {
			r.Warnings = append(r.Warnings, Warning{Code: WarnFacetEmpty,
				Group:   map[string]string{p.spec.Facet.Column: p.spec.Facet.Value},
				Message: "no row has the facet value; the Clarify metrics are undefined"})
		}
	}
	return r
}

func buildSet(p *plan, t *totals, i int, cols []int, overall Rates) Set {
	names := p.spec.Sets[i]
	s := Set{Sensitive: append([]string(nil), names...), Groups: []Group{}, Warnings: []Warning{}}
	for _, g := range t.sets[i] {
		s.Groups = append(s.Groups, Group{Group: groupMap(names, g.values),
			Rates: g.counts.rates(), values: g.values})
	}
	numeric := numericColumns(cols, t)
	slices.SortFunc(s.Groups, func(a, b Group) int {
		return compareValues(numeric, a.values, b.values)
	})
	rates := make([]Rates, len(s.Groups))
	for j, g := range s.Groups {
		rates[j] = g.Rates
		s.Warnings = append(s.Warnings, undefinedRateWarnings(g)...)
	}
	s.Metrics = computeMetrics(rates, overall, p.spec.Method, p.spec.Agg)
	if len(s.Groups) == 1 {
		s.Warnings = append(s.Warnings, Warning{Code: WarnSingleGroup,
			Message: "the set has one group; differences are 0 and ratios 1 by construction"})
	}
	s.Warnings = append(s.Warnings, emptyCombinations(names, cols, t, i)...)
	s.Warnings = append(s.Warnings, undefinedMetricWarnings(s.Metrics, len(s.Groups))...)
	return s
}

func groupMap(names, values []string) map[string]string {
	m := make(map[string]string, len(names))
	for i, n := range names {
		m[n] = values[i]
	}
	return m
}

// numericColumns tells, for each column of a set, whether every value
// seen parses as a number; such a column sorts numerically, as pandas
// sorts an integer column, the others as strings.
func numericColumns(cols []int, t *totals) []bool {
	numeric := make([]bool, len(cols))
	for j, c := range cols {
		numeric[j] = true
		for v := range t.distinct[c] {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				numeric[j] = false
				break
			}
		}
	}
	return numeric
}

// compareValues orders groups by their values column by column.
func compareValues(numeric []bool, a, b []string) int {
	for i := range a {
		if c := compareValue(numeric[i], a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

func compareValue(numeric bool, a, b string) int {
	if numeric {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return cmp.Compare(a, b)
}

// rateNames lists each rate with its JSON name, for warnings and judgements.
var rateNames = []struct {
	name string
	of   rateOf
}{
	{"selection_rate", selectionRate},
	{"true_positive_rate", truePositiveRate},
	{"false_positive_rate", falsePositiveRate},
	{"true_negative_rate", func(r Rates) *float64 { return r.TrueNegativeRate }},
	{"false_negative_rate", func(r Rates) *float64 { return r.FalseNegativeRate }},
	{"precision", func(r Rates) *float64 { return r.Precision }},
	{"accuracy", func(r Rates) *float64 { return r.Accuracy }},
}

func undefinedRateWarnings(g Group) []Warning {
	var ws []Warning
	for _, rn := range rateNames {
		if rn.of(g.Rates) != nil {
			continue
		}
		metric := rn.name
		ws = append(ws, Warning{Code: WarnUndefinedRate, Group: g.Group, Metric: &metric,
			Message: fmt.Sprintf("%s is undefined for this group (empty denominator); "+
				"the group is left out of any aggregate of this rate", rn.name)})
	}
	return ws
}

func undefinedMetricWarnings(m Metrics, groups int) []Warning {
	if groups == 0 {
		return nil
	}
	var ws []Warning
	for _, f := range metricFields(&m) {
		if *f.value != nil {
			continue
		}
		metric := f.name
		ws = append(ws, Warning{Code: WarnUndefinedMetric, Metric: &metric,
			Message: fmt.Sprintf("%s is undefined (no group has a defined rate, or 0/0)", f.name)})
	}
	return ws
}

// emptyCombinations lists the combinations of an intersectional set's values
// that no row has; fairlearn keeps them as NaN rows, we name them instead.
func emptyCombinations(names []string, cols []int, t *totals, set int) []Warning {
	if len(cols) < 2 {
		return nil
	}
	domains := make([][]string, len(cols))
	numeric := numericColumns(cols, t)
	total := 1
	for j, c := range cols {
		for v := range t.distinct[c] {
			domains[j] = append(domains[j], v)
		}
		slices.SortFunc(domains[j], func(a, b string) int { return compareValue(numeric[j], a, b) })
		total = min(total*len(domains[j]), maxCrossProduct+1)
	}
	missing := total - len(t.sets[set])
	if missing <= 0 {
		return nil
	}
	if total > maxCrossProduct {
		return []Warning{{Code: WarnEmptyCombination, Message: fmt.Sprintf(
			"more than %d combinations of values; the empty ones are not listed", maxCrossProduct)}}
	}
	var ws []Warning
	forEachCombination(domains, func(values []string) bool {
		key := joinKey(values)
		if _, ok := t.sets[set][key]; ok {
			return true
		}
		if len(ws) == maxEmptyWarnings {
			ws = append(ws, Warning{Code: WarnEmptyCombination, Message: fmt.Sprintf(
				"%d more empty combinations not listed", missing-maxEmptyWarnings)})
			return false
		}
		ws = append(ws, Warning{Code: WarnEmptyCombination, Group: groupMap(names, values),
			Message: "no row has this combination of values; it is not assessed"})
		return true
	})
	return ws
}

func forEachCombination(domains [][]string, f func([]string) bool) {
	values := make([]string, len(domains))
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(domains) {
			return f(slices.Clone(values))
		}
		for _, v := range domains[i] {
			values[i] = v
			if !rec(i + 1) {
				return false
			}
		}
		return true
	}
	rec(0)
}
