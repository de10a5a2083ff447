package auditenv

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestLoadNamesWhatIsMissingAndWrong(t *testing.T) {
	for _, k := range []string{"AIMS_REGISTER_URI", "AIMS_EVIDENCE_BUCKET", "AIMS_STATE_TABLE",
		"AIMS_ALERT_BUS", "AIMS_DRY_RUN"} {
		t.Setenv(k, "")
	}
	t.Setenv("AIMS_EVIDENCE_BUCKET", "b")
	_, err := Load(aws.Config{Region: "us-east-1"}, "f")
	if err == nil || !strings.Contains(err.Error(), "AIMS_REGISTER_URI, AIMS_STATE_TABLE, AIMS_ALERT_BUS") {
		t.Errorf("got %v, want the three missing variables named", err)
	}

	t.Setenv("AIMS_REGISTER_URI", t.TempDir())
	t.Setenv("AIMS_STATE_TABLE", "t")
	t.Setenv("AIMS_ALERT_BUS", "bus")
	t.Setenv("AIMS_DRY_RUN", "maybe")
	if _, err := Load(aws.Config{Region: "us-east-1"}, "f"); err == nil ||
		!strings.Contains(err.Error(), "AIMS_DRY_RUN") {
		t.Errorf("got %v, want AIMS_DRY_RUN named", err)
	}

	t.Setenv("AIMS_DRY_RUN", "true")
	s, err := Load(aws.Config{Region: "us-east-1"}, "f")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !s.DryRun || s.Evidence("111") != s.Evidence("111") || s.Evidence("111") == s.Evidence("222") {
		t.Errorf("got dryRun %v and evidence stores not one per account", s.DryRun)
	}
}
