package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
)

// azureCredential is the Secrets Manager secret holding the Azure service
// principal of the sweep, {"tenantId", "clientId", "clientSecret"}.
type azureCredential struct {
	// ID is what AIMS_AZURE_CREDENTIALS_SECRET holds: the secret's name or
	// ARN, never its value.
	ID string
	// ARN is what the grant names.
	ARN string
	// Secret is the secret the stack made; nil for a named one.
	Secret awssecretsmanager.Secret
}

// newAzureCredential names the secret the sweep reads, or makes one when
// Azure subscriptions are configured without a secret name; nil without
// Azure subscriptions. A made secret starts with a random value: set the
// credential after deployment (infra/README.md), so that it never passes
// through the template or the CDK context.
func newAzureCredential(stack awscdk.Stack, p AimsAuditStackProps) *azureCredential {
	if len(p.AzureSubscriptions) == 0 {
		return nil
	}
	if name := p.AzureCredentialsSecret; name != "" {
		// Secrets Manager appends "-" and six random characters to a
		// secret's name in its ARN.
		arn := stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("secretsmanager"), Resource: jsii.String("secret"),
			ResourceName: jsii.String(name + "-??????"),
			ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})
		return &azureCredential{ID: name, ARN: *arn}
	}
	secret := awssecretsmanager.NewSecret(stack, jsii.String("PostureSweepAzureCredential"),
		&awssecretsmanager.SecretProps{
			Description: jsii.String("Azure service principal of the aimsaudit posture sweep: " +
				`{"tenantId", "clientId", "clientSecret"}`),
		})
	return &azureCredential{ID: *secret.SecretArn(), ARN: *secret.SecretArn(), Secret: secret}
}

// statements let the sweep read this secret and no other; none without
// Azure.
func (c *azureCredential) statements() []awsiam.PolicyStatement {
	if c == nil {
		return nil
	}
	return []awsiam.PolicyStatement{
		allow("ReadAzureCredential", []string{"secretsmanager:GetSecretValue"}, c.ARN),
	}
}
