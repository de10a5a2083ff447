package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/fairness"
)

// fairnessFlags are the command-line spellings of a fairness.Spec.
type fairnessFlags struct {
	data, label, prediction, positive, weight string
	method, agg, facet, format                string
	sensitive                                 []string
}

func newFairnessCmd() *cobra.Command {
	var f fairnessFlags
	cmd := &cobra.Command{
		Use:   "fairness",
		Short: "Group fairness and performance metrics of a model's evaluation predictions",
		Long: "Computes fairlearn's demographic parity, equalized odds and equal opportunity\n" +
			"metrics, per-group rates and, with --facet, SageMaker Clarify's post-training\n" +
			"bias metrics, for every --sensitive set in one pass over --data (CSV, gzip,\n" +
			"JSON Lines or Parquet).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFairness(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "",
		"evaluation file (CSV with header, gzip, JSON Lines, Parquet)")
	fl.StringVar(&f.label, "label", "", "column of observed labels")
	fl.StringVar(&f.prediction, "prediction", "", "column of predicted labels")
	fl.StringArrayVar(&f.sensitive, "sensitive", nil,
		"sensitive set: COL or COL,COL for intersectional groups (repeatable)")
	fl.StringVar(&f.positive, "positive", "", "the positive class value")
	fl.StringVar(&f.weight, "weight", "", "optional column of sample weights")
	fl.StringVar(&f.method, "method", fairness.BetweenGroups, "between_groups or to_overall")
	fl.StringVar(&f.agg, "agg", fairness.WorstCase, "worst_case or mean (equalized odds)")
	fl.StringVar(&f.facet, "facet", "", "COL=VALUE: Clarify facet d, compared with the rest")
	fl.StringVar(&f.format, "format", "json", "json or table")
	return cmd
}

func runFairness(cmd *cobra.Command, f fairnessFlags) error {
	spec, err := f.spec()
	if err != nil {
		return err
	}
	if f.format != "json" && f.format != "table" {
		return badinput.Errorf("", 0, "--format", "%q is neither json nor table", f.format)
	}
	progress := startProgress(cmd.ErrOrStderr(), f.data)
	report, err := fairness.EvaluateFileWith(cmd.Context(), f.data, spec,
		fairness.Options{Progress: progress.add})
	progress.stop()
	if err != nil {
		return err
	}
	if f.format == "table" {
		return writeFairnessTable(cmd.OutOrStdout(), report)
	}
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	return enc.Encode(report)
}

func (f fairnessFlags) spec() (fairness.Spec, error) {
	if f.data == "" {
		return fairness.Spec{}, badinput.Errorf("", 0, "--data", "required")
	}
	spec := fairness.Spec{Label: f.label, Prediction: f.prediction, Positive: f.positive,
		Weight: f.weight, Method: f.method, Agg: f.agg}
	for _, s := range f.sensitive {
		set := strings.Split(s, ",")
		for i := range set {
			set[i] = strings.TrimSpace(set[i])
		}
		spec.Sets = append(spec.Sets, set)
	}
	if f.facet != "" {
		col, val, ok := strings.Cut(f.facet, "=")
		if !ok || col == "" || val == "" {
			return spec, badinput.Errorf("", 0, "--facet", "%q is not COL=VALUE", f.facet)
		}
		spec.Facet = &fairness.Facet{Column: col, Value: val}
	}
	return spec, nil
}

func formatRate(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.4f", *v)
}
