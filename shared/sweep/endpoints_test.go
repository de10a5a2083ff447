package sweep

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/aimsaudit/aimsaudit/shared/register"
)

// endpoint creates a serving endpoint of one model, as a team deploys
// outside any pipeline.
func (r *rig) endpoint(t *testing.T, sm *sagemaker.Client, name string) {
	t.Helper()
	ctx := t.Context()
	_, err := sm.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(name + "-model"),
		ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/sagemaker-execution"),
		Containers: []smtypes.ContainerDefinition{{
			Image: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/" + name)}}})
	must(t, err)
	_, err = sm.CreateEndpointConfig(ctx, &sagemaker.CreateEndpointConfigInput{
		EndpointConfigName: aws.String(name + "-config"),
		ProductionVariants: []smtypes.ProductionVariant{{VariantName: aws.String("AllTraffic"),
			ModelName: aws.String(name + "-model"), InitialInstanceCount: aws.Int32(1),
			InstanceType: smtypes.ProductionVariantInstanceTypeMlM5Large}}})
	must(t, err)
	_, err = sm.CreateEndpoint(ctx, &sagemaker.CreateEndpointInput{EndpointName: aws.String(name),
		EndpointConfigName: aws.String(name + "-config")})
	must(t, err)
}

// TestEndpointsReChecked lists the account's endpoints and re-checks each
// with the deployment check, keeping its evidence in the sweep's batch
// run under one manifest; a register endpoint that no longer exists is
// looked for too.
func TestEndpointsReChecked(t *testing.T) {
	r := newRig(t)
	r.doc(t, "systems/credit-risk.json", `{"id": "credit-risk", "name": "Credit",
		"sagemaker": {"endpoints": ["ep-registered", "ep-gone"]}}`)
	// One attempt: the emulator answers monitoring schedules with 500s.
	one := func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 }
	sm := sagemaker.NewFromConfig(r.cfg, one)
	r.endpoint(t, sm, "ep-registered")
	r.endpoint(t, sm, "ep-shadow-it")
	s := r.sweep(t)
	store, err := register.Open(r.reg, nil)
	must(t, err)
	s.Endpoints = EndpointConnector(r.cfg, store, one)

	res, err := s.Run(t.Context())
	must(t, err)

	judged := map[string]int{}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Check, "deployment.") {
			judged[f.Resource[strings.LastIndex(f.Resource, "/")+1:]]++
		}
	}
	if judged["ep-registered"] == 0 || judged["ep-shadow-it"] == 0 || len(judged) != 2 {
		t.Errorf("got deployment findings per endpoint %v, want both serving endpoints", judged)
	}
	if res.Counts.Endpoints != 3 || res.Counts.Planned.Endpoints != 3 {
		t.Errorf("got %d endpoints re-checked (%d planned), want 3 (two listed, one registered)",
			res.Counts.Endpoints, res.Counts.Planned.Endpoints)
	}
	prefix := "runs/" + FunctionName + "/" + res.RunID + "-us-east-1/endpoints/"
	for _, ep := range []string{"ep-registered", "ep-shadow-it"} {
		if len(r.keys(t, prefix+ep+"/")) == 0 {
			t.Errorf("got no evidence under %s%s/", prefix, ep)
		}
	}
}
