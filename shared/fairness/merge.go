package fairness

import (
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// totals are the merged counts of every worker, keyed by group values.
type totals struct {
	rows      int64
	other     string
	otherLine int
	otherCol  string
	overall   confusion
	sets      []map[string]*groupTotal
	facetD    confusion
	facetA    confusion
	// distinct holds, per distinct sensitive column, every value seen.
	distinct []map[string]bool
}

type groupTotal struct {
	values []string
	counts confusion
}

// mergeWorkers adds up the workers' counts. Each worker found its own
// "other" class value; two different ones mean a third value, reported at
// the line where the later one first appeared.
func mergeWorkers(p *plan, source string, workers []*worker) (*totals, error) {
	t := &totals{sets: make([]map[string]*groupTotal, len(p.sets)),
		distinct: make([]map[string]bool, len(p.sensCols))}
	for i := range t.sets {
		t.sets[i] = map[string]*groupTotal{}
	}
	for i := range t.distinct {
		t.distinct[i] = map[string]bool{}
	}
	// Exact sums stay exact through the merge when every worker kept them;
	// otherwise all become floats first.
	exact := true
	for _, w := range workers {
		exact = exact && w.exact
	}
	for _, w := range workers {
		if !exact {
			w.settle()
		}
		if err := t.mergeOther(p, source, w); err != nil {
			return nil, err
		}
		t.mergeCounts(p, w)
	}
	t.settle()
	t.rows = t.overall.n
	return t, nil
}

// settle turns the merged exact sums into floats.
func (t *totals) settle() {
	t.overall.settle()
	t.facetD.settle()
	t.facetA.settle()
	for _, set := range t.sets {
		for _, g := range set {
			g.counts.settle()
		}
	}
}

func (t *totals) mergeOther(p *plan, source string, w *worker) error {
	switch {
	case w.otherLine == 0:
		return nil
	case t.otherLine == 0:
		t.other, t.otherLine, t.otherCol = w.other, w.otherLine, w.otherCol
		return nil
	case sameClass(w.other, t.other):
		if w.otherLine < t.otherLine {
			t.otherLine, t.otherCol = w.otherLine, w.otherCol
		}
		return nil
	}
	first, firstLine := t.other, t.otherLine
	later, laterLine, col := w.other, w.otherLine, w.otherCol
	if w.otherLine < t.otherLine {
		first, firstLine, later, laterLine = w.other, w.otherLine, t.other, t.otherLine
		col = t.otherCol
	}
	return badinput.Errorf(source, laterLine, col,
		"%q is neither the positive class %q nor the other value %q (first seen on line %d)",
		later, p.spec.Positive, first, firstLine)
}

func (t *totals) mergeCounts(p *plan, w *worker) {
	t.overall.merge(&w.overall)
	t.facetD.merge(&w.facetD)
	t.facetA.merge(&w.facetA)
	for k := range w.cols {
		for id := range w.cols[k].Len() {
			t.distinct[k][w.cols[k].Value(uint32(id))] = true
		}
	}
	for i, cols := range p.sets {
		s := &w.sets[i]
		if len(cols) == 1 {
			for id := range s.single {
				if s.single[id].n > 0 {
					t.add(i, []string{w.cols[cols[0]].Value(uint32(id))}, &s.single[id])
				}
			}
			continue
		}
		for g, ids := range s.keys {
			values := make([]string, len(cols))
			for j, c := range cols {
				values[j] = w.cols[c].Value(ids[j])
			}
			t.add(i, values, &s.groups[g])
		}
	}
}

func (t *totals) add(set int, values []string, c *confusion) {
	key := joinKey(values)
	g, ok := t.sets[set][key]
	if !ok {
		g = &groupTotal{values: values}
		t.sets[set][key] = g
	}
	g.counts.merge(c)
}

func joinKey(values []string) string { return strings.Join(values, "\x00") }
