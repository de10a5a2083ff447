package tabular

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// input is a decoded view of a source: its format, whether it was gzipped,
// and the reader positioned at its first byte.
type input struct {
	r      io.Reader
	file   *os.File // the source itself when it is a plain local file
	format Format
	gzip   bool
	empty  bool
}

// bufferedSize is how much of the input sniffing may buffer.
const bufferedSize = 64 << 10

var (
	magicGzip    = []byte{0x1f, 0x8b}
	magicParquet = []byte("PAR1")
)

// sniff decides the format: gzip and Parquet by their magic bytes, JSON
// Lines when the first non-blank byte opens an object and the extension
// does not say CSV, otherwise the extension, otherwise CSV.
func sniff(r io.Reader, source string, want Format) (*input, error) {
	file, _ := unwrapFile(r)
	br := bufio.NewReaderSize(r, bufferedSize)
	in := &input{r: br, file: file}
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, badinput.Errorf(source, 0, "", "read: %w", err)
	}
	if len(head) == 0 {
		in.empty = true
		return in, nil
	}
	name := strings.ToLower(source)
	if bytes.HasPrefix(head, magicGzip) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, badinput.Errorf(source, 0, "", "gzip: %w", err)
		}
		inner, err := sniff(corruptAsBadInput{gz, source}, strings.TrimSuffix(name, ".gz"), want)
		if err != nil {
			return nil, err
		}
		inner.gzip, inner.file = true, nil
		return inner, nil
	}
	in.format = want
	if want == FormatAuto {
		in.format = guess(br, head, name)
	}
	if in.format != FormatParquet {
		in.file = nil
	}
	return in, nil
}

func guess(br *bufio.Reader, head []byte, name string) Format {
	switch {
	case bytes.Equal(head, magicParquet):
		return FormatParquet
	case strings.HasSuffix(name, ".parquet"):
		return FormatParquet
	case strings.HasSuffix(name, ".jsonl"), strings.HasSuffix(name, ".ndjson"):
		return FormatJSONL
	case strings.HasSuffix(name, ".csv"):
		return FormatCSV
	}
	peek, _ := br.Peek(bufferedSize)
	peek = bytes.TrimLeft(bytes.TrimPrefix(peek, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(peek) > 0 && peek[0] == '{' {
		return FormatJSONL
	}
	return FormatCSV
}

// unwrapFile finds the *os.File under a reader, through the counting
// wrapper, so Parquet can read it at random without a copy.
func unwrapFile(r io.Reader) (*os.File, bool) {
	if c, ok := r.(*countingReader); ok {
		r = c.r
	}
	f, ok := r.(*os.File)
	return f, ok
}

// corruptAsBadInput reports a gzip stream that breaks off or fails its
// checksum as bad input naming the file: the data is damaged, and reading it
// again will not mend it.
type corruptAsBadInput struct {
	r      io.Reader
	source string
}

func (c corruptAsBadInput) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = badinput.Errorf(c.source, 0, "", "gzip: %w", err)
	}
	return n, err
}
