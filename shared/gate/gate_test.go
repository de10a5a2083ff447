package gate

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/synth"
)

func (e *estate) evalData(key string, o synth.Options) string {
	var b bytes.Buffer
	must(e.t, synth.Write(&b, o))
	e.put(evalBucket, key, b.Bytes())
	return "s3://" + evalBucket + "/" + key
}

func covered(data string) map[string]string {
	return map[string]string{
		modelregistry.KeyImpactAssessment: "AIIA-2026-007",
		modelregistry.KeyEvaluationData:   data,
	}
}

func statusOf(t *testing.T, res *Result, check, qualifier string) findings.Status {
	t.Helper()
	for _, f := range res.Findings {
		if f.Check == check && f.Qualifier == qualifier {
			return f.Status
		}
	}
	t.Fatalf("no finding %s[%s] in %v", check, qualifier, blocking(res.Findings))
	return ""
}

func TestThreeVersionsOfTheDemo(t *testing.T) {
	e := newEstate(t)
	fair := e.evalData("credit-risk/v1.csv", synth.Fair(1))
	v1 := e.addPackage(modelregistry.Approved, covered(fair), "")
	v2 := e.addPackage(modelregistry.Approved,
		map[string]string{
			modelregistry.KeyEvaluationData: e.evalData("credit-risk/v2.csv", synth.Fair(2)),
		}, "")
	v3 := e.addPackage(modelregistry.Approved,
		covered(e.evalData("credit-risk/v3.csv", synth.Biased(3))), "")
	g := e.gate(false)

	r1 := run(t, g, eventFor(t, v1, "Approved"))
	if r1.After != modelregistry.Approved || len(r1.Actions) != 0 || failing(r1) != "" {
		t.Errorf("v1: got %s with %q, want it to stay Approved with nothing failing",
			r1.After, failing(r1))
	}
	if got := statusOf(t, r1, "evaluation.claims-match", ""); got != findings.NotApplicable {
		t.Errorf("v1 claims-match: got %s, want not_applicable without a report", got)
	}

	r2 := run(t, g, eventFor(t, v2, "Approved"))
	if failing(r2) != "impact-assessment.present" {
		t.Errorf("v2: got failing %q, want only impact-assessment.present", failing(r2))
	}
	if got := statusOf(t, r2, "impact-assessment.covers-version", ""); got != findings.NotApplicable {
		t.Errorf("v2 covers-version: got %s, want not_applicable", got)
	}

	r3 := run(t, g, eventFor(t, v3, "Approved"))
	if got := statusOf(t, r3, "envelope.demographic_parity_difference", "sex"); got != findings.Fail {
		t.Errorf("v3 dpd[sex]: got %s, want fail", got)
	}
	if got := statusOf(t, r3, "envelope.accuracy", ""); got != findings.Pass {
		t.Errorf("v3 accuracy: got %s, want pass", got)
	}

	for _, c := range []struct {
		arn, want string
		why       []string
	}{
		{v1, modelregistry.Approved, nil},
		{v2, modelregistry.Rejected, []string{"impact-assessment.present"}},
		{v3, modelregistry.Rejected, []string{"envelope.demographic_parity_difference[sex]"}},
	} {
		status, desc, meta := e.approval(c.arn)
		if status != c.want {
			t.Errorf("%s: got %s, want %s", c.arn, status, c.want)
		}
		for _, w := range c.why {
			if !strings.Contains(desc, w) {
				t.Errorf("%s: description %q does not name %s", c.arn, desc, w)
			}
		}
		if c.want == modelregistry.Rejected && meta[modelregistry.KeyEvaluationData] == "" {
			t.Errorf("%s: rejection dropped the package's metadata: %v", c.arn, meta)
		}
	}
	alerts := e.alerts()
	if len(alerts) != r1.Alerts+r2.Alerts+r3.Alerts || r1.Alerts != 0 ||
		r2.Alerts == 0 || r3.Alerts == 0 {
		t.Errorf("got %d alerts on the bus (results said %d, %d, %d)",
			len(alerts), r1.Alerts, r2.Alerts, r3.Alerts)
	}
}

func TestSecondAndConcurrentDeliveriesAlertOnce(t *testing.T) {
	e := newEstate(t)
	arn := e.addPackage(modelregistry.Approved, covered(e.evalData("v.csv", synth.Biased(7))), "")
	event := eventFor(t, arn, "Approved")
	g := e.gate(false)

	var wg sync.WaitGroup
	results := make([]*Result, 3)
	for i := range results {
		wg.Go(func() { results[i] = run(t, g, event) })
	}
	wg.Wait()
	again := run(t, g, event)
	if len(again.Findings) != 0 || again.After != modelregistry.Rejected {
		t.Errorf("redelivery after rejection: got %d findings, status %s",
			len(again.Findings), again.After)
	}
	alerts := e.alerts()
	perFinding := map[string]int{}
	for _, a := range alerts {
		perFinding[a.Detail.Finding.Check+"["+a.Detail.Finding.Qualifier+"]"]++
	}
	if len(perFinding) == 0 {
		t.Fatal("no alert at all")
	}
	for k, n := range perFinding {
		if n != 1 {
			t.Errorf("finding %s alerted %d times, want once", k, n)
		}
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	e := newEstate(t)
	arn := e.addPackage(modelregistry.Approved, covered(e.evalData("v.csv", synth.Biased(8))), "")
	res := run(t, e.gate(true), eventFor(t, arn, "Approved"))
	if len(res.Actions) != 0 || !res.DryRun {
		t.Errorf("dry run: got actions %v, dryRun %v", res.Actions, res.DryRun)
	}
	if status, _, _ := e.approval(arn); status != modelregistry.Approved {
		t.Errorf("dry run changed the package to %s", status)
	}
	alerts := e.alerts()
	if len(alerts) == 0 {
		t.Fatal("dry run sent no alerts")
	}
	for _, a := range alerts {
		if !a.Detail.DryRun {
			t.Errorf("alert %s without dryRun", a.Detail.Finding.Check)
		}
	}
	// The state table was not written, so a real run alerts again.
	res = run(t, e.gate(false), eventFor(t, arn, "Approved"))
	if res.Alerts == 0 || res.After != modelregistry.Rejected {
		t.Errorf("real run after dry run: got %d alerts, status %s", res.Alerts, res.After)
	}
}

func TestMissingEvaluationObject(t *testing.T) {
	e := newEstate(t)
	arn := e.addPackage(modelregistry.Approved, covered("s3://"+evalBucket+"/gone.csv"), "")
	res := run(t, e.gate(false), eventFor(t, arn, "Approved"))
	if got := statusOf(t, res, "evaluation.data-present", ""); got != findings.Fail {
		t.Errorf("data-present: got %s, want fail", got)
	}
	if got := statusOf(t, res, "envelope.accuracy", ""); got != findings.Indeterminate {
		t.Errorf("accuracy without data: got %s, want indeterminate", got)
	}
	if res.After != modelregistry.Rejected {
		t.Errorf("got %s, want Rejected", res.After)
	}
}

func TestAssessmentPastReview(t *testing.T) {
	e := newEstate(t)
	e.putRegister("assessments/AIIA-2026-007.json",
		strings.Replace(assessmentDoc, "2027-06-01", "2026-12-02", 1))
	arn := e.addPackage(modelregistry.Approved, covered(e.evalData("v.csv", synth.Fair(9))), "")
	res := run(t, e.gate(false), eventFor(t, arn, "Approved"))
	if failing(res) != "impact-assessment.review-current" {
		t.Errorf("got failing %q, want only impact-assessment.review-current", failing(res))
	}
}

func TestGroupTooSmallToJudge(t *testing.T) {
	e := newEstate(t)
	var rows []evalRow
	for _, sex := range []string{"F", "M"} {
		for _, age := range []string{"26-35", "36-50"} {
			rows = append(rows, evalRow{sex, age, 1, 1, 40}, evalRow{sex, age, 0, 0, 40},
				evalRow{sex, age, 1, 0, 5}, evalRow{sex, age, 0, 1, 5})
		}
	}
	rows = append(rows, evalRow{"F", "65+", 1, 1, 3}, evalRow{"F", "65+", 0, 1, 3})
	e.put(evalBucket, "small.csv", csvRows(rows...))
	arn := e.addPackage(modelregistry.Approved, covered("s3://"+evalBucket+"/small.csv"), "")
	res := run(t, e.gate(false), eventFor(t, arn, "Approved"))
	got := statusOf(t, res, "envelope.demographic_parity_difference", "age_band")
	if got != findings.Indeterminate {
		t.Errorf("dpd[age_band] with a group of 6: got %s, want indeterminate", got)
	}
	if got := statusOf(t, res, "envelope.demographic_parity_difference", "sex"); got != findings.Pass {
		t.Errorf("dpd[sex]: got %s, want pass", got)
	}
	if res.After != modelregistry.Rejected {
		t.Errorf("got %s, want Rejected: an indeterminate bound blocks", res.After)
	}
}

func TestPackageOfNoSystem(t *testing.T) {
	e := newEstate(t)
	e.putRegister("systems/credit-risk.json",
		strings.Replace(systemDoc, `["credit-risk"]`, `["fraud"]`, 1))
	arn := e.addPackage(modelregistry.Approved, covered(e.evalData("v.csv", synth.Fair(10))), "")
	res := run(t, e.gate(false), eventFor(t, arn, "Approved"))
	if got := statusOf(t, res, "register.system-found", ""); got != findings.Fail {
		t.Errorf("system-found: got %s, want fail", got)
	}
	if res.Findings[0].System != nil {
		t.Errorf("finding names system %q for a package no system lists", *res.Findings[0].System)
	}
	if res.After != modelregistry.Rejected {
		t.Errorf("got %s, want Rejected", res.After)
	}
}

func TestPendingPackageIsClearedNotChanged(t *testing.T) {
	e := newEstate(t)
	arn := e.addPackage(modelregistry.PendingManualApproval,
		covered(e.evalData("v.csv", synth.Fair(11))), "")
	g := e.gate(false)
	res := run(t, g, eventFor(t, arn, "PendingManualApproval"))
	if res.After != modelregistry.PendingManualApproval || len(res.Actions) != 0 ||
		failing(res) != "" {
		t.Fatalf("got %s, actions %v, failing %q", res.After, res.Actions, failing(res))
	}
	run(t, g, eventFor(t, arn, "PendingManualApproval")) // a redelivery announces nothing
	var cleared int
	for _, a := range e.alerts() {
		if a.DetailType == "AIMS Promotion Cleared" && a.Detail.ModelPackageArn == arn {
			cleared++
			if len(a.Detail.Findings) != len(res.Findings) {
				t.Errorf("cleared event lists %d findings, want %d", len(a.Detail.Findings), len(res.Findings))
			}
		}
	}
	if cleared != 1 {
		t.Errorf("got %d cleared events, want 1", cleared)
	}

	biased := e.addPackage(modelregistry.PendingManualApproval,
		covered(e.evalData("b.csv", synth.Biased(12))), "")
	res = run(t, e.gate(false), eventFor(t, biased, "PendingManualApproval"))
	status, _, _ := e.approval(biased)
	if status != modelregistry.PendingManualApproval || len(res.Actions) != 0 {
		t.Errorf("failing pending package: got %s with actions %v, want it unchanged",
			status, res.Actions)
	}
	for _, a := range e.alerts() {
		if a.DetailType == "AIMS Promotion Cleared" {
			t.Errorf("a failing package was announced cleared")
		}
	}
}

func TestNothingToDoForRejected(t *testing.T) {
	e := newEstate(t)
	arn := e.addPackage(modelregistry.Rejected, covered(e.evalData("v.csv", synth.Biased(13))), "")
	res := run(t, e.gate(false), eventFor(t, arn, "Rejected"))
	if len(res.Findings) != 0 || len(e.alerts()) != 0 {
		t.Errorf("got %d findings for a rejected package", len(res.Findings))
	}
}

func TestOtherEventsIgnoredAndBadOnesNamed(t *testing.T) {
	e := newEstate(t)
	g := e.gate(false)
	res := run(t, g, []byte(
		`{"source": "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", "detail": {}}`))
	if len(res.Findings) != 0 {
		t.Errorf("endpoint event gave %d findings", len(res.Findings))
	}
	for raw, want := range map[string]string{
		`{"source": "aws.sagemaker", "detail-type": "SageMaker Model Package State Change", ` +
			`"detail": {"ModelPackageArn": 7}}`: "detail.ModelPackageArn",
		`{"source": "aws.sagemaker", ` +
			`"detail-type": "SageMaker Model Package State Change"}`: "detail: missing",
		`{"source": "aws.sagemaker", "detail-type": "SageMaker Model Package State Change", ` +
			`"detail": {}}`: "detail.ModelPackageArn: missing",
		`not json`: "malformed event",
	} {
		_, err := g.Handle(t.Context(), []byte(raw))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error naming %q", raw, err, want)
		}
	}
}

func TestRegisterThatDoesNotParse(t *testing.T) {
	e := newEstate(t)
	e.putRegister("systems/credit-risk.json",
		strings.Replace(systemDoc, `"minGroupSize": 30`, `"minGroupSize": "30"`, 1))
	arn := e.addPackage(modelregistry.Approved, covered(e.evalData("v.csv", synth.Fair(14))), "")
	_, err := e.gate(false).Handle(t.Context(), eventFor(t, arn, "Approved"))
	if err == nil || !strings.Contains(err.Error(), "systems/credit-risk.json") ||
		!strings.Contains(err.Error(), "evaluation.minGroupSize") {
		t.Errorf("got %v, want an error naming the document and field", err)
	}
}

// clarifyReport writes a Clarify analysis file claiming dppl and di for
// sex=F, and returns its URI.
func (e *estate) clarifyReport(key string, dppl, di float64) string {
	doc := fmt.Sprintf(`{"version": "1.0", "post_training_bias_metrics": {"label": "y_true",
	  "label_value_or_threshold": "1", "facets": {"sex": [{"value_or_threshold": "F",
	  "metrics": [{"name": "DPPL", "description": "", "value": %g},
	              {"name": "DI", "description": "", "value": %g},
	              {"name": "CDDPL", "description": "not recomputed", "value": 0.5}]}]}}}`, dppl, di)
	e.put(evalBucket, key, []byte(doc))
	return "s3://" + evalBucket + "/" + key
}

// selectionBySex counts approvals per sex with a loop of its own.
func selectionBySex(t *testing.T, data []byte) (women, men float64) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	must(t, err)
	var n, yes [2]float64
	for _, r := range recs[1:] {
		g := 0
		if r[3] == "M" {
			g = 1
		}
		n[g]++
		if r[1] == "1" {
			yes[g]++
		}
	}
	return yes[0] / n[0], yes[1] / n[1]
}

func TestClaimsMatchHonestAndFlatteringReports(t *testing.T) {
	e := newEstate(t)
	var data bytes.Buffer
	must(t, synth.Write(&data, synth.Biased(21)))
	e.put(evalBucket, "v.csv", data.Bytes())
	women, men := selectionBySex(t, data.Bytes())
	honest := e.clarifyReport("honest.json", men-women, women/men)
	flattering := e.clarifyReport("flattering.json", (men-women)/20, 0.98)
	uri := "s3://" + evalBucket + "/v.csv"
	g := e.gate(true)
	for _, c := range []struct {
		report string
		want   findings.Status
	}{{honest, findings.Pass}, {flattering, findings.Fail},
		{"s3://" + evalBucket + "/missing.json", findings.Fail}} {
		arn := e.addPackage(modelregistry.PendingManualApproval, covered(uri), c.report)
		res := run(t, g, eventFor(t, arn, "PendingManualApproval"))
		if got := statusOf(t, res, "evaluation.claims-match", ""); got != c.want {
			t.Errorf("%s: got %s, want %s", c.report, got, c.want)
		}
	}
}

func TestDamagedDataAndUnverifiableClaimsBlock(t *testing.T) {
	e := newEstate(t)
	var data bytes.Buffer
	must(t, synth.Write(&data, synth.Fair(31)))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(data.Bytes())
	must(t, err)
	must(t, zw.Close())
	e.put(evalBucket, "cut.csv.gz", gz.Bytes()[:gz.Len()/2])
	arn := e.addPackage(modelregistry.Approved, covered("s3://"+evalBucket+"/cut.csv.gz"), "")
	res := run(t, e.gate(false), eventFor(t, arn, "Approved"))
	if got := statusOf(t, res, "evaluation.data-present", ""); got != findings.Fail &&
		got != findings.Indeterminate {
		t.Errorf("truncated gzip: got %s, want it to block", got)
	}
	if res.After != modelregistry.Rejected {
		t.Errorf("truncated gzip: got %s, want Rejected", res.After)
	}

	e.put(evalBucket, "header.csv", []byte("y_true,y_pred,score,sex,age_band,region,weight,income\n"))
	report := e.clarifyReport("r.json", 0.01, 0.99)
	arn = e.addPackage(modelregistry.PendingManualApproval,
		covered("s3://"+evalBucket+"/header.csv"), report)
	res = run(t, e.gate(true), eventFor(t, arn, "PendingManualApproval"))
	if got := statusOf(t, res, "evaluation.claims-match", ""); got != findings.Indeterminate {
		t.Errorf("claims on no rows: got %s, want indeterminate", got)
	}
}

func TestIgnoredEventReportsDryRun(t *testing.T) {
	e := newEstate(t)
	res := run(t, e.gate(true),
		[]byte(`{"source": "aws.s3", "detail-type": "Object Created", "detail": {}}`))
	if !res.DryRun {
		t.Error("an ignored event under dry run reported dryRun false")
	}
}
