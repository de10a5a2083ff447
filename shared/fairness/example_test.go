package fairness_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/fairness"
)

const exampleCSV = `y_true,y_pred,sex
1,1,F
0,1,F
1,0,F
1,1,M
0,0,M
1,1,M
0,0,M
`

func ExampleEvaluate() {
	spec := fairness.Spec{Label: "y_true", Prediction: "y_pred", Positive: "1",
		Sets: [][]string{{"sex"}}}
	r, err := fairness.Evaluate(context.Background(), strings.NewReader(exampleCSV),
		"s3://eval/credit.csv", spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range r.Sets[0].Groups {
		fmt.Printf("%s: %d rows, selection rate %.3f\n", g.Group["sex"], g.Count, *g.SelectionRate)
	}
	fmt.Printf("demographic parity difference %.3f\n",
		*r.Sets[0].Metrics.DemographicParityDifference)
	// Output:
	// F: 3 rows, selection rate 0.667
	// M: 4 rows, selection rate 0.500
	// demographic parity difference 0.167
}

// The promotion gate judges a bound with the register's minimum group size:
// a break among the groups judged fails; otherwise a group left out makes
// the bound indeterminate.
func ExampleReport_Judge() {
	spec := fairness.Spec{Label: "y_true", Prediction: "y_pred", Positive: "1",
		Sets: [][]string{{"sex"}}}
	r, _ := fairness.Evaluate(context.Background(), strings.NewReader(exampleCSV), "eval.csv", spec)
	j := r.Judge(0, "demographic_parity_difference", "", "", 4)
	bound := 0.10
	switch {
	case j.Value != nil && *j.Value > bound:
		fmt.Println("fail")
	case len(j.LeftOut) > 0 || j.Value == nil:
		fmt.Println("indeterminate:", j.LeftOut[0].Group["sex"], j.LeftOut[0].Reason)
	default:
		fmt.Println("pass")
	}
	// Output: indeterminate: F too-small
}
