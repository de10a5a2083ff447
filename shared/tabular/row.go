package tabular

import (
	"math"
	"strconv"
	"unsafe"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// cacheLine is the padding that keeps the memory one worker writes for
// every row off the cache lines another worker reads or writes; without it
// two workers' small buffers sit side by side and the cores fight over
// them.
const cacheLine = 64

// newFields allocates a row's field slots with a cache line of padding on
// either side.
func newFields(n int) [][]byte {
	const pad = cacheLine/24 + 1
	buf := make([][]byte, n+2*pad)
	return buf[pad : pad+n : pad+n]
}

// Row is one record projected onto the columns asked of Scan, in that order.
// A Row and the bytes it returns are valid only during the handler call that
// receives it: copy what you keep (String does).
type Row struct {
	source  string
	line    int
	columns []string
	fields  [][]byte
}

// Line is the 1-based line where the record starts (the header is line 1 of
// a CSV file); for Parquet it is the 1-based row number.
func (r *Row) Line() int { return r.line }

// Source is the file name or URI given to Scan.
func (r *Row) Source() string { return r.source }

// Len is the number of projected columns.
func (r *Row) Len() int { return len(r.fields) }

// Bytes returns column i's raw value without copying. An empty value is
// missing (a CSV empty field, a JSON null, a Parquet null).
func (r *Row) Bytes(i int) []byte { return r.fields[i] }

// String returns a copy of column i's value.
func (r *Row) String(i int) string { return string(r.fields[i]) }

// Missing reports whether column i has no value.
func (r *Row) Missing(i int) bool { return len(r.fields[i]) == 0 }

// Float parses column i as a finite number. A missing or non-numeric value
// is a bad-input error naming the source, line and column.
func (r *Row) Float(i int) (float64, error) {
	b := r.fields[i]
	if v, ok := parseSimpleFloat(b); ok {
		return v, nil
	}
	v, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		if len(b) == 0 {
			return 0, r.Errorf(i, "missing value, want a number")
		}
		return 0, r.Errorf(i, "%q is not a finite number", b)
	}
	return v, nil
}

// Errorf builds a bad-input error naming this row's source, line and column i.
func (r *Row) Errorf(i int, format string, args ...any) error {
	return badinput.Errorf(r.source, r.line, r.columns[i], format, args...)
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decimal is a number written [-+]digits[.digits]: mant / 10^frac.
type decimal struct {
	mant   uint64
	frac   int
	digits int
	neg    bool
}

// parseDecimal reads [-+]digits[.digits] with at most 18 digits, so the
// mantissa fits a uint64; anything else is left to strconv.
func parseDecimal(b []byte) (decimal, bool) {
	var d decimal
	if len(b) == 0 || len(b) > 20 {
		return d, false
	}
	i := 0
	switch b[0] {
	case '-':
		d.neg, i = true, 1
	case '+':
		i = 1
	}
	d.frac = -1
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			d.mant = d.mant*10 + uint64(c-'0')
			d.digits++
			if d.frac >= 0 {
				d.frac++
			}
		case c == '.' && d.frac < 0:
			d.frac = 0
		default:
			return d, false
		}
	}
	d.frac = max(d.frac, 0)
	return d, d.digits > 0 && d.digits <= 18
}

// parseSimpleFloat parses a decimal of at most 15 digits exactly (an exact
// integer divided by an exact power of ten rounds correctly), leaving
// anything else to strconv.
func parseSimpleFloat(b []byte) (float64, bool) {
	d, ok := parseDecimal(b)
	if !ok || d.digits > 15 {
		return 0, false
	}
	v := float64(d.mant)
	if d.frac > 0 {
		v /= pow10[d.frac]
	}
	if d.neg {
		v = -v
	}
	return v, true
}

// FixedScale is the number of decimals Row.Fixed keeps.
const FixedScale = 9

// Fixed returns column i as an exact count of 10^-9 units when it is
// written [-+]digits[.digits] with at most nine decimals and nine integer
// digits, so that sums of such values are exact and independent of the
// order of addition. ok is false for anything else (use Float).
func (r *Row) Fixed(i int) (units int64, ok bool) {
	d, ok := parseDecimal(r.fields[i])
	if !ok || d.frac > FixedScale || d.digits-d.frac > 9 {
		return 0, false
	}
	units = int64(d.mant) * int64(pow10Int[FixedScale-d.frac])
	if d.neg {
		units = -units
	}
	return units, true
}

// pow10Int holds 10^0 … 10^9.
var pow10Int = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}
