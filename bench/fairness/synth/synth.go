// Package synth generates synthetic evaluation files of a credit model for
// benchmarking the fairness engine: one row per applicant with the observed
// outcome, the model's decision and score, three sensitive attributes, a
// sample weight and an income. The same seed gives the same bytes.
//
// Columns: y_true,y_pred,score,sex,age_band,region,weight,income. Rows are
// about 40 bytes, so 10 million rows are about 400 MB. The model is biased
// on purpose (its threshold depends on sex and age band) so the metrics are
// not all zero.
package synth

import (
	"bufio"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
)

// Header is the first line of every generated file.
const Header = "y_true,y_pred,score,sex,age_band,region,weight,income\n"

var (
	sexes    = []string{"F", "M"}
	ageBands = []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
	regions  = []string{"north", "south", "east", "west", "centre", "islands", "capital", "rural"}
)

// Write writes the header and rows rows generated from seed.
func Write(out io.Writer, rows int, seed uint64) error {
	w := bufio.NewWriterSize(out, 1<<20)
	rng := NewRand(seed)
	if _, err := w.WriteString(Header); err != nil {
		return err
	}
	var line []byte
	for range rows {
		line = AppendRow(line[:0], rng)
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return w.Flush()
}

// NewRand returns the generator's random source for a seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// AppendRow appends one generated row, newline included.
func AppendRow(b []byte, rng *rand.Rand) []byte {
	sex := rng.IntN(len(sexes))
	age := rng.IntN(len(ageBands))
	region := rng.IntN(len(regions))
	income := math.Exp(10.5 + 0.6*rng.NormFloat64())
	logit := rng.NormFloat64() + 0.3*float64(age-2) - (math.Log(income) - 10.5)
	risk := 1 / (1 + math.Exp(-logit))
	yTrue := rng.Float64() < risk
	score := math.Min(math.Max(risk+0.15*rng.NormFloat64(), 0), 1)
	threshold := 0.5 - 0.05*float64(sex) + 0.02*float64(age-2)
	yPred := score > threshold
	weight := 0.5 + float64(rng.IntN(1501))/1000
	b = appendBool(b, yTrue)
	b = appendBool(b, yPred)
	b = strconv.AppendFloat(b, score, 'f', 6, 64)
	b = append(b, ',')
	b = append(b, sexes[sex]...)
	b = append(b, ',')
	b = append(b, ageBands[age]...)
	b = append(b, ',')
	b = append(b, regions[region]...)
	b = append(b, ',')
	b = strconv.AppendFloat(b, weight, 'f', 3, 64)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(income), 10)
	return append(b, '\n')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1', ',')
	}
	return append(b, '0', ',')
}
