package fairness

// Cells of a binary confusion matrix, indexed label*2 + prediction where 1 is
// the positive class.
const (
	cellTN = 0
	cellFP = 1
	cellFN = 2
	cellTP = 3
)

// confusion holds the row count and the weighted sum of each cell for one
// group; weights multiply every count inside the group, as in fairlearn.
// While every weight is a short decimal (tabular.Row.Fixed) the sums are
// kept exactly in fx, and moved into w only once all rows are counted.
type confusion struct {
	n  int64
	w  [4]float64
	fx [4]wide
}

// amount is one row's weight: exact units or a float.
type amount struct {
	weight float64
	units  int64
	exact  bool
}

func (c *confusion) add(cell int, a amount) {
	c.n++
	if a.exact {
		c.fx[cell].add(a.units)
	} else {
		c.w[cell] += a.weight
	}
}

func (c *confusion) merge(o *confusion) {
	c.n += o.n
	for i := range c.w {
		c.w[i] += o.w[i]
		c.fx[i].merge(o.fx[i])
	}
}

// settle moves the exact sums into the float ones.
func (c *confusion) settle() {
	for i := range c.fx {
		c.w[i] += c.fx[i].float() / 1e9
		c.fx[i] = wide{}
	}
}

func (c *confusion) tp() float64 { return c.w[cellTP] }
func (c *confusion) fp() float64 { return c.w[cellFP] }
func (c *confusion) tn() float64 { return c.w[cellTN] }
func (c *confusion) fn() float64 { return c.w[cellFN] }

func (c *confusion) weight() float64 { return c.tp() + c.fp() + c.tn() + c.fn() }

// rates turns the sums into the per-group rates; a rate over an empty (zero
// weight) denominator is nil.
func (c *confusion) rates() Rates {
	tp, fp, tn, fn := c.tp(), c.fp(), c.tn(), c.fn()
	w := c.weight()
	return Rates{
		Count:             c.n,
		Weight:            w,
		SelectionRate:     ratio(tp+fp, w),
		TruePositiveRate:  ratio(tp, tp+fn),
		FalsePositiveRate: ratio(fp, fp+tn),
		TrueNegativeRate:  ratio(tn, tn+fp),
		FalseNegativeRate: ratio(fn, tp+fn),
		Precision:         ratio(tp, tp+fp),
		Accuracy:          ratio(tp+tn, w),
	}
}

// ratio is num/den, or nil when den is zero: an undefined value is reported
// as such instead of fairlearn's silent 0.
func ratio(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	v := num / den
	return &v
}
