package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/aimsaudit/aimsaudit/shared/fairness"
)

// writeFairnessTable prints a report for people: overall rates, then each
// set's groups, metrics and warnings, then the Clarify metrics.
func writeFairnessTable(w io.Writer, r *fairness.Report) error {
	fmt.Fprintf(w, "rows %d, positive %q, method %s, agg %s\n\n",
		r.Rows, r.Positive, r.Method, r.Agg)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	writeRatesHeader(tw, "group")
	writeRatesRow(tw, "overall", r.Overall)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Sets {
		if err := writeSetTable(w, s); err != nil {
			return err
		}
	}
	writeWarnings(w, r.Warnings)
	if r.Clarify != nil {
		return writeClarifyTable(w, r.Clarify)
	}
	return nil
}

func writeSetTable(w io.Writer, s fairness.Set) error {
	fmt.Fprintf(w, "\nsensitive set: %s\n", strings.Join(s.Sensitive, ","))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	writeRatesHeader(tw, "group")
	for _, g := range s.Groups {
		writeRatesRow(tw, groupLabel(s.Sensitive, g.Group), g.Rates)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	m := s.Metrics
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "demographic_parity\tdifference %s\tratio %s\n",
		formatRate(m.DemographicParityDifference), formatRate(m.DemographicParityRatio))
	fmt.Fprintf(tw, "equalized_odds\tdifference %s\tratio %s\n",
		formatRate(m.EqualizedOddsDifference), formatRate(m.EqualizedOddsRatio))
	fmt.Fprintf(tw, "equal_opportunity\tdifference %s\tratio %s\n",
		formatRate(m.EqualOpportunityDifference), formatRate(m.EqualOpportunityRatio))
	if err := tw.Flush(); err != nil {
		return err
	}
	writeWarnings(w, s.Warnings)
	return nil
}

func writeClarifyTable(w io.Writer, c *fairness.Clarify) error {
	fmt.Fprintf(w, "\nclarify facet %s (d) against the rest (a)\n",
		groupLabel(sortedKeys(c.Facet), c.Facet))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range []struct {
		k string
		v *float64
	}{{"DPPL", c.DPPL}, {"DI", c.DI}, {"DCA", c.DCA}, {"DCR", c.DCR}, {"RD", c.RD},
		{"SD", c.SD}, {"DAR", c.DAR}, {"DRR", c.DRR}, {"AD", c.AD}, {"TE", c.TE}} {
		fmt.Fprintf(tw, "%s\t%s\n", kv.k, formatRate(kv.v))
	}
	return tw.Flush()
}

func writeRatesHeader(w io.Writer, first string) {
	fmt.Fprintf(w, "%s\tcount\tweight\tselection\tTPR\tFPR\tTNR\tFNR\tprecision\taccuracy\n", first)
}

func writeRatesRow(w io.Writer, label string, r fairness.Rates) {
	fmt.Fprintf(w, "%s\t%d\t%.10g\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", label, r.Count, r.Weight,
		formatRate(r.SelectionRate), formatRate(r.TruePositiveRate),
		formatRate(r.FalsePositiveRate), formatRate(r.TrueNegativeRate),
		formatRate(r.FalseNegativeRate), formatRate(r.Precision), formatRate(r.Accuracy))
}

func writeWarnings(w io.Writer, ws []fairness.Warning) {
	for _, wn := range ws {
		where := ""
		if wn.Group != nil {
			where = " " + groupLabel(sortedKeys(wn.Group), wn.Group)
		}
		if wn.Metric != nil {
			where += " " + *wn.Metric
		}
		fmt.Fprintf(w, "warning %s%s: %s\n", wn.Code, where, wn.Message)
	}
}

func groupLabel(cols []string, g map[string]string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + "=" + g[c]
	}
	return strings.Join(parts, ",")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
