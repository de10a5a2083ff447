package fairness

import (
	"strings"
	"testing"
)

// rowsOf repeats "y,p,g" n times for each cell of a hand-built table.
func rowsOf(cells ...struct {
	row string
	n   int
}) string {
	var b strings.Builder
	b.WriteString("y,p,g\n")
	for _, c := range cells {
		b.WriteString(strings.Repeat(c.row+"\n", c.n))
	}
	return b.String()
}

type cell = struct {
	row string
	n   int
}

// Facet d = F has TP 3, FP 1, TN 2, FN 2; the rest a = M has TP 2, FP 3,
// TN 3, FN 0. The expected values are worked by hand from METRICS.md.
func TestClarifyMetrics(t *testing.T) {
	csv := rowsOf(cell{"1,1,F", 3}, cell{"0,1,F", 1}, cell{"0,0,F", 2}, cell{"1,0,F", 2},
		cell{"1,1,M", 2}, cell{"0,1,M", 3}, cell{"0,0,M", 3})
	spec := basicSpec([]string{"g"})
	spec.Facet = &Facet{Column: "g", Value: "F"}
	c := evaluateString(t, csv, spec).Clarify
	if c == nil || c.Facet["g"] != "F" {
		t.Fatalf("got clarify %+v, want facet g=F", c)
	}
	want := map[string]float64{
		"DPPL": 5.0/8 - 4.0/8, "DI": (4.0 / 8) / (5.0 / 8), "DCA": 2.0/5 - 5.0/4,
		"DCR": 3.0/4 - 6.0/3, "RD": 2.0/2 - 3.0/5, "SD": 2.0/3 - 3.0/6,
		"DAR": 2.0/5 - 3.0/4, "DRR": 2.0/4 - 3.0/3, "AD": 0, // both groups are right on 5 of 8 rows
		"TE": 2.0/1 - 0.0/3,
	}
	got := map[string]*float64{"DPPL": c.DPPL, "DI": c.DI, "DCA": c.DCA, "DCR": c.DCR,
		"RD": c.RD, "SD": c.SD, "DAR": c.DAR, "DRR": c.DRR, "AD": c.AD, "TE": c.TE}
	for name, w := range want {
		checkValue(t, name, got[name], w)
	}
}

// A facet with no false positives makes TE divide by zero: null, not
// infinity; a facet value no row has leaves every metric null with a
// warning.
func TestClarifyDivisionByZeroIsNull(t *testing.T) {
	csv := rowsOf(cell{"1,1,F", 2}, cell{"1,0,F", 1}, cell{"0,1,M", 2}, cell{"0,0,M", 1},
		cell{"1,0,M", 1})
	spec := basicSpec([]string{"g"})
	spec.Facet = &Facet{Column: "g", Value: "F"}
	c := evaluateString(t, csv, spec).Clarify
	if c.TE != nil || c.SD != nil {
		t.Errorf("got TE %v SD %v, want null (F has no negatives)", c.TE, c.SD)
	}
	checkValue(t, "RD", c.RD, 0-2.0/3)
	spec.Facet = &Facet{Column: "g", Value: "X"}
	r := evaluateString(t, csv, spec)
	if r.Clarify.DPPL != nil || warningCodes(r.Warnings)[WarnFacetEmpty] != 1 {
		t.Errorf("got DPPL %v warnings %+v, want null and facet-empty", r.Clarify.DPPL, r.Warnings)
	}
}
