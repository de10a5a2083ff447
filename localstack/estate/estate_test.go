package estate

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/go-cmp/cmp"

	"github.com/aimsaudit/aimsaudit/shared/register"
	"github.com/aimsaudit/aimsaudit/shared/synth"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

func seed(t *testing.T) (*Estate, Clients) {
	t.Helper()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	e, err := Seed(t.Context(), moto.Config())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return e, NewClients(moto.Config())
}

func TestSeedRegisterLoads(t *testing.T) {
	_, c := seed(t)
	store, err := register.Open("s3://"+RegisterBucket+"/"+RegisterPrefix, c.S3)
	if err != nil {
		t.Fatalf("open register: %v", err)
	}
	reg, err := register.Load(t.Context(), store)
	if err != nil {
		t.Fatalf("load register: %v", err)
	}
	systems := reg.SystemsForGroup(Group)
	if len(systems) != 1 || systems[0].ID != "credit-risk" {
		t.Fatalf("got systems %v for group %s, want credit-risk alone", systems, Group)
	}
	ev := systems[0].Evaluation
	facet := register.Facet{Column: "sex", Value: "F"}
	if ev.MinGroupSize != 30 || ev.Facet == nil || *ev.Facet != facet || len(ev.Sensitive) != 3 {
		t.Errorf("got evaluation %+v, want minGroupSize 30, facet sex=F and three sets", ev)
	}
	a, ok := reg.Assessments[Assessment]
	if !ok {
		t.Fatalf("got assessments %v, want %s", reg.Assessments, Assessment)
	}
	for v, want := range map[int]bool{1: true, 2: false, 3: true} {
		if got := a.CoversPackage(Group, v); got != want {
			t.Errorf("version %d: got covered %v, want %v", v, got, want)
		}
	}
}

// TestRegisterFolderLoads reads the committed folder the way a local run
// with AIMS_REGISTER_URI=localstack/register does.
func TestRegisterFolderLoads(t *testing.T) {
	store, err := register.Open("../register", nil)
	if err != nil {
		t.Fatalf("open register: %v", err)
	}
	reg, err := register.Load(t.Context(), store)
	if err != nil {
		t.Fatalf("load register: %v", err)
	}
	if len(reg.Systems) != 1 || len(reg.Assessments) != 1 {
		t.Errorf("got %d systems and %d assessments, want 1 and 1",
			len(reg.Systems), len(reg.Assessments))
	}
}

func TestSeedEvaluationData(t *testing.T) {
	_, c := seed(t)
	for _, v := range Versions() {
		var want bytes.Buffer
		if err := synth.Write(&want, v.Data); err != nil {
			t.Fatalf("generate: %v", err)
		}
		got := getObject(t, c.S3, EvalBucket, EvalKey(v.Number))
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("version %d: got %d bytes of evaluation data, want the %d generated",
				v.Number, len(got), want.Len())
		}
	}
	ver, err := c.S3.GetBucketVersioning(t.Context(),
		&s3.GetBucketVersioningInput{Bucket: aws.String(EvidenceBucket)})
	if err != nil {
		t.Fatalf("get versioning: %v", err)
	}
	if ver.Status != s3types.BucketVersioningStatusEnabled {
		t.Errorf("got evidence versioning %q, want Enabled", ver.Status)
	}
}

func getObject(t *testing.T, client *s3.Client, bucket, key string) []byte {
	t.Helper()
	out, err := client.GetObject(t.Context(), &s3.GetObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read s3://%s/%s: %v", bucket, key, err)
	}
	return body
}

func TestSeedStateTable(t *testing.T) {
	_, c := seed(t)
	out, err := c.DynamoDB.DescribeTable(t.Context(),
		&dynamodb.DescribeTableInput{TableName: aws.String(StateTable)})
	if err != nil {
		t.Fatalf("describe table: %v", err)
	}
	keys := out.Table.KeySchema
	if len(keys) != 1 || aws.ToString(keys[0].AttributeName) != "id" {
		t.Errorf("got key schema %+v, want the single hash key id", keys)
	}
}

func TestAlertsReachQueue(t *testing.T) {
	e, c := seed(t)
	put := func(source string) {
		t.Helper()
		out, err := c.Events.PutEvents(t.Context(), &eventbridge.PutEventsInput{
			Entries: []ebtypes.PutEventsRequestEntry{{
				EventBusName: aws.String(AlertBus), Source: aws.String(source),
				DetailType: aws.String("AIMS Audit Finding"), Detail: aws.String(`{"probe":1}`),
			}}})
		if err != nil || out.FailedEntryCount > 0 {
			t.Fatalf("put event from %s: %v %+v", source, err, out)
		}
	}
	put("aimsaudit")
	put("someone.else")
	got := drain(t, c.SQS, e.QueueURL)
	if got != 1 {
		t.Errorf("got %d messages on %s, want 1 (only the aimsaudit event)", got, AlertQueue)
	}
}

func drain(t *testing.T, client *sqs.Client, url string) int {
	t.Helper()
	n := 0
	for {
		out, err := client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		if len(out.Messages) == 0 {
			return n
		}
		n += len(out.Messages)
		for _, m := range out.Messages {
			_, _ = client.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{
				QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
		}
	}
}

func TestSeedPackages(t *testing.T) {
	e, c := seed(t)
	checkPackages(t, c.SageMaker, e)
}

func checkPackages(t *testing.T, client *sagemaker.Client, e *Estate) {
	t.Helper()
	want := map[int]map[string]string{
		1: {KeyAssessment: Assessment, KeyEvalData: "s3://aims-eval/credit-risk/v1.csv"},
		2: {KeyEvalData: "s3://aims-eval/credit-risk/v2.csv"},
		3: {KeyAssessment: Assessment, KeyEvalData: "s3://aims-eval/credit-risk/v3.csv"},
	}
	if len(e.Packages) != len(want) {
		t.Fatalf("got %d packages, want %d", len(e.Packages), len(want))
	}
	for _, p := range e.Packages {
		wantARN := "arn:aws:sagemaker:us-east-1:" + e.Account + ":model-package/credit-risk/" +
			strconv.Itoa(p.Version)
		if p.ARN != wantARN {
			t.Errorf("got ARN %s, want %s", p.ARN, wantARN)
		}
		out := describe(t, client, p.ARN)
		if out.ModelApprovalStatus != smtypes.ModelApprovalStatusApproved {
			t.Errorf("%s: got status %q, want Approved", p.ARN, out.ModelApprovalStatus)
		}
		if diff := cmp.Diff(want[p.Version], out.CustomerMetadataProperties); diff != "" {
			t.Errorf("%s: metadata (-want +got):\n%s", p.ARN, diff)
		}
	}
}

func describe(t *testing.T, client *sagemaker.Client,
	arn string) *sagemaker.DescribeModelPackageOutput {
	t.Helper()
	out, err := client.DescribeModelPackage(t.Context(),
		&sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
	if err != nil {
		t.Fatalf("describe %s: %v", arn, err)
	}
	return out
}

// TestSeedAgainRestores rejects a version and scribbles on its metadata, as
// a gate run would, then seeds again: everything is back as seeded, with no
// extra versions.
func TestSeedAgainRestores(t *testing.T) {
	e, c := seed(t)
	arn := e.Packages[1].ARN
	_, err := c.SageMaker.UpdateModelPackage(t.Context(), &sagemaker.UpdateModelPackageInput{
		ModelPackageArn:            aws.String(arn),
		ModelApprovalStatus:        smtypes.ModelApprovalStatusRejected,
		ApprovalDescription:        aws.String("rejected by a gate"),
		CustomerMetadataProperties: map[string]string{"aims:gate": "rejected", KeyEvalData: "x"},
	})
	if err != nil {
		t.Fatalf("reject: %v", err)
	}
	again, err := Seed(context.Background(), testcloud.Shared(t).Config())
	if err != nil {
		t.Fatalf("seed again: %v", err)
	}
	checkPackages(t, c.SageMaker, again)
	if got := describe(t, c.SageMaker, arn).ApprovalDescription; aws.ToString(got) != approvalNote {
		t.Errorf("got approval description %q, want %q", aws.ToString(got), approvalNote)
	}
}

func TestSeedBiasReport(t *testing.T) {
	e, c := seed(t)
	versions := Versions()
	for i, p := range e.Packages {
		out := describe(t, c.SageMaker, p.ARN)
		var uri string
		if m := out.ModelMetrics; m != nil && m.Bias != nil && m.Bias.PostTrainingReport != nil {
			uri = aws.ToString(m.Bias.PostTrainingReport.S3Uri)
		}
		want := ""
		if versions[i].Claims != NoClaims {
			want = fmt.Sprintf("s3://aims-eval/credit-risk/v%d-analysis.json", p.Version)
		}
		if uri != want {
			t.Errorf("%s: got bias report %q, want %q", p.ARN, uri, want)
		}
	}
	women, men := approvalRates(t, getObject(t, c.S3, EvalBucket, EvalKey(1)))
	checkClaims(t, c, 1, map[string]float64{"DPPL": men - women, "DI": women / men})
	women, men = approvalRates(t, getObject(t, c.S3, EvalBucket, EvalKey(3)))
	checkClaims(t, c, 3, map[string]float64{"DPPL": (men - women) / flattery,
		"DI": 1 - (1-women/men)/flattery})
}

// checkClaims reads a version's report and compares its sex=F metrics.
func checkClaims(t *testing.T, c Clients, version int, want map[string]float64) {
	t.Helper()
	var report struct {
		Post struct {
			Facets map[string][]struct {
				Value   string `json:"value_or_threshold"`
				Metrics []struct {
					Name  string  `json:"name"`
					Value float64 `json:"value"`
				} `json:"metrics"`
			} `json:"facets"`
		} `json:"post_training_bias_metrics"`
	}
	raw := getObject(t, c.S3, EvalBucket, BiasReportKey(version))
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	sets := report.Post.Facets["sex"]
	if len(sets) != 1 || sets[0].Value != "F" {
		t.Fatalf("got facets %+v, want one set for sex=F", report.Post.Facets)
	}
	for _, m := range sets[0].Metrics {
		if math.Abs(m.Value-want[m.Name]) > 1e-12 {
			t.Errorf("v%d: got %s %v, want %v", version, m.Name, m.Value, want[m.Name])
		}
		delete(want, m.Name)
	}
	if len(want) > 0 {
		t.Errorf("v%d: got no claim of %v, want DPPL and DI", version, want)
	}
}

// approvalRates is the share of women and of men the model approves.
func approvalRates(t *testing.T, data []byte) (women, men float64) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v", err)
	}
	n, approved := map[string]float64{}, map[string]float64{}
	for _, r := range recs[1:] { // y_true,y_pred,score,sex,...
		n[r[3]]++
		if r[1] == "1" {
			approved[r[3]]++
		}
	}
	return approved["F"] / n["F"], approved["M"] / n["M"]
}
