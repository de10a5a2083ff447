package azureml

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/azureml/armfake"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
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
	subscription   = "0b1f6471-1bf0-4dda-aec3-111122223333"
)

var (
	testNow = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ws      = Workspace{Subscription: subscription, ResourceGroup: "ml-prod", Name: "risk"}
	fakeWS  = armfake.Workspace{Subscription: subscription, ResourceGroup: "ml-prod",
		Name: "risk"}
)

const systemDoc = `{
  "id": "credit-risk",
  "azureml": {"subscriptionId": "0b1f6471-1bf0-4dda-aec3-111122223333",
              "resourceGroup": "ml-prod", "workspace": "risk", "models": ["credit-risk"],
              "endpoints": ["credit-risk-online", "open-online"]},
  "evaluation": {"label": "y_true", "prediction": "y_pred", "positive": "1",
                 "sensitive": [["sex"]], "minGroupSize": 2},
  "envelope": [{"metric": "accuracy", "min": 0.70},
               {"metric": "demographic_parity_difference", "max": 0.30}],
  "deployment": {"requireKms": false, "requireNetworkIsolation": false,
                 "azure": {"publicNetworkAccess": "Disabled", "allowKeyAuth": false}},
  "impactAssessment": {"reviewIntervalDays": 365}
}`

const assessmentDoc = `{"id": "AIIA-2026-007", "system": "credit-risk", "status": "approved",
  "approvedBy": "chief.risk@bank.example", "approvedAt": "2026-06-01T09:00:00Z",
  "nextReviewDue": "2027-06-01",
  "covers": {"modelPackageGroup": "credit-risk", "versions": [1],
             "azureml": {"workspace": "risk", "model": "credit-risk", "versions": [4, 5]}}}`

// staticToken is a credential that always has a token, for the fake ARM.
type staticToken struct{}

func (staticToken) GetToken(_ context.Context, _ policy.TokenRequestOptions) (
	azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "static", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// estate is a fresh emulated AWS account (register, evidence, state table,
// alert bus with a queue behind it) and a fresh fake ARM.
type estate struct {
	t     testing.TB
	arm   *armfake.Server
	s3    *s3.Client
	sqs   *sqs.Client
	queue string
	cfg   aws.Config
}

func newEstate(t testing.TB) *estate {
	t.Helper()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	cfg := moto.Config()
	e := &estate{t: t, arm: armfake.Start(), cfg: cfg, sqs: sqs.NewFromConfig(cfg),
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })}
	t.Cleanup(e.arm.Close)
	ctx := t.Context()
	for _, b := range []string{registerBucket, evidenceBucket} {
		must(t, err2(e.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})))
	}
	must(t, err2(dynamodb.NewFromConfig(cfg).CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(stateTable),
		BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"),
			AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"),
			KeyType: ddbtypes.KeyTypeHash}},
	})))
	e.observeAlerts()
	e.putObject(registerBucket, "register/systems/credit-risk.json", systemDoc)
	e.putObject(registerBucket, "register/assessments/AIIA-2026-007.json", assessmentDoc)
	e.arm.AddWorkspace(fakeWS)
	return e
}

// observeAlerts routes everything on the GRC bus to a queue the test reads.
func (e *estate) observeAlerts() {
	ctx := e.t.Context()
	eb := eventbridge.NewFromConfig(e.cfg)
	must(e.t, err2(eb.CreateEventBus(ctx,
		&eventbridge.CreateEventBusInput{Name: aws.String(alertBus)})))
	q, err := e.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("alerts")})
	must(e.t, err)
	e.queue = aws.ToString(q.QueueUrl)
	attrs, err := e.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	must(e.t, err)
	must(e.t, err2(eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("all"),
		EventBusName: aws.String(alertBus),
		EventPattern: aws.String(`{"source": ["aimsaudit"]}`)})))
	must(e.t, err2(eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("all"),
		EventBusName: aws.String(alertBus),
		Targets: []ebtypes.Target{{Id: aws.String("q"),
			Arn: aws.String(attrs.Attributes["QueueArn"])}}})))
}

func (e *estate) putObject(bucket, key, body string) {
	_, err := e.s3.PutObject(e.t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
		Key: aws.String(key), Body: bytes.NewReader([]byte(body))})
	must(e.t, err)
}

func (e *estate) check(dryRun bool) *Check {
	store, err := register.Open("s3://"+registerBucket+"/register/", e.s3)
	must(e.t, err)
	opts := Options(e.arm.URL, e.arm.Client())
	return &Check{
		ARM:      ClientsFor(staticToken{}, opts),
		Objects:  Objects{S3: e.s3, Blob: BlobReader(staticToken{}, e.arm.Client())},
		Register: store,
		Evidence: evidence.PerAccount(func(account string) *evidence.Store {
			return evidence.NewStore(e.s3, evidenceBucket, FunctionName, account)
		}),
		Alerts: alert.NewNotifier(dynamodb.NewFromConfig(e.cfg), stateTable,
			eventbridge.NewFromConfig(e.cfg), alertBus, dryRun),
		DryRun: dryRun,
		Now:    func() time.Time { return testNow },
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

// evidenceKeys lists the evidence bucket's keys.
func (e *estate) evidenceKeys() []string {
	out, err := e.s3.ListObjectsV2(e.t.Context(), &s3.ListObjectsV2Input{
		Bucket: aws.String(evidenceBucket)})
	must(e.t, err)
	keys := make([]string, len(out.Contents))
	for i, o := range out.Contents {
		keys[i] = aws.ToString(o.Key)
	}
	return keys
}

// statuses maps "check[qualifier]" to the status of each finding.
func statuses(res *Result) map[string]findings.Status {
	out := map[string]findings.Status{}
	for _, f := range res.Findings {
		out[f.Check+"["+f.Qualifier+"]"] = f.Status
	}
	return out
}

func expect(t *testing.T, res *Result, qualifier string, want map[string]findings.Status) {
	t.Helper()
	got := statuses(res)
	for check, w := range want {
		if g, ok := got[check+"["+qualifier+"]"]; !ok {
			t.Errorf("%s[%s]: no finding, want %s", check, qualifier, w)
		} else if g != w {
			t.Errorf("%s[%s]: got %s, want %s (%s)", check, qualifier, g, w,
				reasonOf(res, check, qualifier))
		}
	}
}

func reasonOf(res *Result, check, qualifier string) string {
	for _, f := range res.Findings {
		if f.Check == check && f.Qualifier == qualifier {
			return f.Reason
		}
	}
	return ""
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func err2[T any](_ T, err error) error { return err }

func jsonLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }
