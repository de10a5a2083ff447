package tabular

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// special marks the bytes that end an unquoted CSV field or are not allowed
// in one; every other byte is skipped by one table lookup.
var special = [256]bool{',': true, '\n': true, '\r': true, '"': true}

// Words with every byte set to one of the bytes that stop an unquoted
// field, and the masks of the exact zero-byte test.
const (
	ones    = 0x0101010101010101
	low7    = 0x7f7f7f7f7f7f7f7f
	commas  = ',' * ones
	lfs     = '\n' * ones
	crs     = '\r' * ones
	dquotes = '"' * ones
)

// stops marks, with the high bit of each byte, the bytes of x that are a
// comma, LF, CR or quote. The zero test is exact (no borrow between bytes),
// so the lowest mark is the first such byte.
func stops(x uint64) uint64 {
	return zeroBytes(x^commas) | zeroBytes(x^lfs) | zeroBytes(x^crs) | zeroBytes(x^dquotes)
}

func zeroBytes(y uint64) uint64 {
	return ^((y&low7 + low7) | y | low7)
}

// scanField returns the index of the first comma, LF, CR or quote at or
// after i, or len(data). It tests eight bytes at a time, so a short field
// costs one predictable branch instead of one per byte.
func scanField(data []byte, i int) int {
	n := len(data)
	for i+8 <= n {
		if m := stops(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < n && !special[data[i]] {
		i++
	}
	return i
}

// csvParser decodes whole CSV records (RFC 4180: quoted fields, "" escapes,
// CRLF or LF line ends, empty lines skipped) and hands the projected fields
// to a handler. Unquoted fields and quoted fields without escapes are slices
// of the input, so a record costs no allocation.
type csvParser struct {
	source  string
	header  []string
	slot    []int // header position → projected index, or -1
	row     Row
	scratch []byte
}

// paddedCSVParser keeps a worker's parser, written for every record, off
// the cache lines of its neighbours.
type paddedCSVParser struct {
	_ [cacheLine]byte
	csvParser
	_ [cacheLine]byte
}

func newCSVParser(source string, headerLine int, header, columns []string) (*csvParser, error) {
	slot := make([]int, len(header))
	for i := range slot {
		slot[i] = -1
	}
	for j, c := range columns {
		found := false
		for i, h := range header {
			if h == c {
				slot[i], found = j, true
				break
			}
		}
		if !found {
			return nil, badinput.Errorf(source, headerLine, c, "column not in the header")
		}
	}
	pad := &paddedCSVParser{csvParser: csvParser{source: source, header: header, slot: slot}}
	pad.row = Row{source: source, columns: columns, fields: newFields(len(columns))}
	return &pad.csvParser, nil
}

// clone gives another worker its own parser over the same header.
func (p *csvParser) clone() blockParser {
	c := &paddedCSVParser{csvParser: *p}
	c.row.fields = newFields(len(p.row.fields))
	c.scratch = nil
	return &c.csvParser
}

// parse decodes every record of data, whose first byte starts line.
func (p *csvParser) parse(data []byte, line int, h Handler) (int64, error) {
	var rows int64
	i, n := 0, len(data)
	for i < n {
		switch {
		case data[i] == '\n':
			i, line = i+1, line+1
			continue
		case data[i] == '\r' && i+1 < n && data[i+1] == '\n':
			i, line = i+2, line+1
			continue
		case data[i] == '\r' && i+1 == n:
			return rows, nil
		}
		next, nextLine := 0, line+1
		var ok bool
		if next, ok = p.fastRecord(data, i); !ok {
			var err error
			if next, nextLine, err = p.record(data, i, line); err != nil {
				return rows, err
			}
		}
		p.row.line = line
		if err := h.Row(&p.row); err != nil {
			return rows, err
		}
		rows++
		i, line = next, nextLine
	}
	return rows, nil
}

// fastRecord decodes a single-line record that ends with LF or CRLF, the
// common case, testing eight bytes at a time for the bytes that end fields
// and visiting only those. Quoted fields without escapes or line breaks
// are sliced out as they are. On anything else ("" escapes, quoted line
// breaks, a ragged row, a stray quote or CR, the last bytes of the input)
// it returns false, having decided nothing, and record takes over.
func (p *csvParser) fastRecord(data []byte, i int) (int, bool) {
	n, ncols := len(data), len(p.slot)
	col, begin := 0, i
	for w := i; w+8 <= n; {
		next := w + 8
		for m := stops(binary.LittleEndian.Uint64(data[w:])); m != 0; m &= m - 1 {
			e := w + bits.TrailingZeros64(m)>>3
			end, field := e, data[begin:e]
			if data[e] == '"' {
				if end, field = quotedPlain(data, begin, e); end < 0 {
					return 0, false
				}
			}
			if col >= ncols {
				return 0, false
			}
			if s := p.slot[col]; s >= 0 {
				p.row.fields[s] = field
			}
			col++
			switch {
			case data[end] == ',':
				begin = end + 1
				if end != e {
					next = begin // resume after the quoted field
					break
				}
				continue
			case data[end] == '\n':
				return end + 1, col == ncols
			case data[end] == '\r' && end+1 < n && data[end+1] == '\n':
				return end + 2, col == ncols
			default:
				return 0, false
			}
			break
		}
		w = next
	}
	return 0, false
}

// quotedPlain reads the quoted field opening at data[q] (which must be the
// field's first byte, at begin) when it holds no quote, CR or LF, and
// returns the index of the byte after its closing quote and its contents;
// -1 leaves the field to the general parser.
func quotedPlain(data []byte, begin, q int) (int, []byte) {
	if q != begin {
		return -1, nil
	}
	k := bytes.IndexByte(data[q+1:], '"')
	if k < 0 {
		return -1, nil
	}
	content := data[q+1 : q+1+k]
	end := q + 2 + k
	if end >= len(data) || bytes.ContainsAny(content, "\r\n") {
		return -1, nil
	}
	return end, content
}

// record decodes the record starting at data[i] and returns where the next
// one starts and on which line.
func (p *csvParser) record(data []byte, i, line int) (int, int, error) {
	start := line
	p.scratch = p.scratch[:0]
	n := len(data)
	col := 0
	for {
		var field []byte
		var err error
		var c byte // the byte that ended the field, 0 at the end of data
		if i < n && data[i] == '"' {
			field, i, line, err = p.quoted(data, i, line, start, col)
		} else {
			begin := i
			i = scanField(data, i)
			if i < n {
				c = data[i]
			}
			field = data[begin:i]
			if c == '"' || c == '\r' && i+1 < n && data[i+1] != '\n' {
				field, i, err = p.unquoted(data, begin, start, col)
			}
		}
		if err != nil {
			return 0, 0, err
		}
		if col < len(p.slot) {
			if s := p.slot[col]; s >= 0 {
				p.row.fields[s] = field
			}
		}
		col++
		if i >= n {
			break
		}
		if data[i] == ',' {
			i++
			continue
		}
		if data[i] == '\r' {
			i++
		}
		i, line = i+1, line+1
		break
	}
	if col != len(p.slot) {
		return 0, 0, p.ragged(start, col)
	}
	return i, line, nil
}

// unquoted scans an unquoted field that holds a carriage return or a quote,
// the rare cases the loop in record leaves to it.
func (p *csvParser) unquoted(data []byte, i, line, col int) ([]byte, int, error) {
	begin, n := i, len(data)
	for i < n {
		c := data[i]
		if !special[c] {
			i++
			continue
		}
		// A lone CR is data; CRLF, or a CR that ends the input (encoding/csv
		// drops it), ends the record.
		if c == '\r' && i+1 < n && data[i+1] != '\n' {
			i++
			continue
		}
		if c == '"' {
			return nil, 0, p.errorf(line, col, `bare " in an unquoted field`)
		}
		break
	}
	return data[begin:i], i, nil
}

// quoted decodes a quoted field starting at the opening quote data[i]. A
// field with "" escapes or CRLF inside is rebuilt in the row's scratch
// buffer (CRLF read as LF, as encoding/csv does).
func (p *csvParser) quoted(data []byte, i, line, start, col int) ([]byte, int, int, error) {
	n := len(data)
	j := i + 1
	from := -1 // where this field begins in scratch, once copying
	for {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return nil, 0, 0, p.errorf(start, col, `quoted field has no closing "`)
		}
		seg := data[j : j+k]
		line += bytes.Count(seg, []byte{'\n'})
		escaped := j+k+1 < n && data[j+k+1] == '"'
		if from < 0 && (escaped || bytes.IndexByte(seg, '\r') >= 0) {
			from = len(p.scratch)
			p.scratch = appendCRLFasLF(p.scratch, data[i+1:j])
		}
		if from >= 0 {
			p.scratch = appendCRLFasLF(p.scratch, seg)
		}
		if escaped {
			if from >= 0 {
				p.scratch = append(p.scratch, '"')
			}
			j += k + 2
			continue
		}
		end := j + k + 1
		if end < n && data[end] != ',' && data[end] != '\n' &&
			(data[end] != '\r' || (end+1 < n && data[end+1] != '\n')) {
			return nil, 0, 0, p.errorf(start, col, `extraneous " in a quoted field`)
		}
		if from >= 0 {
			return p.scratch[from:], end, line, nil
		}
		return data[i+1 : j+k], end, line, nil
	}
}

func appendCRLFasLF(dst, src []byte) []byte {
	for {
		k := bytes.Index(src, []byte("\r\n"))
		if k < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:k]...)
		src = src[k+1:]
	}
}

func (p *csvParser) ragged(line, got int) error {
	if got < len(p.header) {
		return badinput.Errorf(p.source, line, p.header[got],
			"row has %d fields, the header has %d (ragged row)", got, len(p.header))
	}
	return badinput.Errorf(p.source, line, fmt.Sprintf("column %d", len(p.header)+1),
		"row has %d fields, the header has %d (ragged row)", got, len(p.header))
}

func (p *csvParser) errorf(line, col int, format string, args ...any) error {
	field := fmt.Sprintf("column %d", col+1)
	if col < len(p.header) {
		field = p.header[col]
	}
	return badinput.Errorf(p.source, line, field, format, args...)
}

// parseHeader decodes the header record; a UTF-8 byte order mark is dropped.
func parseHeader(source string, line int, rec []byte) ([]string, error) {
	rec = bytes.TrimPrefix(rec, []byte("\xef\xbb\xbf"))
	header, err := csv.NewReader(bytes.NewReader(rec)).Read()
	if errors.Is(err, io.EOF) {
		return nil, badinput.Errorf(source, line, "header", "empty header")
	}
	if err != nil {
		return nil, badinput.Errorf(source, line, "header", "%w", err)
	}
	return header, nil
}

// csvCut returns the length of the longest prefix of data that ends right
// after a record's newline, or -1. Quotes toggle the quoted state (an
// escaped "" toggles twice), so a newline is a record end exactly when an
// even number of quotes precedes it; data must start outside quotes.
func csvCut(data []byte) int {
	last := bytes.LastIndexByte(data, '\n')
	if last < 0 {
		return -1
	}
	if bytes.IndexByte(data, '"') < 0 {
		return last + 1
	}
	quotes := bytes.Count(data[:last], []byte{'"'})
	for {
		if quotes%2 == 0 {
			return last + 1
		}
		prev := bytes.LastIndexByte(data[:last], '\n')
		if prev < 0 {
			return -1
		}
		quotes -= bytes.Count(data[prev:last], []byte{'"'})
		last = prev
	}
}

// firstRecordEnd returns the length of the first record of data including
// its newline, or -1 when data holds no complete record yet.
func firstRecordEnd(data []byte) int {
	quotes := 0
	from := 0
	for {
		k := bytes.IndexByte(data[from:], '\n')
		if k < 0 {
			return -1
		}
		quotes += bytes.Count(data[from:from+k], []byte{'"'})
		if quotes%2 == 0 {
			return from + k + 1
		}
		from += k + 1
	}
}
