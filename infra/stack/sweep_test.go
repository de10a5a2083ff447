package stack

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

func TestPostureSweepFunction(t *testing.T) {
	tests := []struct {
		template string
		extra    func(ids resourceIDs) map[string]any
	}{
		{template: "configured", extra: func(resourceIDs) map[string]any {
			return map[string]any{
				"AIMS_TARGETS": `[{"account":"444455556666","regions":["eu-west-1","us-east-1"],` +
					`"roleName":"AimsAuditRead"},{"account":"777788889999",` +
					`"roleName":"AimsAuditRead"},{"account":"444455556666",` +
					`"regions":["ap-southeast-2"],"roleName":"AimsAuditRead"},` +
					`{"account":"111122223333"}]`,
				"AIMS_AZURE_SUBSCRIPTIONS":      subscriptionA + "," + subscriptionB,
				"AIMS_AZURE_CREDENTIALS_SECRET": "aimsaudit/azure-sp",
				"AIMS_AZURE_ARM_ENDPOINT":       armEndpoint,
			}
		}},
		// No targets: the sweep's own account and region; no Azure, though
		// the stack made a credential secret for the webhook.
		{template: "defaults", extra: func(resourceIDs) map[string]any { return nil }},
		{template: "azure", extra: func(ids resourceIDs) map[string]any {
			return map[string]any{
				"AIMS_AZURE_SUBSCRIPTIONS":      subscriptionA,
				"AIMS_AZURE_CREDENTIALS_SECRET": ref(ids.Secret),
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			_, js := synth(t, tt.template)
			ids := idsOf(t, js)
			register, dryRun := any("s3://register-bucket/aims/"), "true"
			if ids.Register != "" {
				register, dryRun = join("s3://", ref(ids.Register), "/register/"), "false"
			}
			env := auditEnvironment(ids, register, dryRun)
			env["AIMS_SWEEP_QUEUE"] = ref(ids.Queue)
			for k, v := range tt.extra(ids) {
				env[k] = v
			}
			assertAuditFunction(t, js, ids.Sweep, 900, env)
		})
	}
}

// TestTargetsMatchContract decodes AIMS_TARGETS as CONTRACTS.md describes
// it, refusing unknown fields as the sweep does.
func TestTargetsMatchContract(t *testing.T) {
	_, js := synth(t, "configured")
	ids := idsOf(t, js)
	vars := environmentOf(t, js, ids.Sweep.Function)
	var targets []struct {
		Account  string   `json:"account"`
		Regions  []string `json:"regions"`
		RoleName string   `json:"roleName"`
	}
	dec := json.NewDecoder(strings.NewReader(render(t, vars["AIMS_TARGETS"])))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&targets); err != nil {
		t.Fatalf("decode AIMS_TARGETS: %v", err)
	}
	if len(targets) != 4 || targets[0].RoleName != "AimsAuditRead" ||
		targets[3].Account != "111122223333" || targets[3].RoleName != "" {
		t.Errorf("got targets %+v, want the four configured", targets)
	}
}

func environmentOf(t *testing.T, js map[string]any, function string) map[string]any {
	t.Helper()
	env, _ := properties(js, function)["Environment"].(map[string]any)
	vars, _ := env["Variables"].(map[string]any)
	return vars
}

func TestScheduleStartsSweepWithItsInput(t *testing.T) {
	tests := []struct{ template, expression string }{
		{template: "configured", expression: "cron(30 3 * * ? *)"},
		{template: "defaults", expression: "cron(0 2 * * ? *)"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			ids := idsOf(t, js)

			tpl.ResourceCountIs(jsii.String("AWS::Scheduler::Schedule"), jsii.Number(1))
			props := properties(js, ids.Schedule)
			target, _ := props["Target"].(map[string]any)
			want := map[string]any{
				"Arn":              getAtt(ids.Sweep.Function, "Arn"),
				"RoleArn":          getAtt(ids.SchedulerRole, "Arn"),
				"Input":            target["Input"], // compared decoded, below
				"DeadLetterConfig": map[string]any{"Arn": getAtt(ids.ScheduleDLQ, "Arn")},
				"RetryPolicy": map[string]any{
					"MaximumRetryAttempts": 5.0, "MaximumEventAgeInSeconds": 7200.0,
				},
			}
			if diff := cmp.Diff(want, target); diff != "" {
				t.Errorf("schedule target (-want +got):\n%s", diff)
			}
			var input map[string]any
			if err := json.Unmarshal([]byte(render(t, target["Input"])), &input); err != nil {
				t.Fatalf("schedule input: %v", err)
			}
			if diff := cmp.Diff(map[string]any{"task": "posture-sweep"}, input); diff != "" {
				t.Errorf("schedule input (-want +got):\n%s", diff)
			}
			for key, value := range map[string]any{
				"ScheduleExpression": tt.expression, "ScheduleExpressionTimezone": "Etc/UTC",
				"State": "ENABLED", "FlexibleTimeWindow": map[string]any{"Mode": "OFF"},
			} {
				if diff := cmp.Diff(value, props[key]); diff != "" {
					t.Errorf("schedule %s (-want +got):\n%s", key, diff)
				}
			}
			assertFailureQueue(t, tpl, js, ids.ScheduleDLQ)
		})
	}
}

// TestSchedulerRoleOnlyStartsSweep: Scheduler may invoke the sweep and keep
// a missed run, nothing else, and only for this account's schedules. It
// needs no resource-based permission on the function.
func TestSchedulerRoleOnlyStartsSweep(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	ids := idsOf(t, js)

	got := grantsByAction(t, roleStatements(t, js, "PostureSweepScheduler"))
	want := map[string][]string{
		"lambda:InvokeFunction": {"${" + ids.Sweep.Function + ".Arn}"},
		"sqs:SendMessage":       {"${" + ids.ScheduleDLQ + ".Arn}"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scheduler grants (-want +got):\n%s", diff)
	}
	tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), &map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":    "sts:AssumeRole",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "scheduler.amazonaws.com"},
			"Condition": map[string]any{"StringEquals": map[string]any{
				"aws:SourceAccount": "111122223333",
				"aws:SourceArn": join("arn:", ref("AWS::Partition"),
					":scheduler:eu-west-1:111122223333:schedule-group/default"),
			}},
		}}},
	})
	// Beside the rules' permissions, only the webhook's function URL ones
	// (TestAzureEventsFunctionURL checks those).
	for _, id := range resourcesOfType(js, "AWS::Lambda::Permission") {
		props := properties(js, id)
		if props["FunctionName"] != nil &&
			render(t, props["FunctionName"]) == "${"+ids.Events.Function+".Arn}" {
			continue
		}
		if p := props["Principal"]; p != "events.amazonaws.com" {
			t.Errorf("permission %s: got principal %v, want only the rules' events.amazonaws.com",
				id, p)
		}
	}
}

func TestSweepQueueFeedsSweep(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	ids := idsOf(t, js)

	want := map[string]any{
		"SqsManagedSseEnabled": true,
		"VisibilityTimeout":    float64(6 * 900),
		"RedrivePolicy": map[string]any{
			"deadLetterTargetArn": getAtt(ids.QueueDLQ, "Arn"),
			"maxReceiveCount":     5.0,
		},
	}
	if diff := cmp.Diff(want, properties(js, ids.Queue)); diff != "" {
		t.Errorf("fan-out queue (-want +got):\n%s", diff)
	}
	assertQueueTLSOnly(tpl, ids.Queue)
	assertFailureQueue(t, tpl, js, ids.QueueDLQ)

	tpl.ResourceCountIs(jsii.String("AWS::Lambda::EventSourceMapping"), jsii.Number(1))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"),
		assertions.Match_ObjectEquals(&map[string]any{
			"EventSourceArn":        getAtt(ids.Queue, "Arn"),
			"FunctionName":          ref(ids.Sweep.Function),
			"BatchSize":             1,
			"FunctionResponseTypes": []any{"ReportBatchItemFailures"},
			"ScalingConfig":         map[string]any{"MaximumConcurrency": 5},
		}))
}

// TestSecretsMadeOnlyWhenNotNamed: the Azure credential and the Event
// Grid secret are each made by the stack only when the context names none
// (the webhook reads both, so they exist with or without Azure
// subscriptions), and neither holds a value in the template.
func TestSecretsMadeOnlyWhenNotNamed(t *testing.T) {
	tests := []struct {
		template string
		made     int
	}{
		{template: "configured", made: 0}, // both named in context
		{template: "defaults", made: 2},
		{template: "azure", made: 2},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			_, js := synth(t, tt.template)
			ids := idsOf(t, js)
			secrets := resourcesOfType(js, "AWS::SecretsManager::Secret")
			if len(secrets) != tt.made {
				t.Fatalf("got %d secrets, want %d", len(secrets), tt.made)
			}
			if made := ids.Secret != "" && ids.EventGridSecret != ""; made != (tt.made == 2) {
				t.Errorf("got credential %q and Event Grid secret %q, want both made: %v",
					ids.Secret, ids.EventGridSecret, tt.made == 2)
			}
			for _, id := range secrets {
				props := properties(js, id)
				if _, ok := props["SecretString"]; ok {
					t.Errorf("secret %s: got a SecretString in the template, want none", id)
				}
			}
		})
	}
}

// credentialName matches environment variable names that would carry a
// credential's value rather than name where it is kept.
var credentialName = regexp.MustCompile(`(?i)(CLIENT_SECRET|PASSWORD|TOKEN|ACCESS_KEY|` +
	`AZURE_CLIENT|AZURE_TENANT)`)

// TestNoCredentialInEnvironment: no function's environment holds a
// credential, nor a dynamic reference that CloudFormation would replace by
// one at deployment.
func TestNoCredentialInEnvironment(t *testing.T) {
	for _, name := range []string{"configured", "defaults", "azure"} {
		t.Run(name, func(t *testing.T) {
			_, js := synth(t, name)
			for _, fn := range resourcesOfType(js, "AWS::Lambda::Function") {
				for key, value := range environmentOf(t, js, fn) {
					v := render(t, value)
					if credentialName.MatchString(key) || strings.Contains(v, "{{resolve:") {
						t.Errorf("function %s: got %s=%s, want no credential", fn, key, v)
					}
				}
			}
		})
	}
}
