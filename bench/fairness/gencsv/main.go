// Command gencsv writes a synthetic evaluation CSV (see package synth) to
// standard output, for the fairness benchmark (write it outside the
// repository; run.sh uses the system's temporary directory):
//
//	go run ./bench/fairness/gencsv -rows 10000000 -seed 42 > "$BENCH_DIR/eval-10m.csv"
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/aimsaudit/aimsaudit/bench/fairness/synth"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "number of data rows")
	seed := flag.Uint64("seed", 42, "random seed")
	flag.Parse()
	if err := synth.Write(os.Stdout, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(1)
	}
}
