package deployment

import (
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
)

// demo is the emulated estate of the tests: the versions of the group,
// and the cards some of them name.
//
//	v1  Approved, covered, names card credit-risk-v1 (Approved, describes v1)
//	v2  PendingManualApproval, names no assessment, names a card that does not exist
//	v3  Approved, covered, names card credit-risk-v1, which still describes v1
//	v4  Approved, covered, names card credit-risk-v4 (Draft, describes v4)
type demo struct {
	*estate
	v1, v2, v3, v4 string // package ARNs
}

func newDemo(t testing.TB) *demo {
	e := newEstate(t)
	d := &demo{estate: e}
	d.v1 = e.addPackage(modelregistry.Approved, covered("credit-risk-v1"))
	d.v2 = e.addPackage(modelregistry.PendingManualApproval,
		map[string]string{modelregistry.KeyModelCard: "credit-risk-v2"})
	d.v3 = e.addPackage(modelregistry.Approved, covered("credit-risk-v1"))
	d.v4 = e.addPackage(modelregistry.Approved, covered("credit-risk-v4"))
	e.addCard("credit-risk-v1", "Approved", d.v1, 1)
	e.addCard("credit-risk-v4", "Draft", d.v4, 4)
	return d
}

func TestEndpointsAgainstTheEmulator(t *testing.T) {
	d := newDemo(t)
	d.serve(serving{endpoint: "credit-risk-prod", container: packageContainer(d.v1),
		capture: true, kms: true})
	d.serve(serving{endpoint: "shadow-it", capture: true, kms: true,
		container: smtypes.ContainerDefinition{
			Image:        aws.String(image + ":exp"),
			ModelDataUrl: aws.String("s3://team-scratch/credit-risk/model.tar.gz")}})
	d.serve(serving{endpoint: "credit-risk-v3", container: packageContainer(d.v3),
		capture: true, kms: true})
	d.serve(serving{endpoint: "no-capture", container: packageContainer(d.v1), kms: true})
	d.serve(serving{endpoint: "draft-card", container: packageContainer(d.v4),
		capture: true, kms: true})
	d.serve(serving{endpoint: "credit-risk-v2", container: packageContainer(d.v2), capture: true})
	c := d.check(false)

	unmonitored := findings.Indeterminate // the emulator answers 500 on monitoring schedules
	na := findings.NotApplicable
	tests := []struct {
		endpoint string
		want     map[string]findings.Status
	}{
		{"credit-risk-prod", map[string]findings.Status{CheckMonitoring: unmonitored,
			CheckNetworkIsolation: findings.NotApplicable, CheckPackageRegistered: findings.Pass,
			CheckPackageApproved: findings.Pass, CheckAssessmentCovers: findings.Pass,
			CheckCardPresent: findings.Pass, CheckCardApproved: findings.Pass,
			CheckCardMatches: findings.Pass, CheckDataCapture: findings.Pass,
			CheckEncryption: findings.Pass}},
		{"shadow-it", map[string]findings.Status{CheckPackageRegistered: findings.Fail,
			CheckPackageApproved: na, CheckAssessmentCovers: na, CheckCardPresent: na,
			CheckCardApproved: na, CheckCardMatches: na, CheckMonitoring: unmonitored}},
		{"credit-risk-v3", map[string]findings.Status{CheckCardMatches: findings.Fail,
			CheckCardPresent: findings.Pass, CheckMonitoring: unmonitored}},
		{"no-capture", map[string]findings.Status{CheckDataCapture: findings.Fail,
			CheckMonitoring: unmonitored}},
		{"draft-card", map[string]findings.Status{CheckCardApproved: findings.Fail,
			CheckCardMatches: findings.Pass, CheckMonitoring: unmonitored}},
		{"credit-risk-v2", map[string]findings.Status{CheckPackageApproved: findings.Fail,
			CheckAssessmentCovers: findings.Fail, CheckCardPresent: findings.Fail,
			CheckCardApproved: findings.NotApplicable, CheckCardMatches: findings.NotApplicable,
			CheckEncryption: findings.Fail, CheckMonitoring: unmonitored}},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			res := run(t, c, endpointEvent(t, tt.endpoint))
			if res.Pending || res.EndpointConfig != tt.endpoint+"-config" || len(res.Actions) != 0 {
				t.Errorf("got config %q pending %v actions %v, want the one in service and "+
					"no action", res.EndpointConfig, res.Pending, res.Actions)
			}
			if got := findingOf(t, res, CheckSystemFound, "").Status; got != findings.Pass {
				t.Errorf("system-found: got %s, want pass", got)
			}
			expect(t, res, "AllTraffic", tt.want)
		})
	}
}

// TestWhatTheFindingsSay checks the reasons, observations, gaps and
// evidence of the emulator cases beyond their statuses.
func TestWhatTheFindingsSay(t *testing.T) {
	d := newDemo(t)
	// v5 names no card; the card describing it is found by its details.
	v5 := d.addPackage(modelregistry.Approved, covered(""))
	d.addCard("credit-risk-v5", "Approved", v5, 5)
	d.serve(serving{endpoint: "shadow-it", capture: true, kms: true,
		container: smtypes.ContainerDefinition{Image: aws.String("img:exp"),
			ModelDataUrl: aws.String("s3://team-scratch/model.tar.gz")}})
	d.serve(serving{endpoint: "credit-risk-v3", container: packageContainer(d.v3),
		capture: true, kms: true})
	d.serve(serving{endpoint: "credit-risk-v5", container: packageContainer(v5),
		capture: true, kms: true})
	c := d.check(false)

	outside := run(t, c, endpointEvent(t, "shadow-it"))
	reg := findingOf(t, outside, CheckPackageRegistered, "AllTraffic")
	if reg.Gap != findings.System || reg.Severity != findings.High ||
		!strings.Contains(reg.Reason, "s3://team-scratch/model.tar.gz") {
		t.Errorf("unregistered model: got gap %s severity %s reason %q", reg.Gap, reg.Severity,
			reg.Reason)
	}
	mon := findingOf(t, outside, CheckMonitoring, "AllTraffic")
	if !strings.Contains(mon.Reason, "ListMonitoringSchedules") ||
		!strings.Contains(mon.Reason, "500") {
		t.Errorf("monitoring reason: got %q, want the emulator's 500", mon.Reason)
	}

	v3 := run(t, c, endpointEvent(t, "credit-risk-v3"))
	match := findingOf(t, v3, CheckCardMatches, "AllTraffic")
	if !strings.Contains(match.Reason, d.v1) || !strings.Contains(match.Reason, d.v3) ||
		match.Gap != findings.System || match.Severity != findings.High {
		t.Errorf("stale card: got %s %s, reason %q should name both versions", match.Gap,
			match.Severity, match.Reason)
	}

	found := run(t, c, endpointEvent(t, "credit-risk-v5"))
	present := findingOf(t, found, CheckCardPresent, "AllTraffic")
	if obs := present.Observed.(map[string]any); present.Status != findings.Pass ||
		obs["foundBy"] != "model_package_details" || obs["modelCard"] != "credit-risk-v5" {
		t.Errorf("card found by its details: got %s %v", present.Status, obs)
	}
	if got := findingOf(t, found, CheckCardMatches, "AllTraffic").Status; got != findings.Pass {
		t.Errorf("card found by its details: matches-version got %s, want pass", got)
	}
	for _, f := range found.Findings {
		if len(f.Evidence) < 2 || !strings.HasPrefix(f.Evidence[0], "s3://"+evidenceBucket+
			"/runs/"+FunctionName+"/"+found.RunID+"/") {
			t.Errorf("%s[%s]: evidence %v not under the run", f.Check, f.Qualifier, f.Evidence)
		}
	}
	report, err := evidence.Verify(t.Context(), d.s3, evidenceBucket, FunctionName, "123456789012")
	must(t, err)
	if !report.Intact() || len(report.Chains) != 1 || report.Chains[0].Manifests != 3 {
		t.Errorf("evidence chain after three runs: %+v", report)
	}
}

func TestRedeliveryAndConcurrencyAlertOnce(t *testing.T) {
	d := newDemo(t)
	d.serve(serving{endpoint: "no-capture", container: packageContainer(d.v1), kms: true})
	c := d.check(false)
	event := endpointEvent(t, "no-capture")

	var wg sync.WaitGroup
	results := make([]*Result, 3)
	for i := range results {
		wg.Go(func() { results[i] = run(t, c, event) })
	}
	wg.Wait()
	again := run(t, c, event)
	if again.Alerts != 0 {
		t.Errorf("redelivery: got %d alerts, want 0", again.Alerts)
	}
	perFinding := map[string]int{}
	for _, a := range d.alerts() {
		perFinding[a.Detail.Finding.Check+"["+a.Detail.Finding.Qualifier+"]"]++
	}
	want := []string{CheckDataCapture + "[AllTraffic]", CheckMonitoring + "[AllTraffic]"}
	if len(perFinding) != len(want) {
		t.Errorf("got alerts %v, want one each of %v", perFinding, want)
	}
	for _, k := range want {
		if perFinding[k] != 1 {
			t.Errorf("%s: got %d alerts, want 1", k, perFinding[k])
		}
	}
}

func TestDryRunAlertsMarkedAndKeepsNoState(t *testing.T) {
	d := newDemo(t)
	d.serve(serving{endpoint: "no-capture", container: packageContainer(d.v1), kms: true})
	event := endpointEvent(t, "no-capture")
	res := run(t, d.check(true), event)
	if !res.DryRun || len(res.Actions) != 0 || res.Alerts == 0 {
		t.Errorf("dry run: got dryRun %v actions %v alerts %d", res.DryRun, res.Actions, res.Alerts)
	}
	for _, a := range d.alerts() {
		if !a.Detail.DryRun {
			t.Errorf("alert %s without dryRun", a.Detail.Finding.Check)
		}
	}
	real := run(t, d.check(false), event)
	if real.Alerts != res.Alerts {
		t.Errorf("after a dry run: got %d alerts, want the same %d, the dry run keeping no state",
			real.Alerts, res.Alerts)
	}
}

func TestEventsThatNeedNoAudit(t *testing.T) {
	d := newDemo(t)
	c := d.check(false)
	tests := []struct {
		name  string
		event []byte
	}{
		{"updating", readFile(t, events+"endpoint-state-change-updating.json")},
		{"endpoint gone", endpointEvent(t, "deleted-yesterday")},
		{"other trigger", readFile(t, events+"model-package-state-change-credit-risk-1.json")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, c, tt.event)
			if len(res.Findings) != 0 || res.RunID != "" {
				t.Errorf("got %d findings in run %q, want none", len(res.Findings), res.RunID)
			}
		})
	}
}

// TestEntryPointsWithoutAnEvent audits endpoints as a scheduled re-check
// would: Audit with its own run, Judge into a run shared by a batch.
func TestEntryPointsWithoutAnEvent(t *testing.T) {
	d := newDemo(t)
	d.serve(serving{endpoint: "credit-risk-prod", container: packageContainer(d.v1),
		capture: true, kms: true})
	d.serve(serving{endpoint: "no-capture", container: packageContainer(d.v1), kms: true})
	c := d.check(false)
	ctx := t.Context()

	res, err := c.Audit(ctx, "no-capture")
	must(t, err)
	if got := findingOf(t, res, CheckDataCapture, "AllTraffic").Status; got != findings.Fail ||
		res.Manifest == "" {
		t.Errorf("Audit: got data capture %s, manifest %q", got, res.Manifest)
	}

	run := evidence.NewStore(d.s3, evidenceBucket, FunctionName, "123456789012").NewRun("batch-1")
	var all []findings.Finding
	for _, name := range []string{"credit-risk-prod", "no-capture", "never-created"} {
		fs, err := c.Judge(ctx, run, name)
		must(t, err)
		all = append(all, fs...)
	}
	if len(all) != 2*len(res.Findings) {
		t.Errorf("Judge: got %d findings for two endpoints, want %d", len(all), 2*len(res.Findings))
	}
	for _, f := range all {
		name := f.Resource[strings.LastIndex(f.Resource, "/")+1:]
		if !strings.Contains(f.Evidence[0], "/batch-1/endpoints/"+name+"/") {
			t.Errorf("%s of %s: evidence %s not under the endpoint's prefix", f.Check, name,
				f.Evidence[0])
		}
	}
	_, err = run.Commit(ctx, testNow)
	must(t, err)
	report, err := evidence.Verify(ctx, d.s3, evidenceBucket, FunctionName, "123456789012")
	must(t, err)
	if !report.Intact() {
		t.Errorf("evidence after a batch: %+v", report.Problems)
	}
	if n := len(d.alerts()); n != res.Alerts {
		t.Errorf("got %d alerts, want only Audit's %d: Judge does not alert", n, res.Alerts)
	}
}
