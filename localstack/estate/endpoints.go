package estate

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/aimsaudit/aimsaudit/shared/awserr"
	"github.com/aimsaudit/aimsaudit/shared/deployment"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// ModelCard is the estate's one model card: Approved, and describing
// credit-risk version 1, which is what makes it stale on an endpoint that
// serves version 3.
const ModelCard = "credit-risk-v1"

// Variant is the production variant every seeded endpoint serves.
const Variant = "AllTraffic"

// Endpoint describes one SageMaker endpoint of the demo estate, set up to
// show one outcome of the deployment check.
type Endpoint struct {
	Name    string
	Config  string // its endpoint configuration
	Model   string // the SageMaker model of its one variant
	Version int    // the credit-risk version it serves; 0 for a model outside the registry
	Capture bool   // data capture on, with a destination
	Why     string // what the deployment check should make of it
	// Defects are the checks that fail by the endpoint's own set-up,
	// whatever has become of the package it serves.
	Defects []string
}

// Endpoints returns the estate's endpoints, in the order the demo shows
// them. Each has a KMS key on its configuration, as the register asks.
func Endpoints() []Endpoint {
	return []Endpoint{
		{Name: "credit-risk-prod", Config: "credit-risk-prod-v1", Model: "credit-risk-v1",
			Version: 1, Capture: true,
			Why: "serves version 1, approved, carded, captured and encrypted"},
		{Name: "shadow-it", Config: "shadow-it-v1", Model: "shadow-it-xgboost", Capture: true,
			Why:     "serves an image and model data that no registered package holds",
			Defects: []string{deployment.CheckPackageRegistered}},
		{Name: "credit-risk-stale-card", Config: "credit-risk-stale-card-v3",
			Model: "credit-risk-v3", Version: 3, Capture: true,
			Why:     "serves version 3, whose only card still describes version 1",
			Defects: []string{deployment.CheckCardMatches}},
		{Name: "credit-risk-no-capture", Config: "credit-risk-no-capture-v1",
			Model: "credit-risk-v1", Version: 1,
			Why:     "serves version 1 with data capture off",
			Defects: []string{deployment.CheckDataCapture}},
	}
}

// Expected is what the deployment check should report on the endpoint in
// moto, for every finding that does not pass or not apply, keyed by
// check[qualifier]: each defect fails; monitoring is indeterminate, since
// moto answers monitoring schedule calls with HTTP 500; and, when gated is
// set, package approval fails for a version the promotion gate rejects,
// which is how it stands after the gate has run. What serves traffic may
// well have been deployed before the rejection.
func (ep Endpoint) Expected(gated bool) map[string]findings.Status {
	want := map[string]findings.Status{
		variantKey(deployment.CheckMonitoring): findings.Indeterminate,
	}
	for _, check := range ep.Defects {
		want[variantKey(check)] = findings.Fail
	}
	for _, v := range Versions() {
		if gated && v.Number == ep.Version && v.Outcome != "Approved" {
			want[variantKey(deployment.CheckPackageApproved)] = findings.Fail
		}
	}
	return want
}

func variantKey(check string) string { return check + "[" + Variant + "]" }

type endpointAPI interface {
	DescribeModelCard(ctx context.Context, in *sagemaker.DescribeModelCardInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelCardOutput, error)
	CreateModelCard(ctx context.Context, in *sagemaker.CreateModelCardInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.CreateModelCardOutput, error)
	DescribeModel(ctx context.Context, in *sagemaker.DescribeModelInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelOutput, error)
	CreateModel(ctx context.Context, in *sagemaker.CreateModelInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.CreateModelOutput, error)
	DescribeEndpointConfig(ctx context.Context, in *sagemaker.DescribeEndpointConfigInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeEndpointConfigOutput, error)
	CreateEndpointConfig(ctx context.Context, in *sagemaker.CreateEndpointConfigInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.CreateEndpointConfigOutput, error)
	DescribeEndpoint(ctx context.Context, in *sagemaker.DescribeEndpointInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeEndpointOutput, error)
	CreateEndpoint(ctx context.Context, in *sagemaker.CreateEndpointInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.CreateEndpointOutput, error)
}

// SeedEndpoints stands up the endpoints of Endpoints in the estate Seed
// built: the model card, the models, the endpoint configurations and the
// endpoints, each created in its final state (moto drops a card's content
// when it is updated to Approved). It returns each endpoint's ARN by name.
// What exists already is left as it is, so seeding again changes nothing.
func SeedEndpoints(ctx context.Context, cfg aws.Config, e *Estate) (map[string]string, error) {
	return seedEndpoints(ctx, sagemaker.NewFromConfig(cfg), e)
}

func seedEndpoints(ctx context.Context, client endpointAPI, e *Estate) (map[string]string,
	error) {
	arns := map[int]string{}
	for _, p := range e.Packages {
		arns[p.Version] = p.ARN
	}
	if arns[1] == "" {
		return nil, fmt.Errorf("seed endpoints: the estate has no %s version 1", Group)
	}
	if err := ensureCard(ctx, client, arns[1]); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, ep := range Endpoints() {
		if err := ensureModel(ctx, client, e, ep, arns); err != nil {
			return nil, err
		}
		if err := ensureEndpointConfig(ctx, client, e, ep); err != nil {
			return nil, err
		}
		arn, err := ensureEndpoint(ctx, client, ep)
		if err != nil {
			return nil, err
		}
		out[ep.Name] = arn
	}
	return out, nil
}

// exists turns a describe call's error into whether the resource is there.
func exists(err error, what string) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case awserr.Classify(err) == awserr.NotFound:
		return false, nil
	}
	return false, fmt.Errorf("describe %s: %w", what, err)
}

// ensureCard creates the Approved card of version 1, whose content names the
// package by ARN, group and version, as SageMaker's model card schema has it.
func ensureCard(ctx context.Context, client endpointAPI, arn string) error {
	_, err := client.DescribeModelCard(ctx, &sagemaker.DescribeModelCardInput{
		ModelCardName: aws.String(ModelCard)})
	if ok, err := exists(err, "model card "+ModelCard); ok || err != nil {
		return err
	}
	content, err := json.Marshal(map[string]any{
		"model_overview": map[string]any{"model_name": Group,
			"model_description": "Retail credit scoring, version 1"},
		"model_package_details": map[string]any{"model_package_arn": arn,
			"model_package_group_name": Group, "model_package_version": 1},
	})
	if err != nil {
		return fmt.Errorf("model card content: %w", err)
	}
	_, err = client.CreateModelCard(ctx, &sagemaker.CreateModelCardInput{
		ModelCardName:   aws.String(ModelCard),
		ModelCardStatus: smtypes.ModelCardStatusApproved,
		Content:         aws.String(string(content)),
	})
	if err != nil {
		return fmt.Errorf("create model card %s: %w", ModelCard, err)
	}
	return nil
}

// ensureModel creates the endpoint's model: a container naming the
// version's package, or, outside the registry, an image and model data.
func ensureModel(ctx context.Context, client endpointAPI, e *Estate, ep Endpoint,
	arns map[int]string) error {
	_, err := client.DescribeModel(ctx, &sagemaker.DescribeModelInput{
		ModelName: aws.String(ep.Model)})
	if ok, err := exists(err, "model "+ep.Model); ok || err != nil {
		return err
	}
	container := smtypes.ContainerDefinition{ModelPackageName: aws.String(arns[ep.Version])}
	if ep.Version == 0 {
		container = smtypes.ContainerDefinition{
			Image: aws.String(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/sandbox-xgboost:1.7",
				e.Account, e.Region)),
			ModelDataUrl: aws.String("s3://team-sandbox/credit-xgb/model.tar.gz"),
		}
	} else if arns[ep.Version] == "" {
		return fmt.Errorf("model %s: the estate has no %s version %d", ep.Model, Group,
			ep.Version)
	}
	_, err = client.CreateModel(ctx, &sagemaker.CreateModelInput{
		ModelName:        aws.String(ep.Model),
		ExecutionRoleArn: aws.String("arn:aws:iam::" + e.Account + ":role/sagemaker-execution"),
		Containers:       []smtypes.ContainerDefinition{container},
	})
	if err != nil {
		return fmt.Errorf("create model %s: %w", ep.Model, err)
	}
	return nil
}

// ensureEndpointConfig creates the endpoint's configuration: one variant,
// a KMS key, and data capture of inputs and outputs into the evaluation
// bucket when the endpoint captures.
func ensureEndpointConfig(ctx context.Context, client endpointAPI, e *Estate,
	ep Endpoint) error {
	_, err := client.DescribeEndpointConfig(ctx, &sagemaker.DescribeEndpointConfigInput{
		EndpointConfigName: aws.String(ep.Config)})
	if ok, err := exists(err, "endpoint config "+ep.Config); ok || err != nil {
		return err
	}
	in := &sagemaker.CreateEndpointConfigInput{
		EndpointConfigName: aws.String(ep.Config),
		KmsKeyId: aws.String(fmt.Sprintf("arn:aws:kms:%s:%s:key/"+
			"4f1c2a7e-8b3d-4e5f-9a60-7b8c9d0e1f2a", e.Region, e.Account)),
		ProductionVariants: []smtypes.ProductionVariant{{VariantName: aws.String(Variant),
			ModelName: aws.String(ep.Model), InitialInstanceCount: aws.Int32(1),
			InstanceType: smtypes.ProductionVariantInstanceTypeMlM5Large}},
	}
	if ep.Capture {
		dest := "s3://" + EvalBucket + "/capture/" + ep.Name + "/"
		in.DataCaptureConfig = &smtypes.DataCaptureConfig{
			EnableCapture:             aws.Bool(true),
			InitialSamplingPercentage: aws.Int32(100),
			DestinationS3Uri:          aws.String(dest),
			CaptureOptions: []smtypes.CaptureOption{{CaptureMode: smtypes.CaptureModeInput},
				{CaptureMode: smtypes.CaptureModeOutput}},
		}
	}
	if _, err := client.CreateEndpointConfig(ctx, in); err != nil {
		return fmt.Errorf("create endpoint config %s: %w", ep.Config, err)
	}
	return nil
}

func ensureEndpoint(ctx context.Context, client endpointAPI, ep Endpoint) (string, error) {
	cur, err := client.DescribeEndpoint(ctx, &sagemaker.DescribeEndpointInput{
		EndpointName: aws.String(ep.Name)})
	if ok, err := exists(err, "endpoint "+ep.Name); err != nil {
		return "", err
	} else if ok {
		return aws.ToString(cur.EndpointArn), nil
	}
	out, err := client.CreateEndpoint(ctx, &sagemaker.CreateEndpointInput{
		EndpointName: aws.String(ep.Name), EndpointConfigName: aws.String(ep.Config)})
	if err != nil {
		return "", fmt.Errorf("create endpoint %s: %w", ep.Name, err)
	}
	return aws.ToString(out.EndpointArn), nil
}
