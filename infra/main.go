// Command infra is the aimsaudit CDK app. It reads its settings from CDK
// context (see infra/README.md) and synthesizes one stack, offline:
//
//	go run ./infra                       # writes cdk.out at the repository root
//	npx aws-cdk@2 deploy --app "go run ./infra" -c registerUri=s3://b/register/
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	// Quiets the Node 20 banner of the jsii kernel; see its package comment.
	_ "github.com/aimsaudit/aimsaudit/infra/internal/jsiienv"
	"github.com/aimsaudit/aimsaudit/infra/stack"
)

// ctxStackName is the context key of the stack name.
const (
	ctxStackName     = "stackName"
	defaultStackName = "AimsAudit"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "infra:", err)
		os.Exit(2)
	}
}

func run() error {
	defer jsii.Close()

	root, err := repoRoot()
	if err != nil {
		return err
	}
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:             jsii.String(outdir(root)),
		AnalyticsReporting: jsii.Bool(false),
	})
	lookup := func(key string) any { return app.Node().TryGetContext(jsii.String(key)) }
	props, err := stack.PropsFromContext(lookup, root)
	if err != nil {
		return err
	}
	props.Env = environment()

	name := defaultStackName
	if v, ok := lookup(ctxStackName).(string); ok && v != "" {
		name = v
	}
	stack.NewAimsAuditStack(app, name, &props)
	app.Synth(nil)
	return nil
}

// outdir honours CDK_OUTDIR (the CDK CLI sets it) and otherwise writes
// cdk.out at the repository root.
func outdir(root string) string {
	if dir := os.Getenv("CDK_OUTDIR"); dir != "" {
		return dir
	}
	return filepath.Join(root, "cdk.out")
}

// environment pins the stack to the CLI's account and region when it knows
// them; without them the stack is environment-agnostic and synthesizes
// offline.
func environment() *awscdk.Environment {
	account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION")
	if account == "" && region == "" {
		return nil
	}
	env := &awscdk.Environment{}
	if account != "" {
		env.Account = jsii.String(account)
	}
	if region != "" {
		env.Region = jsii.String(region)
	}
	return env
}

// repoRoot is the nearest folder at or above the working directory holding
// go.mod, so that default paths work from the root and from infra/ alike.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("find repository root: %w", err)
		}
		if filepath.Dir(d) == d {
			return dir, nil
		}
	}
}
