package azureml

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/aimsaudit/aimsaudit/shared/auditenv"
	"github.com/aimsaudit/aimsaudit/shared/awsenv"
)

// Configuration beyond CONTRACTS.md's common variables.
const (
	// EnvARMEndpoint points ARM calls at a sovereign cloud (or a test
	// server); empty means the public Azure cloud. Token requests follow
	// azidentity's AZURE_AUTHORITY_HOST.
	EnvARMEndpoint = "AIMS_AZURE_ARM_ENDPOINT"
	envAuthority   = "AZURE_AUTHORITY_HOST"
)

// SecretsAPI is the part of Secrets Manager cold start needs.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput,
		opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// AzureCredentials is the JSON that AIMS_AZURE_CREDENTIALS_SECRET holds:
// a Microsoft Entra application (service principal) with either a client
// secret or a federated client assertion (a JWT its federated credential
// trusts). An assertion expires, so whatever renews it writes the new one
// into the same secret, and the credential reads it again for each token.
type AzureCredentials struct {
	TenantID        string `json:"tenantId"`
	ClientID        string `json:"clientId"`
	ClientSecret    string `json:"clientSecret,omitempty"`
	ClientAssertion string `json:"clientAssertion,omitempty"`
}

// ReadSecret returns a secret's string value; an empty one is an error.
func ReadSecret(ctx context.Context, sm SecretsAPI, id string) (string, error) {
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(id)})
	if err != nil {
		return "", wrap("read secret "+id, err)
	}
	if aws.ToString(out.SecretString) == "" {
		return "", fmt.Errorf("secret %s holds no string value", id)
	}
	return aws.ToString(out.SecretString), nil
}

// readCredentials reads and checks the credential JSON of secret id.
func readCredentials(ctx context.Context, sm SecretsAPI, id string) (*AzureCredentials, error) {
	raw, err := ReadSecret(ctx, sm, id)
	if err != nil {
		return nil, err
	}
	var c AzureCredentials
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("secret %s: want JSON {tenantId, clientId, clientSecret or "+
			"clientAssertion}: %w", id, err)
	}
	var missing []string
	for _, f := range [][2]string{{"tenantId", c.TenantID}, {"clientId", c.ClientID},
		{"clientSecret or clientAssertion", c.ClientSecret + c.ClientAssertion}} {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("secret %s lacks %s", id, strings.Join(missing, ", "))
	}
	return &c, nil
}

// ReadCredential builds the Azure credential from the secret id names,
// read at cold start; credentials never come from plain environment
// variables. transport is nil for the default.
func ReadCredential(ctx context.Context, sm SecretsAPI, id string,
	transport policy.Transporter) (azcore.TokenCredential, error) {
	c, err := readCredentials(ctx, sm, id)
	if err != nil {
		return nil, err
	}
	opts := azcore.ClientOptions{Transport: transport, Retry: Retry}
	// A custom authority (a sovereign cloud, a test server) has no instance
	// discovery to ask.
	noDiscovery := os.Getenv(envAuthority) != ""
	var cred azcore.TokenCredential
	if c.ClientSecret != "" {
		cred, err = azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts,
				DisableInstanceDiscovery: noDiscovery})
	} else {
		cred, err = azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID,
			assertionFrom(sm, id), &azidentity.ClientAssertionCredentialOptions{
				ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
	}
	if err != nil {
		return nil, wrap("azure credential", err)
	}
	return cred, nil
}

// assertionFrom reads the current client assertion from the secret each
// time the credential needs a new token.
func assertionFrom(sm SecretsAPI, id string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		c, err := readCredentials(ctx, sm, id)
		if err != nil {
			return "", err
		}
		if c.ClientAssertion == "" {
			return "", fmt.Errorf("secret %s no longer holds a clientAssertion", id)
		}
		return c.ClientAssertion, nil
	}
}

// FromEnv builds the webhook from the configuration of CONTRACTS.md, for
// the Lambda function and for local invokes alike: the Event Grid secret
// and the Azure credential are read from Secrets Manager here, once.
func FromEnv(ctx context.Context, cfg aws.Config, logger *slog.Logger) (*Webhook, error) {
	secrets, err := awsenv.Required("AIMS_AZURE_CREDENTIALS_SECRET", "AIMS_EVENTGRID_SECRET")
	if err != nil {
		return nil, err
	}
	env, err := auditenv.Load(cfg, FunctionName)
	if err != nil {
		return nil, err
	}
	sm := secretsmanager.NewFromConfig(cfg)
	secret, err := ReadSecret(ctx, sm, secrets["AIMS_EVENTGRID_SECRET"])
	if err != nil {
		return nil, err
	}
	cred, err := ReadCredential(ctx, sm, secrets["AIMS_AZURE_CREDENTIALS_SECRET"], nil)
	if err != nil {
		return nil, err
	}
	check := &Check{
		ARM:      ClientsFor(cred, Options(os.Getenv(EnvARMEndpoint), nil)),
		Objects:  Objects{S3: env.S3, Blob: BlobReader(cred, nil)},
		Register: env.Register,
		Evidence: env.Evidence,
		Alerts:   env.Alerts,
		DryRun:   env.DryRun,
		Logger:   logger,
	}
	return &Webhook{Check: check, Secret: []byte(secret), Logger: logger}, nil
}
