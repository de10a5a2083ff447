package azureml

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

const (
	// Accuracy 0.8; selection rates F 0.4, M 0.6: inside the envelope.
	goodEval = "y_true,y_pred,sex\n1,1,F\n0,0,F\n1,1,F\n0,0,F\n1,0,F\n" +
		"1,1,M\n0,0,M\n1,1,M\n0,1,M\n0,0,M\n"
	// F never selected, M always: parity difference 1, accuracy 0.5.
	badEval = "y_true,y_pred,sex\n1,0,F\n0,0,F\n1,0,F\n0,0,F\n" +
		"1,1,M\n0,1,M\n1,1,M\n0,1,M\n"
	goodEvalPath = "/mlartifacts/eval/credit-risk-4.csv"
)

// gateDemo registers v4 (covered, good data on a blob) and v6 (not
// covered, bad data in S3).
func gateDemo(t testing.TB) *estate {
	e := newEstate(t)
	e.arm.PutBlob(goodEvalPath, []byte(goodEval))
	e.putObject(registerBucket, "eval/credit-risk-6.csv", badEval)
	e.arm.AddModelVersion(fakeWS, "credit-risk", "4", map[string]string{
		TagImpactAssessment: "AIIA-2026-007", TagEvaluationData: e.arm.URL + goodEvalPath,
		"owner": "risk-analytics"})
	e.arm.AddModelVersion(fakeWS, "credit-risk", "6", map[string]string{
		TagImpactAssessment: "AIIA-2026-007",
		TagEvaluationData:   "s3://" + registerBucket + "/eval/credit-risk-6.csv"})
	return e
}

func TestGateClearsACoveredVersionInsideItsEnvelope(t *testing.T) {
	e := gateDemo(t)
	res, err := e.check(false).GateModelVersion(t.Context(), ws, "credit-risk", "4")
	must(t, err)
	expect(t, res, "", map[string]findings.Status{CheckSystemFound: findings.Pass,
		checkAssessmentPresent: findings.Pass, checkAssessmentApproved: findings.Pass,
		checkAssessmentCovers: findings.Pass, checkAssessmentCurrent: findings.Pass,
		checkDataPresent: findings.Pass, "envelope.accuracy": findings.Pass,
		checkClaimsMatch: findings.NotApplicable})
	expect(t, res, "sex", map[string]findings.Status{
		"envelope.demographic_parity_difference": findings.Pass})
	if res.Gate != GateCleared {
		t.Fatalf("got gate %q, want cleared", res.Gate)
	}
	tags := e.arm.Tags(fakeWS, "credit-risk", "4")
	if tags[TagGate] != GateCleared || tags["owner"] != "risk-analytics" {
		t.Errorf("got tags %v, want aims:gate=cleared and the other tags kept", tags)
	}
	if len(res.Actions) != 1 || res.Actions[0].Type != "tag-model-version" {
		t.Errorf("got actions %+v, want one tag-model-version", res.Actions)
	}
}

func TestGateRejectsAndSaysWhy(t *testing.T) {
	e := gateDemo(t)
	c := e.check(false)
	res, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "6")
	must(t, err)
	expect(t, res, "", map[string]findings.Status{checkAssessmentCovers: findings.Fail,
		checkDataPresent: findings.Pass, "envelope.accuracy": findings.Fail})
	expect(t, res, "sex", map[string]findings.Status{
		"envelope.demographic_parity_difference": findings.Fail})
	tags := e.arm.Tags(fakeWS, "credit-risk", "6")
	if tags[TagGate] != GateRejected {
		t.Fatalf("got aims:gate %q, want rejected", tags[TagGate])
	}
	for _, want := range []string{checkAssessmentCovers, "envelope.accuracy",
		"envelope.demographic_parity_difference[sex]"} {
		if !strings.Contains(tags[TagGateReason], want) {
			t.Errorf("reason %q does not name %s", tags[TagGateReason], want)
		}
	}
	if got := len(e.alerts()); got != 3 || res.Alerts != 3 {
		t.Errorf("got %d alerts (%d reported), want 3", got, res.Alerts)
	}
	// The same verdict again changes nothing and tells no one again.
	put := fakeWS.ModelVersionID("credit-risk", "6")
	again, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "6")
	must(t, err)
	if n := e.arm.Requests(http.MethodPut, put); n != 1 || len(again.Actions) != 0 {
		t.Errorf("got %d PUTs and actions %v after a repeat, want 1 and none", n, again.Actions)
	}
}

func TestGateUnderDryRunChangesNothing(t *testing.T) {
	e := gateDemo(t)
	res, err := e.check(true).GateModelVersion(t.Context(), ws, "credit-risk", "6")
	must(t, err)
	if res.Gate != GateRejected || len(res.Actions) != 0 || !res.DryRun {
		t.Errorf("got gate %q, actions %v, dryRun %v; want rejected, none, true", res.Gate,
			res.Actions, res.DryRun)
	}
	if n := e.arm.Requests(http.MethodPut, fakeWS.ModelVersionID("credit-risk", "6")); n != 0 {
		t.Errorf("got %d PUTs under dry run, want 0", n)
	}
	alerts := e.alerts()
	if len(alerts) == 0 || !alerts[0].Detail.DryRun {
		t.Errorf("got alerts %+v, want dry-run alerts", alerts)
	}
}

func TestGateReadFailures(t *testing.T) {
	e := gateDemo(t)
	c := e.check(false)
	t.Run("denied evaluation blob", func(t *testing.T) {
		e.arm.Fail(goodEvalPath, http.StatusForbidden, "AuthorizationPermissionMismatch")
		defer e.arm.Fail(goodEvalPath, 0, "")
		res, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "4")
		must(t, err)
		expect(t, res, "", map[string]findings.Status{checkDataPresent: findings.Indeterminate,
			"envelope.accuracy": findings.Indeterminate})
		if res.Gate != GateRejected {
			t.Errorf("got gate %q with unknown evaluation, want rejected", res.Gate)
		}
	})
	t.Run("missing evaluation object", func(t *testing.T) {
		e.arm.AddModelVersion(fakeWS, "credit-risk", "5", map[string]string{
			TagImpactAssessment: "AIIA-2026-007",
			TagEvaluationData:   "s3://" + registerBucket + "/eval/none.csv"})
		res, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "5")
		must(t, err)
		expect(t, res, "", map[string]findings.Status{checkDataPresent: findings.Fail})
	})
	t.Run("gone version", func(t *testing.T) {
		res, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "77")
		must(t, err)
		if len(res.Findings) != 0 || len(res.Actions) != 0 {
			t.Errorf("got %d findings for a missing version, want 0", len(res.Findings))
		}
		rep, err := evidence.Verify(t.Context(), e.s3, evidenceBucket, FunctionName,
			subscription)
		must(t, err)
		if !rep.Intact() {
			t.Errorf("evidence of the gate runs: %v", rep.Problems)
		}
	})
	t.Run("denied version", func(t *testing.T) {
		id := fakeWS.ModelVersionID("credit-risk", "4")
		e.arm.Fail(id, http.StatusForbidden, "AuthorizationFailed")
		defer e.arm.Fail(id, 0, "")
		res, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "4")
		must(t, err)
		expect(t, res, "", map[string]findings.Status{
			checkAssessmentPresent: findings.Indeterminate})
		if len(res.Actions) != 0 {
			t.Errorf("got actions %v on an unreadable version, want none", res.Actions)
		}
	})
}

func TestWithTagsKeepsTheRestOfTheVersion(t *testing.T) {
	e := gateDemo(t)
	_, err := e.check(false).GateModelVersion(t.Context(), ws, "credit-risk", "4")
	must(t, err)
	var body struct {
		Properties map[string]any `json:"properties"`
	}
	must(t, json.Unmarshal(e.arm.LastPut(fakeWS.ModelVersionID("credit-risk", "4")), &body))
	if body.Properties["modelUri"] == nil || body.Properties["modelType"] != "mlflow_model" {
		t.Errorf("PUT body %v lost the version's properties", body.Properties)
	}
	if _, ok := body.Properties["provisioningState"]; ok {
		t.Error("PUT body sends the read-only provisioningState")
	}
}

// TestEvidenceChainOfMixedRuns runs the gate and the deployment check in
// one subscription and verifies the chain they extend together.
func TestEvidenceChainOfMixedRuns(t *testing.T) {
	e := gateDemo(t)
	e.arm.AddEndpoint(fakeWS, "credit-risk-online", nil)
	e.arm.AddDeployment(fakeWS, "credit-risk-online", "blue",
		fakeWS.ModelVersionID("credit-risk", "4"), nil)
	c := e.check(false)
	_, err := c.GateModelVersion(t.Context(), ws, "credit-risk", "4")
	must(t, err)
	_, err = c.AuditEndpoint(t.Context(), ws, "credit-risk-online")
	must(t, err)
	_, err = c.GateModelVersion(t.Context(), ws, "credit-risk", "6")
	must(t, err)
	rep, err := evidence.Verify(t.Context(), e.s3, evidenceBucket, FunctionName, subscription)
	must(t, err)
	if !rep.Intact() || len(rep.Chains) != 1 || rep.Chains[0].Manifests != 3 {
		t.Errorf("got chains %+v, problems %v; want one intact chain of 3 manifests",
			rep.Chains, rep.Problems)
	}
}

func TestGateReportsATagItMayNotWrite(t *testing.T) {
	e := gateDemo(t)
	id := fakeWS.ModelVersionID("credit-risk", "6")
	e.arm.FailMethod(http.MethodPut, id, http.StatusForbidden, "AuthorizationFailed")
	res, err := e.check(false).GateModelVersion(t.Context(), ws, "credit-risk", "6")
	must(t, err)
	if len(res.Actions) != 0 || len(res.Refused) != 1 ||
		!strings.Contains(res.Refused[0].Reason, "AuthorizationFailed") {
		t.Errorf("got actions %v, refused %v; want one refused tag", res.Actions, res.Refused)
	}
	if res.Alerts != 3 || res.Manifest == "" {
		t.Errorf("got %d alerts and manifest %q, want the findings reported", res.Alerts,
			res.Manifest)
	}
	if got := e.arm.Tags(fakeWS, "credit-risk", "6")[TagGate]; got != "" {
		t.Errorf("got aims:gate %q after a refused write, want none", got)
	}
}
