package tabular

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// parquetBatch is how many values of each column are decoded at a time.
const parquetBatch = 1024

// scanParquet reads the projected leaf columns of every row group and
// assembles them into rows. Values are formatted as a CSV writer would
// (integers in decimal, floats in their shortest form, booleans as
// true/false), so a label is the same whichever format carried it.
func scanParquet(ctx context.Context, in *input, source string, columns []string,
	h Handler, progress func(int64)) (int64, error) {
	ra, size, cleanup, err := randomAccess(in)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	f, err := parquet.OpenFile(ra, size)
	if err != nil {
		return 0, badinput.Errorf(source, 0, "", "open parquet: %w", err)
	}
	leaves, err := parquetLeaves(f, source, columns)
	if err != nil {
		return 0, err
	}
	row := &Row{source: source, columns: columns, fields: newFields(len(columns))}
	var rows int64
	for i, rg := range f.RowGroups() {
		n, err := scanRowGroup(ctx, rg, leaves, row, rows, h)
		rows += n
		if err != nil {
			return rows, err
		}
		// A spooled stream was counted as it was copied; a file read at
		// random is counted by row group.
		if progress != nil && in.file != nil && i < len(f.Metadata().RowGroups) {
			progress(f.Metadata().RowGroups[i].TotalCompressedSize)
		}
	}
	return rows, nil
}

func parquetLeaves(f *parquet.File, source string, columns []string) ([]int, error) {
	leaves := make([]int, len(columns))
	for i, c := range columns {
		leaf, ok := f.Schema().Lookup(c)
		if !ok && isGroup(f.Schema(), c) {
			return nil, badinput.Errorf(source, 0, c,
				"nested or repeated column; want one value per row")
		}
		if !ok {
			return nil, badinput.Errorf(source, 0, c, "column not in the Parquet schema")
		}
		if leaf.MaxRepetitionLevel > 0 {
			return nil, badinput.Errorf(source, 0, c, "repeated column; want one value per row")
		}
		leaves[i] = leaf.ColumnIndex
	}
	return leaves, nil
}

func isGroup(s *parquet.Schema, name string) bool {
	for _, f := range s.Fields() {
		if f.Name() == name {
			return !f.Leaf()
		}
	}
	return false
}

// scanRowGroup decodes one row group a batch at a time: every projected
// column yields one value per row, in row order.
func scanRowGroup(ctx context.Context, rg parquet.RowGroup, leaves []int, row *Row,
	before int64, h Handler) (int64, error) {
	chunks := rg.ColumnChunks()
	cursors := make([]*valueCursor, len(leaves))
	for i, leaf := range leaves {
		cursors[i] = &valueCursor{pages: chunks[leaf].Pages(),
			buf: make([]parquet.Value, parquetBatch)}
		defer cursors[i].pages.Close()
	}
	scratch := make([][]byte, len(leaves))
	var rows int64
	for rows < rg.NumRows() {
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		for i, c := range cursors {
			v, err := c.next()
			if err != nil {
				return rows, fmt.Errorf("read parquet column %s: %w", row.columns[i], err)
			}
			scratch[i] = appendValue(scratch[i][:0], v)
			row.fields[i] = scratch[i]
		}
		rows++
		row.line = int(before + rows)
		if err := h.Row(row); err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// valueCursor walks the values of one column chunk across its pages.
type valueCursor struct {
	pages  parquet.Pages
	values parquet.ValueReader
	buf    []parquet.Value
	n, i   int
}

func (c *valueCursor) next() (parquet.Value, error) {
	for c.i == c.n {
		if err := c.refill(); err != nil {
			return parquet.Value{}, err
		}
	}
	v := c.buf[c.i]
	c.i++
	return v, nil
}

func (c *valueCursor) refill() error {
	if c.values == nil {
		page, err := c.pages.ReadPage()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		c.values = page.Values()
	}
	n, err := c.values.ReadValues(c.buf)
	c.n, c.i = n, 0
	if errors.Is(err, io.EOF) {
		c.values = nil
		return nil
	}
	return err
}

func appendValue(b []byte, v parquet.Value) []byte {
	if v.IsNull() {
		return b
	}
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.AppendBool(b, v.Boolean())
	case parquet.Int32:
		return strconv.AppendInt(b, int64(v.Int32()), 10)
	case parquet.Int64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case parquet.Float:
		return strconv.AppendFloat(b, float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.AppendFloat(b, v.Double(), 'g', -1, 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return append(b, v.ByteArray()...)
	}
	return append(b, v.String()...)
}

// randomAccess gives Parquet the random access its footer needs: the file
// itself when the source is one, else a temporary copy, so that a streamed
// object is never held in memory.
func randomAccess(in *input) (io.ReaderAt, int64, func(), error) {
	if in.file != nil {
		st, err := in.file.Stat()
		if err == nil && st.Mode().IsRegular() {
			return in.file, st.Size(), func() {}, nil
		}
	}
	tmp, err := os.CreateTemp("", "tabular-*.parquet")
	if err != nil {
		return nil, 0, nil, fmt.Errorf("spool parquet: %w", err)
	}
	cleanup := func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	size, err := io.Copy(tmp, in.r)
	if err != nil {
		cleanup()
		return nil, 0, nil, fmt.Errorf("spool parquet: %w", err)
	}
	return tmp, size, cleanup, nil
}
