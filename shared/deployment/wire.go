package deployment

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/aimsaudit/aimsaudit/shared/alert"
	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// FromEnv builds the check from the configuration of CONTRACTS.md, for the
// Lambda function and for local invokes alike.
func FromEnv(_ context.Context, cfg aws.Config, logger *slog.Logger) (*Check, error) {
	env, err := awsenv.Required("AIMS_REGISTER_URI", "AIMS_EVIDENCE_BUCKET", "AIMS_STATE_TABLE",
		"AIMS_ALERT_BUS")
	if err != nil {
		return nil, err
	}
	dryRun, err := awsenv.Bool("AIMS_DRY_RUN")
	if err != nil {
		return nil, err
	}
	s3c := awsenv.S3(cfg)
	store, err := register.Open(env["AIMS_REGISTER_URI"], s3c)
	if err != nil {
		return nil, err
	}
	bucket := env["AIMS_EVIDENCE_BUCKET"]
	return &Check{
		SageMaker: sagemaker.NewFromConfig(cfg),
		Register:  store,
		Evidence: func(account string) *evidence.Store {
			return evidence.NewStore(s3c, bucket, FunctionName, account)
		},
		Alerts: alert.NewNotifier(dynamodb.NewFromConfig(cfg), env["AIMS_STATE_TABLE"],
			eventbridge.NewFromConfig(cfg), env["AIMS_ALERT_BUS"], dryRun),
		DryRun: dryRun,
		Logger: logger,
	}, nil
}
