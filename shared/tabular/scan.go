package tabular

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Handler receives the rows of one worker. Scan calls each handler from a
// single goroutine, so a handler needs no locking; the caller merges the
// handlers after Scan returns. Returning an error stops the scan.
type Handler interface {
	Row(row *Row) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(row *Row) error

// Row calls f(row).
func (f HandlerFunc) Row(row *Row) error { return f(row) }

// Format is the encoding of an input.
type Format int

// Formats. FormatAuto sniffs the content, then looks at the source's
// extension. Gzip compression is recognised by its magic bytes whatever the
// format inside.
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
	// Parquet is read by one.
	Workers int
	// Progress, when set, is called with the number of input bytes
	// (compressed bytes for gzip) read since the previous call, by
	// whichever worker is reading, one at a time: it needs no lock of its
	// own but must not block.
	Progress func(n int64)
}

// Stats describes a finished scan.
type Stats struct {
	Rows       int64
	Format     Format
	Compressed bool
	Workers    int
	// Empty is true when the input held no bytes at all, so there was no
	// header to check the columns against; newHandler was not called.
	Empty bool
}

// Scan streams r, decodes its records and calls the handlers with each
// record projected onto columns (in that order). It reads in blocks of a
// megabyte, so memory stays constant whatever the input size; CSV and JSON
// Lines blocks are parsed by Options.Workers goroutines, each with its own
// handler from newHandler, which Scan calls before reading any row. Parquet
// needs random access: a reader that is not an *os.File is first copied to
// a temporary file.
//
// Source names the input in errors and, with FormatAuto, its extension
// (.csv, .jsonl, .ndjson, .parquet, each optionally .gz) settles what the
// content does not. Errors caused by the input are badinput errors naming
// the source, the line and the column: a missing column, a ragged row, a
// bad quote, a line that is not a JSON object.
func Scan(ctx context.Context, r io.Reader, source string, columns []string,
	opt Options, newHandler func() Handler) (Stats, error) {
	if opt.Progress != nil {
		r = &countingReader{r: r, report: opt.Progress}
	}
	in, err := sniff(r, source, opt.Format)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Format: in.format, Compressed: in.gzip, Workers: 1}
	if in.empty {
		st.Empty = true
		return st, nil
	}
	if in.format == FormatParquet {
		st.Rows, err = scanParquet(ctx, in, source, columns, newHandler(), opt.Progress)
		return st, err
	}
	st.Workers = workers(opt.Workers)
	st.Rows, err = scanText(ctx, in, source, columns, st.Workers, newHandler)
	return st, err
}

// ScanFile scans a local file; see Scan.
func ScanFile(ctx context.Context, path string, columns []string, opt Options,
	newHandler func() Handler) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, badinput.Errorf(path, 0, "", "open: %w", unwrapPath(err))
	}
	defer f.Close()
	return Scan(ctx, f, path, columns, opt, newHandler)
}

// unwrapPath drops the path an *fs.PathError repeats, since the bad-input
// error names the file already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func workers(n int) int {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return max(n, 1)
}

// scanText reads a CSV or JSON Lines input through the block pipeline.
func scanText(ctx context.Context, in *input, source string, columns []string,
	n int, newHandler func() Handler) (int64, error) {
	p := &pipeline{r: in.r, line: 1}
	var proto blockParser
	if in.format == FormatJSONL {
		proto, p.cut = newJSONLParser(source, columns), lineCut
	} else {
		header, line, lines, rest, err := readHeader(in.r, source)
		if err != nil {
			return 0, err
		}
		csvp, err := newCSVParser(source, line, header, columns)
		if err != nil {
			return 0, err
		}
		proto, p.cut, p.pending, p.line = csvp, csvCut, rest, line+lines
	}
	parsers := []blockParser{proto}
	for len(parsers) < n {
		parsers = append(parsers, proto.clone())
	}
	handlers := make([]Handler, n)
	for i := range handlers {
		handlers[i] = newHandler()
	}
	return p.run(ctx, parsers, handlers)
}

// readHeader reads up to the end of the first CSV record and returns the
// header, the line it starts on (empty lines before it are skipped, as
// encoding/csv does), how many lines it spans and whatever was read past
// it.
func readHeader(r io.Reader, source string) ([]string, int, int, []byte, error) {
	buf := make([]byte, 0, 64<<10)
	line := 1
	for {
		for len(buf) > 0 && (buf[0] == '\n' || bytes.HasPrefix(buf, []byte("\r\n"))) {
			buf = buf[bytes.IndexByte(buf, '\n')+1:]
			line++
		}
		if end := firstRecordEnd(buf); end >= 0 {
			header, err := parseHeader(source, line, buf[:end])
			return header, line, bytes.Count(buf[:end], []byte{'\n'}), buf[end:], err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, max(cap(buf), 64<<10))...)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			header, err := parseHeader(source, line, buf)
			return header, line, 0, nil, err
		}
		if err != nil {
			return nil, 0, 0, nil, fmt.Errorf("read header: %w", err)
		}
	}
}

// countingReader reports how many bytes pass through it.
type countingReader struct {
	r      io.Reader
	report func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.report(int64(n))
	}
	return n, err
}
