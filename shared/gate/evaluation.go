package gate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/fairness"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// evaluation is the outcome of reading a package's evaluation predictions:
// a report, or the status and reason that stand in for one.
type evaluation struct {
	uri     string
	report  *fairness.Report
	status  findings.Status // of evaluation.data-present
	reason  string
	metrics string // evidence URI of the computed metrics
	sets    map[string]int
}

// evaluationChecks re-runs fairness and performance on the package's
// evaluation data and judges every envelope bound the gate owns.
func (a *audit) evaluationChecks(ctx context.Context) []findings.Finding {
	ev := a.evaluate(ctx)
	present := a.finding("evaluation.data-present", "", ev.status,
		map[string]any{modelregistry.KeyEvaluationData: nullIfEmpty(ev.uri)},
		map[string]any{"evaluationData": "a readable s3:// object of predictions"}, ev.reason, ev.metrics)
	fs := []findings.Finding{present}
	for _, b := range a.system.Envelope {
		if !b.IsDrift() {
			fs = append(fs, a.boundChecks(ev, b)...)
		}
	}
	return append(fs, a.claimsMatch(ctx, ev))
}

// evaluate streams the evaluation object through the fairness engine,
// computing every set any bound needs in one pass.
func (a *audit) evaluate(ctx context.Context) *evaluation {
	ev := &evaluation{uri: a.pkg.Metadata[modelregistry.KeyEvaluationData]}
	spec, sets := a.spec()
	ev.sets = sets
	bucket, key, ok := parseS3URI(ev.uri)
	switch {
	case ev.uri == "":
		ev.status, ev.reason = findings.Fail,
			"the package names no evaluation data in aims:evaluation-data"
		return ev
	case !ok:
		ev.status, ev.reason = findings.Fail,
			fmt.Sprintf("aims:evaluation-data %q is not an s3:// object URI", ev.uri)
		return ev
	}
	out, err := a.gate.Objects.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		a.objectError(ev, err)
		return ev
	}
	defer out.Body.Close()
	report, err := fairness.Evaluate(ctx, out.Body, ev.uri, spec)
	switch {
	case badinput.Is(err):
		ev.status, ev.reason = findings.Fail, "evaluation data cannot be judged: "+err.Error()
		return ev
	case err != nil:
		// Fail closed: a package whose data could not be read through is
		// not cleared, and the reason says why.
		ev.status, ev.reason = findings.Indeterminate, "evaluation failed: "+err.Error()
		return ev
	}
	ev.report, ev.status = report, findings.Pass
	ev.metrics, err = a.run.PutJSON(ctx, "metrics.json", report)
	if err != nil {
		a.fail(fmt.Errorf("keep metrics: %w", err))
	}
	return ev
}

// objectError classifies a failed read: a missing object fails the check, a
// denied one leaves it unknown, anything else is retried.
func (a *audit) objectError(ev *evaluation, err error) {
	switch awserr.Classify(err) {
	case awserr.NotFound:
		ev.status, ev.reason = findings.Fail, fmt.Sprintf("no evaluation data at %s", ev.uri)
	case awserr.AccessDenied:
		ev.status, ev.reason = findings.Indeterminate, fmt.Sprintf("access denied reading %s", ev.uri)
	default:
		a.fail(fmt.Errorf("read evaluation data %s: %w", ev.uri, err))
		ev.status, ev.reason = findings.Indeterminate, fmt.Sprintf("reading %s failed: %v", ev.uri, err)
	}
}

// spec asks the engine for every sensitive set of the evaluation and of the
// bounds, each once; sets maps a set's qualifier to its index.
func (a *audit) spec() (fairness.Spec, map[string]int) {
	e := a.system.Evaluation
	spec := fairness.Spec{Label: e.Label, Prediction: e.Prediction, Positive: e.Positive}
	if e.Weight != nil {
		spec.Weight = *e.Weight
	}
	if e.Facet != nil {
		spec.Facet = &fairness.Facet{Column: e.Facet.Column, Value: e.Facet.Value}
	}
	sets := map[string]int{}
	add := func(set []string) {
		q := qualifier(set)
		if _, ok := sets[q]; !ok {
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

// qualifier names a sensitive set as findings do: columns sorted, joined by
// commas.
func qualifier(set []string) string {
	cols := slices.Clone(set)
	slices.Sort(cols)
	return strings.Join(cols, ",")
}

func parseS3URI(uri string) (bucket, key string, ok bool) {
	rest, found := strings.CutPrefix(uri, "s3://")
	if !found {
		return "", "", false
	}
	bucket, key, _ = strings.Cut(rest, "/")
	return bucket, key, bucket != "" && key != "" && !strings.HasSuffix(key, "/")
}

// boundExpected is what a finding shows as expected for a bound.
func boundExpected(b register.Bound, method, agg string, minGroupSize int) map[string]any {
	out := map[string]any{"metric": b.Metric, "min": b.Min, "max": b.Max}
	if b.IsFairness() {
		out["method"], out["agg"], out["minGroupSize"] = method, agg, minGroupSize
	}
	return out
}
