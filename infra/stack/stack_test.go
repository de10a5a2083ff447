package stack

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// auditEnvironment is the configuration every function gets.
func auditEnvironment(ids resourceIDs, register any, dryRun string) map[string]any {
	return map[string]any{
		"AIMS_REGISTER_URI":    register,
		"AIMS_EVIDENCE_BUCKET": ref(ids.Evidence),
		"AIMS_STATE_TABLE":     ref(ids.Table),
		"AIMS_ALERT_BUS":       ref(ids.Bus),
		"AIMS_DRY_RUN":         dryRun,
	}
}

func TestAuditFunctions(t *testing.T) {
	tests := []struct {
		template string
		register any // nil: the bucket the stack made
		dryRun   string
	}{
		{template: "configured", register: "s3://register-bucket/aims/", dryRun: "true"},
		{template: "defaults", dryRun: "false"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			ids := idsOf(t, js)
			register := tt.register
			if register == nil {
				register = join("s3://", ref(ids.Register), "/register/")
			}
			env := auditEnvironment(ids, register, tt.dryRun)

			tpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(4))
			for _, fn := range []functionIDs{ids.Gate, ids.Check} {
				assertAuditFunction(t, js, fn, 300, env)
			}
			assertDistinctAssets(t, js, ids.Gate.Function, ids.Check.Function,
				ids.Sweep.Function, ids.Events.Function)
		})
	}
}

// assertAuditFunction checks what newAuditFunction sets on every function,
// and its exact environment.
func assertAuditFunction(t *testing.T, js map[string]any, fn functionIDs, timeout float64,
	env map[string]any) {
	t.Helper()
	props := properties(js, fn.Function)
	want := map[string]any{
		"Runtime":       "provided.al2023",
		"Architectures": []any{"arm64"},
		"Handler":       "bootstrap",
		"MemorySize":    float64(1024),
		"Timeout":       timeout,
		"Role":          getAtt(fn.Role, "Arn"),
		"LoggingConfig": map[string]any{"LogGroup": ref(fn.Logs), "LogFormat": "JSON"},
		"Environment":   map[string]any{"Variables": env},
	}
	for key, value := range want {
		if diff := cmp.Diff(value, props[key]); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", fn.Function, key, diff)
		}
	}
}

// assertDistinctAssets checks each function runs its own code: the
// placeholder assets differ, so their hashed keys must too.
func assertDistinctAssets(t *testing.T, js map[string]any, functions ...string) {
	t.Helper()
	seen := map[string]string{}
	for _, fn := range functions {
		code, _ := properties(js, fn)["Code"].(map[string]any)
		key := render(t, code["S3Key"])
		if other, ok := seen[key]; ok {
			t.Errorf("functions %s and %s share the asset %s, want one each", other, fn, key)
		}
		seen[key] = fn
	}
}

func TestRulesSendSageMakerChangesToTheirFunctions(t *testing.T) {
	tests := []struct {
		name     string
		template string
		fn       func(resourceIDs) functionIDs
		types    []any
		detail   any
	}{
		{name: "gate, groups given", template: "configured",
			fn:    func(ids resourceIDs) functionIDs { return ids.Gate },
			types: []any{"SageMaker Model Package State Change"},
			detail: map[string]any{
				"ModelPackageGroupName": []any{"credit-risk", "Fraud-Score"},
			}},
		{name: "gate, all groups", template: "defaults",
			fn:     func(ids resourceIDs) functionIDs { return ids.Gate },
			types:  []any{"SageMaker Model Package State Change"},
			detail: assertions.Match_Absent()},
		{name: "deployment check, endpoints given", template: "configured",
			fn: func(ids resourceIDs) functionIDs { return ids.Check },
			types: []any{"SageMaker Endpoint State Change",
				"SageMaker Endpoint Deployment State Change"},
			detail: map[string]any{
				"EndpointName": []any{"credit-risk-prod", "Fraud-Score-Live"},
			}},
		{name: "deployment check, all endpoints", template: "defaults",
			fn: func(ids resourceIDs) functionIDs { return ids.Check },
			types: []any{"SageMaker Endpoint State Change",
				"SageMaker Endpoint Deployment State Change"},
			detail: assertions.Match_Absent()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			fn := tt.fn(idsOf(t, js))

			tpl.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(2))
			tpl.HasResourceProperties(jsii.String("AWS::Events::Rule"), &map[string]any{
				"EventBusName": assertions.Match_Absent(),
				"State":        "ENABLED",
				"EventPattern": assertions.Match_ObjectEquals(&map[string]any{
					"source":      []any{"aws.sagemaker"},
					"detail-type": tt.types,
					"detail":      tt.detail,
				}),
				"Targets": []any{map[string]any{
					"Id":               assertions.Match_AnyValue(),
					"Arn":              getAtt(fn.Function, "Arn"),
					"DeadLetterConfig": map[string]any{"Arn": getAtt(fn.DLQ, "Arn")},
				}},
			})
			tpl.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), &map[string]any{
				"Action":       "lambda:InvokeFunction",
				"FunctionName": getAtt(fn.Function, "Arn"),
				"Principal":    "events.amazonaws.com",
				"SourceArn":    getAtt(fn.Rule, "Arn"),
			})
		})
	}
}

func TestAsyncInvocationKeepsFailedEvents(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	ids := idsOf(t, js)

	// None for the webhook: a function URL invokes it synchronously.
	tpl.ResourceCountIs(jsii.String("AWS::Lambda::EventInvokeConfig"), jsii.Number(3))
	// Each asynchronous function's on-failure queue, the two rules'
	// dead-letter queues, the sweep's fan-out queue, its dead-letter queue
	// and the schedule's.
	tpl.ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(8))
	for _, fn := range []functionIDs{ids.Gate, ids.Check, ids.Sweep} {
		tpl.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), &map[string]any{
			"FunctionName":         ref(fn.Function),
			"Qualifier":            "$LATEST",
			"MaximumRetryAttempts": 2,
			"DestinationConfig": assertions.Match_ObjectEquals(&map[string]any{
				"OnFailure": map[string]any{"Destination": getAtt(fn.Failures, "Arn")},
			}),
		})
		for _, queue := range []string{fn.Failures, fn.DLQ} {
			if queue != "" {
				assertFailureQueue(t, tpl, js, queue)
			}
		}
	}
}

// assertFailureQueue checks a queue made by newFailureQueue: encrypted,
// kept 14 days, TLS only.
func assertFailureQueue(t *testing.T, tpl assertions.Template, js map[string]any,
	queue string) {
	t.Helper()
	want := map[string]any{
		"MessageRetentionPeriod": float64(14 * 24 * 3600),
		"SqsManagedSseEnabled":   true,
	}
	if diff := cmp.Diff(want, properties(js, queue)); diff != "" {
		t.Errorf("queue %s properties (-want +got):\n%s", queue, diff)
	}
	assertQueueTLSOnly(tpl, queue)
}

func assertQueueTLSOnly(tpl assertions.Template, queue string) {
	tpl.HasResourceProperties(jsii.String("AWS::SQS::QueuePolicy"), &map[string]any{
		"Queues": []any{ref(queue)},
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			denyInsecure("sqs:*", getAtt(queue, "Arn")),
		})},
	})
}

// denyInsecure is the statement enforceSSL adds.
func denyInsecure(action string, resource any) map[string]any {
	return map[string]any{
		"Action":    action,
		"Effect":    "Deny",
		"Principal": map[string]any{"AWS": "*"},
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		"Resource":  resource,
	}
}

func TestEvidenceBucket(t *testing.T) {
	tests := []struct {
		template string
		mode     string
		days     int
	}{
		{template: "configured", mode: "COMPLIANCE", days: 730},
		{template: "defaults", mode: "GOVERNANCE", days: 365},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			ids := idsOf(t, js)

			tpl.HasResource(jsii.String("AWS::S3::Bucket"), &map[string]any{
				"DeletionPolicy":      "Retain",
				"UpdateReplacePolicy": "Retain",
				"Properties": map[string]any{
					"ObjectLockEnabled":       true,
					"VersioningConfiguration": map[string]any{"Status": "Enabled"},
					"ObjectLockConfiguration": map[string]any{
						"ObjectLockEnabled": "Enabled",
						"Rule": map[string]any{"DefaultRetention": assertions.Match_ObjectEquals(
							&map[string]any{"Mode": tt.mode, "Days": tt.days})},
					},
					"PublicAccessBlockConfiguration": blockAll(),
					"BucketEncryption": map[string]any{
						"ServerSideEncryptionConfiguration": []any{map[string]any{
							"BucketKeyEnabled": true,
							"ServerSideEncryptionByDefault": map[string]any{
								"SSEAlgorithm":   "aws:kms",
								"KMSMasterKeyID": getAtt(ids.Key, "Arn"),
							},
						}},
					},
				},
			})
			tpl.HasResource(jsii.String("AWS::KMS::Key"), &map[string]any{
				"DeletionPolicy": "Retain",
				"Properties":     map[string]any{"EnableKeyRotation": true},
			})
			assertTLSOnly(t, tpl, ids.Evidence)
		})
	}
}

func blockAll() map[string]any {
	return map[string]any{
		"BlockPublicAcls": true, "BlockPublicPolicy": true,
		"IgnorePublicAcls": true, "RestrictPublicBuckets": true,
	}
}

// assertTLSOnly checks the bucket policy denies every call without TLS, on
// the bucket and on its objects.
func assertTLSOnly(t *testing.T, tpl assertions.Template, bucket string) {
	t.Helper()
	objects := join(getAtt(bucket, "Arn"), "/*")
	tpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), &map[string]any{
		"Bucket": ref(bucket),
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			denyInsecure("s3:*", []any{getAtt(bucket, "Arn"), objects}),
		})},
	})
}

func TestRegisterBucketMadeOnlyWhenNoneConfigured(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "defaults")
	ids := idsOf(t, js)

	tpl.HasResource(jsii.String("AWS::S3::Bucket"), &map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{
			"ObjectLockEnabled":              assertions.Match_Absent(),
			"VersioningConfiguration":        map[string]any{"Status": "Enabled"},
			"PublicAccessBlockConfiguration": blockAll(),
		},
	})
	assertTLSOnly(t, tpl, ids.Register)

	configured, _ := synth(t, "configured")
	configured.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(1))
}

func TestStateTable(t *testing.T) {
	defer failOnThrow(t)
	tpl, _ := synth(t, "configured")
	tpl.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(1))
	tpl.HasResource(jsii.String("AWS::DynamoDB::Table"), &map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{
			"KeySchema": assertions.Match_ArrayEquals(&[]any{
				map[string]any{"AttributeName": "id", "KeyType": "HASH"},
			}),
			"AttributeDefinitions": assertions.Match_ArrayEquals(&[]any{
				map[string]any{"AttributeName": "id", "AttributeType": "S"},
			}),
			"BillingMode": "PAY_PER_REQUEST",
			"PointInTimeRecoverySpecification": map[string]any{
				"PointInTimeRecoveryEnabled": true,
			},
			"SSESpecification": map[string]any{"SSEEnabled": true},
		},
	})
}

func TestAlertBus(t *testing.T) {
	tests := []struct{ template, name string }{
		{template: "configured", name: "risk-grc"},
		{template: "defaults", name: "aimsaudit-grc"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, _ := synth(t, tt.template)
			tpl.ResourceCountIs(jsii.String("AWS::Events::EventBus"), jsii.Number(1))
			tpl.HasResourceProperties(jsii.String("AWS::Events::EventBus"), &map[string]any{
				"Name": tt.name,
			})
		})
	}
}

func TestLogsKeptOneYear(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	groups := resourcesOfType(js, "AWS::Logs::LogGroup")
	if len(groups) != 4 {
		t.Errorf("got %d log groups, want one per function, 4", len(groups))
	}
	for _, id := range groups {
		res := js["Resources"].(map[string]any)[id].(map[string]any)
		if res["DeletionPolicy"] != "Retain" || properties(js, id)["RetentionInDays"] != 365.0 {
			t.Errorf("log group %s: got %v, want retained, 365 days", id, res)
		}
	}
	// A log retention custom resource would bring its own Lambda and role.
	tpl.ResourceCountIs(jsii.String("Custom::LogRetention"), jsii.Number(0))
}

func TestOutputs(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	ids := idsOf(t, js)
	want := map[string]any{
		"RegisterUri":        "s3://register-bucket/aims/",
		"EvidenceBucketName": ref(ids.Evidence),
		"EvidenceKeyArn":     getAtt(ids.Key, "Arn"),
		"StateTableName":     ref(ids.Table),
		"AlertBusName":       ref(ids.Bus),
		"AlertBusArn":        getAtt(ids.Bus, "Arn"),
	}
	for name, fn := range map[string]functionIDs{
		"PromotionGate": ids.Gate, "DeploymentCheck": ids.Check, "PostureSweep": ids.Sweep,
	} {
		want[name+"FunctionName"] = ref(fn.Function)
		want[name+"FunctionArn"] = getAtt(fn.Function, "Arn")
		want[name+"RoleArn"] = getAtt(fn.Role, "Arn")
		want[name+"FailureQueueUrl"] = ref(fn.Failures)
		want[name+"LogGroupName"] = ref(fn.Logs)
		if fn.DLQ != "" {
			want[name+"DeliveryDlqUrl"] = ref(fn.DLQ)
		}
	}
	want["PostureSweepQueueUrl"] = ref(ids.Queue)
	want["PostureSweepQueueDlqUrl"] = ref(ids.QueueDLQ)
	want["PostureSweepScheduleDlqUrl"] = ref(ids.ScheduleDLQ)
	want["PostureSweepScheduleArn"] = getAtt(ids.Schedule, "Arn")
	want["AzureCredentialsSecret"] = "aimsaudit/azure-sp"
	want["EventGridSecret"] = "aimsaudit/eventgrid"
	want["AzureEventsFunctionName"] = ref(ids.Events.Function)
	want["AzureEventsFunctionArn"] = getAtt(ids.Events.Function, "Arn")
	want["AzureEventsFunctionUrl"] = getAtt(ids.URL, "FunctionUrl")
	want["AzureEventsRoleArn"] = getAtt(ids.Events.Role, "Arn")
	want["AzureEventsLogGroupName"] = ref(ids.Events.Logs)
	for name, value := range want {
		tpl.HasOutput(jsii.String(name), &map[string]any{"Value": value})
	}
	if got := len(js["Outputs"].(map[string]any)); got != len(want) {
		t.Errorf("got %d outputs, want %d", got, len(want))
	}
}
