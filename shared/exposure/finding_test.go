package exposure

import (
	"testing"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

func TestNewFindingStatusOrder(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		v        Verdict
		check    string
		status   findings.Status
		severity findings.Severity
	}{
		{"public fails", Verdict{Kind: KindS3Bucket, Verdict: Public, Latent: false},
			CheckS3Bucket, findings.Fail, findings.Critical},
		{"indeterminate before latent", Verdict{Kind: KindS3Bucket, Verdict: Indeterminate,
			Latent: true}, CheckS3Bucket, findings.Indeterminate, findings.Medium},
		{"latent", Verdict{Kind: KindAzureContainer, Verdict: NotPublic, Latent: true},
			CheckAzureContainer, findings.Latent, findings.Medium},
		{"pass", Verdict{Kind: KindAzureContainer, Verdict: NotPublic},
			CheckAzureContainer, findings.Pass, findings.Info},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.v.Resource = "s3://b"
			tt.v.Reasons = []string{"one", "two"}
			f := NewFinding(tt.v, "credit-risk", at)
			if f.Check != tt.check || f.Status != tt.status || f.Severity != tt.severity {
				t.Errorf("got %s/%s/%s, want %s/%s/%s", f.Check, f.Status, f.Severity,
					tt.check, tt.status, tt.severity)
			}
			if obs, ok := f.Observed.(Verdict); !ok || obs.Verdict != tt.v.Verdict {
				t.Errorf("got observed %#v, want the verdict", f.Observed)
			}
			if f.Resource != "s3://b" || f.Reason != "one; two" || *f.System != "credit-risk" {
				t.Errorf("got resource %q reason %q, want s3://b and joined reasons",
					f.Resource, f.Reason)
			}
		})
	}
}

func TestNewFindingOfEvaluatedBucket(t *testing.T) {
	b := openBucket()
	b.Policy = ptr(publicRead)
	f := NewFinding(EvaluateS3(b), "", time.Now())
	if f.Status != findings.Fail || f.System != nil {
		t.Errorf("got status %s system %v, want fail and no system", f.Status, f.System)
	}
	if f.ID != findings.ID(CheckS3Bucket, "s3://b1", "") {
		t.Errorf("got id %s, want the id of check, resource and empty qualifier", f.ID)
	}
}
