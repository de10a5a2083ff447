package estate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// waitLimit bounds how long seeding waits for a resource to become usable.
const waitLimit = 30 * time.Second

type dynamoAPI interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput,
		opts ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput,
		opts ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

// seedStateTable creates the table of last reported finding states, keyed by
// the finding id, and waits until it takes writes.
func seedStateTable(ctx context.Context, client dynamoAPI) error {
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(StateTable),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{
			{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS},
		},
		KeySchema: []ddbtypes.KeySchemaElement{
			{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash},
		},
		BillingMode: ddbtypes.BillingModePayPerRequest,
	})
	if err != nil && !isCode(err, "ResourceInUseException") {
		return fmt.Errorf("create table %s: %w", StateTable, err)
	}
	waiter := dynamodb.NewTableExistsWaiter(client)
	in := &dynamodb.DescribeTableInput{TableName: aws.String(StateTable)}
	if err := waiter.Wait(ctx, in, waitLimit); err != nil {
		return fmt.Errorf("wait for table %s: %w", StateTable, err)
	}
	return nil
}

type eventsAPI interface {
	CreateEventBus(ctx context.Context, in *eventbridge.CreateEventBusInput,
		opts ...func(*eventbridge.Options)) (*eventbridge.CreateEventBusOutput, error)
	PutRule(ctx context.Context, in *eventbridge.PutRuleInput,
		opts ...func(*eventbridge.Options)) (*eventbridge.PutRuleOutput, error)
	PutTargets(ctx context.Context, in *eventbridge.PutTargetsInput,
		opts ...func(*eventbridge.Options)) (*eventbridge.PutTargetsOutput, error)
}

type sqsAPI interface {
	CreateQueue(ctx context.Context, in *sqs.CreateQueueInput,
		opts ...func(*sqs.Options)) (*sqs.CreateQueueOutput, error)
	GetQueueAttributes(ctx context.Context, in *sqs.GetQueueAttributesInput,
		opts ...func(*sqs.Options)) (*sqs.GetQueueAttributesOutput, error)
	SetQueueAttributes(ctx context.Context, in *sqs.SetQueueAttributesInput,
		opts ...func(*sqs.Options)) (*sqs.SetQueueAttributesOutput, error)
}

// alertPattern matches every event the audit functions send.
const alertPattern = `{"source":["aimsaudit"]}`

// seedAlerts creates the GRC bus and routes everything aimsaudit sends on it
// to a queue, standing in for the GRC team's ticketing integration. It
// returns the queue's URL.
func seedAlerts(ctx context.Context, events eventsAPI, queues sqsAPI,
	account string) (string, error) {
	_, err := events.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(AlertBus)})
	if err != nil && !isCode(err, "ResourceAlreadyExistsException") {
		return "", fmt.Errorf("create event bus %s: %w", AlertBus, err)
	}
	rule, err := events.PutRule(ctx, &eventbridge.PutRuleInput{
		Name:         aws.String(AlertRule),
		EventBusName: aws.String(AlertBus),
		EventPattern: aws.String(alertPattern),
		Description:  aws.String("aimsaudit findings and promotions to the GRC queue"),
	})
	if err != nil {
		return "", fmt.Errorf("put rule %s: %w", AlertRule, err)
	}
	url, arn, err := createQueue(ctx, queues)
	if err != nil {
		return "", err
	}
	if err := allowRule(ctx, queues, url, arn, aws.ToString(rule.RuleArn), account); err != nil {
		return "", err
	}
	return url, targetQueue(ctx, events, arn)
}

func createQueue(ctx context.Context, client sqsAPI) (url, arn string, err error) {
	out, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(AlertQueue)})
	if err != nil {
		return "", "", fmt.Errorf("create queue %s: %w", AlertQueue, err)
	}
	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       out.QueueUrl,
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return "", "", fmt.Errorf("get arn of queue %s: %w", AlertQueue, err)
	}
	arn = attrs.Attributes[string(sqstypes.QueueAttributeNameQueueArn)]
	return aws.ToString(out.QueueUrl), arn, nil
}

// allowRule gives the rule, and only it, the right to send to the queue, as
// EventBridge needs in a real account.
func allowRule(ctx context.Context, client sqsAPI, url, queueARN, ruleARN, account string) error {
	policy, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":       "FromAimsGrcRule",
			"Effect":    "Allow",
			"Principal": map[string]string{"Service": "events.amazonaws.com"},
			"Action":    "sqs:SendMessage",
			"Resource":  queueARN,
			"Condition": map[string]any{
				"ArnEquals":    map[string]string{"aws:SourceArn": ruleARN},
				"StringEquals": map[string]string{"aws:SourceAccount": account},
			},
		}},
	})
	if err != nil {
		return fmt.Errorf("encode queue policy: %w", err)
	}
	_, err = client.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{
		QueueUrl:   aws.String(url),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNamePolicy): string(policy)},
	})
	if err != nil {
		return fmt.Errorf("set policy of queue %s: %w", AlertQueue, err)
	}
	return nil
}

func targetQueue(ctx context.Context, client eventsAPI, queueARN string) error {
	out, err := client.PutTargets(ctx, &eventbridge.PutTargetsInput{
		Rule:         aws.String(AlertRule),
		EventBusName: aws.String(AlertBus),
		Targets:      []ebtypes.Target{{Id: aws.String("grc-queue"), Arn: aws.String(queueARN)}},
	})
	if err != nil {
		return fmt.Errorf("put target of rule %s: %w", AlertRule, err)
	}
	if out.FailedEntryCount > 0 {
		return fmt.Errorf("put target of rule %s: %s", AlertRule,
			aws.ToString(out.FailedEntries[0].ErrorMessage))
	}
	return nil
}
