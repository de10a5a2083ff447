// Package bench measures the fairness engine on generated evaluation data;
// run.sh times the command end to end against awk.
package bench

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/aimsaudit/aimsaudit/bench/fairness/synth"
	"github.com/aimsaudit/aimsaudit/shared/fairness"
)

// benchSpec is the benchmark's three sensitive sets, one intersectional.
var benchSpec = fairness.Spec{Label: "y_true", Prediction: "y_pred", Positive: "1",
	Weight: "weight", Sets: [][]string{{"sex"}, {"age_band"}, {"sex", "region"}}}

// BenchmarkEvaluate evaluates an in-memory file of 500k generated rows with
// one worker and with every core, reporting throughput in bytes.
func BenchmarkEvaluate(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.Write(&buf, 500_000, 42); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		name := fmt.Sprintf("workers=%d", workers)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, err := fairness.EvaluateWith(context.Background(), bytes.NewReader(data),
					"bench.csv", benchSpec, fairness.Options{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				if r.Rows != 500_000 {
					b.Fatalf("got %d rows, want 500000", r.Rows)
				}
			}
		})
	}
}
