package tabular

import (
	"unicode/utf8"
	"unsafe"
)

// fastObject decodes the common JSON Lines record, a flat object whose
// strings need no unescaping, without encoding/json: it fills the projected
// fields and reports true. On anything else (escapes, nested values,
// invalid syntax, a projected key absent) it reports false, having decided
// nothing, and record decodes the line with encoding/json, which then also
// names what is wrong.
func (p *jsonlParser) fastObject(rec []byte) bool {
	p.gen++
	i := skipSpace(rec, 0)
	if i >= len(rec) || rec[i] != '{' {
		return false
	}
	i = skipSpace(rec, i+1)
	if i < len(rec) && rec[i] == '}' {
		return p.allSeen() && skipSpace(rec, i+1) == len(rec)
	}
	for i < len(rec) {
		key, next, ok := plainString(rec, i)
		if !ok {
			return false
		}
		i = skipSpace(rec, next)
		if i >= len(rec) || rec[i] != ':' {
			return false
		}
		var val []byte
		if val, i, ok = plainValue(rec, skipSpace(rec, i+1)); !ok {
			return false
		}
		if j, found := p.index[unsafe.String(unsafe.SliceData(key), len(key))]; found {
			p.row.fields[j], p.seen[j] = val, p.gen
		}
		i = skipSpace(rec, i)
		if i < len(rec) && rec[i] == ',' {
			i = skipSpace(rec, i+1)
			continue
		}
		if i < len(rec) && rec[i] == '}' {
			return p.allSeen() && skipSpace(rec, i+1) == len(rec)
		}
		return false
	}
	return false
}

func (p *jsonlParser) allSeen() bool {
	for _, g := range p.seen {
		if g != p.gen {
			return false
		}
	}
	return true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// plainString reads a string at b[i] that has no escapes or control
// characters and is valid UTF-8; it returns the contents and the index
// after the closing quote.
func plainString(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	ascii := true
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := b[i+1 : j]
			return s, j + 1, ascii || utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, 0, false
		case c >= 0x80:
			ascii = false
		}
	}
	return nil, 0, false
}

// plainValue reads a scalar at b[i] the way jsonlParser reports it: a
// string's contents, nil for null, a number's or boolean's spelling.
func plainValue(b []byte, i int) ([]byte, int, bool) {
	if i >= len(b) {
		return nil, 0, false
	}
	switch b[i] {
	case '"':
		return plainString(b, i)
	case 'n':
		return literal(b, i, "null", nil)
	case 't':
		return literal(b, i, "true", b[i:min(i+4, len(b))])
	case 'f':
		return literal(b, i, "false", b[i:min(i+5, len(b))])
	}
	end := numberEnd(b, i)
	if end < 0 {
		return nil, 0, false
	}
	return b[i:end], end, true
}

func literal(b []byte, i int, word string, val []byte) ([]byte, int, bool) {
	if len(b)-i < len(word) || string(b[i:i+len(word)]) != word {
		return nil, 0, false
	}
	return val, i + len(word), true
}

// numberEnd returns the end of the JSON number at b[i] (RFC 8259 grammar:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), or -1.
func numberEnd(b []byte, i int) int {
	digits := func(j int) int {
		k := j
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		return k
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		if j := digits(i + 1); j > i+1 {
			i = j
		} else {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}
