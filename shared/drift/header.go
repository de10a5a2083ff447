package drift

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// FileColumns lists a file's columns in order: a CSV header, the keys of
// the first JSON Lines object, or a Parquet schema's top-level fields. It
// lets the command line test every column when none are named.
func FileColumns(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, badinput.Errorf(path, 0, "", "open: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	magic, _ := br.Peek(4)
	switch {
	case bytes.Equal(magic, []byte("PAR1")):
		return parquetColumns(f, path)
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, badinput.Errorf(path, 0, "", "gzip: %w", err)
		}
		return textColumns(bufio.NewReader(zr), path)
	}
	return textColumns(br, path)
}

// textColumns reads the first line of a CSV or JSON Lines input, after a
// UTF-8 byte order mark if there is one (shared/tabular skips it too).
func textColumns(br *bufio.Reader, path string) ([]string, error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(1)
	if err != nil {
		return nil, badinput.Errorf(path, 1, "", "no header: %w", err)
	}
	if first[0] == '{' {
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, badinput.Errorf(path, 1, "", "read: %w", err)
		}
		return jsonKeys(line, path)
	}
	header, err := csv.NewReader(br).Read()
	if err != nil {
		return nil, badinput.Errorf(path, 1, "", "header: %w", err)
	}
	return header, nil
}

// jsonKeys returns an object's keys in the order written.
func jsonKeys(line []byte, path string) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, badinput.Errorf(path, 1, "", "first line is not a JSON object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, badinput.Errorf(path, 1, "", "json: %w", err)
		}
		keys = append(keys, fmt.Sprint(tok))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, badinput.Errorf(path, 1, "", "json: %w", err)
		}
	}
	return keys, nil
}

func parquetColumns(f *os.File, path string) ([]string, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, badinput.Errorf(path, 0, "", "open parquet: %w", err)
	}
	var cols []string
	for _, field := range pf.Schema().Fields() {
		cols = append(cols, field.Name())
	}
	return cols, nil
}
