package gate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// The test estate's names.
const (
	registerBucket = "reg"
	evalBucket     = "eval"
	evidenceBucket = "evidence"
	stateTable     = "state"
	alertBus       = "grc"
	group          = "credit-risk"
)

var testNow = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

const systemDoc = `{
  "id": "credit-risk",
  "sagemaker": {"modelPackageGroups": ["credit-risk"]},
  "evaluation": {"label": "y_true", "prediction": "y_pred", "positive": "1",
                 "sensitive": [["sex"], ["age_band"], ["sex", "age_band"]], "minGroupSize": 30,
                 "facet": {"column": "sex", "value": "F"}, "claimsTolerance": 0.01},
  "envelope": [
    {"metric": "accuracy", "min": 0.70},
    {"metric": "demographic_parity_difference", "max": 0.10},
    {"metric": "equalized_odds_difference", "max": 0.10},
    {"metric": "psi", "column": "income", "max": 0.25}
  ],
  "impactAssessment": {"reviewIntervalDays": 365}
}`

const assessmentDoc = `{"id": "AIIA-2026-007", "system": "credit-risk", "status": "approved",
  "approvedBy": "chief.risk@bank.example", "approvedAt": "2026-06-01T09:00:00Z",
  "nextReviewDue": "2027-06-01",
  "covers": {"modelPackageGroup": "credit-risk", "versions": [1, 2, 3, 4, 5, 6]}}`

// estate is a fresh emulated account holding the gate's resources.
type estate struct {
	t     *testing.T
	moto  *testcloud.Moto
	s3    *s3.Client
	sm    *sagemaker.Client
	ddb   *dynamodb.Client
	eb    *eventbridge.Client
	sqs   *sqs.Client
	queue string
}

func newEstate(t *testing.T) *estate {
	t.Helper()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	cfg := moto.Config()
	e := &estate{t: t, moto: moto,
		s3:  s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		sm:  sagemaker.NewFromConfig(cfg),
		ddb: dynamodb.NewFromConfig(cfg),
		eb:  eventbridge.NewFromConfig(cfg),
		sqs: sqs.NewFromConfig(cfg),
	}
	ctx := t.Context()
	for _, b := range []string{registerBucket, evalBucket, evidenceBucket} {
		must(t, err2(e.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})))
	}
	must(t, err2(e.ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(stateTable),
		BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{
			AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{{
			AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
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
	must(e.t, err2(e.eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{
		Name: aws.String(alertBus)})))
	q, err := e.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("alerts")})
	must(e.t, err)
	e.queue = aws.ToString(q.QueueUrl)
	attrs, err := e.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	must(e.t, err)
	must(e.t, err2(e.eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("all"),
		EventBusName: aws.String(alertBus), EventPattern: aws.String(`{"source": ["aimsaudit"]}`)})))
	must(e.t, err2(e.eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("all"),
		EventBusName: aws.String(alertBus),
		Targets: []ebtypes.Target{{
			Id: aws.String("q"), Arn: aws.String(attrs.Attributes["QueueArn"])}}})))
}

func (e *estate) putRegister(name, body string) {
	e.put(registerBucket, "register/"+name, []byte(body))
}

func (e *estate) put(bucket, key string, body []byte) {
	_, err := e.s3.PutObject(e.t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
		Key: aws.String(key), Body: bytes.NewReader(body)})
	must(e.t, err)
}

// addPackage registers the next version of the group with the given
// approval status and metadata, and returns its ARN.
func (e *estate) addPackage(status string, metadata map[string]string, biasReport string) string {
	in := &sagemaker.CreateModelPackageInput{
		ModelPackageGroupName:      aws.String(group),
		ModelApprovalStatus:        smtypes.ModelApprovalStatus(status),
		CustomerMetadataProperties: metadata,
		InferenceSpecification: &smtypes.InferenceSpecification{
			Containers: []smtypes.ModelPackageContainerDefinition{{
				Image: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/credit-risk:latest"),
			}},
			SupportedContentTypes:      []string{"text/csv"},
			SupportedResponseMIMETypes: []string{"text/csv"},
		},
	}
	if biasReport != "" {
		in.ModelMetrics = &smtypes.ModelMetrics{Bias: &smtypes.Bias{
			PostTrainingReport: &smtypes.MetricsSource{
				ContentType: aws.String("application/json"), S3Uri: aws.String(biasReport)}}}
	}
	out, err := e.sm.CreateModelPackage(e.t.Context(), in)
	must(e.t, err)
	return aws.ToString(out.ModelPackageArn)
}

func (e *estate) approval(arn string) (status, description string, metadata map[string]string) {
	out, err := e.sm.DescribeModelPackage(e.t.Context(), &sagemaker.DescribeModelPackageInput{
		ModelPackageName: aws.String(arn)})
	must(e.t, err)
	return string(out.ModelApprovalStatus), aws.ToString(out.ApprovalDescription),
		out.CustomerMetadataProperties
}

func (e *estate) gate(dryRun bool) *Gate {
	store, err := register.Open("s3://"+registerBucket+"/register/", e.s3)
	must(e.t, err)
	return &Gate{
		Registry: e.sm,
		Objects:  e.s3,
		Register: store,
		Evidence: evidence.PerAccount(func(account string) *evidence.Store {
			return evidence.NewStore(e.s3, evidenceBucket, FunctionName, account)
		}),
		Alerts: alert.NewNotifier(e.ddb, stateTable, e.eb, alertBus, dryRun),
		DryRun: dryRun,
		Now:    func() time.Time { return testNow },
	}
}

// alerts drains the alert queue and returns the events' details by type.
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
			_, err := e.sqs.DeleteMessage(e.t.Context(), &sqs.DeleteMessageInput{
				QueueUrl: aws.String(e.queue), ReceiptHandle: m.ReceiptHandle})
			must(e.t, err)
		}
	}
}

type alertEvent struct {
	DetailType string `json:"detail-type"`
	Source     string `json:"source"`
	Detail     struct {
		Finding struct {
			Check     string `json:"check"`
			Qualifier string `json:"qualifier"`
			Status    string `json:"status"`
		} `json:"finding"`
		PreviousStatus  *string  `json:"previousStatus"`
		ModelPackageArn string   `json:"modelPackageArn"`
		DryRun          bool     `json:"dryRun"`
		Findings        []string `json:"findings"`
	} `json:"detail"`
}

// eventFor builds the registry's state-change event for a package.
func eventFor(t *testing.T, arn, status string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../events/model-package-state-change-credit-risk-1.json")
	must(t, err)
	var ev map[string]any
	must(t, json.Unmarshal(raw, &ev))
	detail := ev["detail"].(map[string]any)
	detail["ModelPackageArn"], detail["ModelApprovalStatus"] = arn, status
	ev["resources"] = []string{arn}
	out, err := json.Marshal(ev)
	must(t, err)
	return out
}

func run(t *testing.T, g *Gate, event []byte) *Result {
	t.Helper()
	res, err := g.Handle(context.WithoutCancel(t.Context()), event)
	if err != nil {
		t.Fatalf("handle: %v", err)
	}
	return res
}

// failing lists a result's blocking checks as the rejection reason does.
func failing(res *Result) string { return strings.Join(blocking(res.Findings), " ") }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func err2[T any](_ T, err error) error { return err }

// csvRows writes an evaluation file from (sex, age_band, y_true, y_pred)
// tuples repeated n times each.
func csvRows(rows ...evalRow) []byte {
	var b bytes.Buffer
	b.WriteString("y_true,y_pred,score,sex,age_band,region,weight,income\n")
	for _, r := range rows {
		for range r.n {
			fmt.Fprintf(&b, "%d,%d,0.5,%s,%s,north,1,50000\n", r.yTrue, r.yPred, r.sex, r.age)
		}
	}
	return b.Bytes()
}

type evalRow struct {
	sex, age     string
	yTrue, yPred int
	n            int
}
