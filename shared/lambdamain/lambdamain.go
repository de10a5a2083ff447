// Package lambdamain is the cold start every audit function shares: JSON log
// lines that carry the request id, the AWS configuration from the
// environment, and the handler built once from both, outside the handler so
// warm invocations reuse its clients.
package lambdamain

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aimsaudit/aimsaudit/shared/awsenv"
)

// Builder makes a function's handler from its configuration, as each
// package's FromEnv does.
type Builder[H any] func(ctx context.Context, cfg aws.Config, logger *slog.Logger) (H, error)

// Build runs the cold start. A function that cannot be configured logs why
// and exits, so Lambda reports the init error instead of failing every
// event later.
func Build[H any](build Builder[H]) (H, *slog.Logger) {
	logger := lambdacontext.NewLogger()
	slog.SetDefault(logger)
	ctx := context.Background()
	cfg, err := awsenv.Load(ctx)
	if err != nil {
		logger.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	h, err := build(ctx, cfg, logger)
	if err != nil {
		logger.Error("cold start failed", "error", err)
		os.Exit(1)
	}
	return h, logger
}

// Events serves a handler of raw event JSON and logs each event it fails
// on; the error then takes the event to the function's on-failure
// destination.
func Events[R any](logger *slog.Logger, handle func(ctx context.Context, raw []byte) (R, error)) {
	lambda.Start(func(ctx context.Context, raw json.RawMessage) (R, error) {
		res, err := handle(ctx, raw)
		if err != nil {
			logger.ErrorContext(ctx, "event failed", "error", err)
		}
		return res, err
	})
}
