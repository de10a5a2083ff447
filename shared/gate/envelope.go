package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/fairness"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// boundChecks judges one envelope bound: a performance bound once on the
// overall value, a fairness bound once per sensitive set it applies to.
func (a *audit) boundChecks(ev *evaluation, b register.Bound) []findings.Finding {
	method, agg := b.Method, b.Agg
	if method == "" {
		method = fairness.BetweenGroups
	}
	if agg == "" {
		agg = fairness.WorstCase
	}
	minSize := a.system.Evaluation.MinGroupSize
	expected := boundExpected(b, method, agg, minSize)
	check := "envelope." + b.Metric
	if !b.IsFairness() {
		return []findings.Finding{a.performanceBound(ev, b, check, expected)}
	}
	sets := b.Sensitive
	if len(sets) == 0 {
		sets = a.system.Evaluation.Sensitive
	}
	var out []findings.Finding
	for _, set := range sets {
		q := qualifier(set)
		if ev.report == nil {
			out = append(out, a.finding(check, q, findings.Indeterminate, nil, expected,
				"cannot be assessed: "+ev.reason))
			continue
		}
		j := ev.report.Judge(ev.sets[q], b.Metric, method, agg, minSize)
		out = append(out, a.fairnessBound(ev, b, check, q, j, expected))
	}
	return out
}

func (a *audit) performanceBound(ev *evaluation, b register.Bound, check string,
	expected map[string]any) findings.Finding {
	if ev.report == nil {
		return a.finding(check, "", findings.Indeterminate, nil, expected,
			"cannot be assessed: "+ev.reason)
	}
	value := ev.report.Overall.Metric(b.Metric)
	observed := map[string]any{"value": value, "rows": ev.report.Rows}
	switch {
	case value == nil:
		return a.finding(check, "", findings.Indeterminate, observed, expected,
			fmt.Sprintf("%s is undefined on the evaluation data", b.Metric), ev.metrics)
	case b.Breaks(*value):
		return a.finding(check, "", findings.Fail, observed, expected,
			fmt.Sprintf("%s is %.4f, outside %s", b.Metric, *value, limits(b)), ev.metrics)
	}
	return a.finding(check, "", findings.Pass, observed, expected, "", ev.metrics)
}

// fairnessBound applies the register's minimum-group-size rule: judged on
// the groups large enough and with a defined rate; a break among those
// fails, otherwise any group left out makes the bound indeterminate.
func (a *audit) fairnessBound(ev *evaluation, b register.Bound, check, q string,
	j fairness.Judgement, expected map[string]any) findings.Finding {
	observed := map[string]any{"value": j.Value, "groupsJudged": j.Judged, "groupsLeftOut": j.LeftOut}
	switch {
	case j.Err != nil:
		return a.finding(check, q, findings.Indeterminate, observed, expected,
			fmt.Sprintf("%s over %s cannot be computed: %v", b.Metric, q, j.Err), ev.metrics)
	case j.Value != nil && b.Breaks(*j.Value):
		return a.finding(check, q, findings.Fail, observed, expected,
			fmt.Sprintf("%s over %s is %.4f, outside %s", b.Metric, q, *j.Value, limits(b)), ev.metrics)
	case len(j.LeftOut) > 0:
		return a.finding(check, q, findings.Indeterminate, observed, expected,
			fmt.Sprintf("%s over %s left out %d group(s): %s", b.Metric, q, len(j.LeftOut),
				describeLeftOut(j.LeftOut)), ev.metrics)
	case j.Value == nil:
		return a.finding(check, q, findings.Indeterminate, observed, expected,
			fmt.Sprintf("%s over %s is undefined", b.Metric, q), ev.metrics)
	}
	return a.finding(check, q, findings.Pass, observed, expected, "", ev.metrics)
}

func limits(b register.Bound) string {
	switch {
	case b.Min != nil && b.Max != nil:
		return fmt.Sprintf("[%g, %g]", *b.Min, *b.Max)
	case b.Min != nil:
		return fmt.Sprintf("min %g", *b.Min)
	default:
		return fmt.Sprintf("max %g", *b.Max)
	}
}

// describeLeftOut names the groups a judgement left out, and why, in a few
// words each.
func describeLeftOut(groups []fairness.LeftOut) string {
	const most = 5
	parts := make([]string, 0, most+1)
	for i, g := range groups {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(groups)-most))
			break
		}
		why := fmt.Sprintf("%d rows", g.Count)
		if g.Reason == fairness.LeftOutUndefined {
			why = g.Rate + " undefined"
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", groupName(g.Group), why))
	}
	return strings.Join(parts, ", ")
}

func groupName(g map[string]string) string {
	keys := make([]string, 0, len(g))
	for k := range g {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + g[k]
	}
	return strings.Join(parts, ",")
}
