package stack

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

func TestPromotionGateFunction(t *testing.T) {
	tests := []struct {
		name     string
		template string
		register any
		dryRun   string
	}{
		{name: "configured", template: "configured",
			register: "s3://register-bucket/aims/", dryRun: "true"},
		{name: "defaults", template: "defaults", dryRun: "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			tpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(1))
			tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
				"Runtime":       "provided.al2023",
				"Architectures": []any{"arm64"},
				"Handler":       "bootstrap",
				"MemorySize":    1024,
				"Timeout":       300,
				"Role":          getAtt(logicalID(t, js, "AWS::IAM::Role", ""), "Arn"),
				"LoggingConfig": map[string]any{
					"LogGroup": ref(logicalID(t, js, "AWS::Logs::LogGroup", "")),
				},
				"Environment": map[string]any{"Variables": assertions.Match_ObjectEquals(
					&map[string]any{
						"AIMS_REGISTER_URI": registerURI(t, js, tt.register),
						"AIMS_EVIDENCE_BUCKET": ref(
							logicalID(t, js, "AWS::S3::Bucket", "ObjectLockEnabled")),
						"AIMS_STATE_TABLE": ref(logicalID(t, js, "AWS::DynamoDB::Table", "")),
						"AIMS_ALERT_BUS":   ref(logicalID(t, js, "AWS::Events::EventBus", "")),
						"AIMS_DRY_RUN":     tt.dryRun,
					})},
			})
		})
	}
}

// registerURI is the expected AIMS_REGISTER_URI: the configured one, or the
// "register/" prefix of the bucket the stack made.
func registerURI(t *testing.T, js map[string]any, configured any) any {
	t.Helper()
	if configured != nil {
		return configured
	}
	bucket := registerBucketID(t, js)
	return map[string]any{"Fn::Join": []any{"", []any{"s3://", ref(bucket), "/register/"}}}
}

// registerBucketID is the bucket the stack made for the register: the one
// without Object Lock.
func registerBucketID(t *testing.T, js map[string]any) string {
	t.Helper()
	lockID := logicalID(t, js, "AWS::S3::Bucket", "ObjectLockEnabled")
	for id, r := range js["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == "AWS::S3::Bucket" && id != lockID {
			return id
		}
	}
	t.Fatal("no register bucket in the template")
	return ""
}

func TestRuleSendsModelPackageChangesToGate(t *testing.T) {
	tests := []struct {
		name     string
		template string
		detail   any
	}{
		{name: "groups given", template: "configured", detail: map[string]any{
			"ModelPackageGroupName": []any{"credit-risk", "Fraud-Score"},
		}},
		{name: "all groups", template: "defaults", detail: assertions.Match_Absent()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			fn := logicalID(t, js, "AWS::Lambda::Function", "")
			rule := logicalID(t, js, "AWS::Events::Rule", "")
			dlq := deliveryDLQ(t, js)

			tpl.HasResourceProperties(jsii.String("AWS::Events::Rule"), &map[string]any{
				"EventBusName": assertions.Match_Absent(),
				"State":        "ENABLED",
				"EventPattern": assertions.Match_ObjectEquals(&map[string]any{
					"source":      []any{"aws.sagemaker"},
					"detail-type": []any{"SageMaker Model Package State Change"},
					"detail":      tt.detail,
				}),
				"Targets": []any{map[string]any{
					"Id":               assertions.Match_AnyValue(),
					"Arn":              getAtt(fn, "Arn"),
					"DeadLetterConfig": map[string]any{"Arn": getAtt(dlq, "Arn")},
				}},
			})
			tpl.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), &map[string]any{
				"Action":       "lambda:InvokeFunction",
				"FunctionName": getAtt(fn, "Arn"),
				"Principal":    "events.amazonaws.com",
				"SourceArn":    getAtt(rule, "Arn"),
			})
		})
	}
}

// deliveryDLQ is the rule target's dead-letter queue: the queue that is not
// the function's on-failure destination.
func deliveryDLQ(t *testing.T, js map[string]any) string {
	t.Helper()
	failures := failureQueue(t, js)
	for id, r := range js["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == "AWS::SQS::Queue" && id != failures {
			return id
		}
	}
	t.Fatal("no delivery dead-letter queue in the template")
	return ""
}

// failureQueue is the on-failure destination of the function's async config.
func failureQueue(t *testing.T, js map[string]any) string {
	t.Helper()
	id := logicalID(t, js, "AWS::Lambda::EventInvokeConfig", "")
	props := js["Resources"].(map[string]any)[id].(map[string]any)["Properties"]
	dest := props.(map[string]any)["DestinationConfig"].(map[string]any)["OnFailure"]
	att := dest.(map[string]any)["Destination"].(map[string]any)["Fn::GetAtt"].([]any)
	return att[0].(string)
}

func TestAsyncInvocationKeepsFailedEvents(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	fn := logicalID(t, js, "AWS::Lambda::Function", "")
	failures := failureQueue(t, js)

	tpl.ResourceCountIs(jsii.String("AWS::Lambda::EventInvokeConfig"), jsii.Number(1))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), &map[string]any{
		"FunctionName":         ref(fn),
		"Qualifier":            "$LATEST",
		"MaximumRetryAttempts": 2,
		"DestinationConfig": assertions.Match_ObjectEquals(&map[string]any{
			"OnFailure": map[string]any{"Destination": getAtt(failures, "Arn")},
		}),
	})

	tpl.ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(2))
	for _, queue := range []string{failures, deliveryDLQ(t, js)} {
		tpl.HasResourceProperties(jsii.String("AWS::SQS::Queue"), &map[string]any{
			"QueueName":              assertions.Match_Absent(),
			"MessageRetentionPeriod": 14 * 24 * 3600,
			"SqsManagedSseEnabled":   true,
		})
		tpl.HasResourceProperties(jsii.String("AWS::SQS::QueuePolicy"), &map[string]any{
			"Queues": []any{ref(queue)},
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
				denyInsecure("sqs:*", getAtt(queue, "Arn")),
			})},
		})
	}
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
		name     string
		template string
		mode     string
		days     int
	}{
		{name: "configured", template: "configured", mode: "COMPLIANCE", days: 730},
		{name: "defaults", template: "defaults", mode: "GOVERNANCE", days: 365},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			bucket := logicalID(t, js, "AWS::S3::Bucket", "ObjectLockEnabled")
			key := logicalID(t, js, "AWS::KMS::Key", "")

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
								"KMSMasterKeyID": getAtt(key, "Arn"),
							},
						}},
					},
				},
			})
			tpl.HasResource(jsii.String("AWS::KMS::Key"), &map[string]any{
				"DeletionPolicy": "Retain",
				"Properties":     map[string]any{"EnableKeyRotation": true},
			})
			assertTLSOnly(t, tpl, bucket)
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
	objects := map[string]any{"Fn::Join": []any{"", []any{getAtt(bucket, "Arn"), "/*"}}}
	tpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), &map[string]any{
		"Bucket": ref(bucket),
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			denyInsecure("s3:*", []any{getAtt(bucket, "Arn"), objects}),
		})},
	})
}

func TestRegisterBucketMadeWhenNoneConfigured(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "defaults")
	bucket := registerBucketID(t, js)

	tpl.HasResource(jsii.String("AWS::S3::Bucket"), &map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{
			"ObjectLockEnabled":              assertions.Match_Absent(),
			"VersioningConfiguration":        map[string]any{"Status": "Enabled"},
			"PublicAccessBlockConfiguration": blockAll(),
		},
	})
	assertTLSOnly(t, tpl, bucket)

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
	tpl, _ := synth(t, "configured")
	tpl.ResourceCountIs(jsii.String("AWS::Logs::LogGroup"), jsii.Number(1))
	tpl.HasResource(jsii.String("AWS::Logs::LogGroup"), &map[string]any{
		"DeletionPolicy": "Retain",
		"Properties":     map[string]any{"RetentionInDays": 365},
	})
	// A log retention custom resource would bring its own Lambda and role.
	tpl.ResourceCountIs(jsii.String("Custom::LogRetention"), jsii.Number(0))
}

func TestOutputs(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	want := map[string]any{
		"RegisterUri":                  "s3://register-bucket/aims/",
		"EvidenceBucketName":           ref(logicalID(t, js, "AWS::S3::Bucket", "")),
		"EvidenceKeyArn":               getAtt(logicalID(t, js, "AWS::KMS::Key", ""), "Arn"),
		"StateTableName":               ref(logicalID(t, js, "AWS::DynamoDB::Table", "")),
		"AlertBusName":                 ref(logicalID(t, js, "AWS::Events::EventBus", "")),
		"AlertBusArn":                  getAtt(logicalID(t, js, "AWS::Events::EventBus", ""), "Arn"),
		"PromotionGateFunctionName":    ref(logicalID(t, js, "AWS::Lambda::Function", "")),
		"PromotionGateFunctionArn":     getAtt(logicalID(t, js, "AWS::Lambda::Function", ""), "Arn"),
		"PromotionGateRoleArn":         getAtt(logicalID(t, js, "AWS::IAM::Role", ""), "Arn"),
		"PromotionGateFailureQueueUrl": ref(failureQueue(t, js)),
		"PromotionGateDeliveryDlqUrl":  ref(deliveryDLQ(t, js)),
		"PromotionGateLogGroupName":    ref(logicalID(t, js, "AWS::Logs::LogGroup", "")),
	}
	for name, value := range want {
		tpl.HasOutput(jsii.String(name), &map[string]any{"Value": value})
	}
	if got := len(js["Outputs"].(map[string]any)); got != len(want) {
		t.Errorf("got %d outputs, want %d", got, len(want))
	}
}
