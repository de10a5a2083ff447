package stack

import (
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsschedulertargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Settings of the posture sweep.
const (
	// sweepTask is the Scheduler input's "task", the one the sweep accepts.
	sweepTask = "posture-sweep"
	// sweepTimeoutMinutes is Lambda's maximum: planning lists every bucket
	// of every target account in one invocation.
	sweepTimeoutMinutes = 15
	// batchVisibilityFactor times the function timeout is the fan-out
	// queue's visibility timeout, as Lambda advises for SQS event sources,
	// so that a batch is not handed out twice while it is being judged.
	batchVisibilityFactor = 6
	// batchMaxReceives is how often a batch is tried before it moves to the
	// dead-letter queue; Lambda advises at least five, so that throttled
	// deliveries do not exhaust it.
	batchMaxReceives = 5
	// batchPollers caps the batches judged at once, which bounds the burst
	// of S3 calls against each account.
	batchPollers = 5
	// scheduleRetries and scheduleMaxEventAgeHours bound how long Scheduler
	// keeps trying to start a night's run before it goes to the
	// dead-letter queue.
	scheduleRetries          = 5
	scheduleMaxEventAgeHours = 2
)

// postureSweep is the sweep function with its schedule and fan-out queue.
type postureSweep struct {
	auditFunction
	Queue, QueueDLQ, ScheduleDLQ awssqs.Queue
	Schedule                     awsscheduler.Schedule
	SchedulerRole                awsiam.Role
	// Azure is nil when no Azure subscription is swept.
	Azure *storedSecret
}

// newPostureSweep builds the nightly sweep: a schedule that starts the
// function with {"task": "posture-sweep"}, and a queue through which the
// function hands itself one batch per message. azure is the Azure
// credential, nil when no Azure subscription is swept.
func newPostureSweep(r auditResources, p AimsAuditStackProps,
	azure *storedSecret) postureSweep {
	fanOut := constructs.NewConstruct(r.Stack, jsii.String("PostureSweepFanOut"))
	dlq := newFailureQueue(fanOut, "DLQ")
	queue := newBatchQueue(fanOut, dlq)

	sweep := newAuditFunction(r.Stack, "PostureSweep", auditFunctionProps{
		Description: "Sweeps storage exposure and impact-assessment review dates every night",
		AssetDir:    p.PostureSweepAsset,
		Environment: sweepEnvironment(r, p, queue, azure),
		Statements:  postureSweepStatements(r, p, queue, azure),
		Timeout:     awscdk.Duration_Minutes(jsii.Number(sweepTimeoutMinutes)),
	})
	sweep.Function.AddEventSource(awslambdaeventsources.NewSqsEventSource(queue,
		&awslambdaeventsources.SqsEventSourceProps{
			BatchSize:               jsii.Number(1),
			ReportBatchItemFailures: jsii.Bool(true),
			MaxConcurrency:          jsii.Number(batchPollers),
		}))

	s := postureSweep{auditFunction: sweep, Queue: queue, QueueDLQ: dlq, Azure: azure}
	s.ScheduleDLQ = newFailureQueue(sweep.Scope, "ScheduleDLQ")
	s.SchedulerRole = newSchedulerRole(sweep, s.ScheduleDLQ)
	s.Schedule = newSweepSchedule(sweep, p.SweepSchedule, s.SchedulerRole, s.ScheduleDLQ)
	return s
}

// newSweepSchedule starts the sweep on expression with the input it
// accepts, {"task": "posture-sweep"}: without an input Scheduler would send
// "{}". A run Scheduler cannot start lands in dlq.
func newSweepSchedule(sweep auditFunction, expression string, role awsiam.Role,
	dlq awssqs.Queue) awsscheduler.Schedule {
	input := awsscheduler.ScheduleTargetInput_FromObject(map[string]any{"task": sweepTask})
	target := awsschedulertargets.NewLambdaInvoke(sweep.Function,
		&awsschedulertargets.ScheduleTargetBaseProps{
			Input:           input,
			DeadLetterQueue: dlq,
			RetryAttempts:   jsii.Number(scheduleRetries),
			MaxEventAge:     awscdk.Duration_Hours(jsii.Number(scheduleMaxEventAgeHours)),
			Role:            role.WithoutPolicyUpdates(nil),
		})
	return awsscheduler.NewSchedule(sweep.Scope, jsii.String("Schedule"),
		&awsscheduler.ScheduleProps{
			Description: jsii.String("Starts the aimsaudit posture sweep"),
			Schedule:    awsscheduler.ScheduleExpression_Expression(jsii.String(expression), nil),
			Target:      target,
		})
}

// newBatchQueue makes the encrypted, TLS-only queue that carries the
// sweep's batches; a batch that keeps failing moves to dlq.
func newBatchQueue(scope constructs.Construct, dlq awssqs.Queue) awssqs.Queue {
	visibility := float64(sweepTimeoutMinutes * batchVisibilityFactor)
	return awssqs.NewQueue(scope, jsii.String("Queue"), &awssqs.QueueProps{
		Encryption:        awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		VisibilityTimeout: awscdk.Duration_Minutes(jsii.Number(visibility)),
		DeadLetterQueue: &awssqs.DeadLetterQueue{
			Queue: dlq, MaxReceiveCount: jsii.Number(batchMaxReceives),
		},
	})
}

// newSchedulerRole is the role EventBridge Scheduler starts the sweep
// with: it may invoke this function and keep a run it could not start in
// dlq, nothing else. Handed to the target as immutable, it keeps exactly
// these two grants. The trust is limited to the stack's account and its
// default schedule group, against a confused deputy.
func newSchedulerRole(sweep auditFunction, dlq awssqs.Queue) awsiam.Role {
	stack := awscdk.Stack_Of(sweep.Scope)
	group := stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("scheduler"),
		Resource:     jsii.String("schedule-group"),
		ResourceName: jsii.String("default"),
		ArnFormat:    awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	statements := []awsiam.PolicyStatement{
		allow("StartSweep", []string{"lambda:InvokeFunction"}, *sweep.Function.FunctionArn()),
		allow("KeepMissedRuns", []string{"sqs:SendMessage"}, *dlq.QueueArn()),
	}
	return awsiam.NewRole(sweep.Scope, jsii.String("SchedulerRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("scheduler.amazonaws.com"),
			&awsiam.ServicePrincipalOpts{Conditions: &map[string]any{
				"StringEquals": map[string]any{
					"aws:SourceAccount": stack.Account(),
					"aws:SourceArn":     group,
				},
			}}),
		Description: jsii.String("Lets EventBridge Scheduler start the posture sweep"),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"Start": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &statements,
			}),
		},
	})
}

// sweepEnvironment is the shared configuration plus the sweep's own. The
// Azure credential is named, never included: the function reads it from
// Secrets Manager at cold start.
func sweepEnvironment(r auditResources, p AimsAuditStackProps, queue awssqs.Queue,
	azure *storedSecret) map[string]string {
	env := r.environment()
	env["AIMS_SWEEP_QUEUE"] = *queue.QueueUrl()
	if targets := targetsJSON(p.Targets); targets != "" {
		env["AIMS_TARGETS"] = targets
	}
	if azure != nil {
		env["AIMS_AZURE_SUBSCRIPTIONS"] = strings.Join(p.AzureSubscriptions, ",")
		env["AIMS_AZURE_CREDENTIALS_SECRET"] = azure.ID
		if p.AzureARMEndpoint != "" {
			env["AIMS_AZURE_ARM_ENDPOINT"] = p.AzureARMEndpoint
		}
	}
	return env
}

// postureSweepStatements are the calls the sweep makes: read the storage
// exposure of its own account's buckets, assume the target roles (which
// hold the same reads in their accounts), fan batches out through its
// queue and take them back, read the Azure credential, and the shared
// register, evidence, state and alert grants.
func postureSweepStatements(r auditResources, p AimsAuditStackProps, queue awssqs.Queue,
	azure *storedSecret) []awsiam.PolicyStatement {
	return slices.Concat(
		readStorageExposure(r.Stack),
		assumeTargetRoles(r.Stack, p.Targets),
		[]awsiam.PolicyStatement{
			allow("FanOutBatches", []string{"sqs:SendMessage"}, *queue.QueueArn()),
			allow("TakeBatches", []string{
				"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
			}, *queue.QueueArn()),
		},
		azure.read("ReadAzureCredential"),
		r.readRegister(),
		r.writeEvidence(),
		r.trackState(),
		r.sendAlerts(),
	)
}

// readStorageExposure grants the read-only calls of the S3 collector
// (shared/exposure/s3collect), under their IAM names. The sweep judges
// every bucket of the account, so the bucket reads are on every bucket;
// access point policies on every access point of the stack's account.
// ListAllMyBuckets, GetAccountPublicAccessBlock, ListAccessPoints and
// GetAccessPoint support no resource-level permissions, so IAM accepts
// them only on "*".
func readStorageExposure(stack awscdk.Stack) []awsiam.PolicyStatement {
	allBuckets := *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("s3"), Region: jsii.String(""), Account: jsii.String(""),
		Resource: jsii.String("*"),
	})
	accessPoints := *stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("s3"), Region: jsii.String("*"),
		Resource: jsii.String("accesspoint"), ResourceName: jsii.String("*"),
		ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
	})
	return []awsiam.PolicyStatement{
		allow("ListAccountStorage", []string{
			"s3:ListAllMyBuckets", "s3:GetAccountPublicAccessBlock",
			"s3:ListAccessPoints", "s3:GetAccessPoint",
		}, "*"),
		allow("ReadBucketExposure", []string{
			"s3:GetBucketPublicAccessBlock", "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus",
			"s3:GetBucketAcl", "s3:GetBucketOwnershipControls", "s3:GetBucketWebsite",
		}, allBuckets),
		allow("ReadAccessPointPolicies", []string{"s3:GetAccessPointPolicy"}, accessPoints),
	}
}

// assumeTargetRoles lets the sweep assume exactly the roles the targets
// name; nothing when none names one.
func assumeTargetRoles(stack awscdk.Stack, targets []SweepTarget) []awsiam.PolicyStatement {
	roles := targetRoles(targets)
	if len(roles) == 0 {
		return nil
	}
	arns := make([]string, 0, len(roles))
	for _, role := range roles {
		arns = append(arns, *stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("iam"), Region: jsii.String(""),
			Account: jsii.String(role[0]), Resource: jsii.String("role"),
			ResourceName: jsii.String(role[1]), ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		}))
	}
	return []awsiam.PolicyStatement{
		allow("AssumeTargetRoles", []string{"sts:AssumeRole"}, arns...),
	}
}
