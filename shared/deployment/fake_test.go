package deployment

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// fakeSageMaker answers exactly the SageMaker JSON-protocol calls of the
// check with recorded answers of the documented shapes, for what the
// emulator cannot hold: a blue/green deployment in progress, shadow
// variants, network isolation and monitoring schedules. Answers are keyed
// "Operation name", the name being the resource the request asks for.
type fakeSageMaker struct {
	mu       sync.Mutex
	answers  map[string]json.RawMessage
	requests []string
}

func newFake(t *testing.T, file string) *fakeSageMaker {
	t.Helper()
	raw, err := os.ReadFile(file)
	must(t, err)
	f := &fakeSageMaker{}
	must(t, json.Unmarshal(raw, &f.answers))
	return f
}

// set replaces one answer; an answer with "__type" is an error.
func (f *fakeSageMaker) set(key, answer string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[key] = json.RawMessage(answer)
}

func (f *fakeSageMaker) asked(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.requests, key)
}

func (f *fakeSageMaker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "SageMaker.")
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	if !ok || json.Unmarshal(body, &in) != nil {
		http.Error(w, "not a SageMaker JSON request", http.StatusBadRequest)
		return
	}
	key := strings.TrimSpace(op + " " + requestedName(in))
	f.mu.Lock()
	f.requests = append(f.requests, key)
	answer, found := f.answers[key]
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch {
	case !found:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type": "ValidationException", "message": "Could not find %s."}`, key)
	case strings.Contains(string(answer), `"__type"`):
		w.WriteHeader(http.StatusBadRequest)
		w.Write(answer)
	default:
		w.Write(answer)
	}
}

// requestedName is the name a request asks for, in the field its
// operation uses.
func requestedName(in map[string]any) string {
	for _, k := range []string{"EndpointConfigName", "ModelName", "ModelPackageName",
		"ModelCardName", "MonitoringScheduleName", "EndpointName"} {
		if s, ok := in[k].(string); ok {
			return s
		}
	}
	return ""
}

// fakeSystem asks for network isolation, which the recorded models have
// on the production variant and off on the shadow one.
const fakeSystem = `{
  "id": "credit-risk",
  "sagemaker": {"modelPackageGroups": ["credit-risk"], "endpoints": ["credit-risk-prod"]},
  "deployment": {"requireKms": true, "requireNetworkIsolation": true,
                 "monitoringTypes": ["DataQuality", "ModelBias"]},
  "impactAssessment": {"reviewIntervalDays": 365}
}`

// fakeEstate pairs the emulator (register, evidence, state, alerts) with
// the fake answering SageMaker through the real client.
func fakeEstate(t *testing.T) (*estate, *fakeSageMaker, *Check) {
	t.Helper()
	e := newEstate(t)
	e.putRegister("systems/credit-risk.json", fakeSystem)
	fake := newFake(t, "testdata/blue-green.json")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	cfg := testcloud.Shared(t).Config()
	sm := sagemaker.NewFromConfig(cfg, func(o *sagemaker.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.RetryMaxAttempts = 1
	})
	return e, fake, e.checkWith(sm, false)
}

func TestBlueGreenDeploymentAuditsThePendingConfig(t *testing.T) {
	_, fake, c := fakeEstate(t)
	res := run(t, c, readFile(t, events+"endpoint-deployment-state-change-credit-risk-prod.json"))
	if !res.Pending || res.EndpointConfig != "credit-risk-prod-v3" {
		t.Fatalf("got config %q pending %v, want the pending credit-risk-prod-v3",
			res.EndpointConfig, res.Pending)
	}
	if fake.asked("DescribeEndpointConfig credit-risk-prod-v1") ||
		fake.asked("DescribeModel credit-risk-v1") {
		t.Errorf("audited the configuration being replaced: %v", fake.requests)
	}
	expect(t, res, "AllTraffic", map[string]findings.Status{CheckPackageRegistered: findings.Pass,
		CheckPackageApproved: findings.Pass, CheckAssessmentCovers: findings.Pass,
		CheckCardPresent: findings.Pass, CheckCardApproved: findings.Pass,
		CheckCardMatches: findings.Pass, CheckDataCapture: findings.Pass,
		CheckMonitoring: findings.Pass, CheckEncryption: findings.Pass,
		CheckNetworkIsolation: findings.Pass})
	expect(t, res, "shadow-v4", map[string]findings.Status{CheckPackageRegistered: findings.Pass,
		CheckPackageApproved: findings.Fail, CheckCardPresent: findings.Pass,
		CheckCardMatches: findings.Fail, CheckMonitoring: findings.Pass,
		CheckNetworkIsolation: findings.Fail})
	shadow := findingOf(t, res, CheckPackageApproved, "shadow-v4")
	if obs := shadow.Observed.(map[string]any); obs["shadow"] != true ||
		obs["approval"] != "PendingManualApproval" {
		t.Errorf("shadow variant: got observed %v", obs)
	}
	present := findingOf(t, res, CheckCardPresent, "shadow-v4").Observed.(map[string]any)
	if present["foundBy"] != "model_package_details" || present["modelCard"] != "credit-risk-v3" {
		t.Errorf("shadow card: got %v, want version 3's card found by search", present)
	}
	if !fake.asked("DescribeMonitoringSchedule credit-risk-prod-data-quality") ||
		fake.asked("DescribeMonitoringSchedule credit-risk-prod-bias") {
		t.Errorf("want a schedule described only when its summary lacks the type: %v",
			fake.requests)
	}
}

func TestStateChangeAuditsTheConfigInService(t *testing.T) {
	_, fake, c := fakeEstate(t)
	res := run(t, c, readFile(t, events+"endpoint-state-change-epoch-time.json"))
	if res.Pending || res.EndpointConfig != "credit-risk-prod-v1" {
		t.Fatalf("got config %q pending %v, want credit-risk-prod-v1 in service",
			res.EndpointConfig, res.Pending)
	}
	if fake.asked("DescribeEndpointConfig credit-risk-prod-v3") {
		t.Errorf("audited the pending configuration on a state change: %v", fake.requests)
	}
	// v1's model serves an image and model data without a registered package.
	expect(t, res, "AllTraffic", map[string]findings.Status{CheckPackageRegistered: findings.Fail,
		CheckPackageApproved: findings.NotApplicable, CheckCardPresent: findings.NotApplicable,
		CheckEncryption: findings.Fail, CheckNetworkIsolation: findings.Pass,
		CheckMonitoring: findings.Pass, CheckDataCapture: findings.Pass})
}

// TestUnknownsAreIndeterminate replaces one recorded answer at a time.
func TestUnknownsAreIndeterminate(t *testing.T) {
	denied := `{"__type": "AccessDeniedException", "message": "User is not authorized"}`
	bias := `"MonitoringType": "ModelBias"`
	v4 := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/4"
	cardsUnknown := map[string]findings.Status{CheckCardPresent: findings.Indeterminate,
		CheckCardApproved: findings.Indeterminate, CheckCardMatches: findings.Indeterminate}
	tests := []struct {
		name, key, answer string
		want              map[string]map[string]findings.Status // variant → check → status
		reason            string
	}{
		{"monitoring denied", "ListMonitoringSchedules credit-risk-prod", denied,
			map[string]map[string]findings.Status{
				"AllTraffic": {CheckMonitoring: findings.Indeterminate}}, "AccessDenied"},
		{"monitoring stopped", "ListMonitoringSchedules credit-risk-prod",
			`{"MonitoringScheduleSummaries": [{"MonitoringScheduleName": "b",
			"MonitoringScheduleArn": "arn:aws:sagemaker:us-east-1:1:monitoring-schedule/b",
			"CreationTime": 1796291000.0, "LastModifiedTime": 1796291000.0,
			"MonitoringScheduleStatus": "Stopped", "EndpointName": "credit-risk-prod",
			` + bias + `}]}`,
			map[string]map[string]findings.Status{
				"AllTraffic": {CheckMonitoring: findings.Fail}}, "DataQuality, ModelBias"},
		{"card denied", "DescribeModelCard credit-risk-v3", denied,
			map[string]map[string]findings.Status{
				"AllTraffic": cardsUnknown, "shadow-v4": cardsUnknown},
			"AccessDenied"},
		{"package denied", "DescribeModelPackage " + v4, denied,
			map[string]map[string]findings.Status{"shadow-v4": {
				CheckPackageRegistered: findings.Indeterminate,
				CheckPackageApproved:   findings.Indeterminate,
				CheckAssessmentCovers:  findings.Indeterminate,
				CheckCardPresent:       findings.Indeterminate}}, "AccessDenied"},
	}
	event := readFile(t, events+"endpoint-deployment-state-change-credit-risk-prod.json")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fake, c := fakeEstate(t)
			fake.set(tt.key, tt.answer)
			res := run(t, c, event)
			for variant, checks := range tt.want {
				for check, want := range checks {
					f := findingOf(t, res, check, variant)
					if f.Status != want || !strings.Contains(f.Reason, tt.reason) {
						t.Errorf("%s[%s]: got %s %q, want %s naming %q", check, variant, f.Status,
							f.Reason, want, tt.reason)
					}
					if !slices.ContainsFunc(f.Evidence, citesTheFailedRead) {
						t.Errorf("%s[%s]: evidence %v does not keep the failed read", check,
							variant, f.Evidence)
					}
				}
			}
		})
	}
}

// TestUnusualChains bends one link of the recorded chain at a time.
func TestUnusualChains(t *testing.T) {
	v3 := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/3"
	v4 := "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/4"
	pipeline := func(containers string) string {
		return `{"ModelName": "credit-risk-v3",
			"ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/credit-risk-v3",
			"Containers": [` + containers + `], "EnableNetworkIsolation": true,
			"ExecutionRoleArn": "arn:aws:iam::123456789012:role/sagemaker-execution",
			"CreationTime": 1796293100.0}`
	}
	otherSystem := `{"id": "fraud", "sagemaker": {"modelPackageGroups": ["fraud"],
		"endpoints": ["fraud-prod"]}, "deployment": {"requireKms": true}}`
	tests := []struct {
		name      string
		key, body string            // an answer to replace; "" body removes it
		register  map[string]string // register documents to add or replace
		variant   string
		want      map[string]findings.Status
		why       [2]string // a check, and what its reason says
	}{
		{name: "pipeline with an unregistered container",
			key: "DescribeModel credit-risk-v3",
			body: pipeline(`{"ModelPackageName": "` + v3 + `"},
				{"Image": "pre:1", "ModelDataUrl": "s3://m/p.tar.gz"}`),
			variant: "AllTraffic",
			want: map[string]findings.Status{CheckPackageRegistered: findings.Fail,
				CheckPackageApproved: findings.Pass},
			why: [2]string{CheckPackageRegistered,
				"container 1 of model credit-risk-v3 serves image pre:1"}},
		{name: "pipeline of two packages judged worst first",
			key: "DescribeModel credit-risk-v3",
			body: pipeline(`{"ModelPackageName": "` + v3 + `"},
				{"ModelPackageName": "` + v4 + `"}`),
			variant: "AllTraffic",
			want: map[string]findings.Status{CheckPackageApproved: findings.Fail,
				CheckPackageRegistered: findings.Pass},
			why: [2]string{CheckPackageApproved, v4 + " is PendingManualApproval"}},
		{name: "package gone from the registry",
			key: "DescribeModelPackage " + v4, variant: "shadow-v4",
			want: map[string]findings.Status{CheckPackageRegistered: findings.Fail,
				CheckPackageApproved: findings.NotApplicable,
				CheckCardPresent:     findings.NotApplicable},
			why: [2]string{CheckPackageRegistered, "which the registry does not hold"}},
		{name: "no system claims the endpoint",
			register: map[string]string{"systems/credit-risk.json": otherSystem},
			variant:  "AllTraffic",
			want: map[string]findings.Status{CheckSystemFound: findings.Fail,
				CheckEncryption: findings.NotApplicable, CheckMonitoring: findings.NotApplicable,
				CheckNetworkIsolation: findings.NotApplicable, CheckPackageApproved: findings.Pass},
			why: [2]string{CheckSystemFound, "no system of the register"}},
		{name: "two systems claim the endpoint",
			register: map[string]string{"systems/credit-risk-copy.json": strings.Replace(fakeSystem,
				`"credit-risk"`, `"credit-risk-copy"`, 1)},
			variant: "AllTraffic",
			want: map[string]findings.Status{CheckSystemFound: findings.Fail,
				CheckEncryption: findings.NotApplicable},
			why: [2]string{CheckSystemFound, "2 systems claim endpoint"}},
	}
	event := readFile(t, events+"endpoint-deployment-state-change-credit-risk-prod.json")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, fake, c := fakeEstate(t)
			if tt.key != "" {
				fake.remove(tt.key)
				if tt.body != "" {
					fake.set(tt.key, tt.body)
				}
			}
			for name, doc := range tt.register {
				e.putRegister(name, doc)
			}
			res := run(t, c, event)
			for _, check := range sortedKeys(tt.want) {
				q := tt.variant
				if check == CheckSystemFound {
					q = ""
				}
				f := findingOf(t, res, check, q)
				if f.Status != tt.want[check] {
					t.Errorf("%s[%s]: got %s (%s), want %s", check, q, f.Status, f.Reason,
						tt.want[check])
				}
				if check == CheckSystemFound && f.Status == findings.Fail && f.System != nil {
					t.Errorf("system-found failed but findings name system %q", *f.System)
				}
				if check == tt.why[0] && !strings.Contains(f.Reason, tt.why[1]) {
					t.Errorf("%s: reason %q does not say %q", check, f.Reason, tt.why[1])
				}
			}
		})
	}
}

func (f *fakeSageMaker) remove(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.answers, key)
}

func sortedKeys(m map[string]findings.Status) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func citesTheFailedRead(uri string) bool {
	return strings.HasSuffix(uri, "/read-errors.json") ||
		strings.HasSuffix(uri, "/monitoring-schedules.json")
}
