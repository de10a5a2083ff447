package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
)

// azureCredentialConstruct is the construct id of the credential secret
// the stack makes. It predates the Event Grid webhook, which reads the
// same secret; it is kept so that a deployed stack keeps its secret and
// the value put into it, rather than replacing both.
const azureCredentialConstruct = "PostureSweepAzureCredential"

// newAzureCredential names the Secrets Manager secret holding the Azure
// service principal, or makes one when none is named. The Event Grid
// webhook always reads it; the posture sweep only when it sweeps Azure
// subscriptions. A made secret starts with a random value: set the
// credential after deployment (infra/README.md), so that it never passes
// through the template or the CDK context.
func newAzureCredential(stack awscdk.Stack, p AimsAuditStackProps) *storedSecret {
	if name := p.AzureCredentialsSecret; name != "" {
		return namedSecret(stack, name)
	}
	secret := awssecretsmanager.NewSecret(stack, jsii.String(azureCredentialConstruct),
		&awssecretsmanager.SecretProps{
			Description: jsii.String("Azure service principal of aimsaudit: " +
				`{"tenantId", "clientId", "clientSecret"}; the Event Grid webhook also ` +
				`accepts "clientAssertion" instead of "clientSecret"`),
		})
	return madeSecret(secret)
}

// sweepCredential is the credential the posture sweep reads: nil when it
// sweeps no Azure subscription, so that it gets neither the variable nor
// the grant.
func sweepCredential(azure *storedSecret, subscriptions []string) *storedSecret {
	if len(subscriptions) == 0 {
		return nil
	}
	return azure
}
