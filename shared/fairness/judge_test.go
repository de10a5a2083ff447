package fairness

import (
	"strings"
	"testing"
)

// Groups: A (4 rows, TPR 0.5), B (4 rows, no positive label), C (2 rows,
// TPR 1). Selection rates: A 0.5, B 0.5, C 0.5 except as built below.
func judgeReport(t *testing.T) *Report {
	t.Helper()
	csv := "y,p,g\n1,1,A\n1,0,A\n0,0,A\n0,1,A\n" +
		"0,0,B\n0,1,B\n0,0,B\n0,0,B\n" +
		"1,1,C\n0,0,C\n"
	return evaluateString(t, csv, basicSpec([]string{"g"}))
}

func TestJudgeAppliesMinGroupSize(t *testing.T) {
	r := judgeReport(t)
	tests := []struct {
		name    string
		metric  string
		min     int
		want    float64
		leftOut string // group:reason:rate, space separated
	}{
		{"all groups dp", "demographic_parity_difference", 1, 0.5 - 0.25, ""},
		{"small C left out", "demographic_parity_difference", 3, 0.5 - 0.25,
			"C:too-small:selection_rate"},
		{"undefined TPR of B", "equal_opportunity_difference", 1, 0.5,
			"B:rate-undefined:true_positive_rate"},
		{"both reasons", "equalized_odds_difference", 3, 0.5 - 0.25,
			"B:rate-undefined:true_positive_rate C:too-small:true_positive_rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := r.Judge(0, tt.metric, "", "", tt.min)
			if j.Err != nil {
				t.Fatal(j.Err)
			}
			checkValue(t, tt.metric, j.Value, tt.want)
			var got []string
			for _, l := range j.LeftOut {
				got = append(got, l.Group["g"]+":"+l.Reason+":"+l.Rate)
			}
			if strings.Join(got, " ") != tt.leftOut {
				t.Errorf("got left out %v, want %q", got, tt.leftOut)
			}
		})
	}
}

func TestJudgeAllLeftOutIsUndefined(t *testing.T) {
	j := judgeReport(t).Judge(0, "demographic_parity_ratio", BetweenGroups, WorstCase, 100)
	if j.Value != nil || len(j.LeftOut) != 3 || len(j.Judged) != 0 {
		t.Errorf("got value %v, %d left out, %d judged; want nil, 3, 0",
			j.Value, len(j.LeftOut), len(j.Judged))
	}
}

func TestJudgePerformanceAndErrors(t *testing.T) {
	r := judgeReport(t)
	j := r.Judge(0, "accuracy", "", "", 30)
	checkValue(t, "accuracy", j.Value, 7.0/10)
	if v := r.Overall.Metric("precision"); v == nil || *v != 2.0/4 {
		t.Errorf("got precision %v, want 0.5", v)
	}
	for _, bad := range []Judgement{
		r.Judge(0, "nonsense", "", "", 1),
		r.Judge(5, "demographic_parity_difference", "", "", 1),
		r.Judge(0, "demographic_parity_difference", "sideways", "", 1),
	} {
		if bad.Err == nil || bad.Value != nil {
			t.Errorf("got err %v value %v, want an error and no value", bad.Err, bad.Value)
		}
	}
}
