package fairness

import (
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
	facet    int // index into sensCols of the facet column, -1 without a facet
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
	classes   tabular.Interner
	classOf   []int8
	other     string
	otherLine int
	otherCol  string
	cols      []tabular.Interner
	sets      []setCounts
	overall   confusion
	facetD    confusion
	facetA    confusion
	facetID   int32
	ids       []uint32
	key       []byte
	// exact is true while every weight seen was a short decimal counted
	// in exact units; false without a weight column.
	exact bool
}

// setCounts holds one set's groups: indexed by the value id for a single
// column; for several, found in a dense table indexed by the value ids
// while the combinations fit in it, else by interning the packed ids.
type setCounts struct {
	single []confusion
	dense  denseIndex
	index  tabular.Interner
	keys   [][]uint32
	groups []confusion
}

// cacheLine pads what a worker writes for every row (its counts, its id
// scratch) so that two workers on two cores never write the same cache
// line; small allocations of the same size otherwise sit side by side.
const cacheLine = 64

type paddedWorker struct {
	_ [cacheLine]byte
	worker
	_ [cacheLine]byte
}

// growConfusions extends s to n elements, reallocating with spare room and
// a cache line of padding on either side.
func growConfusions(s []confusion, n int) []confusion {
	if n <= cap(s) {
		return s[:n]
	}
	grown := padded[confusion](n, 2*n, cacheLine/int(unsafe.Sizeof(confusion{}))+1)
	copy(grown, s)
	return grown
}

// padded allocates a slice of length n and capacity c with pad spare
// elements before and after it, so no other object shares its cache lines.
func padded[T any](n, c, pad int) []T {
	buf := make([]T, c+2*pad)
	return buf[pad : pad+n : pad+c]
}

func newWorker(p *plan) *worker {
	pw := &paddedWorker{}
	w := &pw.worker
	*w = worker{
		plan:    p,
		cols:    make([]tabular.Interner, len(p.sensCols)),
		sets:    make([]setCounts, len(p.sets)),
		ids:     padded[uint32](len(p.sensCols), len(p.sensCols), cacheLine/4),
		key:     padded[byte](0, cacheLine, cacheLine),
		facetID: -1,
		exact:   p.weight >= 0,
	}
	return w
}

// Row implements tabular.Handler.
func (w *worker) Row(row *tabular.Row) error {
	cell, err := w.cell(row)
	if err != nil {
		return err
	}
	a, err := w.amount(row)
	if err != nil {
		return err
	}
	if err := w.internSensitive(row); err != nil {
		return err
	}
	w.overall.add(cell, a)
	for i, cols := range w.plan.sets {
		w.sets[i].group(w, cols).add(cell, a)
	}
	if w.plan.facet >= 0 {
		w.addFacet(cell, a)
	}
	return nil
}

// amount reads the row's weight: 1 without a weight column, exact units
// while the weights allow, a float after the first that does not.
func (w *worker) amount(row *tabular.Row) (amount, error) {
	if w.plan.weight < 0 {
		return amount{weight: 1}, nil
	}
	if w.exact {
		if units, ok := row.Fixed(w.plan.weight); ok && units >= 0 {
			return amount{units: units, exact: true}, nil
		}
	}
	v, err := row.Float(w.plan.weight)
	if err == nil && v < 0 {
		// A negative weight turns rates into nonsense (a rate above 1, a
		// group's weight of zero that is not): it is bad input, not data.
		err = row.Errorf(w.plan.weight, "negative weight %s", row.String(w.plan.weight))
	}
	if err != nil {
		return amount{}, err
	}
	if w.exact {
		w.settle()
	}
	return amount{weight: v}, nil
}

// settle leaves exact counting: every sum so far becomes a float.
func (w *worker) settle() {
	w.exact = false
	w.forEachConfusion((*confusion).settle)
}

func (w *worker) forEachConfusion(f func(*confusion)) {
	f(&w.overall)
	f(&w.facetD)
	f(&w.facetA)
	for i := range w.sets {
		for j := range w.sets[i].single {
			f(&w.sets[i].single[j])
		}
		for j := range w.sets[i].groups {
			f(&w.sets[i].groups[j])
		}
	}
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
	id := int(w.classes.ID(b))
	if id < len(w.classOf) {
		return int(w.classOf[id]), nil
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
	w.classOf = append(w.classOf, c)
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
		w.ids[k] = w.cols[k].ID(b)
	}
	return nil
}

func (w *worker) addFacet(cell int, a amount) {
	k := w.plan.facet
	if w.facetID < 0 {
		id, ok := w.cols[k].Lookup(w.plan.spec.Facet.Value)
		if !ok {
			w.facetA.add(cell, a)
			return
		}
		w.facetID = int32(id)
	}
	if w.ids[k] == uint32(w.facetID) {
		w.facetD.add(cell, a)
	} else {
		w.facetA.add(cell, a)
	}
}

// group returns the counts of the row's group in this set.
func (s *setCounts) group(w *worker, cols []int) *confusion {
	if len(cols) == 1 {
		id := int(w.ids[cols[0]])
		if id >= len(s.single) {
			s.single = growConfusions(s.single, id+1)
		}
		return &s.single[id]
	}
	g, ok := s.dense.find(w.ids, cols)
	if !ok {
		g = int(s.index.ID(w.packKey(cols)))
		if g == len(s.groups) {
			s.newGroup(w, cols)
		}
		s.dense.add(w.ids, cols, g, s.keys)
	}
	return &s.groups[g]
}

// packKey encodes the row's value ids of a set: two bytes each when they
// fit, so up to three columns stay within the interner's one-word path, four
// bytes otherwise (the lengths differ, so the two spellings never collide).
func (w *worker) packKey(cols []int) []byte {
	w.key = w.key[:0]
	small := len(cols) <= 3
	for _, c := range cols {
		small = small && w.ids[c] < 1<<16
	}
	for _, c := range cols {
		if small {
			w.key = binary.LittleEndian.AppendUint16(w.key, uint16(w.ids[c]))
		} else {
			w.key = binary.LittleEndian.AppendUint32(w.key, w.ids[c])
		}
	}
	return w.key
}

func (s *setCounts) newGroup(w *worker, cols []int) {
	ids := make([]uint32, len(cols))
	for i, c := range cols {
		ids[i] = w.ids[c]
	}
	s.keys = append(s.keys, ids)
	s.groups = growConfusions(s.groups, len(s.groups)+1)
}

// maxDenseBits caps the dense table of a set at 2^16 slots.
const maxDenseBits = 16

// denseIndex maps the value ids of an intersectional set to its group by
// direct indexing: each column gets enough bits for its ids, the key is
// their concatenation. When a column outgrows its bits the table is rebuilt
// wider, until it would exceed maxDenseBits; then it is switched off.
type denseIndex struct {
	bits  []uint
	table []int32 // group index + 1; 0 means not seen
	off   bool
}

func (d *denseIndex) key(ids []uint32, cols []int) (int, bool) {
	key := 0
	for j, c := range cols {
		id := ids[c]
		if id >= 1<<d.bits[j] {
			return 0, false
		}
		key = key<<d.bits[j] | int(id)
	}
	return key, true
}

func (d *denseIndex) find(ids []uint32, cols []int) (int, bool) {
	if d.table == nil {
		return 0, false
	}
	key, ok := d.key(ids, cols)
	if !ok || d.table[key] == 0 {
		return 0, false
	}
	return int(d.table[key] - 1), true
}

// add records group g for these ids, widening the table when needed.
func (d *denseIndex) add(ids []uint32, cols []int, g int, keys [][]uint32) {
	if d.off {
		return
	}
	if d.bits == nil {
		d.bits = make([]uint, len(cols))
	}
	if _, ok := d.key(ids, cols); !ok || d.table == nil {
		if !d.widen(ids, cols, keys) {
			return
		}
	}
	key, _ := d.key(ids, cols)
	d.table[key] = int32(g + 1)
}

func (d *denseIndex) widen(ids []uint32, cols []int, keys [][]uint32) bool {
	total := uint(0)
	for j, c := range cols {
		for ids[c] >= 1<<d.bits[j] {
			d.bits[j]++
		}
		total += d.bits[j]
	}
	if total > maxDenseBits {
		d.off, d.table = true, nil
		return false
	}
	d.table = make([]int32, 1<<total)
	for g, k := range keys {
		key := 0
		for j := range cols {
			key = key<<d.bits[j] | int(k[j])
		}
		d.table[key] = int32(g + 1)
	}
	return true
}
