package drift

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aimsaudit/aimsaudit/shared/tabular"
)

// sniffRows is how many leading rows of each input are looked at to type
// the columns before the full read.
const sniffRows = 10000

var errSniffDone = errors.New("enough rows sniffed")

// sniffKinds types the columns from the first rows of both inputs: a column
// declared categorical, or holding a value that is not a number there, is
// read as categories from the start. The others are read as numbers, and a
// non-number further down costs a second pass over those columns only.
func sniffKinds(ctx context.Context, refSrc, curSrc Source, cols []string,
	opt ReadOptions) ([]Kind, error) {
	kinds := make([]Kind, len(cols))
	for i, c := range cols {
		kinds[i] = Numerical
		if slices.Contains(opt.Categorical, c) {
			kinds[i] = Categorical
		}
	}
	for _, src := range []Source{refSrc, curSrc} {
		if err := sniffSource(ctx, src, cols, kinds, opt.Numerical); err != nil {
			return nil, err
		}
	}
	return kinds, nil
}

// sniffSource marks as categorical the columns with text in the first rows
// of one input; a column declared numerical fails on text instead.
func sniffSource(ctx context.Context, src Source, cols []string, kinds []Kind,
	numerical []string) error {
	r, err := src.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	rows := 0
	h := tabular.HandlerFunc(func(row *tabular.Row) error {
		for i := range cols {
			if kinds[i] != Numerical {
				continue
			}
			if _, class := classify(row, i); class == valueText {
				if slices.Contains(numerical, cols[i]) {
					return row.Errorf(i, "%q is not a number in a column declared numerical",
						row.Bytes(i))
				}
				kinds[i] = Categorical
			}
		}
		if rows++; rows >= sniffRows {
			return errSniffDone
		}
		return nil
	})
	_, err = tabular.Scan(ctx, r, src.Name, cols, tabular.Options{Workers: 1},
		func() tabular.Handler { return h })
	if err != nil && !errors.Is(err, errSniffDone) {
		return fmt.Errorf("read %s: %w", src.Name, err)
	}
	return nil
}
