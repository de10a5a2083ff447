package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
)

// storedSecret is a Secrets Manager secret a function reads at cold start:
// one the stack made, or one named in context. Its value never passes
// through the template, the context or an environment variable.
type storedSecret struct {
	// ID is what the function's environment holds: the secret's name or
	// ARN, never its value.
	ID string
	// ARN is what the grant names.
	ARN string
	// Secret is the secret the stack made; nil for a named one.
	Secret awssecretsmanager.Secret
}

// namedSecret is an existing secret, known by its name. Secrets Manager
// appends "-" and six random characters to a secret's name in its ARN, so
// the grant matches exactly those six.
func namedSecret(stack awscdk.Stack, name string) *storedSecret {
	arn := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("secretsmanager"), Resource: jsii.String("secret"),
		ResourceName: jsii.String(name + "-??????"),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
	return &storedSecret{ID: name, ARN: *arn}
}

// madeSecret wraps a secret the stack made; a secret's Ref is its ARN.
func madeSecret(secret awssecretsmanager.Secret) *storedSecret {
	return &storedSecret{ID: *secret.SecretArn(), ARN: *secret.SecretArn(), Secret: secret}
}

// read lets a function read this secret and no other; nothing for a nil
// secret.
func (s *storedSecret) read(sid string) []awsiam.PolicyStatement {
	if s == nil {
		return nil
	}
	return []awsiam.PolicyStatement{allow(sid, []string{"secretsmanager:GetSecretValue"}, s.ARN)}
}
