package modelregistry

import (
	"fmt"
	"strings"
	"testing"
)

func TestRejectionDescriptionFitsTheAPI(t *testing.T) {
	few := RejectionDescription([]string{"impact-assessment.present", "envelope.accuracy"})
	if few != "Rejected by aimsaudit: impact-assessment.present; envelope.accuracy" {
		t.Errorf("got %q", few)
	}
	var many []string
	for i := range 200 {
		many = append(many, fmt.Sprintf("envelope.equalized_odds_difference[set-%03d]", i))
	}
	got := RejectionDescription(many)
	if len(got) > maxDescription {
		t.Fatalf("got %d characters, want at most %d", len(got), maxDescription)
	}
	listed := strings.Count(got, "envelope.")
	want := fmt.Sprintf("; and %d more", len(many)-listed)
	if !strings.HasSuffix(got, want) {
		t.Errorf("got %q, want it to end with %q", got[len(got)-40:], want)
	}
	if listed < 10 {
		t.Errorf("only %d checks listed in %d characters", listed, len(got))
	}
}

func TestParseARN(t *testing.T) {
	g, v := parseARN("arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk/12")
	if g != "credit-risk" || v != 12 {
		t.Errorf("got %s/%d, want credit-risk/12", g, v)
	}
	if g, v := parseARN("arn:aws:sagemaker:eu-west-1:1:model-package/unversioned"); g != "" || v != 0 {
		t.Errorf("unversioned: got %s/%d", g, v)
	}
}
