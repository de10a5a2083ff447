package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/lambdarun"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// TestBootstrapUnderRuntimeEmulator builds the real bootstrap, runs it under
// the Lambda Runtime Interface Emulator against the emulated demo estate
// with an endpoint serving credit-risk version 1, and posts the sample
// endpoint events as Lambda would deliver them.
func TestBootstrapUnderRuntimeEmulator(t *testing.T) {
	moto := testcloud.Shared(t)
	ctx := t.Context()
	est, err := estate.Seed(ctx, moto.Config())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	serveVersion1(t, sagemaker.NewFromConfig(moto.Config()), est.Packages[0].ARN)
	dir := t.TempDir()
	rie, err := lambdarun.BuildRIE(ctx, dir)
	if err != nil {
		t.Fatalf("build emulator: %v", err)
	}
	bootstrap, err := lambdarun.BuildFunction(ctx, ".", dir+"/deployment-check")
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

	// The emulator keeps no blue/green deployment, so the deployment event
	// finds none pending and audits the configuration in service too.
	for _, name := range []string{"endpoint-state-change-credit-risk-prod.json",
		"endpoint-state-change-epoch-time.json",
		"endpoint-deployment-state-change-credit-risk-prod.json"} {
		event, err := os.ReadFile("../../events/" + name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := fn.Invoke(ctx, event)
		if err != nil {
			t.Fatalf("invoke %s: %v\n%s", name, err, fn.Logs())
		}
		got := statuses(t, out)
		want := map[string]string{
			"register.system-found[]":                           "pass",
			"deployment.package-registered[AllTraffic]":         "pass",
			"deployment.package-approved[AllTraffic]":           "pass",
			"deployment.impact-assessment-covers[AllTraffic]":   "pass",
			"deployment.model-card-present[AllTraffic]":         "pass",
			"deployment.model-card-matches-version[AllTraffic]": "pass",
			"deployment.data-capture-enabled[AllTraffic]":       "pass",
			"deployment.encryption[AllTraffic]":                 "pass",
			"deployment.monitoring-scheduled[AllTraffic]":       "indeterminate",
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: %s got %q, want %q", name, k, got[k], w)
			}
		}
	}

	_, err = fn.Invoke(ctx, []byte(`{"source": "aws.sagemaker",
		"detail-type": "SageMaker Endpoint State Change", "detail": {"EndpointName": 7}}`))
	var fe *lambdarun.FunctionError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "detail.EndpointName") {
		t.Errorf("malformed event: got %v, want a function error naming detail.EndpointName", err)
	}
	if !strings.Contains(fn.Logs(), `"requestId"`) {
		t.Errorf("function logs carry no request id:\n%s", fn.Logs())
	}
}

// serveVersion1 stands up credit-risk-prod serving the package, with data
// capture, a KMS key and a card describing the version.
func serveVersion1(t *testing.T, sm *sagemaker.Client, arn string) {
	t.Helper()
	ctx := t.Context()
	content, err := json.Marshal(map[string]any{"model_package_details": map[string]any{
		"model_package_arn": arn, "model_package_group_name": estate.Group,
		"model_package_version": 1}})
	must(t, err)
	_, err = sm.CreateModelCard(ctx, &sagemaker.CreateModelCardInput{
		ModelCardName:   aws.String("credit-risk-v1"),
		ModelCardStatus: smtypes.ModelCardStatusApproved, Content: aws.String(string(content))})
	must(t, err)
	_, err = sm.CreateModel(ctx, &sagemaker.CreateModelInput{
		ModelName:        aws.String("credit-risk-v1"),
		ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/sagemaker-execution"),
		Containers:       []smtypes.ContainerDefinition{{ModelPackageName: aws.String(arn)}}})
	must(t, err)
	_, err = sm.CreateEndpointConfig(ctx, &sagemaker.CreateEndpointConfigInput{
		EndpointConfigName: aws.String("credit-risk-prod-v1"),
		KmsKeyId:           aws.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd"),
		ProductionVariants: []smtypes.ProductionVariant{{VariantName: aws.String("AllTraffic"),
			ModelName: aws.String("credit-risk-v1"), InitialInstanceCount: aws.Int32(1),
			InstanceType: smtypes.ProductionVariantInstanceTypeMlM5Large}},
		DataCaptureConfig: &smtypes.DataCaptureConfig{EnableCapture: aws.Bool(true),
			InitialSamplingPercentage: aws.Int32(100),
			DestinationS3Uri:          aws.String("s3://aims-capture/"),
			CaptureOptions: []smtypes.CaptureOption{
				{CaptureMode: smtypes.CaptureModeInput}}},
	})
	must(t, err)
	_, err = sm.CreateEndpoint(ctx, &sagemaker.CreateEndpointInput{
		EndpointName:       aws.String("credit-risk-prod"),
		EndpointConfigName: aws.String("credit-risk-prod-v1")})
	must(t, err)
}

// statuses maps "check[qualifier]" to status in a function result.
func statuses(t *testing.T, out []byte) map[string]string {
	t.Helper()
	var res struct {
		Findings []struct{ Check, Qualifier, Status string } `json:"findings"`
		Actions  []json.RawMessage                           `json:"actions"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("result %s: %v", out, err)
	}
	if res.Actions == nil || len(res.Actions) != 0 {
		t.Errorf("actions: got %s, want []", out)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.Check+"["+f.Qualifier+"]"] = f.Status
	}
	return got
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
