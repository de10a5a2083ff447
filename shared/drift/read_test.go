package drift

import (
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if strings.HasSuffix(name, ".gz") {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		if _, err := zw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const refCSV = "income,region,code,mixed\n" +
	"10.5,north,1,1\n" +
	"NA,south,2,x\n" +
	"inf,north,1,2\n" +
	",,3,\n" +
	"-3,south,2,1\n"

const curCSV = "income,region,code,mixed\n" +
	" 7 ,north,1,1\n" +
	"8,east,2,1\n"

func TestReadPairTypesAndDropsMissing(t *testing.T) {
	ref, cur := writeFile(t, "ref.csv", refCSV), writeFile(t, "cur.csv.gz", curCSV)
	pair, err := ReadPair(t.Context(), ref, cur, ReadOptions{Categorical: []string{"code"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pair.Columns, ",") != "income,region,code,mixed" {
		t.Fatalf("columns: got %v, want the reference header", pair.Columns)
	}
	income := pair.Reference[0]
	if income.Kind != Numerical {
		t.Fatalf("income: got %s, want numerical", income.Kind)
	}
	assertSlice(t, "income (NA, inf and empty dropped)", income.Values, []float64{-3, 10.5})
	assertSlice(t, "current income (spaces around a number)", pair.Current[0].Values,
		[]float64{7, 8})
	region := pair.Reference[1]
	if region.Kind != Categorical || region.Counts["north"] != 2 || region.Counts["south"] != 2 ||
		len(region.Counts) != 2 {
		t.Errorf("region: got %s %v, want north:2 south:2", region.Kind, region.Counts)
	}
	if code := pair.Reference[2]; code.Kind != Categorical || code.Counts["1"] != 2 {
		t.Errorf("code: got %s %v, want categorical as declared", code.Kind, code.Counts)
	}
	// "x" in the reference makes mixed categorical in both files.
	mixedRef, mixedCur := pair.Reference[3], pair.Current[3]
	if mixedRef.Kind != Categorical || mixedCur.Kind != Categorical ||
		mixedRef.Counts["1"] != 2 || mixedRef.Counts["x"] != 1 || mixedCur.Counts["1"] != 2 {
		t.Errorf("mixed: got %v / %v, want categories in both files", mixedRef, mixedCur)
	}
}

func TestReadPairBadInput(t *testing.T) {
	ref, cur := writeFile(t, "ref.csv", refCSV), writeFile(t, "cur.csv", curCSV)
	noRegion := writeFile(t, "short.csv", "income\n1\n")
	tests := []struct {
		name      string
		ref, cur  string
		opt       ReadOptions
		wantParts []string
	}{
		{"non-number in a numerical column", ref, cur,
			ReadOptions{Columns: []string{"mixed"}, Numerical: []string{"mixed"}},
			[]string{"ref.csv:3", "mixed", `"x"`}},
		{"missing column", ref, noRegion,
			ReadOptions{Columns: []string{"income", "region"}},
			[]string{"short.csv", "region"}},
		{"typed column not tested", ref, cur,
			ReadOptions{Columns: []string{"income"}, Categorical: []string{"region"}},
			[]string{"region"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPair(t.Context(), tt.ref, tt.cur, tt.opt)
			if err == nil || !badinput.Is(err) {
				t.Fatalf("got %v, want a bad-input error", err)
			}
			for _, part := range tt.wantParts {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not name %s", err, part)
				}
			}
		})
	}
	var be *badinput.Error
	_, err := ReadPair(t.Context(), filepath.Join(t.TempDir(), "absent.csv"), cur, ReadOptions{})
	if !errors.As(err, &be) {
		t.Errorf("absent file: got %v, want a bad-input error", err)
	}
}

func TestFileColumnsSkipsByteOrderMark(t *testing.T) {
	cols, err := FileColumns(writeFile(t, "bom.csv", "\xef\xbb\xbfincome,region\n1,a\n"))
	if err != nil || strings.Join(cols, ",") != "income,region" {
		t.Errorf("got %q %v, want income,region", cols, err)
	}
}

func TestFileColumnsJSONLines(t *testing.T) {
	path := writeFile(t, "ref.jsonl", `{"score": 0.5, "region": "north", "x": {"a": 1}}`+"\n")
	cols, err := FileColumns(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "score,region,x" {
		t.Errorf("got %v, want score,region,x", cols)
	}
}

func TestCompareFilesEndToEnd(t *testing.T) {
	ref, cur := writeFile(t, "ref.csv", refCSV), writeFile(t, "cur.csv", curCSV)
	rep, err := CompareFiles(t.Context(), ref, cur,
		ReadOptions{Columns: []string{"income", "region"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// income: 4 distinct values over both small files, so chi-square.
	if len(rep.Columns) != 2 || rep.Columns[0].Test != TestChiSquare ||
		rep.Columns[1].Test != TestChiSquare {
		t.Fatalf("got %+v, want chisquare on both columns", rep.Columns)
	}
	// region: "east" is new in the current data, so chi-square gives p = 0.
	if r := rep.Columns[1]; *r.PValue != 0 || !*r.Drifted {
		t.Errorf("region: got p %v drifted %v, want 0 true", *r.PValue, *r.Drifted)
	}
	if _, err := CompareFiles(t.Context(), ref, cur, ReadOptions{Columns: []string{"region"}},
		Options{Test: TestKS}); !badinput.Is(err) {
		t.Errorf("ks on a categorical column: got %v, want bad input", err)
	}
}

type parquetRow struct {
	Income float64 `parquet:"income"`
	Region string  `parquet:"region"`
}

func TestReadPairParquet(t *testing.T) {
	dir := t.TempDir()
	ref, cur := filepath.Join(dir, "ref.parquet"), filepath.Join(dir, "cur.parquet")
	rows := []parquetRow{{1.5, "north"}, {2.5, "south"}, {3.5, "north"}}
	if err := parquet.WriteFile(ref, rows); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(cur, rows[:2]); err != nil {
		t.Fatal(err)
	}
	cols, err := FileColumns(ref)
	if err != nil || strings.Join(cols, ",") != "income,region" {
		t.Fatalf("columns: got %v %v, want income,region", cols, err)
	}
	pair, err := ReadPair(t.Context(), ref, cur, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertSlice(t, "income", pair.Reference[0].Values, []float64{1.5, 2.5, 3.5})
	if c := pair.Current[1].Counts; c["north"] != 1 || c["south"] != 1 {
		t.Errorf("region: got %v, want north:1 south:1", c)
	}
}

func TestReadSourcesTypesColumnsEarlyOrLate(t *testing.T) {
	opens := 0
	src := func(name, content string) Source {
		return Source{Name: name, Open: func() (io.ReadCloser, error) {
			opens++
			return io.NopCloser(strings.NewReader(content)), nil
		}}
	}
	// Text in the first rows: typed by the sniff, one full read per input.
	pair, err := ReadSources(t.Context(), src("ref.csv", refCSV), src("cur.csv", curCSV),
		ReadOptions{Columns: []string{"income", "mixed"}})
	if err != nil {
		t.Fatal(err)
	}
	if opens != 4 || pair.Reference[0].Kind != Numerical || pair.Reference[1].Kind != Categorical {
		t.Errorf("early text: got %d opens, kinds %s %s; want 4 (sniff + read), numerical, "+
			"categorical", opens, pair.Reference[0].Kind, pair.Reference[1].Kind)
	}
	// Text only after the sniffed rows: a second pass for that column.
	var late strings.Builder
	late.WriteString("late\n")
	for i := 0; i < sniffRows+10; i++ {
		late.WriteString("1\n")
	}
	late.WriteString("x\n")
	opens = 0
	pair, err = ReadSources(t.Context(), src("ref.csv", late.String()), src("cur.csv", "late\n2\n"),
		ReadOptions{Columns: []string{"late"}})
	if err != nil {
		t.Fatal(err)
	}
	if c := pair.Reference[0].Counts; opens != 6 || c["1"] != sniffRows+10 || c["x"] != 1 {
		t.Errorf("late text: got %d opens, counts %v; want 6 and every value counted", opens, c)
	}
	if _, err := ReadSources(t.Context(), src("a", refCSV), src("b", curCSV),
		ReadOptions{}); !badinput.Is(err) {
		t.Errorf("no columns: got %v, want bad input", err)
	}
}
