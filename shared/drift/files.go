package drift

import (
	"context"
	"fmt"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// CompareFiles reads a reference and a current file and judges every
// column. A test that cannot apply to a column (KS on categories) is bad
// input naming the column.
func CompareFiles(ctx context.Context, refPath, curPath string, ropt ReadOptions,
	opt Options) (Report, error) {
	pair, err := ReadPair(ctx, refPath, curPath, ropt)
	if err != nil {
		return Report{}, err
	}
	return ComparePair(pair, opt)
}

// ComparePair judges every column of a pair read by ReadPair.
func ComparePair(pair *Pair, opt Options) (Report, error) {
	results := make([]Result, 0, len(pair.Columns))
	for i, col := range pair.Columns {
		if _, err := chooseTest(pair.Reference[i], pair.Current[i], opt); err != nil {
			return Report{}, badinput.Errorf("", 0, col, "%w", err)
		}
		r, err := Compare(col, pair.Reference[i], pair.Current[i], opt)
		if err != nil {
			return Report{}, fmt.Errorf("drift of %s: %w", col, err)
		}
		results = append(results, r)
	}
	return Summarize(results), nil
}
