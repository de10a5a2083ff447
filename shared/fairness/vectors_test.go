package fairness

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

type fairlearnVector struct {
	name      string
	yTrue     []int
	yPred     []int
	sensitive []string
	values    [][]string // per sensitive column, per row
	weights   []float64
	overall   [6]float64
	groups    []vectorGroup
	metrics   map[string]float64 // fairlearn's function[method=…,agg=…] keys
}

// vectorGroup holds one group's count, weight and rates in the order
// selection, TPR, FPR, TNR, FNR, accuracy.
type vectorGroup struct {
	values []string
	n      int64
	weight float64
	rates  [6]float64
}

const tolerance = 1e-9

// csv renders the vector's inputs as an evaluation file.
func (v fairlearnVector) csv() string {
	var b strings.Builder
	b.WriteString("y_true,y_pred," + strings.Join(v.sensitive, ","))
	if v.weights != nil {
		b.WriteString(",w")
	}
	b.WriteString("\n")
	for i := range v.yTrue {
		fmt.Fprintf(&b, "%d,%d", v.yTrue[i], v.yPred[i])
		for _, col := range v.values {
			b.WriteString("," + col[i])
		}
		if v.weights != nil {
			b.WriteString("," + strconv.FormatFloat(v.weights[i], 'g', -1, 64))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (v fairlearnVector) spec(method, agg string) Spec {
	s := Spec{Label: "y_true", Prediction: "y_pred", Positive: "1", Method: method, Agg: agg,
		Sets: [][]string{v.sensitive}}
	if v.weights != nil {
		s.Weight = "w"
	}
	return s
}

func TestFairlearnVectors(t *testing.T) {
	for _, v := range fairlearnVectors {
		for _, method := range []string{BetweenGroups, ToOverall} {
			for _, agg := range []string{WorstCase, Mean} {
				t.Run(v.name+"/"+method+"/"+agg, func(t *testing.T) {
					r, err := Evaluate(context.Background(), strings.NewReader(v.csv()),
						v.name+".csv", v.spec(method, agg))
					if err != nil {
						t.Fatal(err)
					}
					checkVectorRates(t, "overall", r.Overall, v.overall)
					checkVectorGroups(t, v, r.Sets[0])
					checkVectorMetrics(t, v, r.Sets[0].Metrics, method, agg)
				})
			}
		}
	}
}

func checkVectorGroups(t *testing.T, v fairlearnVector, s Set) {
	t.Helper()
	if len(s.Groups) != len(v.groups) {
		t.Fatalf("got %d groups, want %d", len(s.Groups), len(v.groups))
	}
	for i, want := range v.groups {
		got := s.Groups[i]
		name := strings.Join(want.values, ",")
		if strings.Join(got.Values(), ",") != name {
			t.Errorf("group %d: got %v, want %v", i, got.Values(), want.values)
		}
		if got.Count != want.n || math.Abs(got.Weight-want.weight) > tolerance {
			t.Errorf("group %s: got count %d weight %g, want %d %g",
				name, got.Count, got.Weight, want.n, want.weight)
		}
		checkVectorRates(t, name, got.Rates, want.rates)
	}
}

func checkVectorRates(t *testing.T, name string, got Rates, want [6]float64) {
	t.Helper()
	vals := []*float64{got.SelectionRate, got.TruePositiveRate, got.FalsePositiveRate,
		got.TrueNegativeRate, got.FalseNegativeRate, got.Accuracy}
	names := []string{"selection", "TPR", "FPR", "TNR", "FNR", "accuracy"}
	for i, g := range vals {
		checkValue(t, name+" "+names[i], g, want[i])
	}
}

func checkVectorMetrics(t *testing.T, v fairlearnVector, m Metrics, method, agg string) {
	t.Helper()
	for _, f := range metricFields(&m) {
		key := fmt.Sprintf("%s[method=%s]", f.name, method)
		if strings.HasPrefix(f.name, "equalized_odds") {
			key = fmt.Sprintf("%s[method=%s,agg=%s]", f.name, method, agg)
		}
		want, ok := v.metrics[key]
		if !ok {
			t.Fatalf("vector has no %s", key)
		}
		checkValue(t, key, *f.value, want)
	}
}

// checkValue compares to 1e-9; a NaN expectation wants nil (ours: 0/0 is
// undefined, never NaN).
func checkValue(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	switch {
	case math.IsNaN(want) && got != nil:
		t.Errorf("%s: got %g, want null", name, *got)
	case math.IsNaN(want):
	case got == nil:
		t.Errorf("%s: got null, want %g", name, want)
	case math.Abs(*got-want) > tolerance:
		t.Errorf("%s: got %.17g, want %.17g", name, *got, want)
	}
}
