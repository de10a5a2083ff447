package fairness

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unsafe"

	"github.com/aimsaudit/aimsaudit/shared/tabular"
)

// plan maps the spec onto the projected columns of a scan: label,
// prediction, the optional weight, each distinct sensitive column once, and
// the facet column when it is not already sensitive.
type plan struct {
	spec     Spec
	columns  []string
	weight   int   // projected index of the weight column, -1 without one
	sensCols []int // projected index of each distinct sensitive column
	sets     [][]int
	facet    int // index into sensCols-like projection, -1 without a facet
}

const (
	colLabel = 0
	colPred  = 1
)

func newPlan(spec Spec) *plan {
	p := &plan{spec: spec, columns: []string{spec.Label, spec.Prediction}, weight: -1, facet: -1}
	if spec.Weight != "" {
		p.weight = len(p.columns)
		p.columns = append(p.columns, spec.Weight)
	}
	index := map[string]int{}
	for _, set := range spec.Sets {
		var cols []int
		for _, c := range set {
			k, ok := index[c]
			if !ok {
				k = len(p.sensCols)
				index[c] = k
				p.sensCols = append(p.sensCols, len(p.columns))
				p.columns = append(p.columns, c)
			}
			cols = append(cols, k)
		}
		p.sets = append(p.sets, cols)
	}
	if spec.Facet != nil {
		k, ok := index[spec.Facet.Column]
		if !ok {
			k = len(p.sensCols)
			p.sensCols = append(p.sensCols, len(p.columns))
			p.columns = append(p.columns, spec.Facet.Column)
		}
		p.facet = k
	}
	return p
}

// worker accumulates the rows one scan goroutine sees. Values are interned
// per column so that a row costs a few small lookups and no allocation.
type worker struct {
	plan      *plan
	classes   map[string]int8
	other     string
	otherLine int
	otherCol  string
	cols      []interner
	sets      []setCounts
	overall   confusion
	facetD    confusion
	facetA    confusion
	facetID   int32
	ids       []uint32
	key       []byte
}

// setCounts holds one set's groups: indexed by the value id for a single
// column, by the packed ids otherwise.
type setCounts struct {
	single []confusion
	multi  map[string]int
	keys   [][]uint32
	groups []confusion
}

func newWorker(p *plan) *worker {
	w := &worker{
		plan:    p,
		classes: map[string]int8{},
		cols:    make([]interner, len(p.sensCols)),
		sets:    make([]setCounts, len(p.sets)),
		ids:     make([]uint32, len(p.sensCols)),
		facetID: -1,
	}
	for i := range w.cols {
		w.cols[i].index = map[string]uint32{}
	}
	for i := range w.sets {
		w.sets[i].multi = map[string]int{}
	}
	return w
}

// Row implements tabular.Handler.
func (w *worker) Row(row *tabular.Row) error {
	cell, err := w.cell(row)
	if err != nil {
		return err
	}
	weight := 1.0
	if w.plan.weight >= 0 {
		if weight, err = row.Float(w.plan.weight); err != nil {
			return err
		}
	}
	if err := w.internSensitive(row); err != nil {
		return err
	}
	w.overall.add(cell, weight)
	for i, cols := range w.plan.sets {
		w.sets[i].group(w, cols).add(cell, weight)
	}
	if w.plan.facet >= 0 {
		w.addFacet(cell, weight)
	}
	return nil
}

func (w *worker) cell(row *tabular.Row) (int, error) {
	y, err := w.class(row, colLabel)
	if err != nil {
		return 0, err
	}
	p, err := w.class(row, colPred)
	if err != nil {
		return 0, err
	}
	return y*2 + p, nil
}

// class maps a label or prediction to 1 (positive) or 0 (the other value).
// Each distinct spelling is judged once, then found in the cache.
func (w *worker) class(row *tabular.Row, i int) (int, error) {
	b := row.Bytes(i)
	if c, ok := w.classes[unsafe.String(unsafe.SliceData(b), len(b))]; ok {
		return int(c), nil
	}
	if len(b) == 0 {
		return 0, row.Errorf(i, "missing value")
	}
	v := string(b)
	var c int8
	switch {
	case sameClass(v, w.plan.spec.Positive):
		c = 1
	case w.otherLine == 0:
		w.other, w.otherLine, w.otherCol = v, row.Line(), w.plan.columns[i]
	case !sameClass(v, w.other):
		return 0, row.Errorf(i, "%q is neither the positive class %q nor the other value %q "+
			"(first seen on line %d)", v, w.plan.spec.Positive, w.other, w.otherLine)
	}
	w.classes[v] = c
	return int(c), nil
}

// sameClass compares two class spellings as strings, or as numbers when
// both are numbers, so "1" and "1.0" are the same class.
func sameClass(a, b string) bool {
	if a == b {
		return true
	}
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && x == y
}

func (w *worker) internSensitive(row *tabular.Row) error {
	for k, col := range w.plan.sensCols {
		b := row.Bytes(col)
		if len(b) == 0 {
			return row.Errorf(col, "missing sensitive value")
		}
		w.ids[k] = w.cols[k].id(b)
	}
	return nil
}

func (w *worker) addFacet(cell int, weight float64) {
	k := w.plan.facet
	if w.facetID < 0 {
		id, ok := w.cols[k].lookup(w.plan.spec.Facet.Value)
		if !ok {
			w.facetA.add(cell, weight)
			return
		}
		w.facetID = int32(id)
	}
	if w.ids[k] == uint32(w.facetID) {
		w.facetD.add(cell, weight)
	} else {
		w.facetA.add(cell, weight)
	}
}

// group returns the counts of the row's group in this set.
func (s *setCounts) group(w *worker, cols []int) *confusion {
	if len(cols) == 1 {
		id := int(w.ids[cols[0]])
		for id >= len(s.single) {
			s.single = append(s.single, confusion{})
		}
		return &s.single[id]
	}
	w.key = w.key[:0]
	for _, c := range cols {
		w.key = binary.LittleEndian.AppendUint32(w.key, w.ids[c])
	}
	if g, ok := s.multi[unsafe.String(unsafe.SliceData(w.key), len(w.key))]; ok {
		return &s.groups[g]
	}
	ids := make([]uint32, len(cols))
	for i, c := range cols {
		ids[i] = w.ids[c]
	}
	s.multi[string(w.key)] = len(s.groups)
	s.keys = append(s.keys, ids)
	s.groups = append(s.groups, confusion{})
	return &s.groups[len(s.groups)-1]
}

// interner gives each distinct value of a column a small id.
type interner struct {
	index  map[string]uint32
	values []string
	last   []byte
	lastID uint32
}

func (in *interner) id(b []byte) uint32 {
	if len(in.values) > 0 && bytes.Equal(b, in.last) {
		return in.lastID
	}
	id, ok := in.index[unsafe.String(unsafe.SliceData(b), len(b))]
	if !ok {
		id = uint32(len(in.values))
		v := string(b)
		in.index[v] = id
		in.values = append(in.values, v)
	}
	in.last = append(in.last[:0], b...)
	in.lastID = id
	return id
}

func (in *interner) lookup(v string) (uint32, bool) {
	id, ok := in.index[v]
	return id, ok
}
