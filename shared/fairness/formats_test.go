package fairness

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parquet-go/parquet-go"
)

// formatRow is one row of the format tests, as Parquet stores it.
type formatRow struct {
	Y   int64   `parquet:"y"`
	P   int64   `parquet:"p"`
	Sex string  `parquet:"sex"`
	Age string  `parquet:"age"`
	W   float64 `parquet:"w"`
}

func formatRows() []formatRow {
	var rows []formatRow
	for i := range 200 {
		rows = append(rows, formatRow{Y: int64(i % 2), P: int64(i / 3 % 2),
			Sex: []string{"F", "M"}[i%3%2], Age: []string{"young, \"new\"", "old"}[i%5%2],
			W: 0.25 * float64(1+i%7)})
	}
	return rows
}

func formatSpec() Spec {
	return Spec{Label: "y", Prediction: "p", Positive: "1", Weight: "w",
		Sets: [][]string{{"sex"}, {"age"}, {"sex", "age"}}, Facet: &Facet{"sex", "F"}}
}

func plainCSV(rows []formatRow, eol string, quoteAll bool) []byte {
	var b bytes.Buffer
	q := func(s string) string {
		if quoteAll || strings.ContainsAny(s, ",\"\r\n") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	b.WriteString(strings.Join([]string{q("y"), q("p"), q("sex"), q("age"), q("w")}, ",") + eol)
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s%s", q(fmt.Sprint(r.Y)), q(fmt.Sprint(r.P)), q(r.Sex),
			q(r.Age), q(fmt.Sprint(r.W)), eol)
	}
	return b.Bytes()
}

func jsonLines(t *testing.T, rows []formatRow) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, r := range rows {
		if err := enc.Encode(map[string]any{"y": r.Y, "p": r.P, "sex": r.Sex, "age": r.Age,
			"w": r.W, "extra": []int{1}}); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func parquetFile(t *testing.T, rows []formatRow) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[formatRow](&b, parquet.MaxRowsPerRowGroup(64))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reportsEqual compares two reports, ignoring the source name and allowing
// float rounding from a different summation order.
func reportsEqual(t *testing.T, got, want *Report) {
	t.Helper()
	opts := cmp.Options{
		cmpopts.IgnoreFields(Report{}, "Source"),
		cmpopts.IgnoreUnexported(Group{}),
		cmpopts.EquateApprox(1e-12, 1e-12),
	}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("report differs from plain CSV (-want +got):\n%s", diff)
	}
}

func TestFormatsGiveTheSameReport(t *testing.T) {
	rows := formatRows()
	ctx := context.Background()
	plain := bytes.NewReader(plainCSV(rows, "\n", false))
	want, err := Evaluate(ctx, plain, "plain.csv", formatSpec())
	if err != nil {
		t.Fatal(err)
	}
	if want.Rows != 200 || len(want.Sets[2].Groups) != 4 {
		t.Fatalf("got %d rows, %d groups, want 200 and 4", want.Rows, len(want.Sets[2].Groups))
	}
	inputs := map[string][]byte{
		"quoted-crlf.csv": plainCSV(rows, "\r\n", true),
		"eval.csv.gz":     gzipped(t, plainCSV(rows, "\n", false)),
		"eval.jsonl":      jsonLines(t, rows),
		"eval.jsonl.gz":   gzipped(t, jsonLines(t, rows)),
		"eval.parquet":    parquetFile(t, rows),
		"no-extension":    parquetFile(t, rows),
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			got, err := Evaluate(ctx, bytes.NewReader(data), name, formatSpec())
			if err != nil {
				t.Fatal(err)
			}
			reportsEqual(t, got, want)
		})
		t.Run(name+"/file", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := EvaluateFile(ctx, path, formatSpec())
			if err != nil {
				t.Fatal(err)
			}
			reportsEqual(t, got, want)
		})
	}
}

// A file of several blocks gives the same counts with one worker as with
// several, also when quoted fields hold newlines across block cuts.
func TestWorkersAgree(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("y,p,g,note,w\n")
	for i := range 120_000 {
		note := "plain"
		if i%1000 == 0 {
			note = "\"line one\nline \"\"two\"\"\""
		}
		fmt.Fprintf(&b, "%d,%d,g%d,%s,%d.5\n", i%2, i/2%2, i%7, note, i%3)
	}
	data := b.Bytes()
	spec := Spec{Label: "y", Prediction: "p", Positive: "1", Weight: "w",
		Sets: [][]string{{"g"}, {"g", "note"}}}
	var reports []*Report
	for _, workers := range []int{1, 2, 3} {
		r, err := EvaluateWith(context.Background(), bytes.NewReader(data), "big.csv", spec,
			Options{Workers: workers})
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		reports = append(reports, r)
	}
	if reports[0].Rows != 120_000 {
		t.Fatalf("got %d rows, want 120000", reports[0].Rows)
	}
	if n := len(reports[0].Sets[1].Groups); n != 14 {
		t.Errorf("got %d groups of g,note, want 14", n)
	}
	for _, r := range reports[1:] {
		reportsEqual(t, r, reports[0])
	}
}

// The first bad line is the one reported even when later blocks, parsed in
// parallel, are bad too.
func TestWorkersReportTheFirstBadLine(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("y,p,g\n")
	for i := range 300_000 {
		switch i {
		case 150_000:
			b.WriteString("1,1,\n")
		case 290_000:
			b.WriteString("1,1\n")
		default:
			b.WriteString("1,0,A\n")
		}
	}
	_, err := EvaluateWith(context.Background(), bytes.NewReader(b.Bytes()), "big.csv",
		basicSpec([]string{"g"}), Options{Workers: 2})
	want := "big.csv:150002: g: missing sensitive value"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// Decimal weights are summed exactly, so a weighted report is the same to
// the last bit whatever the number of workers; weights in another notation
// fall back to float sums, equal to within rounding.
func TestWeightedReportsAreReproducible(t *testing.T) {
	var b, sci bytes.Buffer
	b.WriteString("y,p,g,w\n")
	sci.WriteString("y,p,g,w\n")
	for i := range 200_000 {
		w := fmt.Sprintf("%d.%03d", i%3, i%997)
		fmt.Fprintf(&b, "%d,%d,g%d,%s\n", i%2, i/3%2, i%5, w)
		fmt.Fprintf(&sci, "%d,%d,g%d,%s\n", i%2, i/3%2, i%5, strings.Replace(w, ".", "", 1)+"e-3")
	}
	spec := Spec{Label: "y", Prediction: "p", Positive: "1", Weight: "w", Sets: [][]string{{"g"}}}
	eval := func(data []byte, workers int) *Report {
		r, err := EvaluateWith(context.Background(), bytes.NewReader(data), "w.csv", spec,
			Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	want := eval(b.Bytes(), 1)
	exact := cmp.Options{cmpopts.IgnoreFields(Report{}, "Source"),
		cmpopts.IgnoreUnexported(Group{})}
	for _, workers := range []int{2, 3} {
		if diff := cmp.Diff(want, eval(b.Bytes(), workers), exact); diff != "" {
			t.Errorf("workers %d: report differs (-1 worker +%d):\n%s", workers, workers, diff)
		}
	}
	reportsEqual(t, eval(sci.Bytes(), 2), want)
}
