// Package lambdarun runs a function's real bootstrap binary under the AWS
// Lambda Runtime Interface Emulator, without containers, so that tests and the
// demo exercise the same handler wiring, environment and JSON encoding as a
// deployed function.
//
// The emulator is built from the module that go.mod pins as a tool, and
// functions are built for the local platform with the lambda.norpc tag, the
// way the provided.al2023 runtime runs them. Each Function is one emulator
// process, on its own two loopback ports, and the bootstrap it starts; Stop
// ends both.
package lambdarun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// RIEPackage is the emulator's command, pinned by the tool line of go.mod.
const RIEPackage = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// BuildRIE builds the emulator into dir and returns its path. It runs in the
// current directory, which must lie inside this module so that go.mod's pin
// applies.
func BuildRIE(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "aws-lambda-rie")
	if err := goBuild(ctx, out, RIEPackage); err != nil {
		return "", fmt.Errorf("build runtime emulator: %w", err)
	}
	return out, nil
}

// BuildFunction builds the main package pkg (an import path, or a path
// relative to the current directory) as dir/bootstrap for the local platform,
// with the lambda.norpc tag, and returns the binary's path.
func BuildFunction(ctx context.Context, pkg, dir string) (string, error) {
	out := filepath.Join(dir, "bootstrap")
	if err := goBuild(ctx, out, pkg, "-tags", "lambda.norpc"); err != nil {
		return "", fmt.Errorf("build function %s: %w", pkg, err)
	}
	return out, nil
}

func goBuild(ctx context.Context, out, pkg string, flags ...string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	args := append([]string{"build", "-o", out}, flags...)
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH,
		"CGO_ENABLED=0")
	msg, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build: %w: %s", err, strings.TrimSpace(string(msg)))
	}
	return nil
}

// FunctionError is a handler's error, as the runtime reports it in place of
// a result.
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("function error %s: %s", e.Type, e.Message)
}

// ErrStopped is returned by Invoke once the function has been stopped.
var ErrStopped = errors.New("function stopped")

// Config says which function to run and how.
type Config struct {
	RIE       string   // path of the aws-lambda-rie binary
	Bootstrap string   // path of the function's bootstrap binary
	Env       []string // KEY=VALUE pairs the function sees, on top of baseEnv
	Name      string   // AWS_LAMBDA_FUNCTION_NAME; default the bootstrap's folder name
	Timeout   int      // function timeout in seconds; default 60

	// Log receives the emulator's and the function's output as it comes;
	// nil discards it. The last part is kept for Function.Logs either way.
	Log io.Writer
}

// baseEnv is what a function inherits from this process: enough to run, and
// nothing that could point its SDK at a real account, such as a profile.
func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "TZ"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
