// Command promotion-gate is the Lambda function that judges a model package
// whenever the SageMaker model registry reports a change of its state.
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/gate"
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
	g, err := gate.FromEnv(ctx, cfg, logger)
	if err != nil {
		logger.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	lambda.Start(func(ctx context.Context, raw json.RawMessage) (*gate.Result, error) {
		res, err := g.Handle(ctx, raw)
		if err != nil {
			logger.ErrorContext(ctx, "event failed", "error", err)
		}
		return res, err
	})
}
