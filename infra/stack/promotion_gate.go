package stack

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

// The SageMaker event the gate judges.
const (
	sageMakerSource          = "aws.sagemaker"
	modelPackageStateChanged = "SageMaker Model Package State Change"
)

// promotionGate is the gate function and the dead-letter queue of its rule.
type promotionGate struct {
	auditFunction
	DeliveryDLQ awssqs.Queue
}

// newPromotionGate builds the gate function and the rule that sends it every
// model package state change of the default bus (of the configured groups,
// when some are). Events EventBridge cannot deliver land in a dead-letter
// queue; events the function fails on land in its on-failure queue.
func newPromotionGate(r auditResources, p AimsAuditStackProps) promotionGate {
	gate := newAuditFunction(r.Stack, "PromotionGate", auditFunctionProps{
		Description: "Judges SageMaker model packages against the AI system register",
		AssetDir:    p.PromotionGateAsset,
		Environment: r.environment(),
		Statements:  promotionGateStatements(r, p),
	})

	dlq := newFailureQueue(gate.Scope, "DeliveryDLQ")
	awsevents.NewRule(gate.Scope, jsii.String("Rule"), &awsevents.RuleProps{
		Description:  jsii.String("SageMaker model package state changes to the promotion gate"),
		EventPattern: modelPackageEvents(p.ModelPackageGroups),
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(
			gate.Function, &awseventstargets.LambdaFunctionProps{DeadLetterQueue: dlq},
		)},
	})
	return promotionGate{auditFunction: gate, DeliveryDLQ: dlq}
}

func modelPackageEvents(groups []string) *awsevents.EventPattern {
	pattern := &awsevents.EventPattern{
		Source:     jsii.Strings(sageMakerSource),
		DetailType: jsii.Strings(modelPackageStateChanged),
	}
	if len(groups) > 0 {
		pattern.Detail = &map[string]any{"ModelPackageGroupName": jsii.Strings(groups...)}
	}
	return pattern
}

// promotionGateStatements are the calls the gate makes: describe and update
// (approve or reject) packages of the configured groups, read the register
// and the evaluation data it is told about, write evidence, track finding
// states and alert GRC.
func promotionGateStatements(r auditResources, p AimsAuditStackProps) []awsiam.PolicyStatement {
	groups := p.ModelPackageGroups
	return slices.Concat(
		[]awsiam.PolicyStatement{
			allow("JudgeModelPackages",
				[]string{"sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage"},
				sageMakerARNs(r.Stack, "model-package", groups, "/*")...),
		},
		r.readRegister(),
		r.readEvaluationData(p.EvaluationBuckets),
		r.writeEvidence(),
		r.trackState(),
		r.sendAlerts(),
	)
}
