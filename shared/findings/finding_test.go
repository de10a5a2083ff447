package findings

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestIDIsStableAndSeparatesParts(t *testing.T) {
	a := ID("envelope.accuracy", "arn:x", "sex")
	if a != ID("envelope.accuracy", "arn:x", "sex") {
		t.Fatal("same triple gave two ids")
	}
	if a == ID("envelope.accuracy", "arn:xs", "ex") {
		t.Error("moving a character between parts kept the id")
	}
	if len(a) != 64 {
		t.Errorf("got id length %d, want 64 hex digits", len(a))
	}
}

func TestNewTakesSeverityFromStatus(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		check  string
		status Status
		want   Severity
		gap    Gap
	}{
		{"impact-assessment.present", Fail, Critical, Governance},
		{"impact-assessment.present", Pass, Info, Governance},
		{"evaluation.claims-match", NotApplicable, Info, System},
		{"envelope.demographic_parity_difference", Indeterminate, High, System},
		{"exposure.s3-bucket", Fail, Critical, System},
		{"exposure.s3-bucket", Latent, Medium, System},
		{"exposure.azure-container", Indeterminate, Medium, System},
		{"azureml.model-card-approved", Fail, Medium, Governance},
		{"azureml.key-auth-disabled", Fail, Medium, System},
	}
	for _, tt := range tests {
		f := New(tt.check, "r", "", "credit-risk", tt.status, at)
		if f.Severity != tt.want || f.Gap != tt.gap {
			t.Errorf("%s %s: got %s/%s, want %s/%s", tt.check, tt.status, f.Severity, f.Gap, tt.want, tt.gap)
		}
	}
}

func TestJSONHasContractFields(t *testing.T) {
	f := New("register.system-found", "arn:aws:sagemaker:us-east-1:1:model-package/g/1", "", "",
		Fail, time.Date(2026, 12, 3, 10, 0, 0, 0, time.FixedZone("x", 3600)))
	raw, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	for _, want := range []string{`"system":null`, `"evidence":[]`, `"gap":"governance"`,
		`"time":"2026-12-03T09:00:00Z"`, `"controls":["ISO42001:6.1.4","ISO42001:A.4.2"]`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON %s lacks %s", s, want)
		}
	}
}
