package deployment

import (
	"context"
	"log/slog"

	"github.com/aimsaudit/aimsaudit/shared/auditenv"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// FromEnv builds the check from the configuration of CONTRACTS.md, for the
// Lambda function and for local invokes alike.
func FromEnv(_ context.Context, cfg aws.Config, logger *slog.Logger) (*Check, error) {
	env, err := auditenv.Load(cfg, FunctionName)
	if err != nil {
		return nil, err
	}
	return &Check{
		SageMaker: sagemaker.NewFromConfig(cfg),
		Register:  env.Register,
		Evidence:  env.Evidence,
		Alerts:    env.Alerts,
		DryRun:    env.DryRun,
		Logger:    logger,
	}, nil
}
