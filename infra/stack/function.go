package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Settings every audit function shares.
const (
	// asyncRetries is how often Lambda retries a failed asynchronous event
	// before handing it to the on-failure queue.
	asyncRetries = 2
	// failedEventRetentionDays is SQS's maximum, so that a failed event waits
	// two weeks for someone to look at it.
	failedEventRetentionDays = 14
	defaultMemoryMiB         = 1024
	defaultTimeoutMinutes    = 5
)

// auditFunctionProps describes one audit function. Statements are the whole
// of its permissions, apart from writing its own logs and failed events,
// which newAuditFunction adds.
type auditFunctionProps struct {
	Description string
	// AssetDir holds the function's linux/arm64 `bootstrap`.
	AssetDir    string
	Environment map[string]string
	Statements  []awsiam.PolicyStatement
	// MemoryMiB and Timeout default to 1024 MiB and five minutes.
	MemoryMiB float64
	Timeout   awscdk.Duration
	// Synchronous is for a function only ever invoked synchronously (behind
	// a function URL): it gets no asynchronous invocation settings, no
	// on-failure queue and no grant to one, since no event would reach it.
	Synchronous bool
}

// auditFunction is what newAuditFunction made, for rules, outputs and tests.
type auditFunction struct {
	// Scope is the construct holding the function's parts; its triggers
	// belong under it too.
	Scope    constructs.Construct
	Function awslambda.Function
	Role     awsiam.Role
	LogGroup awslogs.LogGroup
	// FailureQueue is nil for a synchronous function.
	FailureQueue awssqs.Queue
}

// newAuditFunction builds a Go Lambda function (provided.al2023 on arm64)
// with its own role, a log group kept for a year (the logs are audit
// evidence), and, unless it is synchronous, asynchronous invocation that
// retries twice and then keeps the event with its error in an encrypted
// queue.
//
// The role is handed to the function as immutable: grants that other
// constructs would add on their own (a destination's queue grant, say) are
// dropped, so the policy in the template is exactly the reviewed statements.
func newAuditFunction(scope constructs.Construct, id string, p auditFunctionProps) auditFunction {
	c := constructs.NewConstruct(scope, jsii.String(id))
	logGroup := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_YEAR,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	statements := []awsiam.PolicyStatement{
		allow("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			*logGroup.LogGroupArn()),
	}
	var failures awssqs.Queue
	if !p.Synchronous {
		failures = newFailureQueue(c, "Failures")
		statements = append(statements,
			allow("KeepFailedEvents", []string{"sqs:SendMessage"}, *failures.QueueArn()))
	}
	statements = append(statements, p.Statements...)

	role := awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs " + id + "; limited to the calls it makes"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"Audit": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &statements,
			}),
		},
	})

	fn := awslambda.NewFunction(c, jsii.String("Function"), &awslambda.FunctionProps{
		Description:  jsii.String(p.Description),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(p.AssetDir), nil),
		Environment:  stringMap(p.Environment),
		MemorySize:   jsii.Number(orDefault(p.MemoryMiB, defaultMemoryMiB)),
		Timeout:      timeoutOrDefault(p.Timeout),
		Role:         role.WithoutPolicyUpdates(nil),
		LogGroup:     logGroup,
		// JSON lines, so every log line carries the request id as a field.
		LoggingFormat: awslambda.LoggingFormat_JSON,
	})
	if failures != nil {
		fn.ConfigureAsyncInvoke(&awslambda.EventInvokeConfigOptions{
			RetryAttempts: jsii.Number(asyncRetries),
			OnFailure:     awslambdadestinations.NewSqsDestination(failures),
		})
	}
	return auditFunction{
		Scope: c, Function: fn, Role: role, LogGroup: logGroup, FailureQueue: failures,
	}
}

// newFailureQueue makes an encrypted, TLS-only queue that keeps messages
// for SQS's maximum of 14 days. It serves as an on-failure destination and
// as a rule target's dead-letter queue.
func newFailureQueue(scope constructs.Construct, id string) awssqs.Queue {
	return awssqs.NewQueue(scope, jsii.String(id), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(failedEventRetentionDays)),
	})
}

func stringMap(m map[string]string) *map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = jsii.String(v)
	}
	return &out
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func timeoutOrDefault(d awscdk.Duration) awscdk.Duration {
	if d == nil {
		return awscdk.Duration_Minutes(jsii.Number(defaultTimeoutMinutes))
	}
	return d
}
