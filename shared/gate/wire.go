package gate

import (
	"context"
	"log/slog"

	"github.com/aimsaudit/aimsaudit/shared/auditenv"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// FromEnv builds a gate from the configuration of CONTRACTS.md, for the
// Lambda function and for local invokes alike.
func FromEnv(ctx context.Context, cfg aws.Config, logger *slog.Logger) (*Gate, error) {
	env, err := auditenv.Load(cfg, FunctionName)
	if err != nil {
		return nil, err
	}
	return &Gate{
		Registry: sagemaker.NewFromConfig(cfg),
		Objects:  env.S3,
		Register: env.Register,
		Evidence: env.Evidence,
		Alerts:   env.Alerts,
		DryRun:   env.DryRun,
		Logger:   logger,
	}, nil
}
