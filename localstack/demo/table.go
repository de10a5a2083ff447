package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/aimsaudit/aimsaudit/localstack/estate"
)

// row is what the demo learned about one package version.
type row struct {
	Version       int
	Before, After string
	Failing       []string // check[qualifier] of each failing or indeterminate finding
	Actions       []string // types of the actions the gate reports
	Result        []byte   // the gate's answer as it came
}

// result is the part of the gate's answer the table shows.
type result struct {
	Findings []struct {
		Check     string `json:"check"`
		Qualifier string `json:"qualifier"`
		Status    string `json:"status"`
	} `json:"findings"`
	Actions []struct {
		Type string `json:"type"`
	} `json:"actions"`
}

// readResult lists the findings that block a promotion, in the gate's
// order, and the actions it took.
func readResult(raw []byte) (failing, actions []string, err error) {
	var res result
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, nil, fmt.Errorf("decode the gate's result %.200s: %w", raw, err)
	}
	if res.Findings == nil {
		return nil, nil, fmt.Errorf("the gate's result has no findings: %.200s", raw)
	}
	for _, f := range res.Findings {
		if f.Status != "fail" && f.Status != "indeterminate" {
			continue
		}
		name := f.Check
		if f.Qualifier != "" {
			name += "[" + f.Qualifier + "]"
		}
		if f.Status == "indeterminate" {
			name += " (indeterminate)"
		}
		failing = append(failing, name)
	}
	for _, a := range res.Actions {
		actions = append(actions, a.Type)
	}
	return failing, actions, nil
}

// printTable writes one line per package, and one more per further failing
// check, then the alerts the GRC queue received.
func printTable(w io.Writer, rows []row, alerts map[string]int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\npackage\tapproval\tblocking findings")
	for _, r := range rows {
		failing := r.Failing
		if len(failing) == 0 {
			failing = []string{"-"}
		}
		name := fmt.Sprintf("%s/%d", estate.Group, r.Version)
		fmt.Fprintf(tw, "%s\t%s → %s\t%s\n", name, r.Before, r.After, failing[0])
		for _, f := range failing[1:] {
			fmt.Fprintf(tw, "\t\t%s\n", f)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nalerts on %s: %s\n", estate.AlertQueue, alertSummary(alerts))
}

func alertSummary(alerts map[string]int) string {
	var types []string
	for k := range alerts {
		types = append(types, k)
	}
	sort.Strings(types)
	total := 0
	var parts []string
	for _, k := range types {
		total += alerts[k]
		parts = append(parts, fmt.Sprintf("%d %s", alerts[k], k))
	}
	if total == 0 {
		return "none"
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

// expectOutcome fails the demo when a package ended other than the estate
// says it should, so `make demo` doubles as an end-to-end check.
func expectOutcome(rows []row) error {
	want := map[int]string{}
	for _, v := range estate.Versions() {
		want[v.Number] = v.Outcome
	}
	var wrong []string
	for _, r := range rows {
		if r.After != want[r.Version] {
			wrong = append(wrong, fmt.Sprintf("%s/%d ended %s, want %s", estate.Group, r.Version,
				r.After, want[r.Version]))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("unexpected outcome: %s", strings.Join(wrong, "; "))
	}
	return nil
}
