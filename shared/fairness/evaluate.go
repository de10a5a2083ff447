// Package fairness computes fairlearn's group fairness metrics and
// SageMaker Clarify's post-training bias metrics from an evaluation file of
// labels and predictions, for several sensitive sets in one streaming pass.
//
// Semantics follow fairlearn 0.14 wherever a value is defined (the shared
// test vectors match to 1e-9). Where fairlearn silently reports something
// misleading the engine does the auditor's thing instead:
//   - a rate whose denominator is empty is undefined (nil, JSON null), is
//     left out of the differences and ratios, and raises an
//     "undefined-rate" warning, where fairlearn reports 0; a ratio of 0/0
//     is nil, never NaN;
//   - the positive class is explicit: every label and prediction must be
//     it or the one other value, anything else is bad input naming the
//     file, line and column (numerically equal spellings, "1" and "1.0",
//     are one class);
//   - a missing sensitive value, label, prediction or weight is bad input;
//   - an intersectional set lists only the combinations that occur and
//     names the empty ones in "empty-combination" warnings;
//   - equalized odds is nil when either of its TPR and FPR parts is.
//
// A set with one group has difference 0 and ratio 1, as in fairlearn, with
// a "single-group" warning; an input without rows gives a report with a
// "no-rows" warning rather than an error.
//
// Evaluate reads any io.Reader in constant memory (pass an S3 GetObject
// body as it streams; Parquet, which needs random access, is spooled to a
// temporary file); EvaluateFile reads a local file. Both parse CSV and
// JSON Lines on every core the runtime allows (Options.Workers caps it).
// Counts are exact, and so are weighted sums while every weight is written
// as a decimal of at most nine decimals and nine integer digits (they are
// added as 128-bit integers of 10^-9 units): a report is then the same to
// the last bit whatever the number of workers. A weight in any other
// notation (1e-3) switches to float sums, whose last bits depend on the
// order in which the workers met the rows.
//
// Report.Judge recomputes one metric under the AI system register's
// minimum-group-size rule for the promotion gate; Rates.Metric reads a
// performance metric by name.
package fairness

import (
	"context"
	"fmt"
	"io"

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
	return evaluate(path, spec, func(columns []string, topt tabular.Options,
		newHandler func() tabular.Handler) error {
		_, err := tabular.ScanFile(ctx, path, columns, topt, newHandler)
		return err
	}, opt)
}

// EvaluateWith is Evaluate with options.
func EvaluateWith(ctx context.Context, r io.Reader, source string, spec Spec,
	opt Options) (*Report, error) {
	return evaluate(source, spec, func(columns []string, topt tabular.Options,
		newHandler func() tabular.Handler) error {
		_, err := tabular.Scan(ctx, r, source, columns, topt, newHandler)
		return err
	}, opt)
}

// scanFunc reads the projected columns into one handler per worker.
type scanFunc func(columns []string, opt tabular.Options, newHandler func() tabular.Handler) error

// evaluate checks the spec, scans the input with one worker per handler,
// merges the workers and builds the report.
func evaluate(source string, spec Spec, scan scanFunc, opt Options) (*Report, error) {
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
	if err := scan(p.columns, topt, newHandler); err != nil {
		return nil, fmt.Errorf("read evaluation data: %w", err)
	}
	t, err := mergeWorkers(p, source, workers)
	if err != nil {
		return nil, err
	}
	return buildReport(p, source, t), nil
}
