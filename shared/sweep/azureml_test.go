package sweep

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/azureml"
	"github.com/aimsaudit/aimsaudit/shared/azureml/armfake"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// mlWS is the Azure ML workspace of the tests.
var mlWS = armfake.Workspace{Subscription: subscription, ResourceGroup: "ml-prod",
	Name: "risk"}

// mlEstate starts a fake ARM whose workspace serves three online endpoints
// (two list pages), each with one deployment of a registered model, and
// registers a system that lists two of them and one that is gone.
func mlEstate(t *testing.T, r *rig) *armfake.Server {
	t.Helper()
	fake := armfake.Start()
	t.Cleanup(fake.Close)
	fake.AddWorkspace(mlWS)
	fake.AddModelVersion(mlWS, "credit-risk", "1", nil)
	for _, ep := range []string{"ep-a", "ep-b", "ep-c"} {
		fake.AddEndpoint(mlWS, ep, nil)
		fake.AddDeployment(mlWS, ep, "blue", mlWS.ModelVersionID("credit-risk", "1"), nil)
	}
	r.doc(t, "systems/credit-risk.json", `{"id": "credit-risk", "name": "Credit",
		"azureml": {"subscriptionId": "`+subscription+`", "resourceGroup": "ml-prod",
			"workspace": "risk", "endpoints": ["ep-a", "ep-b", "ep-gone"]},
		"deployment": {"azure": {"publicNetworkAccess": "Disabled", "allowKeyAuth": false}}}`)
	return fake
}

// mlSweep is the rig's sweep, polling the fake's Azure ML workspaces.
func mlSweep(t *testing.T, r *rig, fake *armfake.Server) *Sweep {
	t.Helper()
	s := r.sweep(t)
	store, err := register.Open(r.reg, nil)
	must(t, err)
	s.AzureML = AzureMLOf(&azureml.Check{
		ARM:      azureml.ClientsFor(staticToken{}, azureml.Options(fake.URL, fake.Client())),
		Objects:  azureml.Objects{S3: r.s3},
		Register: store,
		Now:      func() time.Time { return sweepDay },
	})
	return s
}

// mlByEndpoint indexes the Azure ML findings by endpoint name and check.
func mlByEndpoint(fs []findings.Finding) map[string]map[string]findings.Finding {
	out := map[string]map[string]findings.Finding{}
	for _, f := range fs {
		_, ep, ok := strings.Cut(f.Resource, "/onlineEndpoints/")
		if !ok {
			continue
		}
		if out[ep] == nil {
			out[ep] = map[string]findings.Finding{}
		}
		out[ep][f.Check] = f
	}
	return out
}

// TestAzureMLEndpointsPolled lists the register workspace's online
// endpoints page by page and re-checks each, and the register's own, in
// the batch's run: a denied read is indeterminate, an unregistered
// endpoint fails system-found, and every finding is kept, listed in the
// subscription's manifest and alerted.
func TestAzureMLEndpointsPolled(t *testing.T) {
	r := newRig(t)
	fake := mlEstate(t, r)
	fake.FailMethod("GET", mlWS.EndpointID("ep-b"), 403, "AuthorizationFailed")
	s := mlSweep(t, r, fake)

	res, err := s.Run(t.Context())
	must(t, err)

	if n := fake.Requests("GET", mlWS.ID()+"/onlineEndpoints"); n != 2 {
		t.Errorf("got %d endpoint list pages read, want 2", n)
	}
	if res.Counts.AzureMLEndpoints != 4 || res.Counts.Planned.AzureMLEndpoints != 4 {
		t.Errorf("got %d Azure ML endpoints re-checked (%d planned), want 4 (three listed, "+
			"one registered and gone)", res.Counts.AzureMLEndpoints,
			res.Counts.Planned.AzureMLEndpoints)
	}
	got := mlByEndpoint(res.Findings)
	want := map[string]map[string]findings.Status{
		"ep-a": {azureml.CheckSystemFound: findings.Pass,
			azureml.CheckPublicNetworkAccess: findings.Fail},
		"ep-b": {azureml.CheckSystemFound: findings.Pass,
			azureml.CheckPublicNetworkAccess: findings.Indeterminate,
			azureml.CheckKeyAuthDisabled:     findings.Indeterminate},
		"ep-c": {azureml.CheckSystemFound: findings.Fail},
	}
	for ep, checks := range want {
		for check, status := range checks {
			if f, ok := got[ep][check]; !ok || f.Status != status {
				t.Errorf("%s %s: got %q (found %v), want %q", ep, check, f.Status, ok, status)
			}
		}
	}
	if len(got["ep-gone"]) != 0 || len(got) != 3 {
		t.Errorf("got findings for endpoints %v, want ep-a, ep-b and ep-c only", keysOf(got))
	}
	listed := manifestKeys(t, r, res.Manifests, "manifests/"+FunctionName+"/"+subscription+"/")
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Check, "azureml.") {
			continue
		}
		for _, uri := range f.Evidence {
			if !strings.Contains(uri, "/endpoints/ml-prod/risk/") {
				continue
			}
			if !listed[strings.TrimPrefix(uri, "s3://"+evidenceBucket+"/")] {
				t.Errorf("%s cites %s, which no subscription manifest lists", f.Check, uri)
			}
		}
	}
	prefix := "runs/" + FunctionName + "/" + res.RunID + "/endpoints/ml-prod/risk/"
	for _, ep := range []string{"ep-a", "ep-b", "ep-c"} {
		if len(r.keys(t, prefix+ep+"/")) == 0 {
			t.Errorf("got no evidence under %s%s/", prefix, ep)
		}
	}
	alerting := 0
	for _, f := range res.Findings {
		if f.Status.Alerting() {
			alerting++
		}
	}
	if res.Alerts != alerting || stateItems(t, r) != alerting {
		t.Errorf("got %d alerts and %d state items, want one per alerting finding, %d",
			res.Alerts, stateItems(t, r), alerting)
	}
}

// TestAzureMLListingDenied checks that a workspace whose endpoints may not
// be listed does not stop the sweep, and that its register endpoints are
// still re-checked.
func TestAzureMLListingDenied(t *testing.T) {
	r := newRig(t)
	fake := mlEstate(t, r)
	fake.FailMethod("GET", mlWS.ID()+"/onlineEndpoints", 403, "AuthorizationFailed")
	s := mlSweep(t, r, fake)

	res, err := s.Run(t.Context())
	must(t, err)

	if res.Counts.Planned.AzureMLEndpoints != 3 {
		t.Errorf("got %d Azure ML endpoints planned, want the register's 3",
			res.Counts.Planned.AzureMLEndpoints)
	}
	got := mlByEndpoint(res.Findings)
	for _, ep := range []string{"ep-a", "ep-b"} {
		if f := got[ep][azureml.CheckSystemFound]; f.Status != findings.Pass {
			t.Errorf("%s system-found: got %q, want pass", ep, f.Status)
		}
	}
}

// TestAzureMLBatchOverQueue checks that an Azure ML batch survives the trip
// through the queue's JSON and that a malformed one names its field.
func TestAzureMLBatchOverQueue(t *testing.T) {
	b := Batch{RunID: "r1", Seq: 1, Of: 1, AzureML: &MLWork{Workspace: azureml.Workspace{
		Subscription: subscription, ResourceGroup: "ml-prod", Name: "risk"},
		Endpoints: []string{"ep-a"}}}
	raw, err := json.Marshal(b)
	must(t, err)
	var back Batch
	must(t, json.Unmarshal(raw, &back))
	if err := back.validate("message"); err != nil {
		t.Errorf("round trip: got %v, want a valid batch", err)
	}
	if back.AzureML.Workspace != b.AzureML.Workspace || back.kind() != "azureml" {
		t.Errorf("round trip: got %+v (%s), want %+v (azureml)", back.AzureML.Workspace,
			back.kind(), b.AzureML.Workspace)
	}
	back.AzureML.Workspace.ResourceGroup = ""
	if err := back.validate("message"); err == nil ||
		!strings.Contains(err.Error(), "azureml.workspace.resourceGroup") {
		t.Errorf("no resource group: got %v, want an error naming the field", err)
	}
}

// manifestKeys reads the manifests among keys under prefix and returns
// the objects they list.
func manifestKeys(t *testing.T, r *rig, manifests []string, prefix string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, key := range manifests {
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		obj, err := r.s3.GetObject(t.Context(), &s3.GetObjectInput{
			Bucket: aws.String(evidenceBucket), Key: aws.String(key)})
		must(t, err)
		var m evidence.Manifest
		err = json.NewDecoder(obj.Body).Decode(&m)
		obj.Body.Close()
		must(t, err)
		for _, o := range m.Objects {
			out[o.Key] = true
		}
	}
	if len(out) == 0 {
		t.Fatalf("got no manifest under %s among %v", prefix, manifests)
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
