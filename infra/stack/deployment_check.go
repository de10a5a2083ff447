package stack

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

// The SageMaker events the deployment check audits on.
const (
	endpointStateChanged      = "SageMaker Endpoint State Change"
	endpointDeploymentChanged = "SageMaker Endpoint Deployment State Change"
)

// deploymentCheck is the check function and the dead-letter queue of its
// rule.
type deploymentCheck struct {
	auditFunction
	DeliveryDLQ awssqs.Queue
}

// newDeploymentCheck builds the function that walks a serving endpoint to
// its model package and card, and the rule that sends it every endpoint
// and endpoint deployment state change of the default bus (of the
// configured endpoints, when some are).
func newDeploymentCheck(r auditResources, p AimsAuditStackProps) deploymentCheck {
	check := newAuditFunction(r.Stack, "DeploymentCheck", auditFunctionProps{
		Description: "Audits what a SageMaker endpoint serves against the AI system register",
		AssetDir:    p.DeploymentCheckAsset,
		Environment: r.environment(),
		Statements:  deploymentCheckStatements(r, p),
	})

	dlq := newFailureQueue(check.Scope, "DeliveryDLQ")
	awsevents.NewRule(check.Scope, jsii.String("Rule"), &awsevents.RuleProps{
		Description:  jsii.String("SageMaker endpoint state changes to the deployment check"),
		EventPattern: endpointEvents(p.Endpoints),
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(
			check.Function, &awseventstargets.LambdaFunctionProps{DeadLetterQueue: dlq},
		)},
	})
	return deploymentCheck{auditFunction: check, DeliveryDLQ: dlq}
}

func endpointEvents(endpoints []string) *awsevents.EventPattern {
	pattern := &awsevents.EventPattern{
		Source:     jsii.Strings(sageMakerSource),
		DetailType: jsii.Strings(endpointStateChanged, endpointDeploymentChanged),
	}
	if len(endpoints) > 0 {
		pattern.Detail = &map[string]any{"EndpointName": jsii.Strings(endpoints...)}
	}
	return pattern
}

// deploymentCheckStatements are the calls the check makes: read the
// endpoint's chain, read the register, write evidence, track finding states
// and alert GRC. It changes nothing it audits, so it gets no SageMaker
// write at all.
func deploymentCheckStatements(r auditResources, p AimsAuditStackProps) []awsiam.PolicyStatement {
	return slices.Concat(
		readDeploymentChain(r, p.Endpoints),
		r.readRegister(),
		r.writeEvidence(),
		r.trackState(),
		r.sendAlerts(),
	)
}

// readDeploymentChain lets a function describe an endpoint (a configured
// one, or any) and what it serves: its configuration, models, model
// packages, model cards and monitoring schedules, one statement per
// resource type so that each action gets exactly its own ARNs.
//
// Model packages are not narrowed to the configured groups: an endpoint
// serving a package of another group must be judged unregistered, not
// left indeterminate by a denied call. ListModelCards and
// ListMonitoringSchedules support no resource-level permissions, so IAM
// accepts them only on "*"; they return names and statuses, not content.
func readDeploymentChain(r auditResources, endpoints []string) []awsiam.PolicyStatement {
	all := func(kind string) []string { return sageMakerARNs(r.Stack, kind, nil, "") }
	return []awsiam.PolicyStatement{
		allow("DescribeEndpoints", []string{"sagemaker:DescribeEndpoint"},
			sageMakerARNs(r.Stack, "endpoint", endpoints, "")...),
		allow("DescribeEndpointConfigs", []string{"sagemaker:DescribeEndpointConfig"},
			all("endpoint-config")...),
		allow("DescribeModels", []string{"sagemaker:DescribeModel"}, all("model")...),
		allow("DescribeModelPackages", []string{"sagemaker:DescribeModelPackage"},
			all("model-package")...),
		allow("DescribeModelCards", []string{"sagemaker:DescribeModelCard"},
			all("model-card")...),
		allow("DescribeMonitoringSchedules", []string{"sagemaker:DescribeMonitoringSchedule"},
			all("monitoring-schedule")...),
		allow("ListModelCardsAndSchedules",
			[]string{"sagemaker:ListModelCards", "sagemaker:ListMonitoringSchedules"}, "*"),
	}
}
