package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// TestInvokeGateThenVerifyItsEvidence runs the gate in-process on the demo
// estate, then verifies the evidence chain the runs left behind.
func TestInvokeGateThenVerifyItsEvidence(t *testing.T) {
	moto, err := testcloud.Start(testcloud.AccountID)
	if err != nil {
		t.Fatalf("local cloud: %v", err)
	}
	t.Cleanup(moto.Stop)
	est, err := estate.Seed(t.Context(), moto.Config())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "none")
	env := append(est.Env(), "AWS_ENDPOINT_URL="+moto.URL, "AWS_REGION="+testcloud.Region,
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_PROFILE=",
		"AWS_CONFIG_FILE="+empty, "AWS_SHARED_CREDENTIALS_FILE="+empty)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}

	code, out, stderr := runCLI(t, "invoke", "promotion-gate", "--event",
		"../../events/model-package-state-change-credit-risk-3.json")
	if code != 0 {
		t.Fatalf("invoke: exit %d: %s", code, stderr)
	}
	var res struct {
		After    string `json:"approvalAfter"`
		Findings []struct {
			Check, Qualifier, Status string
		} `json:"findings"`
		Actions []struct{ Type string } `json:"actions"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("result %s: %v", out, err)
	}
	if res.After != "Rejected" || len(res.Actions) != 1 ||
		res.Actions[0].Type != "reject-model-package" {
		t.Errorf("v3: got %s with actions %+v, want one rejection", res.After, res.Actions)
	}

	if code, _, stderr := runCLI(t, "invoke", "promotion-gate", "--event",
		"../../events/model-package-state-change-credit-risk-1.json"); code != 0 {
		t.Fatalf("invoke v1: exit %d: %s", code, stderr)
	}
	code, out, stderr = runCLI(t, "verify", "--bucket", estate.EvidenceBucket)
	if code != 0 {
		t.Errorf("verify after two gate runs: exit %d\n%s%s", code, out, stderr)
	}
}

func TestInvokeBadInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"source": "aws.sagemaker",
		"detail-type": "SageMaker Model Package State Change", "detail": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AIMS_REGISTER_URI", t.TempDir())
	t.Setenv("AIMS_EVIDENCE_BUCKET", "b")
	t.Setenv("AIMS_STATE_TABLE", "t")
	t.Setenv("AIMS_ALERT_BUS", "bus")
	t.Setenv("AWS_REGION", testcloud.Region)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown function", []string{"invoke", "nightly", "--event", bad}, `unknown function "nightly"`},
		{"no event", []string{"invoke", "promotion-gate"}, "--event: required"},
		{"missing file", []string{"invoke", "promotion-gate", "--event", bad + ".gone"}, "bad.json.gone"},
		{"malformed detail", []string{"invoke", "promotion-gate", "--event", bad},
			"bad.json: event: detail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitBadInput || !strings.Contains(stderr, tt.want) {
				t.Errorf("got exit %d %q, want exit 2 naming %q", code, stderr, tt.want)
			}
		})
	}
}
