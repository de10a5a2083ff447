package tabular

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// jsonlParser decodes JSON Lines: one flat object per line. A projected key
// must be present on every line; null is a missing value; strings are
// unquoted and numbers and booleans keep their JSON spelling.
type jsonlParser struct {
	source  string
	columns []string
	index   map[string]int // projected index of each column
	row     Row
	obj     map[string]json.RawMessage
	seen    []uint64 // per column, the record generation that set it
	gen     uint64
}

func newJSONLParser(source string, columns []string) *jsonlParser {
	pad := &struct {
		_ [cacheLine]byte
		jsonlParser
		_ [cacheLine]byte
	}{}
	p := &pad.jsonlParser
	*p = jsonlParser{source: source, columns: columns, obj: map[string]json.RawMessage{},
		index: map[string]int{},
		seen:  make([]uint64, len(columns)+2*cacheLine/8)[cacheLine/8:][:len(columns)],
		row:   Row{source: source, columns: columns, fields: newFields(len(columns))}}
	for j := len(columns) - 1; j >= 0; j-- {
		p.index[columns[j]] = j
	}
	return p
}

func (p *jsonlParser) clone() blockParser { return newJSONLParser(p.source, p.columns) }

// lineCut ends a JSON Lines block after its last newline; JSON strings
// cannot hold a raw newline, so every newline ends a record.
func lineCut(data []byte) int {
	k := bytes.LastIndexByte(data, '\n')
	if k < 0 {
		return -1
	}
	return k + 1
}

func (p *jsonlParser) parse(data []byte, line int, h Handler) (int64, error) {
	var rows int64
	for ; len(data) > 0; line++ {
		k := bytes.IndexByte(data, '\n')
		rec := data
		if k >= 0 {
			rec, data = data[:k], data[k+1:]
		} else {
			data = nil
		}
		if line == 1 {
			rec = bytes.TrimPrefix(rec, []byte("\xef\xbb\xbf"))
		}
		rec = bytes.TrimSpace(rec)
		if len(rec) == 0 {
			continue
		}
		if err := p.record(rec, line); err != nil {
			return rows, err
		}
		if err := h.Row(&p.row); err != nil {
			return rows, err
		}
		rows++
	}
	return rows, nil
}

func (p *jsonlParser) record(rec []byte, line int) error {
	p.row.line = line
	if p.fastObject(rec) {
		return nil
	}
	clear(p.obj)
	if err := json.Unmarshal(rec, &p.obj); err != nil {
		return badinput.Errorf(p.source, line, "", "not a JSON object: %w", err)
	}
	p.row.line = line
	for j, c := range p.columns {
		raw, ok := p.obj[c]
		if !ok {
			return badinput.Errorf(p.source, line, c, "missing column")
		}
		v, err := scalar(raw)
		if err != nil {
			return badinput.Errorf(p.source, line, c, "%w", err)
		}
		p.row.fields[j] = v
	}
	return nil
}

// scalar turns a JSON value into the bytes a CSV field would hold.
func scalar(raw json.RawMessage) ([]byte, error) {
	switch raw[0] {
	case 'n':
		return nil, nil
	case '"':
		if bytes.IndexByte(raw, '\\') < 0 {
			return raw[1 : len(raw)-1], nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []byte(s), nil
	case '{', '[':
		return nil, errNotScalar
	}
	return raw, nil
}

var errNotScalar = errors.New("an object or array where a value is expected")
