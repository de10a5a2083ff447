package fairness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

func evaluateString(t *testing.T, csv string, spec Spec) *Report {
	t.Helper()
	r, err := Evaluate(context.Background(), strings.NewReader(csv), "eval.csv", spec)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return r
}

func basicSpec(sets ...[]string) Spec {
	return Spec{Label: "y", Prediction: "p", Positive: "1", Sets: sets}
}

func warningCodes(ws []Warning) map[string]int {
	m := map[string]int{}
	for _, w := range ws {
		m[w.Code]++
	}
	return m
}

// A group with no positive labels has an undefined TPR: null, left out of
// the aggregates, and warned about (fairlearn would report 0).
func TestUndefinedRateIsNullAndSkipped(t *testing.T) {
	csv := "y,p,g\n1,1,A\n1,0,A\n0,0,A\n0,1,A\n0,0,B\n0,1,B\n1,1,C\n0,0,C\n"
	r := evaluateString(t, csv, basicSpec([]string{"g"}))
	s := r.Sets[0]
	b := s.Groups[1]
	if b.Group["g"] != "B" || b.TruePositiveRate != nil || b.FalseNegativeRate != nil {
		t.Fatalf("group B: got %+v, want TPR and FNR null", b)
	}
	// TPR of A is 0.5, of C is 1: the difference ignores B.
	checkValue(t, "equal_opportunity_difference", s.Metrics.EqualOpportunityDifference, 0.5)
	checkValue(t, "equal_opportunity_ratio", s.Metrics.EqualOpportunityRatio, 0.5)
	var found bool
	for _, w := range s.Warnings {
		if w.Code == WarnUndefinedRate && w.Group["g"] == "B" && w.Metric != nil &&
			*w.Metric == "true_positive_rate" {
			found = true
		}
	}
	if !found {
		t.Errorf("got warnings %+v, want undefined-rate for B true_positive_rate", s.Warnings)
	}
}

func TestSingleGroupWarns(t *testing.T) {
	r := evaluateString(t, "y,p,g\n1,1,A\n0,1,A\n1,0,A\n", basicSpec([]string{"g"}))
	s := r.Sets[0]
	if warningCodes(s.Warnings)[WarnSingleGroup] != 1 {
		t.Errorf("got warnings %+v, want one single-group", s.Warnings)
	}
	checkValue(t, "dp difference", s.Metrics.DemographicParityDifference, 0)
	checkValue(t, "dp ratio", s.Metrics.DemographicParityRatio, 1)
}

// Intersectional groups list only combinations that occur; the others are
// named in warnings.
func TestIntersectionalListsOccurringCombinations(t *testing.T) {
	csv := "y,p,sex,age\n1,1,F,old\n0,1,F,young\n1,0,M,old\n0,0,F,old\n"
	r := evaluateString(t, csv, basicSpec([]string{"sex", "age"}))
	s := r.Sets[0]
	var got []string
	for _, g := range s.Groups {
		got = append(got, g.Group["sex"]+"/"+g.Group["age"])
	}
	if strings.Join(got, " ") != "F/old F/young M/old" {
		t.Errorf("got groups %v, want F/old F/young M/old", got)
	}
	var empty []string
	for _, w := range s.Warnings {
		if w.Code == WarnEmptyCombination {
			empty = append(empty, w.Group["sex"]+"/"+w.Group["age"])
		}
	}
	if strings.Join(empty, " ") != "M/young" {
		t.Errorf("got empty combinations %v, want M/young", empty)
	}
}

func TestEmptyInputsAreReported(t *testing.T) {
	for name, csv := range map[string]string{"no bytes": "", "header only": "y,p,g\n"} {
		t.Run(name, func(t *testing.T) {
			r := evaluateString(t, csv, basicSpec([]string{"g"}))
			if r.Rows != 0 || r.Overall.Accuracy != nil || len(r.Sets[0].Groups) != 0 {
				t.Errorf("got rows %d accuracy %v groups %d, want 0, null, 0",
					r.Rows, r.Overall.Accuracy, len(r.Sets[0].Groups))
			}
			if warningCodes(r.Warnings)[WarnNoRows] != 1 {
				t.Errorf("got warnings %+v, want no-rows", r.Warnings)
			}
			if r.Sets[0].Metrics.DemographicParityDifference != nil {
				t.Errorf("got a difference on no data, want null")
			}
		})
	}
}

func TestBadInputNamesFileLineColumn(t *testing.T) {
	weighted := basicSpec([]string{"g"})
	weighted.Weight = "w"
	tests := []struct {
		name string
		csv  string
		spec Spec
		want string
	}{
		{"third label value", "y,p,g\n1,0,A\n0,1,B\n2,1,A\n", basicSpec([]string{"g"}),
			`eval.csv:4: y: "2" is neither the positive class "1" nor the other value "0"`},
		{"third prediction value", "y,p,g\n1,0,A\nno,1,B\n", basicSpec([]string{"g"}),
			`eval.csv:3: y: "no" is neither`},
		{"prediction outside", "y,p,g\n1,0,A\n0,yes,B\n", basicSpec([]string{"g"}),
			`eval.csv:3: p: "yes" is neither`},
		{"missing label", "y,p,g\n1,0,A\n,1,B\n", basicSpec([]string{"g"}),
			`eval.csv:3: y: missing value`},
		{"missing sensitive value", "y,p,g\n1,0,A\n0,1,\n", basicSpec([]string{"g"}),
			`eval.csv:3: g: missing sensitive value`},
		{"non-numeric weight", "y,p,g,w\n1,0,A,1\n0,1,B,heavy\n", weighted,
			`eval.csv:3: w: "heavy" is not a finite number`},
		{"ragged row", "y,p,g\n1,0,A\n0,1\n", basicSpec([]string{"g"}),
			`eval.csv:3: g: row has 2 fields, the header has 3`},
		{"missing column", "y,p,h\n1,0,A\n", basicSpec([]string{"g"}),
			`eval.csv:1: g: column not in the header`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Evaluate(context.Background(), strings.NewReader(tt.csv), "eval.csv", tt.spec)
			if err == nil || !badinput.Is(err) {
				t.Fatalf("got %v, want a bad-input error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestSpecIsChecked(t *testing.T) {
	bad := []Spec{
		{Prediction: "p", Positive: "1", Sets: [][]string{{"g"}}},
		{Label: "y", Prediction: "p", Sets: [][]string{{"g"}}},
		{Label: "y", Prediction: "p", Positive: "1"},
		{Label: "y", Prediction: "p", Positive: "1", Sets: [][]string{{"g"}}, Method: "max"},
		{Label: "y", Prediction: "p", Positive: "1", Sets: [][]string{{"g"}}, Agg: "median"},
		{Label: "y", Prediction: "p", Positive: "1", Sets: [][]string{{"g", "g"}}},
		{Label: "y", Prediction: "p", Positive: "1", Sets: [][]string{{"g"}}, Facet: &Facet{}},
	}
	for i, s := range bad {
		_, err := Evaluate(context.Background(), strings.NewReader("y,p,g\n"), "x.csv", s)
		if !badinput.Is(err) {
			t.Errorf("spec %d: got %v, want a bad-input error", i, err)
		}
	}
}

// Numerically equal spellings of a class are one class.
func TestNumericClassSpellings(t *testing.T) {
	r := evaluateString(t, "y,p,g\n1.0,1,A\n0,0.0,A\n1,0,B\n", basicSpec([]string{"g"}))
	checkValue(t, "accuracy", r.Overall.Accuracy, 2.0/3)
}

func TestReportJSONShape(t *testing.T) {
	spec := basicSpec([]string{"g"}, []string{"g", "h"})
	spec.Facet = &Facet{Column: "g", Value: "A"}
	r := evaluateString(t, "y,p,g,h\n1,1,A,x\n0,0,A,y\n0,1,B,x\n0,0,B,y\n", spec)
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	keys := []string{"rows", "positive", "method", "agg", "overall", "sets", "clarify"}
	for _, key := range keys {
		if _, ok := doc[key]; !ok {
			t.Errorf("report JSON lacks %q", key)
		}
	}
	set := doc["sets"].([]any)[0].(map[string]any)
	group := set["groups"].([]any)[1].(map[string]any)
	// Group B has no positive labels: its TPR must be JSON null.
	if v, ok := group["true_positive_rate"]; !ok || v != nil {
		t.Errorf("got true_positive_rate %v (present %v), want null", v, ok)
	}
	if group["group"].(map[string]any)["g"] != "B" {
		t.Errorf("got group %v, want g=B", group["group"])
	}
	metrics := set["metrics"].(map[string]any)
	if len(metrics) != 6 {
		t.Errorf("got %d metrics, want 6", len(metrics))
	}
	if _, ok := set["warnings"].([]any); !ok {
		t.Errorf("warnings is %T, want a list", set["warnings"])
	}
	noFacet := evaluateString(t, "y,p,g\n1,1,A\n", basicSpec([]string{"g"}))
	raw, _ = json.Marshal(noFacet)
	if strings.Contains(string(raw), "clarify") {
		t.Errorf("got clarify without a facet: %s", raw)
	}
}

func TestWeightsMultiplyCounts(t *testing.T) {
	spec := basicSpec([]string{"g"})
	spec.Weight = "w"
	r := evaluateString(t, "y,p,g,w\n1,1,A,3\n1,0,A,1\n0,1,B,0.5\n0,0,B,1.5\n", spec)
	a := r.Sets[0].Groups[0]
	checkValue(t, "A TPR", a.TruePositiveRate, 0.75)
	if a.Count != 2 || a.Weight != 4 {
		t.Errorf("got count %d weight %g, want 2 and 4", a.Count, a.Weight)
	}
	checkValue(t, "B selection", r.Sets[0].Groups[1].SelectionRate, 0.25)
}

func TestCancelledContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Evaluate(ctx, strings.NewReader("y,p,g\n1,1,A\n"), "x.csv", basicSpec([]string{"g"}))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// Wide intersectional sets outgrow the dense group table (2^16 slots) and
// continue through the packed-key index without losing a group.
func TestWideIntersectionalSet(t *testing.T) {
	var b strings.Builder
	b.WriteString("y,p,a,c\n")
	for i := range 40_000 {
		fmt.Fprintf(&b, "%d,1,a%d,c%d\n", i%2, i%400, i/400)
	}
	r := evaluateString(t, b.String(), basicSpec([]string{"a", "c"}, []string{"c"}))
	if got := len(r.Sets[0].Groups); got != 40_000 {
		t.Fatalf("got %d groups, want 40000", got)
	}
	for _, g := range r.Sets[0].Groups {
		if g.Count != 1 {
			t.Fatalf("group %v: got count %d, want 1", g.Group, g.Count)
		}
	}
	if got := r.Sets[1].Groups[0]; got.Count != 400 || got.Group["c"] != "c0" {
		t.Errorf("got first c group %v count %d, want c0 with 400", got.Group, got.Count)
	}
}

// Numeric group values sort as numbers, mixed ones as strings, whatever
// order the rows come in.
func TestGroupOrder(t *testing.T) {
	tests := []struct{ csv, want string }{
		{"y,p,g\n1,1,10\n1,1,9\n0,1,1.5\n", "1.5 9 10"},
		{"y,p,g\n1,1,10\n1,1,9\n0,1,1a\n", "10 1a 9"},
	}
	for _, tt := range tests {
		r := evaluateString(t, tt.csv, basicSpec([]string{"g"}))
		var got []string
		for _, g := range r.Sets[0].Groups {
			got = append(got, g.Group["g"])
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("got %v, want %s", got, tt.want)
		}
	}
}

func TestNegativeWeightIsBadInput(t *testing.T) {
	for _, w := range []string{"-1", "-0.5", "-1e-3"} {
		data := "y,p,sex,w\n1,1,F,1\n0,0,M," + w + "\n1,0,M,1\n"
		_, err := Evaluate(t.Context(), strings.NewReader(data), "w.csv", Spec{Label: "y",
			Prediction: "p", Positive: "1", Weight: "w", Sets: [][]string{{"sex"}}})
		if !badinput.Is(err) || !strings.Contains(err.Error(), "w.csv:3: w: negative weight") {
			t.Errorf("weight %s: got %v, want bad input naming w.csv:3 and column w", w, err)
		}
	}
}
