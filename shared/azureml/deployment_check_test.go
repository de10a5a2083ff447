package azureml

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/azureml/armfake"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

const (
	cardV4Path = "/mlartifacts/cards/credit-risk-4.json"
	cardV4     = `{"ModelCardName": "credit-risk-4", "ModelCardStatus": "Approved",
  "Content": "{\"model_overview\": {\"model_name\": \"credit-risk\", \"model_version\": 4}}"}`
	cardV5 = `{"model_overview": {"model_name": "credit-risk", "model_version": 4}}`
)

// demo serves the tests' endpoints from the fake ARM:
//
//	credit-risk-online (tokens, private)
//	  blue   v4: cleared, covered, approved card of v4 on a blob, collecting
//	  green  v5: no gate tag, covered, status-less card of v4 in S3, no collector
//	  red    v9: not registered
//	open-online (keys, public)
//	  blue   v4
func demo(t testing.TB) *estate {
	e := newEstate(t)
	e.arm.PutBlob(cardV4Path, []byte(cardV4))
	e.putObject(registerBucket, "cards/credit-risk-5.json", cardV5)
	e.arm.AddModelVersion(fakeWS, "credit-risk", "4", map[string]string{
		TagImpactAssessment: "AIIA-2026-007", TagGate: GateCleared,
		TagModelCard: e.arm.URL + cardV4Path})
	e.arm.AddModelVersion(fakeWS, "credit-risk", "5", map[string]string{
		TagImpactAssessment: "AIIA-2026-007",
		TagModelCard:        "s3://" + registerBucket + "/cards/credit-risk-5.json"})
	e.arm.AddEndpoint(fakeWS, "credit-risk-online", map[string]any{"authMode": "AMLToken",
		"publicNetworkAccess": "Disabled"})
	e.arm.AddDeployment(fakeWS, "credit-risk-online", "blue",
		fakeWS.ModelVersionID("credit-risk", "4"), map[string]any{
			"dataCollector": armfake.Collecting()})
	e.arm.AddDeployment(fakeWS, "credit-risk-online", "green", "azureml:credit-risk:5", nil)
	e.arm.AddDeployment(fakeWS, "credit-risk-online", "red",
		fakeWS.ModelVersionID("credit-risk", "9"), nil)
	e.arm.AddEndpoint(fakeWS, "open-online", nil)
	e.arm.AddDeployment(fakeWS, "open-online", "blue",
		fakeWS.ModelVersionID("credit-risk", "4"), map[string]any{
			"dataCollector": armfake.Collecting()})
	return e
}

func TestEndpointChecksAgainstFakeARM(t *testing.T) {
	e := demo(t)
	res, err := e.check(false).AuditEndpoint(t.Context(), ws, "credit-risk-online")
	must(t, err)
	na := findings.NotApplicable
	expect(t, res, "", map[string]findings.Status{CheckSystemFound: findings.Pass,
		CheckPublicNetworkAccess: findings.Pass, CheckKeyAuthDisabled: findings.Pass})
	expect(t, res, "blue", map[string]findings.Status{CheckPackageRegistered: findings.Pass,
		CheckPackageApproved: findings.Pass, CheckAssessmentCovers: findings.Pass,
		CheckCardPresent: findings.Pass, CheckCardApproved: findings.Pass,
		CheckCardMatches: findings.Pass, CheckDataCapture: findings.Pass,
		CheckNetworkIsolation: na})
	expect(t, res, "green", map[string]findings.Status{CheckPackageRegistered: findings.Pass,
		CheckPackageApproved: findings.Fail, CheckAssessmentCovers: findings.Pass,
		CheckCardPresent: findings.Pass, CheckCardApproved: findings.Fail,
		CheckCardMatches: findings.Fail, CheckDataCapture: findings.Fail})
	expect(t, res, "red", map[string]findings.Status{CheckPackageRegistered: findings.Fail,
		CheckPackageApproved: na, CheckAssessmentCovers: na, CheckCardPresent: na})
	if got := len(res.Findings); got != 3+3*8 {
		t.Errorf("got %d findings, want %d", got, 3+3*8)
	}
	// Three deployments at two a page: the list is read over two pages.
	list := fakeWS.EndpointID("credit-risk-online") + "/deployments"
	if got := e.arm.Requests(http.MethodGet, list); got != 2 {
		t.Errorf("got %d list requests, want 2 pages", got)
	}
	f := findingOf(t, res, CheckCardMatches, "green")
	if !strings.Contains(f.Reason, "version 4") {
		t.Errorf("card mismatch reason %q does not name the version the card describes", f.Reason)
	}
	if f.Resource != fakeWS.EndpointID("credit-risk-online") {
		t.Errorf("got resource %s, want the endpoint's id", f.Resource)
	}
}

func TestEndpointSettingsAgainstTheRegister(t *testing.T) {
	e := demo(t)
	res, err := e.check(false).AuditEndpoint(t.Context(), ws, "open-online")
	must(t, err)
	expect(t, res, "", map[string]findings.Status{CheckPublicNetworkAccess: findings.Fail,
		CheckKeyAuthDisabled: findings.Fail})
	f := findingOf(t, res, CheckKeyAuthDisabled, "")
	if f.Severity != findings.Medium || f.Gap != findings.System {
		t.Errorf("got %s/%s, want medium/system", f.Severity, f.Gap)
	}
}

func TestEndpointAuditKeepsEvidenceAndAlertsOnce(t *testing.T) {
	e := demo(t)
	c := e.check(false)
	res, err := c.AuditEndpoint(t.Context(), ws, "credit-risk-online")
	must(t, err)
	if res.Manifest == "" {
		t.Fatal("no manifest")
	}
	keys := strings.Join(e.evidenceKeys(), "\n")
	for _, want := range []string{"workspace.json", "online-endpoint.json",
		"online-deployments.json",
		"models/credit-risk-4.json", "model-cards/", "register/credit-risk.json",
		"manifests/azure-events/" + subscription + "/"} {
		if !strings.Contains(keys, want) {
			t.Errorf("evidence lacks %s:\n%s", want, keys)
		}
	}
	alerting := countAlerting(res)
	if got := len(e.alerts()); got != alerting || res.Alerts != alerting {
		t.Errorf("got %d alert events (%d reported), want %d", got, res.Alerts, alerting)
	}
	again, err := c.AuditEndpoint(t.Context(), ws, "credit-risk-online")
	must(t, err)
	if got := len(e.alerts()); got != 0 || again.Alerts != 0 {
		t.Errorf("a repeat audit sent %d alerts, want 0", got)
	}
}

func TestARMAnswersThatAreNotResults(t *testing.T) {
	e := demo(t)
	c := e.check(false)
	t.Run("gone endpoint", func(t *testing.T) {
		res, err := c.AuditEndpoint(t.Context(), ws, "gone-online")
		must(t, err)
		if len(res.Findings) != 0 {
			t.Errorf("got %d findings for a missing endpoint, want 0", len(res.Findings))
		}
		rep, err := evidence.Verify(t.Context(), e.s3, evidenceBucket, FunctionName,
			subscription)
		must(t, err)
		if !rep.Intact() {
			t.Errorf("evidence of a run on a gone endpoint: %v", rep.Problems)
		}
	})
	t.Run("gone workspace", func(t *testing.T) {
		res, err := c.AuditEndpoint(t.Context(), Workspace{subscription, "ml-prod", "gone"},
			"open-online")
		must(t, err)
		if len(res.Findings) != 0 {
			t.Errorf("got %d findings in a missing workspace, want 0", len(res.Findings))
		}
	})
	t.Run("denied workspace", func(t *testing.T) {
		e.arm.Fail(fakeWS.ID(), http.StatusForbidden, "AuthorizationFailed")
		defer e.arm.Fail(fakeWS.ID(), 0, "")
		res, err := c.AuditEndpoint(t.Context(), ws, "open-online")
		must(t, err)
		expect(t, res, "", map[string]findings.Status{CheckKeyAuthDisabled: findings.Fail})
	})
	t.Run("denied model version", func(t *testing.T) {
		e.arm.Fail(fakeWS.ModelVersionID("credit-risk", "4"), http.StatusForbidden,
			"AuthorizationFailed")
		defer e.arm.Fail(fakeWS.ModelVersionID("credit-risk", "4"), 0, "")
		res, err := c.AuditEndpoint(t.Context(), ws, "open-online")
		must(t, err)
		unk := findings.Indeterminate
		expect(t, res, "blue", map[string]findings.Status{CheckPackageRegistered: unk,
			CheckPackageApproved: unk, CheckAssessmentCovers: unk, CheckCardPresent: unk,
			CheckDataCapture: findings.Pass})
	})
	t.Run("denied deployment list", func(t *testing.T) {
		list := fakeWS.EndpointID("open-online") + "/deployments"
		e.arm.Fail(list, http.StatusForbidden, "AuthorizationFailed")
		defer e.arm.Fail(list, 0, "")
		res, err := c.AuditEndpoint(t.Context(), ws, "open-online")
		must(t, err)
		expect(t, res, "", map[string]findings.Status{
			CheckPackageRegistered: findings.Indeterminate,
			CheckKeyAuthDisabled:   findings.Fail})
	})
	t.Run("denied endpoint", func(t *testing.T) {
		id := fakeWS.EndpointID("open-online")
		e.arm.Fail(id, http.StatusForbidden, "AuthorizationFailed")
		defer e.arm.Fail(id, 0, "")
		res, err := c.AuditEndpoint(t.Context(), ws, "open-online")
		must(t, err)
		expect(t, res, "", map[string]findings.Status{
			CheckPublicNetworkAccess: findings.Indeterminate,
			CheckKeyAuthDisabled:     findings.Indeterminate})
	})
}

func TestThrottledReadIsRetriedAfterRetryAfter(t *testing.T) {
	e := demo(t)
	id := fakeWS.ModelVersionID("credit-risk", "4")
	e.arm.Throttle(id, 1)
	res, err := e.check(false).AuditEndpoint(t.Context(), ws, "open-online")
	must(t, err)
	if got := e.arm.Requests(http.MethodGet, id); got != 2 {
		t.Errorf("got %d requests for the throttled version, want 2 (one retry)", got)
	}
	expect(t, res, "blue", map[string]findings.Status{CheckPackageRegistered: findings.Pass})
}

func TestAuditWorkspacePagesThroughEndpoints(t *testing.T) {
	e := demo(t)
	e.arm.AddEndpoint(fakeWS, "third-online", nil)
	res, err := e.check(true).AuditWorkspace(t.Context(), ws)
	must(t, err)
	if len(res) != 3 {
		t.Fatalf("got %d endpoint results, want 3", len(res))
	}
	list := fakeWS.ID() + "/onlineEndpoints"
	if got := e.arm.Requests(http.MethodGet, list); got != 2 {
		t.Errorf("got %d endpoint list requests, want 2 pages", got)
	}
}

func findingOf(t *testing.T, res *Result, check, qualifier string) findings.Finding {
	t.Helper()
	for _, f := range res.Findings {
		if f.Check == check && f.Qualifier == qualifier {
			return f
		}
	}
	t.Fatalf("no finding %s[%s]", check, qualifier)
	return findings.Finding{}
}

const isolatedSystemDoc = `{"id": "isolated", "azureml": {"workspace": "risk",
  "models": ["scoring"], "endpoints": ["iso-online"]},
  "deployment": {"requireNetworkIsolation": true}}`

func TestDeploymentShapes(t *testing.T) {
	e := demo(t)
	e.putObject(registerBucket, "register/systems/isolated.json", isolatedSystemDoc)
	model := fakeWS.ModelVersionID("credit-risk", "4")
	e.arm.AddEndpoint(fakeWS, "iso-online", nil)
	e.arm.AddDeployment(fakeWS, "iso-online", "sealed", model, map[string]any{
		"egressPublicNetworkAccess": "Disabled", "dataCollector": armfake.Collecting()})
	e.arm.AddDeployment(fakeWS, "iso-online", "leaky", model, map[string]any{
		"dataCollector": map[string]any{"collections": map[string]any{
			"model_inputs":  map[string]any{"dataCollectionMode": "Enabled"},
			"model_outputs": map[string]any{"dataCollectionMode": "Disabled"}}}})
	e.arm.AddDeployment(fakeWS, "iso-online", "shared",
		"azureml://registries/shared-models/models/scoring/versions/2", nil)
	e.arm.AddDeployment(fakeWS, "iso-online", "by-guid", "azureml://locations/westeurope/"+
		"workspaces/00000000-0000-0000-0000-00000000abcd/models/scoring/versions/2", nil)
	e.arm.AddDeployment(fakeWS, "iso-online", "on-aks", model, map[string]any{
		"endpointComputeType": "Kubernetes", "containerResourceRequirements": map[string]any{},
		"egressPublicNetworkAccess": "Disabled", "dataCollector": armfake.Collecting()})
	e.arm.AddDeployment(fakeWS, "iso-online", "raw-path",
		"azureml://datastores/workspaceblobstore/paths/models/scoring.pkl", nil)
	res, err := e.check(false).AuditEndpoint(t.Context(), ws, "iso-online")
	must(t, err)
	expect(t, res, "", map[string]findings.Status{CheckSystemFound: findings.Pass,
		CheckKeyAuthDisabled: findings.NotApplicable})
	expect(t, res, "sealed", map[string]findings.Status{CheckNetworkIsolation: findings.Pass,
		CheckDataCapture: findings.Pass})
	expect(t, res, "leaky", map[string]findings.Status{CheckNetworkIsolation: findings.Fail,
		CheckDataCapture: findings.Fail})
	expect(t, res, "shared", map[string]findings.Status{
		CheckPackageRegistered: findings.Indeterminate,
		CheckPackageApproved:   findings.Indeterminate})
	expect(t, res, "on-aks", map[string]findings.Status{CheckPackageRegistered: findings.Pass,
		CheckDataCapture: findings.Pass, CheckNetworkIsolation: findings.Pass})
	expect(t, res, "by-guid", map[string]findings.Status{
		CheckPackageRegistered: findings.Indeterminate,
		CheckAssessmentCovers:  findings.Indeterminate})
	expect(t, res, "raw-path", map[string]findings.Status{
		CheckPackageRegistered: findings.Fail, CheckAssessmentCovers: findings.NotApplicable})
	if r := reasonOf(res, CheckPackageRegistered, "shared"); !strings.Contains(r,
		"no registry shared-models") {
		t.Errorf("got reason %q, want the registry named as not found", r)
	}
	if r := findingOf(t, res, CheckDataCapture, "leaky").Reason; !strings.Contains(r,
		"model_outputs") || strings.Contains(r, "model_inputs") {
		t.Errorf("got reason %q, want only model_outputs named", r)
	}
	if f := findingOf(t, res, CheckSystemFound, ""); *f.System != "isolated" {
		t.Errorf("got system %s, want isolated", *f.System)
	}
}

func TestTwoSystemsClaimingAnEndpoint(t *testing.T) {
	e := demo(t)
	e.putObject(registerBucket, "register/systems/twin.json", `{"id": "twin",
	  "azureml": {"workspace": "RISK", "endpoints": ["Credit-Risk-Online"]}}`)
	res, err := e.check(false).AuditEndpoint(t.Context(), ws, "credit-risk-online")
	must(t, err)
	expect(t, res, "", map[string]findings.Status{CheckSystemFound: findings.Fail,
		CheckPublicNetworkAccess: findings.NotApplicable})
	if f := findingOf(t, res, CheckSystemFound, ""); f.System != nil {
		t.Errorf("got system %v, want none when two claim the endpoint", *f.System)
	}
}

func TestAnotherWorkspaceIsNotClaimed(t *testing.T) {
	e := demo(t)
	other := armfake.Workspace{Subscription: subscription, ResourceGroup: "ml-prod",
		Name: "sandbox"}
	e.arm.AddWorkspace(other)
	e.arm.AddEndpoint(other, "credit-risk-online", nil)
	res, err := e.check(false).AuditEndpoint(t.Context(),
		Workspace{Subscription: subscription, ResourceGroup: "ml-prod", Name: "sandbox"},
		"credit-risk-online")
	must(t, err)
	expect(t, res, "", map[string]findings.Status{CheckSystemFound: findings.Fail})
}

func TestRegistryModelVersionsAreFollowed(t *testing.T) {
	e := demo(t)
	e.arm.AddRegistry(subscription, "shared-ml", "shared-models")
	e.arm.AddRegistry(subscription, "other", "unrelated")
	e.arm.AddRegistryModelVersion(subscription, "shared-ml", "shared-models", "credit-risk",
		"4", map[string]string{TagGate: GateCleared, TagImpactAssessment: "AIIA-2026-007"})
	e.arm.AddEndpoint(fakeWS, "registry-online", nil)
	e.arm.AddDeployment(fakeWS, "registry-online", "blue",
		"azureml://registries/shared-models/models/credit-risk/versions/4", nil)
	e.arm.AddDeployment(fakeWS, "registry-online", "gone",
		"azureml://registries/shared-models/models/credit-risk/versions/8", nil)
	res, err := e.check(false).AuditEndpoint(t.Context(), ws, "registry-online")
	must(t, err)
	expect(t, res, "blue", map[string]findings.Status{CheckPackageRegistered: findings.Pass,
		CheckPackageApproved: findings.Pass, CheckAssessmentCovers: findings.Pass,
		CheckCardPresent: findings.Fail})
	expect(t, res, "gone", map[string]findings.Status{CheckPackageRegistered: findings.Fail})
}

func TestCardReferences(t *testing.T) {
	tests := []struct {
		name, card string
		fault      int
		want       findings.Status
		approved   findings.Status
	}{
		{"missing blob", "/mlartifacts/cards/none.json", 0, findings.Fail, findings.NotApplicable},
		{"denied blob", cardV4Path, http.StatusForbidden, findings.Indeterminate,
			findings.Indeterminate},
		{"a SageMaker card name, not a URI", "credit-risk-v4", 0, findings.Fail,
			findings.NotApplicable},
		{"missing S3 object", "s3://" + registerBucket + "/cards/none.json", 0, findings.Fail,
			findings.NotApplicable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := demo(t)
			uri := tt.card
			if strings.HasPrefix(uri, "/") {
				uri = e.arm.URL + uri
			}
			if tt.fault != 0 {
				e.arm.Fail(tt.card, tt.fault, "AuthorizationPermissionMismatch")
			}
			e.arm.AddModelVersion(fakeWS, "credit-risk", "4", map[string]string{
				TagImpactAssessment: "AIIA-2026-007", TagGate: GateCleared, TagModelCard: uri})
			res, err := e.check(false).AuditEndpoint(t.Context(), ws, "open-online")
			must(t, err)
			expect(t, res, "blue", map[string]findings.Status{CheckCardPresent: tt.want,
				CheckCardApproved: tt.approved, CheckCardMatches: tt.approved})
		})
	}
}
