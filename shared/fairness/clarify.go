package fairness

// buildClarify computes Clarify's post-training bias metrics for facet d
// against the rest a, with METRICS.md's formulas and sign conventions. Where
// Clarify would give infinity or 0 for a division by zero, the value is nil.
func buildClarify(f *Facet, d, a *confusion) *Clarify {
	predPos := func(c *confusion) float64 { return c.tp() + c.fp() }
	predNeg := func(c *confusion) float64 { return c.tn() + c.fn() }
	obsPos := func(c *confusion) float64 { return c.tp() + c.fn() }
	obsNeg := func(c *confusion) float64 { return c.tn() + c.fp() }
	pa, pd := ratio(predPos(a), a.weight()), ratio(predPos(d), d.weight())
	return &Clarify{
		Facet: map[string]string{f.Column: f.Value},
		DPPL:  sub(pa, pd),
		DI:    div(pd, pa),
		DCA:   sub(ratio(obsPos(a), predPos(a)), ratio(obsPos(d), predPos(d))),
		DCR:   sub(ratio(obsNeg(d), predNeg(d)), ratio(obsNeg(a), predNeg(a))),
		RD:    sub(ratio(a.tp(), obsPos(a)), ratio(d.tp(), obsPos(d))),
		SD:    sub(ratio(d.tn(), obsNeg(d)), ratio(a.tn(), obsNeg(a))),
		DAR:   sub(ratio(a.tp(), predPos(a)), ratio(d.tp(), predPos(d))),
		DRR:   sub(ratio(d.tn(), predNeg(d)), ratio(a.tn(), predNeg(a))),
		AD:    sub(ratio(a.tp()+a.tn(), a.weight()), ratio(d.tp()+d.tn(), d.weight())),
		TE:    sub(ratio(d.fn(), d.fp()), ratio(a.fn(), a.fp())),
	}
}

// sub is x − y, nil when either is undefined.
func sub(x, y *float64) *float64 {
	if x == nil || y == nil {
		return nil
	}
	v := *x - *y
	return &v
}

// div is x / y, nil when either is undefined or y is zero.
func div(x, y *float64) *float64 {
	if x == nil || y == nil {
		return nil
	}
	return ratio(*x, *y)
}
