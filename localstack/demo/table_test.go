package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
)

const biasedResult = `{"findings": [
  {"check": "impact-assessment.present", "qualifier": "", "status": "pass"},
  {"check": "evaluation.claims-match", "qualifier": "", "status": "not_applicable"},
  {"check": "envelope.demographic_parity_difference", "qualifier": "sex", "status": "fail"},
  {"check": "envelope.equalized_odds_difference", "qualifier": "age_band,sex",
   "status": "indeterminate"}],
 "actions": [{"type": "reject-model-package", "resource": "arn", "reason": "r"}]}`

func TestReadResult(t *testing.T) {
	failing, actions, err := readResult([]byte(biasedResult))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	wantFailing := []string{
		"envelope.demographic_parity_difference[sex]",
		"envelope.equalized_odds_difference[age_band,sex] (indeterminate)",
	}
	if diff := cmp.Diff(wantFailing, failing); diff != "" {
		t.Errorf("failing (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"reject-model-package"}, actions); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

func TestReadResultRejectsOtherAnswers(t *testing.T) {
	for name, raw := range map[string]string{
		"not JSON":    "Task timed out",
		"no findings": `{"errorType": "x"}`,
	} {
		if _, _, err := readResult([]byte(raw)); err == nil {
			t.Errorf("%s: got no error, want one", name)
		}
	}
}

func TestPrintTable(t *testing.T) {
	rows := []row{
		{Version: 1, Before: "Approved", After: "Approved"},
		{Version: 3, Before: "Approved", After: "Rejected", Failing: []string{"a[sex]", "b[sex]"}},
	}
	var buf bytes.Buffer
	printTable(&buf, rows, map[string]int{"AIMS Audit Finding": 4, "AIMS Promotion Cleared": 1})
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		"credit-risk/1  Approved → Approved  -",
		"credit-risk/3  Approved → Rejected  a[sex]",
		"b[sex]",
		"alerts on aims-grc-alerts: 5 (4 AIMS Audit Finding, 1 AIMS Promotion Cleared)",
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || strings.TrimSpace(l) == w
		}
		if !found {
			t.Errorf("got table\n%s\nwant a line %q", buf.String(), w)
		}
	}
}

func TestExpectOutcome(t *testing.T) {
	good := []row{{Version: 1, After: "Approved"}, {Version: 2, After: "Rejected"},
		{Version: 3, After: "Rejected"}}
	if err := expectOutcome(good); err != nil {
		t.Errorf("got %v for the expected outcome, want nil", err)
	}
	bad := []row{{Version: 1, After: "Rejected"}, {Version: 3, After: "Approved"}}
	err := expectOutcome(bad)
	if err == nil || !strings.Contains(err.Error(), "credit-risk/3 ended Approved, want Rejected") {
		t.Errorf("got %v, want the wrong outcomes named", err)
	}
}

// registry answers DescribeModelPackage with a status the fake gate flips.
type registry struct{ status smtypes.ModelApprovalStatus }

func (r *registry) DescribeModelPackage(_ context.Context, in *sagemaker.DescribeModelPackageInput,
	_ ...func(*sagemaker.Options)) (*sagemaker.DescribeModelPackageOutput, error) {
	return &sagemaker.DescribeModelPackageOutput{
		ModelPackageArn: in.ModelPackageName, ModelApprovalStatus: r.status}, nil
}

type rejectingGate struct{ reg *registry }

func (g rejectingGate) Invoke(context.Context, []byte) ([]byte, error) {
	g.reg.status = smtypes.ModelApprovalStatusRejected
	return []byte(biasedResult), nil
}

func TestGateOneReadsApprovalAroundTheCall(t *testing.T) {
	reg := &registry{status: smtypes.ModelApprovalStatusApproved}
	p := estate.Package{Version: 3, ARN: "arn:p/3"}
	r, err := gateOne(t.Context(), reg, rejectingGate{reg}, p, []byte(`{}`))
	if err != nil {
		t.Fatalf("gate: %v", err)
	}
	if r.Before != "Approved" || r.After != "Rejected" {
		t.Errorf("got %s → %s, want Approved → Rejected", r.Before, r.After)
	}
	if len(r.Failing) != 2 {
		t.Errorf("got failing %v, want the two blocking findings", r.Failing)
	}
}
