package drift

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/tabular"
)

// ReadOptions say which columns to read and how to type them.
type ReadOptions struct {
	// Columns to test, in order. ReadPair takes empty to mean every column
	// of the reference file; ReadSources needs them named.
	Columns []string
	// Categorical columns are counted by value even when every value is a
	// number.
	Categorical []string
	// Numerical columns must hold numbers: anything else (other than a
	// missing value) is bad input naming the file, line and column.
	Numerical []string
	// Workers caps the parsing goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, receives the input bytes read as they are.
	Progress func(n int64)
}

// Pair is both datasets' samples, one per column, in Columns' order.
type Pair struct {
	Columns   []string
	Reference []Sample
	Current   []Sample
}

// Source is one input that can be opened more than once: a column's type
// may be settled only after a first pass over both inputs. Name appears in
// errors and, through its extension, helps tell the format.
type Source struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// FileSource is a local file as a Source.
func FileSource(path string) Source {
	return Source{Name: path, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, badinput.Errorf(path, 0, "", "open: %w", err)
		}
		return f, nil
	}}
}

// ReadPair reads the reference and the current file (CSV, gzip, JSON Lines
// or Parquet, as shared/tabular reads them); see ReadSources.
func ReadPair(ctx context.Context, refPath, curPath string, opt ReadOptions) (*Pair, error) {
	cols := opt.Columns
	if len(cols) == 0 {
		var err error
		if cols, err = FileColumns(refPath); err != nil {
			return nil, err
		}
	}
	opt.Columns = cols
	return ReadSources(ctx, FileSource(refPath), FileSource(curPath), opt)
}

// ReadSources reads the reference and the current input. Columns must be
// given. A column not declared categorical is numerical when every
// non-missing value in both inputs is a number; otherwise its values are
// read again as categories. Missing values (pandas' default tokens) and
// infinite values are dropped.
func ReadSources(ctx context.Context, refSrc, curSrc Source, opt ReadOptions) (*Pair, error) {
	cols := opt.Columns
	if len(cols) == 0 {
		return nil, badinput.Errorf("", 0, "columns", "no columns to test")
	}
	if err := checkColumnFlags(cols, opt); err != nil {
		return nil, err
	}
	kinds, err := sniffKinds(ctx, refSrc, curSrc, cols, opt)
	if err != nil {
		return nil, err
	}
	ref, err := readSource(ctx, refSrc, cols, kinds, opt)
	if err != nil {
		return nil, err
	}
	cur, err := readSource(ctx, curSrc, cols, kinds, opt)
	if err != nil {
		return nil, err
	}
	if err := rereadAsCategories(ctx, refSrc, curSrc, cols, ref, cur, opt); err != nil {
		return nil, err
	}
	return &Pair{Columns: cols, Reference: ref.samples(), Current: cur.samples()}, nil
}

func checkColumnFlags(cols []string, opt ReadOptions) error {
	for _, c := range opt.Numerical {
		if slices.Contains(opt.Categorical, c) {
			return badinput.Errorf("", 0, c, "declared both numerical and categorical")
		}
	}
	for _, c := range slices.Concat(opt.Categorical, opt.Numerical) {
		if !slices.Contains(cols, c) {
			return badinput.Errorf("", 0, c, "typed column is not among the columns tested")
		}
	}
	return nil
}

// rereadAsCategories reads again, as categories, the columns that turned
// out not to be numerical in either file.
func rereadAsCategories(ctx context.Context, refSrc, curSrc Source, cols []string,
	ref, cur *fileColumns, opt ReadOptions) error {
	var again []int
	for i := range cols {
		if ref.cols[i].kind == Numerical && (ref.cols[i].nonNumeric || cur.cols[i].nonNumeric) {
			again = append(again, i)
		}
	}
	if len(again) == 0 {
		return nil
	}
	sub := make([]string, len(again))
	kinds := make([]Kind, len(again))
	for k, i := range again {
		sub[k], kinds[k] = cols[i], Categorical
	}
	for _, f := range []struct {
		src  Source
		into *fileColumns
	}{{refSrc, ref}, {curSrc, cur}} {
		got, err := readSource(ctx, f.src, sub, kinds, opt)
		if err != nil {
			return err
		}
		for k, i := range again {
			f.into.cols[i] = got.cols[k]
		}
	}
	return nil
}

// fileColumns is what one file gave for each column.
type fileColumns struct {
	cols []columnData
}

type columnData struct {
	kind       Kind
	nonNumeric bool
	values     []float64
	counts     map[string]int64
}

func (f *fileColumns) samples() []Sample {
	out := make([]Sample, len(f.cols))
	for i, c := range f.cols {
		if c.kind == Categorical || c.nonNumeric {
			out[i] = CategoricalCounts(c.counts)
		} else {
			out[i] = Sample{Kind: Numerical, Values: c.values}
		}
	}
	return out
}

// readSource scans one input with a worker per parsing goroutine, then
// merges and sorts the numerical columns.
func readSource(ctx context.Context, src Source, cols []string, kinds []Kind,
	opt ReadOptions) (*fileColumns, error) {
	r, err := src.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var workers []*columnWorker
	newHandler := func() tabular.Handler {
		w := newColumnWorker(kinds, cols, opt.Numerical)
		workers = append(workers, w)
		return w
	}
	topt := tabular.Options{Workers: opt.Workers, Progress: opt.Progress}
	if _, err := tabular.Scan(ctx, r, src.Name, cols, topt, newHandler); err != nil {
		return nil, fmt.Errorf("read %s: %w", src.Name, err)
	}
	out := &fileColumns{cols: make([]columnData, len(cols))}
	for i := range cols {
		out.cols[i] = mergeColumn(workers, i, kinds[i])
	}
	return out, nil
}

// mergeColumn joins the workers' pieces of column i. Numerical values are
// copied into one slice and sorted; the workers' blocks are released first
// so that peak memory stays near one copy of the column.
func mergeColumn(workers []*columnWorker, i int, kind Kind) columnData {
	cd := columnData{kind: kind}
	if kind == Categorical {
		cd.counts = map[string]int64{}
		for _, w := range workers {
			c := &w.cols[i]
			for id, n := range c.counts {
				cd.counts[c.intern.Value(uint32(id))] += n
			}
		}
		return cd
	}
	n := 0
	for _, w := range workers {
		cd.nonNumeric = cd.nonNumeric || w.cols[i].nonNumeric
		for _, b := range w.cols[i].blocks {
			n += len(b)
		}
	}
	if cd.nonNumeric {
		return cd
	}
	cd.values = make([]float64, 0, n)
	for _, w := range workers {
		for k, b := range w.cols[i].blocks {
			cd.values = append(cd.values, b...)
			w.cols[i].blocks[k] = nil
		}
	}
	runtime.GC() // the blocks' memory is reused by the sort and the next file
	SortFloat64s(cd.values)
	runtime.GC()
	return cd
}

// blockLen is the size of the blocks a worker appends numbers to, so that a
// column grows without the copies (and doubled memory) of one large slice.
const blockLen = 1 << 16

// columnWorker collects the values of one parsing goroutine.
type columnWorker struct {
	cols []workerColumn
}

type workerColumn struct {
	kind       Kind
	mustNumber bool
	nonNumeric bool
	blocks     [][]float64
	intern     tabular.Interner
	counts     []int64
}

func newColumnWorker(kinds []Kind, names, numerical []string) *columnWorker {
	w := &columnWorker{cols: make([]workerColumn, len(kinds))}
	for i, k := range kinds {
		w.cols[i] = workerColumn{kind: k, mustNumber: slices.Contains(numerical, names[i])}
	}
	return w
}

// Row implements tabular.Handler.
func (w *columnWorker) Row(row *tabular.Row) error {
	for i := range w.cols {
		c := &w.cols[i]
		switch {
		case c.kind == Categorical:
			c.count(row.Bytes(i))
		case !c.nonNumeric:
			if err := c.number(row, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// count tallies a category; missing tokens are counted too and dropped by
// CategoricalCounts, which saves a lookup per row.
func (c *workerColumn) count(b []byte) {
	id := int(c.intern.ID(b))
	for id >= len(c.counts) {
		c.counts = append(c.counts, 0)
	}
	c.counts[id]++
}

// number keeps a finite number, skips a missing or infinite value, and on
// anything else either fails (a column declared numerical) or marks the
// column as not numerical.
func (c *workerColumn) number(row *tabular.Row, i int) error {
	v, class := classify(row, i)
	switch class {
	case valueNumber:
		c.add(v)
	case valueText:
		if c.mustNumber {
			return row.Errorf(i, "%q is not a number in a column declared numerical",
				row.Bytes(i))
		}
		c.nonNumeric, c.blocks = true, nil
	}
	return nil
}

// valueClass is what a raw value is to a numerical column.
type valueClass int

const (
	valueNumber  valueClass = iota // a finite number
	valueDropped                   // missing, NaN or infinite
	valueText                      // anything else
)

// classify reads column i of a row as a number. Spaces around a number are
// allowed, as pandas allows them; −0 becomes 0.
func classify(row *tabular.Row, i int) (float64, valueClass) {
	b := row.Bytes(i)
	if len(b) == 0 {
		return 0, valueDropped
	}
	if v, err := row.Float(i); err == nil {
		return v + 0, valueNumber
	}
	s := strings.TrimSpace(unsafe.String(unsafe.SliceData(b), len(b)))
	if IsMissing(s) {
		return 0, valueDropped
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return 0, valueText
	case math.IsInf(f, 0) || math.IsNaN(f):
		return 0, valueDropped
	}
	return f + 0, valueNumber
}

func (c *workerColumn) add(v float64) {
	last := len(c.blocks) - 1
	if last < 0 || len(c.blocks[last]) == blockLen {
		c.blocks = append(c.blocks, make([]float64, 0, blockLen))
		last++
	}
	c.blocks[last] = append(c.blocks[last], v)
}
