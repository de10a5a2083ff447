// Command deployment-check is the Lambda function that audits a SageMaker
// endpoint whenever it comes into service or starts a deployment: is what
// serves traffic what was approved?
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/deployment"
)

func main() {
	logger := lambdacontext.NewLogger()
	slog.SetDefault(logger)
	ctx := context.Background()
	cfg, err := awsenv.Load(ctx)
	if err != nil {
		logger.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	c, err := deployment.FromEnv(ctx, cfg, logger)
	if err != nil {
		logger.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context, raw json.RawMessage) (*deployment.Result, error) {
		res, err := c.Handle(ctx, raw)
		if err != nil {
			logger.ErrorContext(ctx, "event failed", "error", err)
		}
		return res, err
	})
}
