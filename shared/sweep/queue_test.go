package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// queues creates the batch queue with a dead-letter queue that takes a
// message after two receives.
func (r *rig) queues(t *testing.T) (client *sqs.Client, queue, dlq string) {
	t.Helper()
	ctx := t.Context()
	client = sqs.NewFromConfig(r.cfg)
	d, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("sweep-dlq")})
	must(t, err)
	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: d.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	must(t, err)
	redrive, _ := json.Marshal(map[string]any{"deadLetterTargetArn": attrs.Attributes["QueueArn"],
		"maxReceiveCount": 2})
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("sweep-batches"),
		Attributes: map[string]string{"VisibilityTimeout": "1", "RedrivePolicy": string(redrive)}})
	must(t, err)
	return client, aws.ToString(q.QueueUrl), aws.ToString(d.QueueUrl)
}

// poll receives what the queue holds, as Lambda's event source mapping
// would, waiting up to a few seconds for messages to become visible.
func poll(t *testing.T, client *sqs.Client, queue string, want int) []events.SQSMessage {
	t.Helper()
	var out []events.SQSMessage
	deadline := time.Now().Add(5 * time.Second)
	for len(out) < want && time.Now().Before(deadline) {
		got, err := client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
		must(t, err)
		for _, m := range got.Messages {
			out = append(out, events.SQSMessage{MessageId: aws.ToString(m.MessageId),
				ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
				Attributes: m.Attributes, EventSource: "aws:sqs", AWSRegion: "us-east-1"})
		}
	}
	return out
}

// deliver posts the messages to the sweep as one SQS event, then deletes
// those it did not report as failed, as the event source mapping does.
func deliver(t *testing.T, s *Sweep, client *sqs.Client, queue string,
	msgs []events.SQSMessage) []string {
	t.Helper()
	raw, err := json.Marshal(events.SQSEvent{Records: msgs})
	must(t, err)
	out, err := s.Handle(t.Context(), raw)
	must(t, err)
	resp, ok := out.(events.SQSEventResponse)
	if !ok {
		t.Fatalf("got %T, want an SQS event response", out)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	for _, m := range msgs {
		if !slices.Contains(failed, m.MessageId) {
			_, err := client.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{
				QueueUrl: aws.String(queue), ReceiptHandle: aws.String(m.ReceiptHandle)})
			must(t, err)
		}
	}
	return failed
}

// TestFanOutThroughQueue plans a sweep that sends its storage batches to a
// real queue, then judges them as the queue-triggered function would. A
// batch that cannot be judged returns to the queue and, after its second
// failure, goes to the dead-letter queue, while the others' evidence and
// alerts are all kept.
func TestFanOutThroughQueue(t *testing.T) {
	r := newRig(t)
	r.publicBucket(t, "team-public")
	r.latentBucket(t, "team-latent")
	r.bucket(t, "team-private")
	r.bucket(t, "team-eval")
	r.bucket(t, "team-other")
	r.assessments(t)
	client, queue, dlq := r.queues(t)
	planner := r.sweep(t)
	planner.Queue, planner.QueueURL = client, queue

	res, err := planner.Run(t.Context())
	must(t, err)

	// 6 listed buckets in batches of 3, one for the register's missing
	// bucket; the register batch is judged at once.
	if res.Counts.Queued != 3 || res.Counts.Batches != 1 || res.Counts.Buckets != 0 {
		t.Fatalf("got %d queued, %d judged batches, %d buckets judged; want 3, 1, 0",
			res.Counts.Queued, res.Counts.Batches, res.Counts.Buckets)
	}
	for _, f := range res.Findings {
		if f.Check != CheckReviewCurrent {
			t.Errorf("planner judged %s %s, want only the register's checks", f.Check, f.Resource)
		}
	}

	worker := r.sweep(t)
	msgs := poll(t, client, queue, 3)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	poison := poisonBatch(t, res.RunID)
	poison.MessageId = sendRaw(t, client, queue, poison.Body)
	msgs = append(msgs, poll(t, client, queue, 1)...)
	broken := errors.New("no route to region")
	base := worker.Connect
	worker.Connect = func(ctx context.Context, tg Target, region string) (*AWSAccount, error) {
		if region == "eu-nowhere-1" {
			return nil, broken
		}
		return base(ctx, tg, region)
	}
	if failed := deliver(t, worker, client, queue, msgs); !slices.Equal(failed,
		[]string{poison.MessageId}) {
		t.Errorf("got failures %v, want only the poisoned batch %s", failed, poison.MessageId)
	}

	again := poll(t, client, queue, 1)
	if len(again) != 1 || again[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("got %d messages back on the queue (%v), want the poisoned one, received twice",
			len(again), again)
	}
	deliver(t, worker, client, queue, again)
	_ = poll(t, client, queue, 1) // a third receive moves it on
	if dead := poll(t, client, dlq, 1); len(dead) != 1 {
		t.Errorf("got %d messages in the dead-letter queue, want 1", len(dead))
	}

	if n := len(r.keys(t, "runs/"+FunctionName+"/"+res.RunID+"/s3/")); n != 7 {
		t.Errorf("got %d bucket snapshots, want 7", n)
	}
	if n := len(r.keys(t, "manifests/"+FunctionName+"/"+r.moto.Account+"/")); n != 4 {
		t.Errorf("got %d manifests, want 4 (3 batches and the register's)", n)
	}
	// team-public, team-latent and gone-bucket, and AIIA-2, -4 and -5.
	if n := stateItems(t, r); n != 6 {
		t.Errorf("got %d alerted findings in the state table, want 6", n)
	}
}

// poisonBatch is a valid batch in a region the worker cannot reach.
func poisonBatch(t *testing.T, runID string) events.SQSMessage {
	t.Helper()
	body, err := json.Marshal(Input{Task: Task, Batch: &Batch{RunID: runID, Seq: 9, Of: 9,
		AWS: &AWSWork{Target: Target{Account: "123456789012"}, Region: "eu-nowhere-1",
			Buckets: []Resource{{Name: "team-public"}}}}})
	must(t, err)
	return events.SQSMessage{Body: string(body)}
}

func sendRaw(t *testing.T, client *sqs.Client, queue, body string) string {
	t.Helper()
	out, err := client.SendMessage(t.Context(), &sqs.SendMessageInput{
		QueueUrl: aws.String(queue), MessageBody: aws.String(body)})
	must(t, err)
	return aws.ToString(out.MessageId)
}

func stateItems(t *testing.T, r *rig) int {
	t.Helper()
	out, err := dynamodb.NewFromConfig(r.cfg).Scan(t.Context(),
		&dynamodb.ScanInput{TableName: aws.String(stateTable)})
	must(t, err)
	return int(out.Count)
}

// TestBadMessageIsAnItemFailure checks that a message that is no batch
// fails alone.
func TestBadMessageIsAnItemFailure(t *testing.T) {
	s := &Sweep{}
	resp := s.HandleMessages(t.Context(), []events.SQSMessage{
		{MessageId: "a", Body: `{"task": "posture-sweep"}`, EventSource: "aws:sqs"},
		{MessageId: "b", Body: `not json`, EventSource: "aws:sqs"},
	})
	var got []string
	for _, f := range resp.BatchItemFailures {
		got = append(got, f.ItemIdentifier)
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("got failures %v, want a (no batch) and b (not JSON)", got)
	}
}
