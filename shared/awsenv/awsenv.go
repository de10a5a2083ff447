// Package awsenv builds AWS clients from the environment the same way for
// Lambda functions, the command line and tests, so an emulator reached
// through AWS_ENDPOINT_URL behaves like the real services.
package awsenv

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/logging"
)

// Load reads the SDK configuration from the environment. The SDK's own
// messages go to slog at debug level, so they keep the JSON log format and
// the request id instead of interleaving plain text with it.
func Load(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithLogger(sdkLogger{}))
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	return cfg, nil
}

// sdkLogger forwards the SDK's log lines to the default slog logger.
type sdkLogger struct{}

func (sdkLogger) Logf(c logging.Classification, format string, v ...any) {
	slog.Debug("aws sdk", "classification", string(c), "message", fmt.Sprintf(format, v...))
}

// Emulated reports whether an endpoint override points the SDK elsewhere
// than AWS, as it does for a local emulator.
func Emulated(cfg aws.Config) bool {
	return cfg.BaseEndpoint != nil || os.Getenv("AWS_ENDPOINT_URL") != ""
}

// S3 builds an S3 client; emulators need path-style addressing because
// bucket names do not resolve as hosts on a loopback address.
func S3(cfg aws.Config) *s3.Client {
	emulated := Emulated(cfg)
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = emulated })
}

// Required returns the named environment variables, or an error naming
// every one that is empty, so a misconfigured function says all at once.
func Required(names ...string) (map[string]string, error) {
	out := map[string]string{}
	var missing []string
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			missing = append(missing, n)
		}
		out[n] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing configuration: %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// Bool reads a "true"/"false" environment variable; anything else but empty
// is an error rather than a silent false.
func Bool(name string) (bool, error) {
	switch v := strings.ToLower(os.Getenv(name)); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, fmt.Errorf("%s: want true or false, got %q", name, v)
	}
}
