package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/lambdarun"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// result is the part of the sweep's result the smoke test reads.
type result struct {
	RunID    string `json:"runId"`
	Findings []struct {
		Check    string `json:"check"`
		Resource string `json:"resource"`
		Status   string `json:"status"`
	} `json:"findings"`
	Actions []json.RawMessage `json:"actions"`
	Counts  struct {
		Buckets int `json:"buckets"`
		Queued  int `json:"queued"`
		Planned struct {
			Buckets int `json:"buckets"`
		} `json:"planned"`
	} `json:"counts"`
}

// TestBootstrapUnderRuntimeEmulator builds the real bootstrap and runs it
// under the Lambda Runtime Interface Emulator against the emulated demo
// estate: the schedule fans the buckets out to a real queue, the queue's
// messages are delivered back as an SQS event, a Scheduler input with a
// batch is judged at once, and a malformed input fails naming its field.
func TestBootstrapUnderRuntimeEmulator(t *testing.T) {
	moto := testcloud.Shared(t)
	ctx := t.Context()
	est, err := estate.Seed(ctx, moto.Config())
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	q := sqs.NewFromConfig(moto.Config())
	queue, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("sweep-batches")})
	if err != nil {
		t.Fatal(err)
	}
	fn := start(t, append(est.Env(), "AWS_ENDPOINT_URL="+moto.URL,
		"AIMS_SWEEP_QUEUE="+aws.ToString(queue.QueueUrl)))

	planned := invoke[result](t, fn, readEvent(t, "posture-sweep-scheduler.json"))
	if planned.Counts.Queued == 0 || planned.Counts.Buckets != 0 {
		t.Fatalf("schedule: got %d queued batches, %d buckets judged at once; want queued only",
			planned.Counts.Queued, planned.Counts.Buckets)
	}
	if !hasFinding(planned, "impact-assessment.review-current",
		"aims-register:assessments/"+estate.Assessment, "pass") {
		t.Errorf("schedule: got %+v, want the assessment's review date judged", planned.Findings)
	}

	msgs := receive(t, q, aws.ToString(queue.QueueUrl), planned.Counts.Queued)
	raw, _ := json.Marshal(events.SQSEvent{Records: msgs})
	resp := invoke[events.SQSEventResponse](t, fn, raw)
	if len(resp.BatchItemFailures) != 0 {
		t.Errorf("sqs: got failures %v, want none\n%s", resp.BatchItemFailures, fn.Logs())
	}
	listed, err := s3.NewFromConfig(moto.Config(), func(o *s3.Options) { o.UsePathStyle = true }).
		ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(estate.EvidenceBucket),
			Prefix: aws.String("runs/posture-sweep/" + planned.RunID + "/s3/")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(listed.Contents); n != planned.Counts.Planned.Buckets || n < 3 {
		t.Errorf("sqs: got %d bucket snapshots, want one per planned bucket (%d)", n,
			planned.Counts.Planned.Buckets)
	}

	direct := invoke[result](t, fn, readEvent(t, "posture-sweep-batch.json"))
	for _, b := range []string{estate.EvalBucket, estate.RegisterBucket} {
		if !hasFinding(direct, "exposure.s3-bucket", "s3://"+b, "pass") {
			t.Errorf("batch input: got %+v, want s3://%s judged private", direct.Findings, b)
		}
	}

	_, err = fn.Invoke(ctx, []byte(`{"task": "posture-sweep", "batch": {"runId": "r", "aws": `+
		`{"target": {"account": "123456789012"}, "region": "us-east-1", "buckets": [{}]}}}`))
	var fe *lambdarun.FunctionError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "batch.aws.buckets[0].name") {
		t.Errorf("malformed input: got %v, want a function error naming batch.aws.buckets[0].name",
			err)
	}
	if !strings.Contains(fn.Logs(), `"requestId"`) {
		t.Errorf("function logs carry no request id:\n%s", fn.Logs())
	}
}

func start(t *testing.T, env []string) *lambdarun.Function {
	t.Helper()
	dir := t.TempDir()
	rie, err := lambdarun.BuildRIE(t.Context(), dir)
	if err != nil {
		t.Fatalf("build emulator: %v", err)
	}
	bootstrap, err := lambdarun.BuildFunction(t.Context(), ".", dir+"/posture-sweep")
	if err != nil {
		t.Fatalf("build bootstrap: %v", err)
	}
	env = append(env, "AWS_REGION="+testcloud.Region, "AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		// As the stack configures the function: JSON log lines.
		"AWS_LAMBDA_LOG_FORMAT=JSON")
	fn, err := lambdarun.Start(t.Context(), lambdarun.Config{RIE: rie, Bootstrap: bootstrap,
		Env: env, Timeout: 120})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(fn.Stop)
	return fn
}

func invoke[T any](t *testing.T, fn *lambdarun.Function, event []byte) T {
	t.Helper()
	var out T
	raw, err := fn.Invoke(t.Context(), event)
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, fn.Logs())
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("result %s: %v", raw, err)
	}
	return out
}

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../events/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hasFinding(r result, check, resource, status string) bool {
	for _, f := range r.Findings {
		if f.Check == check && f.Resource == resource && f.Status == status {
			return true
		}
	}
	return false
}

func receive(t *testing.T, q *sqs.Client, url string, want int) []events.SQSMessage {
	t.Helper()
	var out []events.SQSMessage
	deadline := time.Now().Add(10 * time.Second)
	for len(out) < want && time.Now().Before(deadline) {
		got, err := q.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{QueueUrl: &url,
			MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got.Messages {
			out = append(out, events.SQSMessage{MessageId: aws.ToString(m.MessageId),
				ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
				Attributes: m.Attributes, EventSource: "aws:sqs", AWSRegion: testcloud.Region})
		}
	}
	if len(out) != want {
		t.Fatalf("got %d messages, want %d", len(out), want)
	}
	return out
}
