// Command seed builds the demo estate (see package estate) in the AWS
// account behind an endpoint, usually a local emulator:
//
//	go run ./localstack/seed --endpoint http://127.0.0.1:5000
//
// It prints the functions' configuration as export lines, so that
// eval "$(go run ./localstack/seed)" readies a shell for aimsaudit invoke.
//
// It uses dummy credentials unless AWS_ACCESS_KEY_ID is set, so that it can
// never reach a real account by accident: pointing it at AWS takes both an
// explicit --endpoint and real credentials.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	endpoint := fs.String("endpoint", os.Getenv("AWS_ENDPOINT_URL"),
		"endpoint of the emulator (default $AWS_ENDPOINT_URL)")
	region := fs.String("region", "us-east-1", "region to seed")
	account := fs.String("account", "", "fail unless the endpoint serves this account id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *endpoint == "" {
		return errors.New("no endpoint: pass --endpoint or set AWS_ENDPOINT_URL")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := config(*endpoint, *region)
	if err := checkAccount(ctx, cfg, *account); err != nil {
		return err
	}
	e, err := estate.Seed(ctx, cfg)
	if err != nil {
		return err
	}
	endpoints, err := estate.SeedEndpoints(ctx, cfg, e)
	if err != nil {
		return err
	}
	report(e, len(endpoints))
	return nil
}

// checkAccount refuses to seed an account other than the one asked for,
// before anything is created.
func checkAccount(ctx context.Context, cfg aws.Config, want string) error {
	if want == "" {
		return nil
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("get caller identity: %w", err)
	}
	if got := aws.ToString(out.Account); got != want {
		return fmt.Errorf("endpoint serves account %s, want %s", got, want)
	}
	return nil
}

func config(endpoint, region string) aws.Config {
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" {
		key, secret = "testing", "testing"
	}
	token := os.Getenv("AWS_SESSION_TOKEN")
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(key, secret, token),
		BaseEndpoint: aws.String(endpoint),
	}
}

// report says what was seeded on stderr, and prints the configuration that
// points the functions at it as export lines on stdout, so that
// eval "$(go run ./localstack/seed)" configures a shell for local invokes.
func report(e *estate.Estate, endpoints int) {
	fmt.Fprintf(os.Stderr, "seeded account %s in %s\n", e.Account, e.Region)
	for _, p := range e.Packages {
		fmt.Fprintf(os.Stderr, "  %s\n", p.ARN)
	}
	fmt.Fprintf(os.Stderr, "  alerts queue %s\n  endpoints: %d in service\n", e.QueueURL, endpoints)
	for _, kv := range e.Env() {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Printf("export %s='%s'\n", k, strings.ReplaceAll(v, "'", `'\''`))
	}
}
