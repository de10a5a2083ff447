package synth

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tally counts outcomes of one group, the way the fairness engine will, but
// with a plain loop so the test does not depend on it.
type tally struct{ n, tp, fp, fn, tn int }

func (t tally) selection() float64 { return float64(t.tp+t.fp) / float64(t.n) }
func (t tally) tpr() float64       { return float64(t.tp) / float64(t.tp+t.fn) }
func (t tally) fpr() float64       { return float64(t.fp) / float64(t.fp+t.tn) }

type rates struct {
	rows     int
	accuracy float64
	groups   map[string]map[string]tally // set name → group → tally
}

func generate(t *testing.T, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, o); err != nil {
		t.Fatalf("write: %v", err)
	}
	return buf.Bytes()
}

func measure(t *testing.T, data []byte) rates {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v", err)
	}
	if !slices.Equal(recs[0], Header) {
		t.Fatalf("got header %v, want %v", recs[0], Header)
	}
	r := rates{rows: len(recs) - 1, groups: map[string]map[string]tally{
		"sex": {}, "age_band": {}, "sex,age_band": {},
	}}
	correct := 0
	for _, rec := range recs[1:] {
		y, p := rec[0] == "1", rec[1] == "1"
		if y == p {
			correct++
		}
		add(r.groups["sex"], rec[3], y, p)
		add(r.groups["age_band"], rec[4], y, p)
		add(r.groups["sex,age_band"], rec[3]+"|"+rec[4], y, p)
	}
	r.accuracy = float64(correct) / float64(r.rows)
	return r
}

func add(groups map[string]tally, key string, y, p bool) {
	g := groups[key]
	g.n++
	switch {
	case y && p:
		g.tp++
	case !y && p:
		g.fp++
	case y && !p:
		g.fn++
	default:
		g.tn++
	}
	groups[key] = g
}

// spread is the largest minus the smallest value of f over the groups.
func spread(groups map[string]tally, f func(tally) float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, g := range groups {
		lo, hi = math.Min(lo, f(g)), math.Max(hi, f(g))
	}
	return hi - lo
}

func TestFairMeetsEnvelopeWithMargin(t *testing.T) {
	for _, seed := range []uint64{1, 2, 42} {
		r := measure(t, generate(t, Fair(seed)))
		if r.rows < 20000 {
			t.Errorf("seed %d: got %d rows, want at least 20000", seed, r.rows)
		}
		if r.accuracy < 0.75 {
			t.Errorf("seed %d: got accuracy %.4f, want at least 0.75", seed, r.accuracy)
		}
		for set, groups := range r.groups {
			for name, g := range groups {
				if g.n < 30 {
					t.Errorf("seed %d, %s=%s: got %d rows, want at least 30", seed, set, name, g.n)
				}
			}
			dp := spread(groups, tally.selection)
			eo := math.Max(spread(groups, tally.tpr), spread(groups, tally.fpr))
			if dp > 0.05 {
				t.Errorf("seed %d, %s: got parity difference %.4f, want at most 0.05", seed, set, dp)
			}
			if eo > 0.05 {
				t.Errorf("seed %d, %s: got equalized odds difference %.4f, want at most 0.05",
					seed, set, eo)
			}
		}
	}
}

func TestBiasedGapBetweenSexes(t *testing.T) {
	r := measure(t, generate(t, Biased(3)))
	sex := r.groups["sex"]
	gap := sex["M"].selection() - sex["F"].selection()
	if math.Abs(gap-0.20) > 0.01 {
		t.Errorf("got selection gap M-F %.4f, want 0.20 ± 0.01", gap)
	}
	if r.accuracy < 0.75 {
		t.Errorf("got accuracy %.4f, want at least 0.75 so only fairness fails", r.accuracy)
	}
	if dp := spread(r.groups["age_band"], tally.selection); dp > 0.05 {
		t.Errorf("got parity difference over age_band %.4f, want at most 0.05", dp)
	}
}

func TestAccuracyOption(t *testing.T) {
	for _, want := range []float64{0.7, 0.9} {
		r := measure(t, generate(t, Options{Seed: 5, Accuracy: want, Rows: 5000}))
		if math.Abs(r.accuracy-want) > 0.01 {
			t.Errorf("got accuracy %.4f, want %.2f ± 0.01", r.accuracy, want)
		}
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b := generate(t, Biased(7)), generate(t, Biased(7))
	if !bytes.Equal(a, b) {
		t.Fatal("got different output for the same seed, want identical bytes")
	}
	if c := generate(t, Biased(8)); bytes.Equal(a, c) {
		t.Error("got identical output for seeds 7 and 8, want them to differ")
	}
}

func TestColumnValues(t *testing.T) {
	data := generate(t, Options{Seed: 9, Rows: 2000, Weighted: true})
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v", err)
	}
	for i, rec := range recs[1:] {
		s, _ := strconv.ParseFloat(rec[2], 64)
		if (s >= 0.5) != (rec[1] == "1") {
			t.Fatalf("row %d: got score %s with decision %s, want score ≥ 0.5 iff approved",
				i+1, rec[2], rec[1])
		}
		w, err := strconv.ParseFloat(rec[6], 64)
		if err != nil || w < 0.5 || w > 1.5 {
			t.Fatalf("row %d: got weight %q, want a number in [0.5, 1.5]", i+1, rec[6])
		}
		if inc, err := strconv.ParseFloat(rec[7], 64); err != nil || inc <= 0 {
			t.Fatalf("row %d: got income %q, want a positive number", i+1, rec[7])
		}
		if !slices.Contains(Regions, rec[5]) || !slices.Contains(AgeBands, rec[4]) {
			t.Fatalf("row %d: got region %q age band %q, want known values", i+1, rec[5], rec[4])
		}
	}
}

func TestIncomeShift(t *testing.T) {
	mean := func(data []byte) float64 {
		recs, _ := csv.NewReader(bytes.NewReader(data)).ReadAll()
		sum := 0.0
		for _, rec := range recs[1:] {
			v, _ := strconv.ParseFloat(rec[7], 64)
			sum += v
		}
		return sum / float64(len(recs)-1)
	}
	base := mean(generate(t, Options{Seed: 4, Rows: 4000}))
	shifted := mean(generate(t, Options{Seed: 4, Rows: 4000, IncomeShift: 0.3}))
	if ratio := shifted / base; math.Abs(ratio-1.3) > 0.001 {
		t.Errorf("got mean income ratio %.4f, want 1.3", ratio)
	}
}

func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"negative rows", Options{Rows: -1}, "rows"},
		{"accuracy below half", Options{Accuracy: 0.4}, "accuracy"},
		{"base rate of one", Options{BaseRate: 1}, "base rate"},
		{"gap too wide for accuracy", Options{Accuracy: 0.95, SelectionGap: 0.2}, "selection gap"},
		{"income shift to nothing", Options{IncomeShift: -1}, "income shift"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
