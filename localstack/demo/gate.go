package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
)

type describer interface {
	DescribeModelPackage(ctx context.Context, in *sagemaker.DescribeModelPackageInput,
		opts ...func(*sagemaker.Options)) (*sagemaker.DescribeModelPackageOutput, error)
}

type invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// gateAll posts each version's event to the gate and reads the package's
// approval from the registry before and after, since the gate's own account
// of what it did is what the demo is there to check.
func gateAll(ctx context.Context, c estate.Clients, fn invoker, e *estate.Estate,
	events map[int][]byte) ([]row, error) {
	var rows []row
	for _, p := range e.Packages {
		r, err := gateOne(ctx, c.SageMaker, fn, p, events[p.Version])
		if err != nil {
			return nil, fmt.Errorf("%s/%d: %w", estate.Group, p.Version, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func gateOne(ctx context.Context, sm describer, fn invoker, p estate.Package,
	event []byte) (row, error) {
	r := row{Version: p.Version}
	var err error
	if r.Before, err = approval(ctx, sm, p.ARN); err != nil {
		return r, err
	}
	out, err := fn.Invoke(ctx, event)
	if err != nil {
		return r, fmt.Errorf("invoke the gate: %w", err)
	}
	r.Result = out
	if r.Failing, r.Actions, err = readResult(out); err != nil {
		return r, err
	}
	if r.After, err = approval(ctx, sm, p.ARN); err != nil {
		return r, err
	}
	return r, nil
}

func approval(ctx context.Context, sm describer, arn string) (string, error) {
	out, err := sm.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{
		ModelPackageName: aws.String(arn),
	})
	if err != nil {
		return "", fmt.Errorf("describe %s: %w", arn, err)
	}
	return string(out.ModelApprovalStatus), nil
}

type receiver interface {
	ReceiveMessage(ctx context.Context, in *sqs.ReceiveMessageInput,
		opts ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error)
	DeleteMessage(ctx context.Context, in *sqs.DeleteMessageInput,
		opts ...func(*sqs.Options)) (*sqs.DeleteMessageOutput, error)
}

// drainAlerts takes every message off the GRC queue and counts them by the
// detail-type of the EventBridge event each carries.
func drainAlerts(ctx context.Context, q receiver, url string) (map[string]int, error) {
	counts := map[string]int{}
	for {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
		})
		if err != nil {
			return nil, fmt.Errorf("receive alerts: %w", err)
		}
		if len(out.Messages) == 0 {
			return counts, nil
		}
		for _, m := range out.Messages {
			var ev struct {
				DetailType string `json:"detail-type"`
			}
			if json.Unmarshal([]byte(aws.ToString(m.Body)), &ev) != nil || ev.DetailType == "" {
				ev.DetailType = "unreadable"
			}
			counts[ev.DetailType]++
			_, err := q.DeleteMessage(ctx, &sqs.DeleteMessageInput{
				QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle,
			})
			if err != nil {
				return nil, fmt.Errorf("delete alert: %w", err)
			}
		}
	}
}
