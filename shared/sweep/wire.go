package sweep

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/aimsaudit/aimsaudit/shared/auditenv"
	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/azureml"
	"github.com/aimsaudit/aimsaudit/shared/deployment"
	"github.com/aimsaudit/aimsaudit/shared/exposure/azurecollect"
	"github.com/aimsaudit/aimsaudit/shared/exposure/s3collect"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// Retry settings of every AWS client of the sweep. A sweep makes thousands
// of calls in a burst, so throttling is expected: the SDK's standard
// retryer backs off with jitter, and the client-side retry quota is off so
// that a long burst of throttles is waited out rather than given up on.
const (
	MaxAttempts = 8
	MaxBackoff  = 20 * time.Second
)

// WithRetries returns cfg with the sweep's retry settings.
func WithRetries(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = MaxAttempts
			o.MaxBackoff = MaxBackoff
			o.RateLimiter = ratelimit.None
		})
	}
	return cfg
}

// FromEnv builds the sweep from the configuration of CONTRACTS.md, for the
// Lambda function and for local invokes alike. AIMS_SWEEP_QUEUE is the URL
// of the queue that carries batches; without it every batch is judged in
// the invocation that planned it.
func FromEnv(ctx context.Context, cfg aws.Config, logger *slog.Logger) (*Sweep, error) {
	cfg = WithRetries(cfg)
	env, err := auditenv.Load(cfg, FunctionName)
	if err != nil {
		return nil, err
	}
	s3c, store, dryRun := env.S3, env.Register, env.DryRun
	home, err := homeTarget(ctx, cfg)
	if err != nil {
		return nil, err
	}
	targets, err := ParseTargets(os.Getenv("AIMS_TARGETS"), home)
	if err != nil {
		return nil, err
	}
	az, cred, err := azureFromEnv(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var azML *AzureML
	if cred != nil {
		azML = azureMLOver(cred, s3c, store, dryRun, logger)
	}
	return &Sweep{
		Home: home, Targets: targets, Connect: Connector(cfg), Azure: az, AzureML: azML,
		Register:  store,
		Endpoints: EndpointConnector(cfg, store),
		Evidence:  env.Evidence,
		Alerts:    env.Alerts,
		Queue:     sqs.NewFromConfig(cfg), QueueURL: os.Getenv("AIMS_SWEEP_QUEUE"),
		DryRun: dryRun, Logger: logger,
	}, nil
}

func homeTarget(ctx context.Context, cfg aws.Config) (Target, error) {
	if cfg.Region == "" {
		return Target{}, fmt.Errorf("missing configuration: AWS_REGION")
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Target{}, fmt.Errorf("get caller identity: %w", err)
	}
	return Target{Account: aws.ToString(out.Account), Regions: []string{cfg.Region}}, nil
}

// sessions hands out the configuration of a target in a region: a target
// with a role is reached through STS AssumeRole, its credentials cached and
// refreshed per target; a target without one uses the base credentials.
type sessions struct {
	base  aws.Config
	mu    sync.Mutex
	creds map[string]aws.CredentialsProvider
}

func newSessions(cfg aws.Config) *sessions {
	return &sessions{base: cfg, creds: map[string]aws.CredentialsProvider{}}
}

func (s *sessions) config(t Target, region string) aws.Config {
	c := s.base.Copy()
	c.Region = region
	if t.RoleName == "" {
		return c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.creds[t.key()]
	if !ok {
		p = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(s.base),
			t.RoleARN(), func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = FunctionName
			}))
		s.creds[t.key()] = p
	}
	c.Credentials = p
	return c
}

// Connector returns a Connect function over cfg, assuming each target's
// role when it names one.
func Connector(cfg aws.Config) func(context.Context, Target, string) (*AWSAccount, error) {
	ss := newSessions(cfg)
	return func(_ context.Context, t Target, region string) (*AWSAccount, error) {
		c := ss.config(t, region)
		col, err := s3collect.NewFromConfig(c, t.Account)
		if err != nil {
			return nil, err
		}
		return &AWSAccount{Buckets: awsenv.S3(c), Collector: col}, nil
	}
}

// EndpointConnector returns an Endpoints function over cfg: the deployment
// check, judging against the register in store, with a SageMaker client of
// the target's region, assuming its role when it names one. opts tune the
// SageMaker client, which keeps the SDK's default of three attempts: an
// endpoint walk is a few calls, not thousands, and a service error there
// (moto answers monitoring schedules with 500) is better reported soon.
func EndpointConnector(cfg aws.Config, store register.Store,
	opts ...func(*sagemaker.Options)) func(context.Context, Target, string) (*Endpoints, error) {
	ss := newSessions(cfg)
	opts = append([]func(*sagemaker.Options){func(o *sagemaker.Options) {
		o.RetryMaxAttempts = retry.DefaultMaxAttempts
	}}, opts...)
	return func(_ context.Context, t Target, region string) (*Endpoints, error) {
		sm := sagemaker.NewFromConfig(ss.config(t, region), opts...)
		return &Endpoints{Lister: sm, Judge: &deployment.Check{SageMaker: sm, Register: store}},
			nil
	}
}

// azureFromEnv reaches the subscriptions of AIMS_AZURE_SUBSCRIPTIONS with
// the credential of AIMS_AZURE_CREDENTIALS_SECRET, read as the Azure ML
// functions read it (one secret serves both), and ARM at
// AIMS_AZURE_ARM_ENDPOINT when set, and returns the credential for the
// Azure ML polling; both are nil when no subscription is configured.
func azureFromEnv(ctx context.Context, cfg aws.Config) (*Azure, azcore.TokenCredential,
	error) {
	var subs []string
	for _, s := range strings.Split(os.Getenv("AIMS_AZURE_SUBSCRIPTIONS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			subs = append(subs, s)
		}
	}
	if len(subs) == 0 {
		return nil, nil, nil
	}
	env, err := awsenv.Required("AIMS_AZURE_CREDENTIALS_SECRET")
	if err != nil {
		return nil, nil, err
	}
	cred, err := azureml.ReadCredential(ctx, secretsmanager.NewFromConfig(cfg),
		env["AIMS_AZURE_CREDENTIALS_SECRET"], nil)
	if err != nil {
		return nil, nil, err
	}
	opts := azureml.Options(os.Getenv(azureml.EnvARMEndpoint), nil)
	return &Azure{
		Subscriptions: subs,
		Accounts: func(sub string) (AccountsAPI, error) {
			return armstorage.NewAccountsClient(sub, cred, opts)
		},
		Blob: func(_, endpoint string) (azurecollect.BlobServiceAPI, error) {
			return service.NewClient(endpoint, cred, nil)
		},
	}, cred, nil
}

// azureMLOver polls the register's Azure ML workspaces with cred, at
// AIMS_AZURE_ARM_ENDPOINT when set, judging against the register in store
// and reading model cards with s3c or as blobs.
func azureMLOver(cred azcore.TokenCredential, s3c azureml.S3Getter, store register.Store,
	dryRun bool, logger *slog.Logger) *AzureML {
	opts := azureml.Options(os.Getenv(azureml.EnvARMEndpoint), nil)
	return AzureMLOf(&azureml.Check{ARM: azureml.ClientsFor(cred, opts),
		Objects:  azureml.Objects{S3: s3c, Blob: azureml.BlobReader(cred, nil)},
		Register: store, DryRun: dryRun, Logger: logger})
}
