// Package drift benchmarks the drift engine on large files. The files are
// generated (see run.sh); the benchmark skips when they are absent.
package drift

import (
	"os"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/drift"
)

// benchFiles are the reference and current files, from DRIFT_BENCH_REF and
// DRIFT_BENCH_CUR.
func benchFiles(b *testing.B) (string, string) {
	ref, cur := os.Getenv("DRIFT_BENCH_REF"), os.Getenv("DRIFT_BENCH_CUR")
	for _, p := range []string{ref, cur} {
		if _, err := os.Stat(p); p == "" || err != nil {
			b.Skip("set DRIFT_BENCH_REF and DRIFT_BENCH_CUR to generated files (see run.sh)")
		}
	}
	return ref, cur
}

// BenchmarkCompareFilesIncomeRegion is the acceptance case: drift of income
// (Wasserstein, a sort of both columns) and region (Jensen–Shannon).
func BenchmarkCompareFilesIncomeRegion(b *testing.B) {
	ref, cur := benchFiles(b)
	for b.Loop() {
		rep, err := drift.CompareFiles(b.Context(), ref, cur,
			drift.ReadOptions{Columns: []string{"income", "region"}}, drift.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Columns) != 2 || rep.Columns[0].Test != drift.TestWasserstein {
			b.Fatalf("got %+v, want wasserstein on income", rep.Columns)
		}
	}
}
