package azureml

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/fairness"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// evaluation is the outcome of reading a version's evaluation predictions:
// a report, or the verdict that stands in for one.
type evaluation struct {
	uri     string
	report  *fairness.Report
	present verdict // of evaluation.data-present
	metrics string  // evidence URI of the computed metrics
	sets    map[string]int
}

// evaluationChecks re-runs fairness and performance on the version's
// evaluation data and judges every envelope bound the gate owns.
func (a *gateAudit) evaluationChecks(ctx context.Context) []findings.Finding {
	ev := a.evaluate(ctx)
	fs := []findings.Finding{a.finding(checkDataPresent, "", ev.present)}
	for _, b := range a.system.Envelope {
		if !b.IsDrift() {
			fs = append(fs, a.boundChecks(ev, b)...)
		}
	}
	// Azure ML model versions carry no Clarify report to compare with.
	return append(fs, a.finding(checkClaimsMatch, "", notApplicable(
		"Azure ML model versions reference no Clarify post-training bias report")))
}

// evaluate streams the evaluation data through the fairness engine,
// computing every set any bound needs in one pass.
func (a *gateAudit) evaluate(ctx context.Context) *evaluation {
	ev := &evaluation{uri: a.model.tags[TagEvaluationData]}
	observed := map[string]any{TagEvaluationData: nullIf(ev.uri)}
	expected := map[string]any{"evaluationData": "a readable s3:// object or https:// blob " +
		"of predictions"}
	if ev.uri == "" {
		ev.present = fail(observed, expected, "the model version names no evaluation data in "+
			TagEvaluationData)
		return ev
	}
	spec, sets := a.spec()
	ev.sets = sets
	report, err := a.read(ctx, ev.uri, spec)
	if err != nil {
		ev.present = a.readFailure(observed, expected, ev.uri, err)
		return ev
	}
	ev.report = report
	ev.metrics, err = a.run.PutJSON(ctx, "metrics.json", report)
	if err != nil && a.err == nil {
		a.err = wrap("keep metrics", err)
	}
	ev.present = pass(observed, expected, ev.metrics)
	return ev
}

func (a *gateAudit) read(ctx context.Context, uri string, spec fairness.Spec) (
	*fairness.Report, error) {
	body, err := a.check.Objects.Open(ctx, uri)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	return fairness.Evaluate(ctx, body, uri, spec)
}

// readFailure classifies a failed evaluation: a missing, unusable or
// malformed document fails the check, a denied one leaves it unknown,
// anything else is retried.
func (a *gateAudit) readFailure(observed, expected any, uri string, err error) verdict {
	switch {
	case errors.Is(err, ErrUnsupportedURI):
		return fail(observed, expected, fmt.Sprintf("%s %q: %v", TagEvaluationData, uri,
			ErrUnsupportedURI))
	case badinput.Is(err):
		return fail(observed, expected, "evaluation data cannot be judged: "+err.Error())
	case kindOf(err) == awserr.NotFound:
		return fail(observed, expected, "no evaluation data at "+uri)
	case kindOf(err) == awserr.AccessDenied:
		return unknown(observed, expected, "access denied reading "+uri)
	}
	if a.err == nil {
		a.err = wrap("evaluate "+uri, err)
	}
	return unknown(observed, expected, "evaluation failed: "+err.Error())
}

// spec asks the engine for every sensitive set of the evaluation and of the
// bounds, each once; sets maps a set's qualifier to its index.
func (a *gateAudit) spec() (fairness.Spec, map[string]int) {
	e := a.system.Evaluation
	spec := fairness.Spec{Label: e.Label, Prediction: e.Prediction, Positive: e.Positive}
	if e.Weight != nil {
		spec.Weight = *e.Weight
	}
	sets := map[string]int{}
	add := func(set []string) {
		if q := qualifier(set); !hasKey(sets, q) {
			sets[q] = len(spec.Sets)
			spec.Sets = append(spec.Sets, set)
		}
	}
	for _, set := range e.Sensitive {
		add(set)
	}
	for _, b := range a.system.Envelope {
		for _, set := range b.Sensitive {
			add(set)
		}
	}
	return spec, sets
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// qualifier names a sensitive set as findings do: columns sorted, joined
// by commas.
func qualifier(set []string) string {
	cols := slices.Clone(set)
	slices.Sort(cols)
	return strings.Join(cols, ",")
}

// boundChecks judges one envelope bound: a performance bound once on the
// overall value, a fairness bound once per sensitive set it applies to.
func (a *gateAudit) boundChecks(ev *evaluation, b register.Bound) []findings.Finding {
	method, agg := orDefault(b.Method, fairness.BetweenGroups), orDefault(b.Agg, fairness.WorstCase)
	minSize := a.system.Evaluation.MinGroupSize
	expected := map[string]any{"metric": b.Metric, "min": b.Min, "max": b.Max}
	check := "envelope." + b.Metric
	if !b.IsFairness() {
		return []findings.Finding{a.finding(check, "", performance(ev, b, expected))}
	}
	expected["method"], expected["agg"], expected["minGroupSize"] = method, agg, minSize
	sets := b.Sensitive
	if len(sets) == 0 {
		sets = a.system.Evaluation.Sensitive
	}
	var out []findings.Finding
	for _, set := range sets {
		q := qualifier(set)
		v := unknown(nil, expected, "cannot be assessed: "+ev.present.reason)
		if ev.report != nil {
			j := ev.report.Judge(ev.sets[q], b.Metric, method, agg, minSize)
			v = fairnessBound(ev, b, q, j, expected)
		}
		out = append(out, a.finding(check, q, v))
	}
	return out
}

func performance(ev *evaluation, b register.Bound, expected any) verdict {
	if ev.report == nil {
		return unknown(nil, expected, "cannot be assessed: "+ev.present.reason)
	}
	value := ev.report.Overall.Metric(b.Metric)
	observed := map[string]any{"value": value, "rows": ev.report.Rows}
	switch {
	case value == nil:
		return unknown(observed, expected, b.Metric+" is undefined on the evaluation data",
			ev.metrics)
	case b.Breaks(*value):
		return fail(observed, expected, fmt.Sprintf("%s is %.4f, outside %s", b.Metric, *value,
			limits(b)), ev.metrics)
	}
	return pass(observed, expected, ev.metrics)
}

// fairnessBound applies the register's minimum-group-size rule: a break
// among the groups judged fails, otherwise any group left out makes the
// bound indeterminate.
func fairnessBound(ev *evaluation, b register.Bound, q string, j fairness.Judgement,
	expected any) verdict {
	observed := map[string]any{"value": j.Value, "groupsJudged": j.Judged,
		"groupsLeftOut": j.LeftOut}
	switch {
	case j.Err != nil:
		return unknown(observed, expected, fmt.Sprintf("%s over %s cannot be computed: %v",
			b.Metric, q, j.Err), ev.metrics)
	case j.Value != nil && b.Breaks(*j.Value):
		return fail(observed, expected, fmt.Sprintf("%s over %s is %.4f, outside %s", b.Metric,
			q, *j.Value, limits(b)), ev.metrics)
	case len(j.LeftOut) > 0:
		return unknown(observed, expected, fmt.Sprintf("%s over %s left out %d group(s)",
			b.Metric, q, len(j.LeftOut)), ev.metrics)
	case j.Value == nil:
		return unknown(observed, expected, fmt.Sprintf("%s over %s is undefined", b.Metric, q),
			ev.metrics)
	}
	return pass(observed, expected, ev.metrics)
}

func limits(b register.Bound) string {
	switch {
	case b.Min != nil && b.Max != nil:
		return fmt.Sprintf("[%g, %g]", *b.Min, *b.Max)
	case b.Min != nil:
		return fmt.Sprintf("min %g", *b.Min)
	}
	return fmt.Sprintf("max %g", *b.Max)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
