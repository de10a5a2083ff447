// Package stack defines the aimsaudit CDK stack: the audit functions, the
// rules that trigger them, and the evidence, state and alerting resources
// they share. Each function gets its own role limited to the calls it makes.
//
// Adding a function: write a newXxx(r auditResources, p AimsAuditStackProps)
// that calls newAuditFunction with its asset folder, r.environment() and its
// statements (the auditResources methods cover the shared grants), attach its
// trigger under the returned Scope, and call it from NewAimsAuditStack.
package stack

import (
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	// Quiets the Node 20 banner of the jsii kernel; see its package comment.
	_ "github.com/aimsaudit/aimsaudit/infra/internal/jsiienv"
)

// NewAimsAuditStack defines the whole deployment in one stack. It panics
// when props do not validate (see AimsAuditStackProps.Validate), as CDK
// constructors throw; callers that want an error call Validate first.
func NewAimsAuditStack(scope constructs.Construct, id string,
	props *AimsAuditStackProps) awscdk.Stack {
	var p AimsAuditStackProps
	if props != nil {
		p = *props
	}
	if err := p.Validate(); err != nil {
		panic(err)
	}
	p = p.withDefaults()

	stack := awscdk.NewStack(scope, jsii.String(id), &p.StackProps)
	r := newAuditResources(stack, p)
	gate := newPromotionGate(r, p)
	check := newDeploymentCheck(r, p)
	azure := newAzureCredential(stack, p)
	sweep := newPostureSweep(r, p, sweepCredential(azure, p.AzureSubscriptions))
	events := newAzureEvents(r, p, azure)

	values := map[string]*string{
		"RegisterUri":                  jsii.String(r.Register.URI),
		"EvidenceBucketName":           r.Evidence.Bucket.BucketName(),
		"EvidenceKeyArn":               r.Evidence.Key.KeyArn(),
		"StateTableName":               r.State.TableName(),
		"AlertBusName":                 r.AlertBus.EventBusName(),
		"AlertBusArn":                  r.AlertBus.EventBusArn(),
		"PromotionGateFunctionName":    gate.Function.FunctionName(),
		"PromotionGateFunctionArn":     gate.Function.FunctionArn(),
		"PromotionGateRoleArn":         gate.Role.RoleArn(),
		"PromotionGateFailureQueueUrl": gate.FailureQueue.QueueUrl(),
		"PromotionGateDeliveryDlqUrl":  gate.DeliveryDLQ.QueueUrl(),
		"PromotionGateLogGroupName":    gate.LogGroup.LogGroupName(),

		"DeploymentCheckFunctionName":    check.Function.FunctionName(),
		"DeploymentCheckFunctionArn":     check.Function.FunctionArn(),
		"DeploymentCheckRoleArn":         check.Role.RoleArn(),
		"DeploymentCheckFailureQueueUrl": check.FailureQueue.QueueUrl(),
		"DeploymentCheckDeliveryDlqUrl":  check.DeliveryDLQ.QueueUrl(),
		"DeploymentCheckLogGroupName":    check.LogGroup.LogGroupName(),

		"PostureSweepFunctionName":    sweep.Function.FunctionName(),
		"PostureSweepFunctionArn":     sweep.Function.FunctionArn(),
		"PostureSweepRoleArn":         sweep.Role.RoleArn(),
		"PostureSweepFailureQueueUrl": sweep.FailureQueue.QueueUrl(),
		"PostureSweepLogGroupName":    sweep.LogGroup.LogGroupName(),
		"PostureSweepQueueUrl":        sweep.Queue.QueueUrl(),
		"PostureSweepQueueDlqUrl":     sweep.QueueDLQ.QueueUrl(),
		"PostureSweepScheduleDlqUrl":  sweep.ScheduleDLQ.QueueUrl(),
		"PostureSweepScheduleArn":     sweep.Schedule.ScheduleArn(),

		"AzureEventsFunctionName": events.Function.FunctionName(),
		"AzureEventsFunctionArn":  events.Function.FunctionArn(),
		"AzureEventsFunctionUrl":  events.URL.Url(),
		"AzureEventsRoleArn":      events.Role.RoleArn(),
		"AzureEventsLogGroupName": events.LogGroup.LogGroupName(),
		"EventGridSecret":         jsii.String(events.EventGridSecret.ID),
		"AzureCredentialsSecret":  jsii.String(azure.ID),
	}
	outputs(stack, values)
	return stack
}

// outputs adds one output per value, in name order so that the template
// reads the same on every synth.
func outputs(stack awscdk.Stack, values map[string]*string) {
	for _, name := range slices.Sorted(maps.Keys(values)) {
		awscdk.NewCfnOutput(stack, jsii.String(name), &awscdk.CfnOutputProps{
			Value: values[name],
		})
	}
}
