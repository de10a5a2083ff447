package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aimsaudit/aimsaudit/shared/awsenv"
	"github.com/aimsaudit/aimsaudit/shared/azureml"
	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/deployment"
	"github.com/aimsaudit/aimsaudit/shared/gate"
	"github.com/aimsaudit/aimsaudit/shared/sweep"
)

// handler is one function's event handler, as its Lambda runs it.
type handler func(ctx context.Context, event []byte) (any, error)

// handlers builds each function's handler from the environment, exactly as
// its Lambda main does, so a local invoke runs the same code.
var handlers = map[string]func(ctx context.Context, logger *slog.Logger) (handler, error){
	gate.FunctionName: func(ctx context.Context, logger *slog.Logger) (handler, error) {
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, err
		}
		g, err := gate.FromEnv(ctx, cfg, logger)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, event []byte) (any, error) { return g.Handle(ctx, event) }, nil
	},
	deployment.FunctionName: func(ctx context.Context, logger *slog.Logger) (handler, error) {
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, err
		}
		c, err := deployment.FromEnv(ctx, cfg, logger)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, event []byte) (any, error) { return c.Handle(ctx, event) }, nil
	},
	// The event file is a function URL request (secret checked, as deployed)
	// or a bare Event Grid array of events, taken as an authenticated delivery.
	azureml.FunctionName: func(ctx context.Context, logger *slog.Logger) (handler, error) {
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, err
		}
		w, err := azureml.FromEnv(ctx, cfg, logger)
		if err != nil {
			return nil, err
		}
		return w.Handle, nil
	},
	// The sweep judges every batch in-process here, so the result holds every finding.
	sweep.FunctionName: func(ctx context.Context, logger *slog.Logger) (handler, error) {
		cfg, err := awsenv.Load(ctx)
		if err != nil {
			return nil, err
		}
		s, err := sweep.FromEnv(ctx, cfg, logger)
		if err != nil {
			return nil, err
		}
		s.InProcess = true
		return s.Handle, nil
	},
}

func newInvokeCmd() *cobra.Command {
	var eventFile string
	cmd := &cobra.Command{
		Use:   "invoke FUNCTION --event FILE",
		Short: "Run a function's handler in-process on an event and print its result JSON",
		Long: "Run a function's handler in-process with the configuration of the environment\n" +
			"(AIMS_REGISTER_URI, AIMS_EVIDENCE_BUCKET, ...). Functions: " + functionNames() + ".",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			build, ok := handlers[args[0]]
			if !ok {
				return badinput.Errorf("", 0, "FUNCTION", "unknown function %q (want one of %s)",
					args[0], functionNames())
			}
			if eventFile == "" {
				return badinput.Errorf("", 0, "--event", "required")
			}
			event, err := os.ReadFile(eventFile)
			if err != nil {
				return badinput.Errorf(eventFile, 0, "--event", "%w", err)
			}
			logger := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			h, err := build(cmd.Context(), logger)
			if err != nil {
				return err
			}
			res, err := h(cmd.Context(), event)
			if err != nil {
				return withSource(err, eventFile)
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(res)
		},
	}
	cmd.Flags().StringVar(&eventFile, "event", "", "event JSON file, as the function receives it")
	return cmd
}

// withSource names the event file in an error about "the event".
func withSource(err error, file string) error {
	if badinput.Is(err) {
		return fmt.Errorf("%s: %w", file, err)
	}
	return err
}

func functionNames() string {
	names := make([]string, 0, len(handlers))
	for n := range handlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
