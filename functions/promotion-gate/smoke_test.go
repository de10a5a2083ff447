package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/lambdarun"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// TestBootstrapUnderRuntimeEmulator builds the real bootstrap, runs it under
// the Lambda Runtime Interface Emulator against the emulated demo estate and
// posts the sample events, as Lambda would deliver them.
func TestBootstrapUnderRuntimeEmulator(t *testing.T) {
	moto := testcloud.Shared(t)
	ctx := t.Context()
	est, err := estate.Seed(ctx, moto.Config())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	dir := t.TempDir()
	rie, err := lambdarun.BuildRIE(ctx, dir)
	if err != nil {
		t.Fatalf("build emulator: %v", err)
	}
	bootstrap, err := lambdarun.BuildFunction(ctx, ".", dir+"/promotion-gate")
	if err != nil {
		t.Fatalf("build bootstrap: %v", err)
	}
	env := append(est.Env(), "AWS_ENDPOINT_URL="+moto.URL, "AWS_REGION="+testcloud.Region,
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		// As the stack configures the function: JSON log lines.
		"AWS_LAMBDA_LOG_FORMAT=JSON")
	fn, err := lambdarun.Start(ctx, lambdarun.Config{RIE: rie, Bootstrap: bootstrap, Env: env})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	defer fn.Stop()

	want := map[int]string{1: "Approved", 2: "Rejected", 3: "Rejected"}
	for v := 1; v <= 3; v++ {
		event, err := os.ReadFile(fmt.Sprintf(
			"../../events/model-package-state-change-credit-risk-%d.json", v))
		if err != nil {
			t.Fatal(err)
		}
		out, err := fn.Invoke(ctx, event)
		if err != nil {
			t.Fatalf("invoke v%d: %v\n%s", v, err, fn.Logs())
		}
		var res struct {
			After    string            `json:"approvalAfter"`
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("v%d result %s: %v", v, out, err)
		}
		if res.After != want[v] || len(res.Findings) == 0 {
			t.Errorf("v%d: got %s with %d findings, want %s", v, res.After, len(res.Findings), want[v])
		}
		arn := est.Packages[v-1].ARN
		got, err := sagemaker.NewFromConfig(moto.Config()).DescribeModelPackage(ctx,
			&sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
		if err != nil || string(got.ModelApprovalStatus) != want[v] {
			t.Errorf("v%d in the registry: got %v (%v), want %s", v, got.ModelApprovalStatus, err, want[v])
		}
	}

	_, err = fn.Invoke(ctx, []byte(`{"source": "aws.sagemaker", `+
		`"detail-type": "SageMaker Model Package State Change", "detail": {"ModelPackageArn": 7}}`))
	var fe *lambdarun.FunctionError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "detail.ModelPackageArn") {
		t.Errorf("malformed event: got %v, want a function error naming detail.ModelPackageArn", err)
	}
	if !strings.Contains(fn.Logs(), `"requestId"`) {
		t.Errorf("function logs carry no request id:\n%s", fn.Logs())
	}
}
