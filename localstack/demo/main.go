// Command demo runs the promotion gate end to end on this machine, as
// `make demo` does: it starts moto, seeds the demo estate, builds the gate's
// bootstrap and runs it under the Lambda Runtime Interface Emulator, posts
// the registry event of each credit-risk version, and prints what each
// package's approval became and why, with the alerts the GRC queue received.
// Next it stands up the estate's four endpoints, runs the deployment check's
// bootstrap under the emulator, posts each endpoint's InService event and
// prints the findings that do not pass (deployment.go).
// Then it seeds the handed storage exposure cases the emulators can hold (S3
// buckets in moto; Azure containers in Azurite, when installed, behind a fake
// of ARM), runs the posture sweep in-process, as `aimsaudit invoke
// posture-sweep` does, and prints its exposure table.
// Everything it starts it stops, also on error or interrupt.
//
//	go run ./localstack/demo [-v]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
	"github.com/aimsaudit/aimsaudit/shared/lambdarun"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// Where the demo builds and logs, relative to the repository root.
const (
	buildDir   = "build/local"
	gatePkg    = "./functions/promotion-gate"
	eventsDir  = "events"
	eventsName = "model-package-state-change-credit-risk-%d.json"
)

func main() {
	verbose := flag.Bool("v", false,
		"copy the emulator's and the function's log, and the gate's answers, to stderr")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Stdout, logSink(*verbose))
	if err != nil && ctx.Err() != nil {
		err = errors.New("interrupted; stopped what the demo had started")
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func logSink(verbose bool) io.Writer {
	if verbose {
		return os.Stderr
	}
	return nil
}

// run is the whole demo; every resource it starts is stopped by a deferred
// call before it returns.
func run(ctx context.Context, out io.Writer, logs io.Writer) error {
	began := time.Now()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	events, err := readEvents(root)
	if err != nil {
		return err
	}

	fmt.Fprintln(out, "starting moto, building the gate and the runtime emulator ...")
	moto, b, err := startAndBuild(ctx, root)
	if err != nil {
		return err
	}
	defer moto.Stop()
	clients := estate.NewClients(moto.Config())
	e, err := estate.Seed(ctx, moto.Config())
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "seeded %s with %d model package versions (%s)\n", moto.URL,
		len(e.Packages), since(began))

	fn, err := lambdarun.Start(ctx, lambdarun.Config{
		RIE: b.rie, Bootstrap: b.bootstrap, Name: "promotion-gate",
		Env: functionEnv(e, moto.URL), Log: logs,
	})
	if err != nil {
		return fmt.Errorf("start the gate: %w", err)
	}
	defer fn.Stop()

	rows, err := gateAll(ctx, clients, fn, e, events)
	if err != nil {
		return fmt.Errorf("%w\nlast of the function's log:\n%s", err, fn.Logs())
	}
	alerts, err := drainAlerts(ctx, clients.SQS, e.QueueURL)
	if err != nil {
		return err
	}
	printResults(logs, rows)
	printTable(out, rows, alerts)
	if err := expectOutcome(rows); err != nil {
		return err
	}
	// The deployment check on the estate's endpoints (deployment.go).
	if err := deploymentSection(ctx, out, logs, root, b.rie, moto, e); err != nil {
		return err
	}
	if err := sweepSection(ctx, out, root, moto, e); err != nil {
		return err
	}
	fmt.Fprintf(out, "done in %s\n", since(began))
	return nil
}

// startAndBuild starts moto while the emulator and the gate compile. On
// error nothing is left running.
func startAndBuild(ctx context.Context, root string) (*testcloud.Moto, buildResult, error) {
	built := make(chan buildResult, 1)
	go func() { built <- build(ctx, root) }()
	moto, err := testcloud.Start(testcloud.AccountID)
	b := <-built
	if err != nil {
		return nil, b, fmt.Errorf("start moto: %w", err)
	}
	if b.err != nil {
		moto.Stop()
		return nil, b, b.err
	}
	return moto, b, nil
}

// printResults copies each of the gate's answers to the verbose log.
func printResults(logs io.Writer, rows []row) {
	if logs == nil {
		return
	}
	for _, r := range rows {
		var pretty bytes.Buffer
		if json.Indent(&pretty, r.Result, "", "  ") != nil {
			pretty.Write(r.Result)
		}
		fmt.Fprintf(logs, "result for %s/%d:\n%s\n", estate.Group, r.Version, pretty.Bytes())
	}
}

func since(t time.Time) string { return time.Since(t).Round(10 * time.Millisecond).String() }

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run the demo inside the repository (no go.mod found above here)")
		}
		dir = parent
	}
}

// readEvents loads the registry event of every version the estate seeds.
func readEvents(root string) (map[int][]byte, error) {
	out := map[int][]byte{}
	for _, v := range estate.Versions() {
		path := filepath.Join(root, eventsDir, fmt.Sprintf(eventsName, v.Number))
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read event: %w", err)
		}
		out[v.Number] = raw
	}
	return out, nil
}

type buildResult struct {
	rie, bootstrap string
	err            error
}

// build compiles the emulator and the gate for this machine, under
// build/local as `make build` lays them out.
func build(ctx context.Context, root string) buildResult {
	dir := filepath.Join(root, buildDir)
	rie, err := lambdarun.BuildRIE(ctx, dir)
	if err != nil {
		return buildResult{err: err}
	}
	bootstrap, err := lambdarun.BuildFunction(ctx, filepath.Join(root, gatePkg),
		filepath.Join(dir, "promotion-gate"))
	return buildResult{rie: rie, bootstrap: bootstrap, err: err}
}

// functionEnv is the gate's configuration: the estate's names, the emulator
// as endpoint, dummy credentials, and no instance metadata lookups, so the
// SDK has no reason to reach any other host.
func functionEnv(e *estate.Estate, endpoint string) []string {
	return append(e.Env(),
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_REGION="+e.Region,
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		"AWS_EC2_METADATA_DISABLED=true",
	)
}
