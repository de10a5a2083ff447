package tabular

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Handler receives the rows of one worker. Scan calls it from one goroutine
// per handler, so a handler needs no locking; the caller merges handlers
// after Scan returns.
type Handler interface {
	Row(row *Row) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(row *Row) error

// Row calls f(row).
func (f HandlerFunc) Row(row *Row) error { return f(row) }

// Format is the encoding of an input.
type Format int

// Formats. FormatAuto sniffs the content, then the source's extension.
const (
	FormatAuto Format = iota
	FormatCSV
	FormatJSONL
	FormatParquet
)

func (f Format) String() string {
	switch f {
	case FormatCSV:
		return "csv"
	case FormatJSONL:
		return "jsonl"
	case FormatParquet:
		return "parquet"
	}
	return "auto"
}

// Options tune a scan; the zero value sniffs the format and uses every core.
type Options struct {
	Format Format
	// Workers is the number of parsing goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called from the reading goroutine with the
	// number of input bytes consumed since the previous call.
	Progress func(n int64)
}

// Stats describes a finished scan.
type Stats struct {
	Rows    int64
	Format  Format
	Workers int
	// Empty is true when the input held no bytes at all, so there was no
	// header to check the columns against.
	Empty bool
}

// Scan streams r, decoding records and projecting them onto columns. It
// calls newHandler once per worker before any row is read.
func Scan(ctx context.Context, r io.Reader, source string, columns []string,
	opt Options, newHandler func() Handler) (Stats, error) {
	h := newHandler()
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Stats{Empty: true, Format: FormatCSV, Workers: 1}, nil
	}
	if err != nil {
		return Stats{}, badinput.Errorf(source, 1, "header", "%w", err)
	}
	idx := make([]int, len(columns))
	for i, c := range columns {
		idx[i] = -1
		for j, h := range header {
			if h == c {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 {
			return Stats{}, badinput.Errorf(source, 1, c, "column not in the header")
		}
	}
	row := &Row{source: source, columns: columns, fields: make([][]byte, len(columns))}
	var st Stats
	st.Format, st.Workers = FormatCSV, 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return st, badinput.Errorf(source, 0, "", "%w", err)
		}
		row.line, _ = cr.FieldPos(0)
		for i, j := range idx {
			row.fields[i] = []byte(rec[j])
		}
		st.Rows++
		if err := h.Row(row); err != nil {
			return st, err
		}
	}
}

// ScanFile scans a local file.
func ScanFile(ctx context.Context, path string, columns []string, opt Options,
	newHandler func() Handler) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, badinput.Errorf(path, 0, "", "open: %w", err)
	}
	defer f.Close()
	st, err := Scan(ctx, f, path, columns, opt, newHandler)
	if err != nil {
		return st, fmt.Errorf("scan %s: %w", path, err)
	}
	return st, nil
}
