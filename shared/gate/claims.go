package gate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/fairness"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// clarifyReport is the part of a Clarify analysis file the gate compares.
type clarifyReport struct {
	PostTraining *struct {
		Label  string                  `json:"label"`
		Facets map[string][]clarifySet `json:"facets"`
	} `json:"post_training_bias_metrics"`
}

type clarifySet struct {
	Value   json.RawMessage `json:"value_or_threshold"`
	Metrics []struct {
		Name  string   `json:"name"`
		Value *float64 `json:"value"`
	} `json:"metrics"`
}

// mismatch is one claimed metric the recomputation does not confirm.
type mismatch struct {
	Metric     string   `json:"metric"`
	Claimed    *float64 `json:"claimed"`
	Recomputed *float64 `json:"recomputed"`
}

const claimsCheck = "evaluation.claims-match"

// claimsMatch compares the package's own Clarify post-training report with
// the metrics recomputed from its evaluation data for the register's facet.
func (a *audit) claimsMatch(ctx context.Context, ev *evaluation) findings.Finding {
	uri := a.pkg.BiasReportURI
	facet := a.system.Evaluation.Facet
	tol := a.system.Evaluation.ClaimsTolerance
	expected := map[string]any{"facet": facet, "claimsTolerance": tol}
	switch {
	case uri == "":
		return a.finding(claimsCheck, "", findings.NotApplicable, nil, expected,
			"the package references no Clarify post-training bias report")
	case facet == nil:
		return a.finding(claimsCheck, "", findings.Indeterminate, map[string]any{"report": uri}, expected,
			"the register names no evaluation.facet to recompute the report's metrics for")
	case ev.report == nil || ev.report.Clarify == nil:
		return a.finding(claimsCheck, "", findings.Indeterminate, map[string]any{"report": uri}, expected,
			"cannot recompute the claimed metrics: "+ev.reason)
	}
	claimed, status, reason := a.readClaims(ctx, uri, facet.Column, facet.Value)
	if claimed == nil {
		return a.finding(claimsCheck, "", status, map[string]any{"report": uri}, expected, reason)
	}
	bad, unsure := compareClaims(claimed, ev.report.Clarify, tol)
	observed := map[string]any{"report": uri, "claimed": claimed, "mismatches": bad,
		"unverifiable": unsure}
	switch {
	case len(bad) > 0:
		return a.finding(claimsCheck, "", findings.Fail, observed, expected,
			fmt.Sprintf("%d claimed metric(s) differ from the recomputed ones by more than %g",
				len(bad), tol), ev.metrics)
	case len(unsure) > 0:
		return a.finding(claimsCheck, "", findings.Indeterminate, observed, expected,
			fmt.Sprintf("%d claimed metric(s) cannot be recomputed: undefined on the evaluation data",
				len(unsure)), ev.metrics)
	}
	return a.finding(claimsCheck, "", findings.Pass, observed, expected, "", ev.metrics)
}

// readClaims fetches the report and returns the facet value's metrics by
// name, or nil with the status and reason that stand in for them.
func (a *audit) readClaims(ctx context.Context, uri, column, value string) (
	map[string]*float64, findings.Status, string) {
	bucket, key, ok := parseS3URI(uri)
	if !ok {
		return nil, findings.Fail, fmt.Sprintf("bias report %q is not an s3:// object URI", uri)
	}
	out, err := a.gate.Objects.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		switch awserr.Classify(err) {
		case awserr.NotFound:
			return nil, findings.Fail, "the referenced bias report does not exist: " + uri
		case awserr.AccessDenied:
			return nil, findings.Indeterminate, "access denied reading the bias report " + uri
		}
		a.fail(fmt.Errorf("read bias report %s: %w", uri, err))
		return nil, findings.Indeterminate, "reading the bias report failed"
	}
	defer out.Body.Close()
	var rep clarifyReport
	if err := json.NewDecoder(io.LimitReader(out.Body, 16<<20)).Decode(&rep); err != nil {
		return nil, findings.Fail, fmt.Sprintf("bias report %s is not Clarify analysis JSON: %v",
			uri, err)
	}
	claimed := facetClaims(rep, column, value)
	if claimed == nil {
		return nil, findings.Indeterminate,
			fmt.Sprintf("bias report %s has no post-training metrics for %s=%s", uri, column, value)
	}
	return claimed, findings.Pass, ""
}

func facetClaims(rep clarifyReport, column, value string) map[string]*float64 {
	if rep.PostTraining == nil {
		return nil
	}
	for _, set := range rep.PostTraining.Facets[column] {
		if facetValue(set.Value) != value {
			continue
		}
		out := map[string]*float64{}
		for _, m := range set.Metrics {
			out[m.Name] = m.Value
		}
		return out
	}
	return nil
}

// facetValue reads value_or_threshold, which Clarify writes as a string or
// a number.
func facetValue(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// compareClaims lists every claimed metric the engine also computes whose
// values differ by more than tol, and apart from those the metrics that one
// side leaves undefined, which can be neither confirmed nor refuted. Metrics
// the engine does not compute are not judged.
func compareClaims(claimed map[string]*float64, got *fairness.Clarify, tol float64) (
	bad, unsure []mismatch) {
	ours := map[string]*float64{"DPPL": got.DPPL, "DI": got.DI, "DCA": got.DCA, "DCR": got.DCR,
		"RD": got.RD, "SD": got.SD, "DAR": got.DAR, "DRR": got.DRR, "AD": got.AD, "TE": got.TE}
	for name, c := range claimed {
		o, known := ours[name]
		switch {
		case !known:
		case c == nil || o == nil:
			if (c == nil) != (o == nil) {
				unsure = append(unsure, mismatch{Metric: name, Claimed: c, Recomputed: o})
			}
		case math.Abs(*c-*o) > tol:
			bad = append(bad, mismatch{Metric: name, Claimed: c, Recomputed: o})
		}
	}
	byMetric := func(ms []mismatch) {
		sort.Slice(ms, func(i, j int) bool { return ms[i].Metric < ms[j].Metric })
	}
	byMetric(bad)
	byMetric(unsure)
	return bad, unsure
}
