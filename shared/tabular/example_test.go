package tabular_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/tabular"
)

// sumByRegion is a handler: one per worker, merged after the scan.
type sumByRegion struct {
	regions tabular.Interner
	sums    []float64
}

func (s *sumByRegion) Row(row *tabular.Row) error {
	income, err := row.Float(1)
	if err != nil {
		return err // names the source, line and column
	}
	id := int(s.regions.ID(row.Bytes(0)))
	if id == len(s.sums) {
		s.sums = append(s.sums, 0)
	}
	s.sums[id] += income
	return nil
}

// Sum a numeric column per category over every core, merging the
// per-worker handlers at the end.
func ExampleScan() {
	data := "region,income,age\nnorth,100,30\nsouth,50,41\nnorth,25,52\n"
	var workers []*sumByRegion
	_, err := tabular.Scan(context.Background(), strings.NewReader(data), "people.csv",
		[]string{"region", "income"}, tabular.Options{}, func() tabular.Handler {
			w := &sumByRegion{}
			workers = append(workers, w)
			return w
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	total := map[string]float64{}
	for _, w := range workers {
		for id, sum := range w.sums {
			total[w.regions.Value(uint32(id))] += sum
		}
	}
	fmt.Println(total["north"], total["south"])
	// Output: 125 50
}

// Errors caused by the input name the source, line and column.
func ExampleScan_badInput() {
	data := "region,income\nnorth,100\nsouth\n"
	_, err := tabular.Scan(context.Background(), strings.NewReader(data), "people.csv",
		[]string{"income"}, tabular.Options{}, func() tabular.Handler {
			return tabular.HandlerFunc(func(*tabular.Row) error { return nil })
		})
	fmt.Println(err)
	// Output: people.csv:3: income: row has 1 fields, the header has 2 (ragged row)
}

func ExampleInterner() {
	var in tabular.Interner
	for _, v := range []string{"F", "M", "F", "a long category value"} {
		fmt.Print(in.ID([]byte(v)), " ")
	}
	fmt.Println(in.Len(), in.Value(1))
	// Output: 0 1 0 2 3 M
}
