// Package fairness computes fairlearn's group fairness metrics and
// SageMaker Clarify's post-training bias metrics from an evaluation file of
// labels and predictions, for several sensitive sets in one streaming pass.
//
// Semantics follow fairlearn 0.14 wherever a value is defined. Where
// fairlearn silently reports something misleading the engine does the
// auditor's thing instead: a rate whose denominator is empty is undefined
// (nil, JSON null) and is left out of the aggregates with a warning; the
// positive class is explicit and any third class value is bad input; a
// missing sensitive value is bad input; intersectional groups list only the
// combinations that occur and name the empty ones in warnings.
//
// Evaluate reads from any io.Reader in constant memory (an S3 object body
// can be passed as it streams); EvaluateFile reads a local file. Both use
// every core the runtime allows for CSV and JSON Lines.
package fairness

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/tabular"
)

// Options tune how an evaluation reads its input.
type Options struct {
	// Workers caps the parsing goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, receives the input bytes consumed as they are.
	Progress func(n int64)
}

// Evaluate reads an evaluation file from r and computes the report. Source
// names the file or URI in errors and picks the format by extension when the
// content does not (CSV, gzip-compressed CSV or JSON Lines, JSON Lines,
// Parquet). Errors caused by the input are badinput errors.
func Evaluate(ctx context.Context, r io.Reader, source string, spec Spec) (*Report, error) {
	return EvaluateWith(ctx, r, source, spec, Options{})
}

// EvaluateFile evaluates a local file.
func EvaluateFile(ctx context.Context, path string, spec Spec) (*Report, error) {
	return EvaluateFileWith(ctx, path, spec, Options{})
}

// EvaluateFileWith is EvaluateFile with options.
func EvaluateFileWith(ctx context.Context, path string, spec Spec, opt Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, badinput.Errorf(path, 0, "", "open: %w", err)
	}
	defer f.Close()
	return EvaluateWith(ctx, f, path, spec, opt)
}

// EvaluateWith is Evaluate with options.
func EvaluateWith(ctx context.Context, r io.Reader, source string, spec Spec,
	opt Options) (*Report, error) {
	spec, err := spec.normalize()
	if err != nil {
		return nil, err
	}
	p := newPlan(spec)
	var workers []*worker
	newHandler := func() tabular.Handler {
		w := newWorker(p)
		workers = append(workers, w)
		return w
	}
	topt := tabular.Options{Workers: opt.Workers, Progress: opt.Progress}
	if _, err := tabular.Scan(ctx, r, source, p.columns, topt, newHandler); err != nil {
		return nil, fmt.Errorf("read evaluation data: %w", err)
	}
	t, err := mergeWorkers(p, source, workers)
	if err != nil {
		return nil, err
	}
	return buildReport(p, source, t), nil
}
