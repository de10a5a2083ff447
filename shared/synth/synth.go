// Package synth generates the evaluation predictions of a credit-scoring
// model for made-up applicants, seeded and reproducible, so that tests and the
// demo estate have realistic data whose fairness is known in advance.
//
// Each row is one applicant: the true outcome (1 = repaid), the model's
// decision (1 = approved), its score, the sensitive attributes sex and
// age_band, a region, a sample weight and an income. Labels and decisions are
// assigned per sex×age_band cell by exact counts rather than by coin flips:
// every cell gets round(n·BaseRate) positives, of which round(npos·TPR) are
// approved, and round(nneg·FPR) approved negatives, where TPR and FPR follow
// from Accuracy and SelectionGap. Group rates therefore sit on their targets up
// to rounding, whatever the seed, and a threshold test on them is not at the
// mercy of sampling noise. The seed decides who lands in which cell and which
// members of a cell get which outcome, the scores, incomes and weights.
package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// Header is the CSV header every generated file starts with.
var Header = []string{"y_true", "y_pred", "score", "sex", "age_band", "region", "weight", "income"}

// DefaultRows is the number of rows generated when Options.Rows is zero.
const DefaultRows = 24000

// Category values of the generated columns.
var (
	Sexes    = []string{"F", "M"}
	AgeBands = []string{"18-25", "26-35", "36-50", "51-65", "65+"}
	Regions  = []string{"central", "east", "north", "south", "west"}
)

// ageShares is the share of applicants in each age band, in AgeBands order.
var ageShares = []float64{0.14, 0.24, 0.30, 0.22, 0.10}

// Options control one generated data set. The zero value of a field means its
// default, except SelectionGap, whose zero is the fair case.
type Options struct {
	Rows int    // rows to generate; 0 means DefaultRows
	Seed uint64 // same seed and options, byte-identical output

	// BaseRate is the share of applicants who repay, the same in every group
	// (0 means 0.45).
	BaseRate float64

	// Accuracy is the targeted share of correct decisions (0 means 0.82). It
	// is reached with TPR = Accuracy and FPR = 1 - Accuracy before any gap.
	Accuracy float64

	// SelectionGap is the approval rate of men minus that of women. Half of it
	// is added to the TPR and FPR of men and half taken from those of women,
	// so the equalized odds difference over sex equals it too while overall
	// accuracy stays put.
	SelectionGap float64

	// Weighted draws each row's weight uniformly from [0.5, 1.5] instead of
	// writing 1. Rates are exact on counts, not on weights.
	Weighted bool

	// IncomeShift scales every income by 1 + IncomeShift, to make a drifted
	// copy of a reference set.
	IncomeShift float64
}

// Fair is a data set that meets an envelope of accuracy ≥ 0.70 and parity
// and equalized odds differences ≤ 0.10 over sex and age_band with a wide
// margin.
func Fair(seed uint64) Options { return Options{Seed: seed} }

// Biased approves men 0.20 more often than women, at the same accuracy.
func Biased(seed uint64) Options { return Options{Seed: seed, SelectionGap: 0.20} }

// Write generates the data set and streams it to w as CSV.
func Write(w io.Writer, o Options) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	rows := place(rng, o.Rows)
	assignOutcomes(rng, rows, o)
	return writeCSV(w, rng, rows, o)
}

func (o Options) withDefaults() (Options, error) {
	if o.Rows == 0 {
		o.Rows = DefaultRows
	}
	if o.BaseRate == 0 {
		o.BaseRate = 0.45
	}
	if o.Accuracy == 0 {
		o.Accuracy = 0.82
	}
	if o.Rows < 0 {
		return o, fmt.Errorf("synth: rows %d, want at least 1", o.Rows)
	}
	if o.BaseRate <= 0 || o.BaseRate >= 1 {
		return o, fmt.Errorf("synth: base rate %v, want it strictly between 0 and 1", o.BaseRate)
	}
	if o.Accuracy < 0.5 || o.Accuracy > 1 {
		return o, fmt.Errorf("synth: accuracy %v, want it between 0.5 and 1", o.Accuracy)
	}
	if half := math.Abs(o.SelectionGap) / 2; half > 1-o.Accuracy+1e-12 {
		return o, fmt.Errorf("synth: selection gap %v needs accuracy at most %v, got %v",
			o.SelectionGap, 1-half, o.Accuracy)
	}
	if o.IncomeShift <= -1 {
		return o, fmt.Errorf("synth: income shift %v, want more than -1", o.IncomeShift)
	}
	return o, nil
}

// rates returns the true and false positive rates a sex is decided with.
func (o Options) rates(sex int) (tpr, fpr float64) {
	shift := o.SelectionGap / 2
	if Sexes[sex] == "F" {
		shift = -shift
	}
	return o.Accuracy + shift, 1 - o.Accuracy + shift
}

// row is one applicant before the seed-dependent details are drawn.
type row struct {
	sex, age, region int
	label, decision  bool
}

// place draws every applicant's sex, age band and region.
func place(rng *rand.Rand, n int) []row {
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{
			sex:    rng.IntN(len(Sexes)),
			age:    pick(rng, ageShares),
			region: rng.IntN(len(Regions)),
		}
	}
	return rows
}

func pick(rng *rand.Rand, shares []float64) int {
	u := rng.Float64()
	for i, s := range shares {
		if u < s {
			return i
		}
		u -= s
	}
	return len(shares) - 1
}

// assignOutcomes sets labels and decisions cell by cell with exact counts.
func assignOutcomes(rng *rand.Rand, rows []row, o Options) {
	cells := make([][]int, len(Sexes)*len(AgeBands))
	for i, r := range rows {
		c := r.sex*len(AgeBands) + r.age
		cells[c] = append(cells[c], i)
	}
	for c, members := range cells {
		tpr, fpr := o.rates(c / len(AgeBands))
		rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		npos := count(len(members), o.BaseRate)
		decide(rows, members[:npos], true, count(npos, tpr))
		decide(rows, members[npos:], false, count(len(members)-npos, fpr))
	}
}

// decide labels members and approves the first approved of them; members are
// already in random order.
func decide(rows []row, members []int, label bool, approved int) {
	for k, i := range members {
		rows[i].label = label
		rows[i].decision = k < approved
	}
}

func count(n int, rate float64) int {
	return int(math.Round(float64(n) * rate))
}

func writeCSV(w io.Writer, rng *rand.Rand, rows []row, o Options) error {
	buf := bufio.NewWriter(w)
	out := csv.NewWriter(buf)
	if err := out.Write(Header); err != nil {
		return fmt.Errorf("synth: write header: %w", err)
	}
	rec := make([]string, len(Header))
	for _, r := range rows {
		fillRecord(rec, rng, r, o)
		if err := out.Write(rec); err != nil {
			return fmt.Errorf("synth: write row: %w", err)
		}
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return fmt.Errorf("synth: write rows: %w", err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("synth: flush: %w", err)
	}
	return nil
}

func fillRecord(rec []string, rng *rand.Rand, r row, o Options) {
	rec[0] = bit(r.label)
	rec[1] = bit(r.decision)
	rec[2] = strconv.FormatFloat(score(rng, r.decision), 'f', 4, 64)
	rec[3] = Sexes[r.sex]
	rec[4] = AgeBands[r.age]
	rec[5] = Regions[r.region]
	rec[6] = "1"
	if o.Weighted {
		rec[6] = strconv.FormatFloat(0.5+rng.Float64(), 'f', 3, 64)
	}
	rec[7] = strconv.FormatFloat(income(rng, r, o.IncomeShift), 'f', 0, 64)
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// score is the model's probability of repayment, on the side of 0.5 that
// matches its decision once printed with four decimals.
func score(rng *rand.Rand, approved bool) float64 {
	s := 0.4999 * rng.Float64()
	if approved {
		s += 0.5
	}
	return s
}

// income is log-normal around 40,000, somewhat higher for those who repay and
// rising with age up to retirement.
func income(rng *rand.Rand, r row, shift float64) float64 {
	mu := 10.5 + 0.08*float64(min(r.age, 3))
	if r.label {
		mu += 0.15
	}
	return math.Round(math.Exp(mu+0.45*rng.NormFloat64()) * (1 + shift))
}
