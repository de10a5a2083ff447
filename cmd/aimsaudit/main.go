// Command aimsaudit runs the audit engines on exported data and the audit
// functions' handlers in-process, so that an auditor can re-derive any
// verdict from the evidence alone.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Exit statuses of CONTRACTS.md.
const (
	exitOK       = 0
	exitFailure  = 1
	exitBadInput = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and maps its error to an exit status, so
// tests can drive the whole command without a subprocess.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	// A command that fails before it starts was called wrongly (unknown
	// command, wrong arguments): that is bad input too.
	started := false
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	if !started && !badinput.Is(err) {
		err = badinput.Errorf("", 0, "usage", "%w", err)
	}
	fmt.Fprintln(stderr, "aimsaudit:", err)
	return exitCode(err)
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "aimsaudit",
		Short:         "Technical evidence for ISO/IEC 42001 audits of AI systems",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return badinput.Errorf("", 0, "flags", "%w", err)
	})
	root.AddCommand(
		newFairnessCmd(),
		newInvokeCmd(),
		newExposureCmd(),
		newVerifyCmd(),
		newDriftCmd(),
	)
	return root
}

// exitError carries an exit status other than the usual ones, for commands
// such as verify whose verdict is part of their status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case badinput.Is(err):
		return exitBadInput
	default:
		return exitFailure
	}
}
