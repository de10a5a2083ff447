package estate

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
)

// The facet the register's evaluation names, and the columns read.
const (
	facetColumn = "sex"
	facetValue  = "F"
	predColumn  = "y_pred"
)

// Claims says what a version's Clarify report claims about its data.
type Claims int

// Kinds of report: none, one that states the data's metrics as they are,
// and one that shrinks the disparity twentyfold, as a report that flatters
// the model would.
const (
	NoClaims Claims = iota
	HonestClaims
	FlatteringClaims
)

// flattery is how many times a flattering report shrinks the disparity.
const flattery = 20

// BiasReportKey is the object key of a version's Clarify post-training bias
// report, in the evaluation bucket.
func BiasReportKey(version int) string {
	return fmt.Sprintf("%s/v%d-analysis.json", Group, version)
}

// biasReport writes what a Clarify post-training bias job would have claimed
// about the evaluation data: DPPL and DI of the facet sex=F against the
// other applicants, in Clarify's analysis JSON layout. The gate recomputes
// these claims and compares.
func biasReport(data []byte, claims Claims) ([]byte, error) {
	rates, err := facetRates(data)
	if err != nil {
		return nil, err
	}
	dppl := rates.others - rates.facet
	di := rates.facet / rates.others
	if claims == FlatteringClaims {
		dppl, di = dppl/flattery, 1-(1-di)/flattery
	}
	report := map[string]any{
		"version": "1.0",
		"post_training_bias_metrics": map[string]any{
			"label":                    "y_true",
			"label_value_or_threshold": "1",
			"facets": map[string]any{facetColumn: []any{map[string]any{
				"value_or_threshold": facetValue,
				"metrics": []any{
					metric("DPPL", "Difference in positive proportions in predicted labels (DPPL)", dppl),
					metric("DI", "Disparate Impact (DI)", di),
				},
			}}},
		},
	}
	return json.MarshalIndent(report, "", "  ")
}

func metric(name, description string, value float64) map[string]any {
	return map[string]any{"name": name, "description": description, "value": value}
}

type selection struct{ facet, others float64 }

// facetRates reads the approval rate of the facet and of everyone else.
func facetRates(data []byte) (selection, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) < 2 {
		return selection{}, fmt.Errorf("read evaluation data for the bias report: %v", err)
	}
	sexCol, predCol := slices.Index(recs[0], facetColumn), slices.Index(recs[0], predColumn)
	var n, approved [2]float64 // 0: facet, 1: others
	for _, rec := range recs[1:] {
		g := 1
		if rec[sexCol] == facetValue {
			g = 0
		}
		n[g]++
		if rec[predCol] == "1" {
			approved[g]++
		}
	}
	if n[0] == 0 || n[1] == 0 || approved[1] == 0 {
		return selection{}, fmt.Errorf("evaluation data lacks the facet or its complement")
	}
	return selection{facet: approved[0] / n[0], others: approved[1] / n[1]}, nil
}
