package stack

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestAzureEventsFunction checks the webhook's settings and its exact
// environment: the shared configuration, the ids of its two secrets
// (never a value) and the ARM endpoint only when one is configured.
func TestAzureEventsFunction(t *testing.T) {
	tests := []struct {
		template string
		extra    func(ids resourceIDs) map[string]any
	}{
		{template: "configured", extra: func(resourceIDs) map[string]any {
			return map[string]any{
				"AIMS_EVENTGRID_SECRET":         "aimsaudit/eventgrid",
				"AIMS_AZURE_CREDENTIALS_SECRET": "aimsaudit/azure-sp",
				"AIMS_AZURE_ARM_ENDPOINT":       armEndpoint,
			}
		}},
		{template: "defaults", extra: func(ids resourceIDs) map[string]any {
			return map[string]any{
				"AIMS_EVENTGRID_SECRET":         ref(ids.EventGridSecret),
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
			for k, v := range tt.extra(ids) {
				env[k] = v
			}
			assertAuditFunction(t, js, ids.Events, 120, env)
		})
	}
}

// TestAzureEventsFunctionURL: the one function URL of the stack, with
// auth type NONE (Event Grid cannot sign; the shared secret is the check),
// no CORS (no browser calls it), and exactly the two public permissions a
// URL of auth type NONE needs, on the webhook and only through its URL.
func TestAzureEventsFunctionURL(t *testing.T) {
	defer failOnThrow(t)
	tpl, js := synth(t, "configured")
	ids := idsOf(t, js)

	tpl.ResourceCountIs(jsii.String("AWS::Lambda::Url"), jsii.Number(1))
	want := map[string]any{
		"AuthType":          "NONE",
		"TargetFunctionArn": getAtt(ids.Events.Function, "Arn"),
	}
	if diff := cmp.Diff(want, properties(js, ids.URL)); diff != "" {
		t.Errorf("function URL (-want +got):\n%s", diff)
	}

	fn := getAtt(ids.Events.Function, "Arn")
	wantPermissions := []map[string]any{
		{"Action": "lambda:InvokeFunctionUrl", "FunctionName": fn,
			"FunctionUrlAuthType": "NONE", "Principal": "*"},
		{"Action": "lambda:InvokeFunction", "FunctionName": fn,
			"InvokedViaFunctionUrl": true, "Principal": "*"},
	}
	var got []map[string]any
	for _, id := range resourcesOfType(js, "AWS::Lambda::Permission") {
		props := properties(js, id)
		if cmp.Equal(props["FunctionName"], fn) {
			got = append(got, props)
		} else if props["Principal"] == "*" {
			t.Errorf("permission %s: got a public permission on another function", id)
		}
	}
	byAction := cmpopts.SortSlices(func(a, b map[string]any) bool {
		return a["Action"].(string) < b["Action"].(string)
	})
	if diff := cmp.Diff(wantPermissions, got, byAction); diff != "" {
		t.Errorf("webhook permissions (-want +got):\n%s", diff)
	}
}

// TestAzureEventsIsSynchronousOnly: no asynchronous invocation settings
// and no on-failure queue for the webhook (Event Grid retries a failed
// delivery itself), and no queue grant in its role.
func TestAzureEventsIsSynchronousOnly(t *testing.T) {
	defer failOnThrow(t)
	_, js := synth(t, "configured")
	ids := idsOf(t, js)

	for _, id := range resourcesOfType(js, "AWS::Lambda::EventInvokeConfig") {
		if cmp.Equal(properties(js, id)["FunctionName"], ref(ids.Events.Function)) {
			t.Errorf("event invoke config %s: got one for the webhook, want none", id)
		}
	}
	if id := optionalID(t, js, "AWS::SQS::Queue", "AzureEvents"); id != "" {
		t.Errorf("got queue %s for the webhook, want none", id)
	}
}

// TestEventGridSecretGenerated: the secret the stack makes gets a random
// value from Secrets Manager at deployment, letters and digits only so
// that it fits the subscription's ?code= unescaped.
func TestEventGridSecretGenerated(t *testing.T) {
	_, js := synth(t, "defaults")
	ids := idsOf(t, js)

	props := properties(js, ids.EventGridSecret)
	want := map[string]any{"ExcludePunctuation": true, "PasswordLength": 48.0}
	if diff := cmp.Diff(want, props["GenerateSecretString"]); diff != "" {
		t.Errorf("Event Grid secret generation (-want +got):\n%s", diff)
	}
	if _, ok := props["SecretString"]; ok {
		t.Errorf("Event Grid secret: got a SecretString in the template, want none")
	}
}
