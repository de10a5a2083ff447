// Command azure-events is the Lambda function behind the function URL that
// an Azure Event Grid subscription on Azure ML workspaces delivers to. It
// answers the validation handshake, refuses deliveries without the shared
// secret, audits the endpoint a ModelDeployed event names and gates the
// model version a ModelRegistered event names.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/azureml"
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
	w, err := azureml.FromEnv(ctx, cfg, logger)
	if err != nil {
		logger.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	lambda.Start(w.Serve)
}
