package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/drift"
)

type driftFlags struct {
	reference, current string
	columns            []string
	categorical        []string
	numerical          []string
	test               string
	ksMode             string
	threshold          float64
	format             string
}

func newDriftCmd() *cobra.Command {
	var f driftFlags
	cmd := &cobra.Command{
		Use:   "drift --reference FILE --current FILE",
		Short: "Data drift of the current data against a reference, as Evidently judges it",
		Long: "Tests each column of the current data against the reference with Evidently's\n" +
			"default test (or the one --test names) and reports which columns drifted and\n" +
			"whether the dataset did (at least half of its columns).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDrift(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.reference, "reference", "", "reference data (CSV, gzip, JSON Lines, Parquet)")
	fl.StringVar(&f.current, "current", "", "current data, same columns")
	fl.StringSliceVar(&f.columns, "columns", nil, "columns to test (default: every column)")
	fl.StringSliceVar(&f.categorical, "categorical", nil, "columns to treat as categories")
	fl.StringSliceVar(&f.numerical, "numerical", nil,
		"columns that must be numbers (anything else is bad input)")
	fl.StringVar(&f.test, "test", drift.TestAuto, strings.Join(drift.Tests, "|"))
	fl.StringVar(&f.ksMode, "ks-mode", string(drift.KSAuto), "auto|exact|asymp")
	fl.Float64Var(&f.threshold, "threshold", 0, "drift threshold (default: the test's own)")
	fl.StringVar(&f.format, "format", "json", "json|table")
	return cmd
}

func runDrift(cmd *cobra.Command, f driftFlags) error {
	opt, err := driftOptions(cmd, f)
	if err != nil {
		return err
	}
	progress := startProgress(cmd.ErrOrStderr(), f.reference, f.current)
	ropt := drift.ReadOptions{Columns: trimmed(f.columns), Categorical: trimmed(f.categorical),
		Numerical: trimmed(f.numerical), Progress: progress.add}
	rep, err := drift.CompareFiles(cmd.Context(), f.reference, f.current, ropt, opt)
	progress.stop()
	if err != nil {
		return err
	}
	if f.format == "table" {
		return writeDriftTable(cmd.OutOrStdout(), rep)
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func driftOptions(cmd *cobra.Command, f driftFlags) (drift.Options, error) {
	var opt drift.Options
	for _, req := range []struct{ name, value string }{
		{"--reference", f.reference}, {"--current", f.current}} {
		if req.value == "" {
			return opt, badinput.Errorf("", 0, req.name, "required")
		}
	}
	if !slices.Contains(drift.Tests, f.test) {
		return opt, badinput.Errorf("", 0, "--test", "%q is not one of %s",
			f.test, strings.Join(drift.Tests, ", "))
	}
	mode := drift.KSMode(f.ksMode)
	if !slices.Contains([]drift.KSMode{drift.KSAuto, drift.KSExact, drift.KSAsymp}, mode) {
		return opt, badinput.Errorf("", 0, "--ks-mode", "%q is not auto, exact or asymp", f.ksMode)
	}
	if f.format != "json" && f.format != "table" {
		return opt, badinput.Errorf("", 0, "--format", "%q is not json or table", f.format)
	}
	opt.Test, opt.KSMode = f.test, mode
	if cmd.Flags().Changed("threshold") {
		th := f.threshold
		// p-values and the distances the tests report all lie in [0, ∞);
		// a threshold outside that never or always drifts.
		if math.IsNaN(th) || math.IsInf(th, 0) || th < 0 {
			return opt, badinput.Errorf("", 0, "--threshold", "%v: want a finite number >= 0", th)
		}
		opt.Threshold = &th
	}
	return opt, nil
}

// trimmed drops the spaces around comma-separated column names.
func trimmed(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func writeDriftTable(w io.Writer, rep drift.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "column\ttype\ttest\tstatistic\tp_value\tthreshold\tdrifted")
	for _, c := range rep.Columns {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%g\t%s\n", c.Column, c.Type, c.Test,
			formatNumber(c.Statistic), formatNumber(c.PValue), c.Threshold, formatBool(c.Drifted))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "drifted columns: %d, share: %s, dataset drift: %s\n",
		rep.DriftedColumns, formatNumber(rep.DriftedShare), formatBool(rep.DatasetDrift))
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s: %s\n", warn.Group, warn.Message)
	}
	return nil
}

func formatNumber(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.6g", *v)
}

func formatBool(v *bool) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}
