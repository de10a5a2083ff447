package estate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/deployment"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func seedWithEndpoints(t *testing.T) (*Estate, Clients, map[string]string) {
	t.Helper()
	e, c := seed(t)
	arns, err := SeedEndpoints(t.Context(), testcloud.Shared(t).Config(), e)
	if err != nil {
		t.Fatalf("seed endpoints: %v", err)
	}
	return e, c, arns
}

func TestSeedEndpoints(t *testing.T) {
	e, c, arns := seedWithEndpoints(t)
	ctx := t.Context()
	for _, ep := range Endpoints() {
		out, err := c.SageMaker.DescribeEndpoint(ctx,
			&sagemaker.DescribeEndpointInput{EndpointName: aws.String(ep.Name)})
		if err != nil {
			t.Fatalf("describe endpoint %s: %v", ep.Name, err)
		}
		if out.EndpointStatus != smtypes.EndpointStatusInService ||
			aws.ToString(out.EndpointConfigName) != ep.Config {
			t.Errorf("%s: got %s on %s, want InService on %s", ep.Name, out.EndpointStatus,
				aws.ToString(out.EndpointConfigName), ep.Config)
		}
		if got := arns[ep.Name]; got != aws.ToString(out.EndpointArn) || got == "" {
			t.Errorf("%s: got ARN %q, want %q", ep.Name, got, aws.ToString(out.EndpointArn))
		}
		checkConfig(t, c.SageMaker, ep)
		checkModel(t, c.SageMaker, e, ep)
	}
}

func checkConfig(t *testing.T, sm *sagemaker.Client, ep Endpoint) {
	t.Helper()
	cfg, err := sm.DescribeEndpointConfig(t.Context(),
		&sagemaker.DescribeEndpointConfigInput{EndpointConfigName: aws.String(ep.Config)})
	if err != nil {
		t.Fatalf("describe endpoint config %s: %v", ep.Config, err)
	}
	if aws.ToString(cfg.KmsKeyId) == "" {
		t.Errorf("%s: got no KMS key, want one", ep.Config)
	}
	vs := cfg.ProductionVariants
	if len(vs) != 1 || aws.ToString(vs[0].VariantName) != Variant ||
		aws.ToString(vs[0].ModelName) != ep.Model {
		t.Errorf("%s: got variants %+v, want %s serving %s", ep.Config, vs, Variant, ep.Model)
	}
	dc := cfg.DataCaptureConfig
	capturing := dc != nil && aws.ToBool(dc.EnableCapture) &&
		aws.ToString(dc.DestinationS3Uri) != ""
	if capturing != ep.Capture {
		t.Errorf("%s: got data capture %+v, want capturing %v", ep.Config, dc, ep.Capture)
	}
}

func checkModel(t *testing.T, sm *sagemaker.Client, e *Estate, ep Endpoint) {
	t.Helper()
	m, err := sm.DescribeModel(t.Context(),
		&sagemaker.DescribeModelInput{ModelName: aws.String(ep.Model)})
	if err != nil {
		t.Fatalf("describe model %s: %v", ep.Model, err)
	}
	if len(m.Containers) != 1 {
		t.Fatalf("%s: got %d containers, want 1", ep.Model, len(m.Containers))
	}
	c := m.Containers[0]
	if ep.Version == 0 {
		if c.ModelPackageName != nil || aws.ToString(c.Image) == "" ||
			aws.ToString(c.ModelDataUrl) == "" {
			t.Errorf("%s: got container %+v, want an image and model data, no package",
				ep.Model, c)
		}
		return
	}
	if got, want := aws.ToString(c.ModelPackageName), e.Packages[ep.Version-1].ARN; got != want {
		t.Errorf("%s: got package %q, want %q", ep.Model, got, want)
	}
}

// TestSeedModelCard reads the card back: Approved, with the content that
// names version 1, which moto would have dropped had it been approved later.
func TestSeedModelCard(t *testing.T) {
	e, c, _ := seedWithEndpoints(t)
	card, err := c.SageMaker.DescribeModelCard(t.Context(),
		&sagemaker.DescribeModelCardInput{ModelCardName: aws.String(ModelCard)})
	if err != nil {
		t.Fatalf("describe model card: %v", err)
	}
	if card.ModelCardStatus != smtypes.ModelCardStatusApproved {
		t.Errorf("got card status %s, want Approved", card.ModelCardStatus)
	}
	var content struct {
		Details map[string]any `json:"model_package_details"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(card.Content)), &content); err != nil {
		t.Fatalf("card content %q: %v", aws.ToString(card.Content), err)
	}
	want := map[string]any{"model_package_arn": e.Packages[0].ARN,
		"model_package_group_name": Group, "model_package_version": 1.0}
	if diff := cmp.Diff(want, content.Details); diff != "" {
		t.Errorf("model_package_details (-want +got):\n%s", diff)
	}
}

// TestSeedEndpointsAgain seeds twice: the same endpoints, no error, no
// second copy of anything.
func TestSeedEndpointsAgain(t *testing.T) {
	e, c, first := seedWithEndpoints(t)
	again, err := SeedEndpoints(t.Context(), testcloud.Shared(t).Config(), e)
	if err != nil {
		t.Fatalf("seed endpoints again: %v", err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("endpoint ARNs (-first +again):\n%s", diff)
	}
	list, err := c.SageMaker.ListEndpoints(t.Context(), &sagemaker.ListEndpointsInput{})
	if err != nil {
		t.Fatalf("list endpoints: %v", err)
	}
	if got, want := len(list.Endpoints), len(Endpoints()); got != want {
		t.Errorf("got %d endpoints, want %d", got, want)
	}
}

// TestSeededEndpointsJudged runs the deployment check in-process on every
// seeded endpoint, first as seeded (every version Approved), then after
// the rejections the gate makes, and compares what does not pass with what
// each endpoint is there to show.
func TestSeededEndpointsJudged(t *testing.T) {
	e, c, arns := seedWithEndpoints(t)
	check := deploymentCheck(t, c)
	judgeAll(t, check, arns, false)
	for _, v := range Versions() {
		if v.Outcome == "Rejected" {
			reject(t, c.SageMaker, e.Packages[v.Number-1].ARN, v)
		}
	}
	judgeAll(t, check, arns, true)
}

func judgeAll(t *testing.T, check *deployment.Check, arns map[string]string, gated bool) {
	t.Helper()
	for _, ep := range Endpoints() {
		res, err := check.Audit(t.Context(), ep.Name)
		if err != nil {
			t.Fatalf("audit %s: %v", ep.Name, err)
		}
		if res.Endpoint != arns[ep.Name] {
			t.Errorf("%s: audited %q, want %q", ep.Name, res.Endpoint, arns[ep.Name])
		}
		got := map[string]findings.Status{}
		for _, f := range res.Findings {
			if f.Status != findings.Pass && f.Status != findings.NotApplicable {
				got[f.Check+"["+f.Qualifier+"]"] = f.Status
			}
			checkReason(t, ep, f)
		}
		if diff := cmp.Diff(ep.Expected(gated), got); diff != "" {
			t.Errorf("%s (gated %v): findings that do not pass (-want +got):\n%s", ep.Name,
				gated, diff)
		}
	}
}

// checkReason looks at the reasons that make each endpoint's point.
func checkReason(t *testing.T, ep Endpoint, f findings.Finding) {
	t.Helper()
	want := map[string]string{
		deployment.CheckMonitoring:        "monitoring schedules",
		deployment.CheckPackageRegistered: "name no registered model package",
		deployment.CheckCardMatches:       "credit-risk/1, not",
		deployment.CheckDataCapture:       "capture is not enabled",
	}[f.Check]
	if f.Status == findings.Fail || f.Status == findings.Indeterminate {
		if !strings.Contains(f.Reason, want) {
			t.Errorf("%s %s: got reason %q, want it to say %q", ep.Name, f.Check, f.Reason, want)
		}
	}
	if f.Check == deployment.CheckPackageRegistered && f.Status == findings.Fail &&
		f.Gap != findings.System {
		t.Errorf("%s %s: got gap %s, want system", ep.Name, f.Check, f.Gap)
	}
}

// reject sets a version Rejected the way the gate does, sending status,
// description and metadata together.
func reject(t *testing.T, sm *sagemaker.Client, arn string, v Version) {
	t.Helper()
	_, err := sm.UpdateModelPackage(t.Context(), &sagemaker.UpdateModelPackageInput{
		ModelPackageArn:            aws.String(arn),
		ModelApprovalStatus:        smtypes.ModelApprovalStatusRejected,
		ApprovalDescription:        aws.String("rejected by the promotion gate"),
		CustomerMetadataProperties: metadata(v),
	})
	if err != nil {
		t.Fatalf("reject %s: %v", arn, err)
	}
}

// deploymentCheck builds the check on the estate's register, evidence
// bucket, state table and bus, with one attempt per call: moto's 500s on
// monitoring schedules are not worth the retryer's back-off here.
func deploymentCheck(t *testing.T, c Clients) *deployment.Check {
	t.Helper()
	store, err := register.Open("s3://"+RegisterBucket+"/"+RegisterPrefix, c.S3)
	if err != nil {
		t.Fatalf("open register: %v", err)
	}
	cfg := testcloud.Shared(t).Config()
	return &deployment.Check{
		SageMaker: sagemaker.NewFromConfig(cfg,
			func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 }),
		Register: store,
		Evidence: func(account string) *evidence.Store {
			return evidence.NewStore(c.S3, EvidenceBucket, deployment.FunctionName, account)
		},
		Alerts: alert.NewNotifier(c.DynamoDB, StateTable, c.Events, AlertBus, false),
		Now:    func() time.Time { return time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC) },
	}
}
