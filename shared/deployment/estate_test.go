package deployment

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// The test estate's names.
const (
	registerBucket = "reg"
	evidenceBucket = "evidence"
	stateTable     = "state"
	alertBus       = "grc"
	group          = "credit-risk"
	role           = "arn:aws:iam::123456789012:role/sagemaker-execution"
	kmsKey         = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	image          = "123456789012.dkr.ecr.us-east-1.amazonaws.com/credit-risk"
	events         = "../../events/"
)

var testNow = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

// systemDoc declares the endpoints of the tests and their expectations.
const systemDoc = `{
  "id": "credit-risk",
  "sagemaker": {"modelPackageGroups": ["credit-risk"],
                "endpoints": ["credit-risk-prod", "shadow-it", "credit-risk-v3", "no-capture",
                              "draft-card", "credit-risk-v2"]},
  "deployment": {"requireKms": true, "requireNetworkIsolation": false,
                 "monitoringTypes": ["DataQuality", "ModelBias"]},
  "impactAssessment": {"reviewIntervalDays": 365}
}`

const assessmentDoc = `{"id": "AIIA-2026-007", "system": "credit-risk", "status": "approved",
  "approvedBy": "chief.risk@bank.example", "approvedAt": "2026-06-01T09:00:00Z",
  "nextReviewDue": "2027-06-01",
  "covers": {"modelPackageGroup": "credit-risk", "versions": [1, 2, 3, 4, 5]}}`

// estate is a fresh emulated account with the register, the evidence
// bucket, the state table and the alert bus with a queue behind it.
type estate struct {
	t     testing.TB
	s3    *s3.Client
	sm    *sagemaker.Client
	ddb   *dynamodb.Client
	eb    *eventbridge.Client
	sqs   *sqs.Client
	queue string
}

func newEstate(t testing.TB) *estate {
	t.Helper()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	cfg := moto.Config()
	e := &estate{t: t,
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		// Retry only a dropped connection: the emulator's 500s on
		// monitoring schedules are not worth the retryer's back-off.
		sm: sagemaker.NewFromConfig(cfg, func(o *sagemaker.Options) {
			o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
				so.Retryables = []retry.IsErrorRetryable{retry.RetryableConnectionError{}}
			})
		}),
		ddb: dynamodb.NewFromConfig(cfg),
		eb:  eventbridge.NewFromConfig(cfg),
		sqs: sqs.NewFromConfig(cfg),
	}
	ctx := t.Context()
	for _, b := range []string{registerBucket, evidenceBucket} {
		must(t, err2(e.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})))
	}
	must(t, err2(e.ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(stateTable),
		BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"),
			AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"),
			KeyType: ddbtypes.KeyTypeHash}},
	})))
	e.observeAlerts()
	e.putRegister("systems/credit-risk.json", systemDoc)
	e.putRegister("assessments/AIIA-2026-007.json", assessmentDoc)
	must(t, err2(e.sm.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{
		ModelPackageGroupName: aws.String(group)})))
	return e
}

// observeAlerts routes everything on the GRC bus to a queue the test reads.
func (e *estate) observeAlerts() {
	ctx := e.t.Context()
	must(e.t, err2(e.eb.CreateEventBus(ctx,
		&eventbridge.CreateEventBusInput{Name: aws.String(alertBus)})))
	q, err := e.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("alerts")})
	must(e.t, err)
	e.queue = aws.ToString(q.QueueUrl)
	attrs, err := e.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	must(e.t, err)
	must(e.t, err2(e.eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("all"),
		EventBusName: aws.String(alertBus),
		EventPattern: aws.String(`{"source": ["aimsaudit"]}`)})))
	must(e.t, err2(e.eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("all"),
		EventBusName: aws.String(alertBus),
		Targets: []ebtypes.Target{{Id: aws.String("q"),
			Arn: aws.String(attrs.Attributes["QueueArn"])}}})))
}

func (e *estate) putRegister(name, body string) {
	_, err := e.s3.PutObject(e.t.Context(), &s3.PutObjectInput{Bucket: aws.String(registerBucket),
		Key: aws.String("register/" + name), Body: bytes.NewReader([]byte(body))})
	must(e.t, err)
}

// addPackage registers the next version of the group and returns its ARN.
func (e *estate) addPackage(status string, metadata map[string]string) string {
	out, err := e.sm.CreateModelPackage(e.t.Context(), &sagemaker.CreateModelPackageInput{
		ModelPackageGroupName:      aws.String(group),
		ModelApprovalStatus:        smtypes.ModelApprovalStatus(status),
		CustomerMetadataProperties: metadata,
		InferenceSpecification: &smtypes.InferenceSpecification{
			Containers: []smtypes.ModelPackageContainerDefinition{{
				Image: aws.String(image + ":latest")}},
			SupportedContentTypes:      []string{"text/csv"},
			SupportedResponseMIMETypes: []string{"text/csv"},
		},
	})
	must(e.t, err)
	return aws.ToString(out.ModelPackageArn)
}

// addCard creates a model card in its final status (the emulator drops the
// content of a card updated to Approved) describing the given package.
func (e *estate) addCard(name, status, packageArn string, version int) {
	content, err := json.Marshal(map[string]any{
		"model_overview": map[string]any{"model_name": group,
			"model_description": "Retail credit scoring"},
		"model_package_details": map[string]any{"model_package_arn": packageArn,
			"model_package_group_name": group, "model_package_version": version},
	})
	must(e.t, err)
	must(e.t, err2(e.sm.CreateModelCard(e.t.Context(), &sagemaker.CreateModelCardInput{
		ModelCardName: aws.String(name), ModelCardStatus: smtypes.ModelCardStatus(status),
		Content: aws.String(string(content))})))
}

// serving describes one endpoint to stand up.
type serving struct {
	endpoint  string
	container smtypes.ContainerDefinition
	capture   bool
	kms       bool
}

// serve creates the model, the endpoint config and the endpoint.
func (e *estate) serve(s serving) string {
	ctx := e.t.Context()
	model := s.endpoint + "-model"
	must(e.t, err2(e.sm.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(model),
		ExecutionRoleArn: aws.String(role),
		Containers:       []smtypes.ContainerDefinition{s.container}})))
	in := &sagemaker.CreateEndpointConfigInput{
		EndpointConfigName: aws.String(s.endpoint + "-config"),
		ProductionVariants: []smtypes.ProductionVariant{{VariantName: aws.String("AllTraffic"),
			ModelName: aws.String(model), InitialInstanceCount: aws.Int32(1),
			InstanceType: smtypes.ProductionVariantInstanceTypeMlM5Large}}}
	if s.capture {
		in.DataCaptureConfig = &smtypes.DataCaptureConfig{EnableCapture: aws.Bool(true),
			InitialSamplingPercentage: aws.Int32(100),
			DestinationS3Uri:          aws.String("s3://aims-capture/" + s.endpoint + "/"),
			CaptureOptions: []smtypes.CaptureOption{{CaptureMode: smtypes.CaptureModeInput},
				{CaptureMode: smtypes.CaptureModeOutput}}}
	}
	if s.kms {
		in.KmsKeyId = aws.String(kmsKey)
	}
	must(e.t, err2(e.sm.CreateEndpointConfig(ctx, in)))
	out, err := e.sm.CreateEndpoint(ctx, &sagemaker.CreateEndpointInput{
		EndpointName: aws.String(s.endpoint), EndpointConfigName: in.EndpointConfigName})
	must(e.t, err)
	return aws.ToString(out.EndpointArn)
}

func packageContainer(arn string) smtypes.ContainerDefinition {
	return smtypes.ContainerDefinition{ModelPackageName: aws.String(arn)}
}

func (e *estate) check(dryRun bool) *Check {
	return e.checkWith(e.sm, dryRun)
}

func (e *estate) checkWith(sm API, dryRun bool) *Check {
	store, err := register.Open("s3://"+registerBucket+"/register/", e.s3)
	must(e.t, err)
	return &Check{
		SageMaker: sm,
		Register:  store,
		Evidence: func(account string) *evidence.Store {
			return evidence.NewStore(e.s3, evidenceBucket, FunctionName, account)
		},
		Alerts: alert.NewNotifier(e.ddb, stateTable, e.eb, alertBus, dryRun),
		DryRun: dryRun,
		Now:    func() time.Time { return testNow },
	}
}

// alerts drains the alert queue.
func (e *estate) alerts() []alertEvent {
	var out []alertEvent
	for {
		msgs, err := e.sqs.ReceiveMessage(e.t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(e.queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 0})
		must(e.t, err)
		if len(msgs.Messages) == 0 {
			return out
		}
		for _, m := range msgs.Messages {
			var ev alertEvent
			must(e.t, json.Unmarshal([]byte(aws.ToString(m.Body)), &ev))
			out = append(out, ev)
			must(e.t, err2(e.sqs.DeleteMessage(e.t.Context(), &sqs.DeleteMessageInput{
				QueueUrl: aws.String(e.queue), ReceiptHandle: m.ReceiptHandle})))
		}
	}
}

type alertEvent struct {
	DetailType string `json:"detail-type"`
	Detail     struct {
		Finding struct {
			Check     string `json:"check"`
			Resource  string `json:"resource"`
			Qualifier string `json:"qualifier"`
			Status    string `json:"status"`
		} `json:"finding"`
		DryRun bool `json:"dryRun"`
	} `json:"detail"`
}

// endpointEvent is the sample InService event, pointed at an endpoint.
func endpointEvent(t testing.TB, name string) []byte {
	t.Helper()
	raw := readFile(t, events+"endpoint-state-change-credit-risk-prod.json")
	return []byte(strings.ReplaceAll(string(raw), "credit-risk-prod", name))
}

func run(t *testing.T, c *Check, event []byte) *Result {
	t.Helper()
	res, err := c.Handle(context.WithoutCancel(t.Context()), event)
	if err != nil {
		t.Fatalf("handle: %v", err)
	}
	return res
}

// statuses maps "check[qualifier]" to the status of each finding.
func statuses(res *Result) map[string]findings.Status {
	out := map[string]findings.Status{}
	for _, f := range res.Findings {
		out[f.Check+"["+f.Qualifier+"]"] = f.Status
	}
	return out
}

func findingOf(t *testing.T, res *Result, check, qualifier string) findings.Finding {
	t.Helper()
	for _, f := range res.Findings {
		if f.Check == check && f.Qualifier == qualifier {
			return f
		}
	}
	t.Fatalf("no finding %s[%s] in %v", check, qualifier, statuses(res))
	return findings.Finding{}
}

// expect compares the statuses of a result with the wanted ones; checks
// not named must pass or not apply.
func expect(t *testing.T, res *Result, variant string, want map[string]findings.Status) {
	t.Helper()
	got := statuses(res)
	for _, check := range []string{CheckPackageRegistered, CheckPackageApproved,
		CheckAssessmentCovers, CheckCardPresent, CheckCardApproved, CheckCardMatches,
		CheckDataCapture, CheckMonitoring, CheckEncryption, CheckNetworkIsolation} {
		key := check + "[" + variant + "]"
		status, ok := got[key]
		if !ok {
			t.Errorf("%s: no finding", key)
			continue
		}
		w, named := want[check]
		switch {
		case named && status != w:
			t.Errorf("%s: got %s, want %s (%s)", key, status, w,
				findingOf(t, res, check, variant).Reason)
		case !named && status != findings.Pass && status != findings.NotApplicable:
			t.Errorf("%s: got %s, want pass (%s)", key, status,
				findingOf(t, res, check, variant).Reason)
		}
	}
}

func covered(card string) map[string]string {
	m := map[string]string{modelregistry.KeyImpactAssessment: "AIIA-2026-007"}
	if card != "" {
		m[modelregistry.KeyModelCard] = card
	}
	return m
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func err2[T any](_ T, err error) error { return err }

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
