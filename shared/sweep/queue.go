package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// sendLimit is the most messages one SendMessageBatch call takes.
const sendLimit = 10

// send puts each batch on the queue as its own message, ten to a call.
func (s *Sweep) send(ctx context.Context, batches []Batch) error {
	for start := 0; start < len(batches); start += sendLimit {
		end := min(start+sendLimit, len(batches))
		entries := make([]sqstypes.SendMessageBatchRequestEntry, 0, end-start)
		for _, b := range batches[start:end] {
			body, err := json.Marshal(Input{Task: Task, Batch: &b})
			if err != nil {
				return fmt.Errorf("encode batch %d: %w", b.Seq, err)
			}
			entries = append(entries, sqstypes.SendMessageBatchRequestEntry{
				Id: aws.String(strconv.Itoa(b.Seq)), MessageBody: aws.String(string(body))})
		}
		out, err := s.Queue.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{
			QueueUrl: aws.String(s.QueueURL), Entries: entries})
		if err != nil {
			return fmt.Errorf("send batches %d-%d: %w", start+1, end, err)
		}
		if len(out.Failed) > 0 {
			return fmt.Errorf("send batches: %w", failedEntries(out.Failed))
		}
	}
	return nil
}

func failedEntries(failed []sqstypes.BatchResultErrorEntry) error {
	msgs := make([]string, 0, len(failed))
	for _, f := range failed {
		msgs = append(msgs, fmt.Sprintf("batch %s: %s %s", aws.ToString(f.Id),
			aws.ToString(f.Code), aws.ToString(f.Message)))
	}
	return errors.New(strings.Join(msgs, "; "))
}

// HandleMessages judges the batch each SQS message carries, one after the
// other, and names the messages that failed, so that the event source
// mapping (with ReportBatchItemFailures) returns only those to the queue,
// and in the end to its dead-letter queue.
func (s *Sweep) HandleMessages(ctx context.Context,
	msgs []events.SQSMessage) events.SQSEventResponse {
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, m := range msgs {
		if err := s.handleMessage(ctx, m); err != nil {
			s.log().ErrorContext(ctx, "batch failed", "messageId", m.MessageId, "error", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

func (s *Sweep) handleMessage(ctx context.Context, m events.SQSMessage) error {
	in, err := DecodeInput([]byte(m.Body), "message "+m.MessageId)
	if err != nil {
		return err
	}
	if in.Batch == nil {
		return fmt.Errorf("message %s: carries no batch", m.MessageId)
	}
	attempt, _ := strconv.Atoi(m.Attributes["ApproximateReceiveCount"])
	res, err := s.ProcessBatch(ctx, *in.Batch, max(attempt, 1))
	if err != nil {
		return err
	}
	s.log().InfoContext(ctx, "batch judged", "runId", res.RunID, "seq", in.Batch.Seq,
		"findings", len(res.Findings), "alerts", res.Alerts)
	return nil
}
