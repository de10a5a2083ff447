package synth

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestSameSeedSameBytes(t *testing.T) {
	var a, b, c bytes.Buffer
	for _, w := range []struct {
		buf  *bytes.Buffer
		seed uint64
	}{{&a, 1}, {&b, 1}, {&c, 2}} {
		if err := Write(w.buf, 5000, w.seed); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("seed 1 gave two different files")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("seeds 1 and 2 gave the same file")
	}
	perRow := float64(a.Len()-len(Header)) / 5000
	if perRow < 36 || perRow > 44 {
		t.Errorf("got %.1f bytes a row, want about 40", perRow)
	}
}

func TestRowsAreValidCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, 2000, 9); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",")+"\n" != Header || len(recs) != 2001 {
		t.Fatalf("got header %v and %d records, want the header and 2000 rows", recs[0], len(recs))
	}
	positives := 0
	for _, r := range recs[1:] {
		if r[1] == "1" {
			positives++
		}
	}
	if positives < 200 || positives > 1800 {
		t.Errorf("got %d positive predictions in 2000, want a mix", positives)
	}
}
