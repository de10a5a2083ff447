package tabular

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"testing"

	"github.com/aimsaudit/aimsaudit/bench/fairness/synth"
)

// BenchmarkScanCSV measures the parser alone: generated evaluation rows,
// seven of eight columns projected, a handler that only touches them.
func BenchmarkScanCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.Write(&buf, 300_000, 7); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	cols := []string{"y_true", "y_pred", "sex", "age_band", "region", "weight", "score"}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var n int
		_, err := Scan(context.Background(), bytes.NewReader(data), "bench.csv", cols,
			Options{Workers: 1}, func() Handler {
				return HandlerFunc(func(r *Row) error {
					n += len(r.Bytes(0)) + len(r.Bytes(4))
					return nil
				})
			})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingCSV reads the same input with encoding/csv (ReuseRecord),
// the baseline BenchmarkScanCSV is meant to beat.
func BenchmarkEncodingCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.Write(&buf, 300_000, 7); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		n := 0
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(rec[0]) + len(rec[4])
		}
	}
}
