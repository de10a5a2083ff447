package fairness

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// compasPath is the shared COMPAS file, from this package up to the repo
// root and then to ../shared; tests that need it skip without it.
const compasPath = "../../../shared/data/compas/compas-two-years-deidentified.csv"

// compasCounts are confusion counts per race, derived with encoding/csv in
// a loop of their own, independent of the engine.
type compasCounts struct{ tp, fp, tn, fn float64 }

// prepareCompas applies ProPublica's filter, writes the kept rows with a
// derived prediction (score_text Medium or High) to a temporary CSV, and
// counts them per race.
func prepareCompas(t *testing.T) (string, map[string]*compasCounts, int) {
	t.Helper()
	in, err := os.Open(compasPath)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared COMPAS data not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	path := filepath.Join(t.TempDir(), "compas-filtered.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	r, w := csv.NewReader(in), csv.NewWriter(out)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	w.Write([]string{"race", "sex", "high_risk", "two_year_recid"})
	counts := map[string]*compasCounts{}
	kept := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		days, err := strconv.Atoi(rec[col["days_b_screening_arrest"]])
		if err != nil || days < -30 || days > 30 || rec[col["is_recid"]] == "-1" ||
			rec[col["c_charge_degree"]] == "O" || rec[col["score_text"]] == "N/A" {
			continue
		}
		kept++
		pred := "0"
		if s := rec[col["score_text"]]; s == "Medium" || s == "High" {
			pred = "1"
		}
		race, label := rec[col["race"]], rec[col["two_year_recid"]]
		w.Write([]string{race, rec[col["sex"]], pred, label})
		c := counts[race]
		if c == nil {
			c = &compasCounts{}
			counts[race] = c
		}
		switch {
		case label == "1" && pred == "1":
			c.tp++
		case label == "1":
			c.fn++
		case pred == "1":
			c.fp++
		default:
			c.tn++
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path, counts, kept
}

// TestCompasProPublica reproduces ProPublica's finding: among people who
// did not reoffend, Black defendants were labelled higher risk about twice
// as often as white defendants (FPR ~42% vs ~22%), and among those who did,
// white defendants were labelled lower risk far more often (FNR ~28% vs
// ~50%).
func TestCompasProPublica(t *testing.T) {
	path, counts, kept := prepareCompas(t)
	spec := Spec{Label: "two_year_recid", Prediction: "high_risk", Positive: "1",
		Sets: [][]string{{"race"}, {"race", "sex"}}}
	r, err := EvaluateFile(context.Background(), path, spec)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rows != int64(kept) || kept != 6172 {
		t.Errorf("got %d rows (independent count %d), want ProPublica's 6172", r.Rows, kept)
	}
	groups := map[string]Group{}
	for _, g := range r.Sets[0].Groups {
		groups[g.Group["race"]] = g
	}
	for race, c := range counts {
		g := groups[race]
		checkValue(t, race+" FPR", g.FalsePositiveRate, c.fp/(c.fp+c.tn))
		checkValue(t, race+" FNR", g.FalseNegativeRate, c.fn/(c.fn+c.tp))
		if g.Count != int64(c.tp+c.fp+c.tn+c.fn) {
			t.Errorf("%s: got count %d, want %g", race, g.Count, c.tp+c.fp+c.tn+c.fn)
		}
	}
	near := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 0.015 {
			t.Errorf("%s: got %v, want about %.2f", name, fmtRate(got), want)
		}
	}
	black, white := groups["African-American"], groups["Caucasian"]
	near("Black FPR", black.FalsePositiveRate, 0.42)
	near("white FPR", white.FalsePositiveRate, 0.22)
	near("Black FNR", black.FalseNegativeRate, 0.28)
	near("white FNR", white.FalseNegativeRate, 0.50)
	if d := r.Sets[0].Metrics.EqualizedOddsDifference; d == nil || *d < 0.2 {
		t.Errorf("got equalized odds difference %v, want at least 0.2", fmtRate(d))
	}
}

func fmtRate(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}
