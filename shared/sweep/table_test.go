package sweep

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

func TestWriteExposureTable(t *testing.T) {
	yes, no := true, false
	long := strings.Repeat("policy statement 1 allows s3:GetObject to * ", 4)
	at := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	public := exposure.NewFinding(exposure.Verdict{Resource: "s3://open", Kind: exposure.KindS3Bucket,
		Verdict: exposure.Public, Read: &yes, Write: &no, List: &no,
		Reasons: []string{long, "second"}}, "", at)
	latent := exposure.NewFinding(exposure.Verdict{Resource: "azure://acct/models",
		Kind: exposure.KindAzureContainer, Verdict: exposure.NotPublic, Read: &no, Write: &no,
		List: &no, Latent: true, LatentAccess: &exposure.Access{Read: true, List: true},
		Reasons: []string{"masked by allowBlobPublicAccess"}}, "credit-risk", at)
	unknown := exposure.NewFinding(exposure.Verdict{Resource: "s3://hidden",
		Kind: exposure.KindS3Bucket, Verdict: exposure.Indeterminate}, "", at)
	other := findings.New(CheckReviewCurrent, AssessmentResource("A"), "", "", findings.Pass, at)

	// Findings decoded from a result file carry the verdict as a map.
	decoded := roundTrip(t, latent)
	var buf bytes.Buffer
	must(t, WriteExposureTable(&buf, []findings.Finding{public, decoded, unknown, other}))

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want a header and 3 rows:\n%s", len(lines), buf.String())
	}
	tests := []struct {
		row    int
		fields []string
	}{
		{1, []string{"s3://open", "fail", "public", "yes", "-", "-", "-", "(+1 more)"}},
		{2, []string{"azure://acct/models", "latent", "not_public", "read+list", "masked"}},
		{3, []string{"s3://hidden", "indeterminate", "indeterminate", "?"}},
	}
	for _, tt := range tests {
		for _, want := range tt.fields {
			if !strings.Contains(lines[tt.row], want) {
				t.Errorf("row %d: got %q, want it to hold %q", tt.row, lines[tt.row], want)
			}
		}
	}
	if strings.Contains(buf.String(), long) || !strings.Contains(lines[1], "…") {
		t.Errorf("got the long reason whole, want it shortened: %q", lines[1])
	}
}

func roundTrip(t *testing.T, f findings.Finding) findings.Finding {
	t.Helper()
	b, err := json.Marshal(f)
	must(t, err)
	var out findings.Finding
	must(t, json.Unmarshal(b, &out))
	return out
}
