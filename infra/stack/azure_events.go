package stack

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
)

// Settings of the Event Grid webhook.
const (
	// azureEventsTimeoutSeconds bounds one delivery. Event Grid stops
	// waiting after 30 seconds and delivers again; the audits are
	// idempotent, so a slow audit that finishes after that only repeats
	// work, while a shorter timeout would cut off an endpoint with many
	// deployments behind throttled ARM calls.
	azureEventsTimeoutSeconds = 120
	// eventGridSecretLength is the length of the shared secret the stack
	// generates: letters and digits only, so that it goes into the
	// subscription's ?code= unescaped.
	eventGridSecretLength = 48
)

// azureEvents is the Event Grid webhook function, its function URL and the
// two secrets it reads.
type azureEvents struct {
	auditFunction
	URL             awslambda.FunctionUrl
	EventGridSecret *storedSecret
	Azure           *storedSecret
}

// newAzureEvents builds the function Azure Event Grid delivers Azure ML
// workspace events to, behind a function URL.
//
// The URL's auth type is NONE: Event Grid cannot sign requests with AWS
// credentials, so IAM cannot check them. The check is the shared secret
// every delivery carries (?code= or the x-aims-eventgrid-secret header),
// which the function compares in constant time before anything else,
// answering 401 otherwise.
func newAzureEvents(r auditResources, p AimsAuditStackProps, azure *storedSecret) azureEvents {
	secret := newEventGridSecret(r.Stack, p)
	fn := newAuditFunction(r.Stack, "AzureEvents", auditFunctionProps{
		Description: "Audits Azure ML deployments and registrations delivered by Event Grid",
		AssetDir:    p.AzureEventsAsset,
		Environment: azureEventsEnvironment(r, p, secret, azure),
		Statements:  azureEventsStatements(r, p, secret, azure),
		Timeout:     awscdk.Duration_Seconds(jsii.Number(azureEventsTimeoutSeconds)),
		Synchronous: true,
	})
	url := fn.Function.AddFunctionUrl(&awslambda.FunctionUrlOptions{
		AuthType: awslambda.FunctionUrlAuthType_NONE,
	})
	return azureEvents{auditFunction: fn, URL: url, EventGridSecret: secret, Azure: azure}
}

// newEventGridSecret names the secret holding the Event Grid shared
// secret, or makes one with a random value that Secrets Manager generates
// at deployment, so that the value is in neither the template nor the
// context.
func newEventGridSecret(stack awscdk.Stack, p AimsAuditStackProps) *storedSecret {
	if p.EventGridSecret != "" {
		return namedSecret(stack, p.EventGridSecret)
	}
	secret := awssecretsmanager.NewSecret(stack, jsii.String("AzureEventsEventGridSecret"),
		&awssecretsmanager.SecretProps{
			Description: jsii.String("Shared secret of the aimsaudit Event Grid " +
				"subscriptions (?code= or the x-aims-eventgrid-secret header)"),
			GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
				PasswordLength:     jsii.Number(eventGridSecretLength),
				ExcludePunctuation: jsii.Bool(true),
			},
		})
	return madeSecret(secret)
}

// azureEventsEnvironment is the shared configuration plus the ids of the
// two secrets (never their values) and the ARM endpoint when one is set.
func azureEventsEnvironment(r auditResources, p AimsAuditStackProps,
	eventGrid, azure *storedSecret) map[string]string {
	env := r.environment()
	env["AIMS_EVENTGRID_SECRET"] = eventGrid.ID
	env["AIMS_AZURE_CREDENTIALS_SECRET"] = azure.ID
	if p.AzureARMEndpoint != "" {
		env["AIMS_AZURE_ARM_ENDPOINT"] = p.AzureARMEndpoint
	}
	return env
}

// azureEventsStatements are the AWS calls the webhook makes: read its two
// secrets at cold start, read the register and the evaluation data and
// model cards it is told about, write evidence, track finding states and
// alert GRC. Its Azure calls are the service principal's, granted in Azure.
func azureEventsStatements(r auditResources, p AimsAuditStackProps,
	eventGrid, azure *storedSecret) []awsiam.PolicyStatement {
	return slices.Concat(
		eventGrid.read("ReadEventGridSecret"),
		azure.read("ReadAzureCredential"),
		r.readRegister(),
		r.readEvaluationData(p.EvaluationBuckets),
		r.writeEvidence(),
		r.trackState(),
		r.sendAlerts(),
	)
}
