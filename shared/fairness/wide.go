package fairness

import "math/bits"

// wide is a 128-bit two's complement integer: weights counted in 10^-9
// units add up exactly, so a weighted report is the same whatever the
// number of workers and the order in which they met the rows.
type wide struct {
	hi int64
	lo uint64
}

func (a *wide) add(x int64) {
	lo, carry := bits.Add64(a.lo, uint64(x), 0)
	a.lo = lo
	a.hi += int64(carry) + x>>63
}

func (a *wide) merge(b wide) {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	a.lo = lo
	a.hi += b.hi + int64(carry)
}

// float converts to a float64 the same way every time.
func (a wide) float() float64 {
	return float64(a.hi)*0x1p64 + float64(a.lo)
}
