package tabular

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// record is a row as the tests compare it: line and projected values.
type record struct {
	line   int
	fields []string
}

// collect scans data projected onto columns and returns the records sorted
// by line (workers finish in any order).
func collect(t testing.TB, data []byte, columns []string, workers int) ([]record, error) {
	t.Helper()
	var mu sync.Mutex
	var out []record
	_, err := Scan(context.Background(), bytes.NewReader(data), "in.csv", columns,
		Options{Workers: workers, Format: FormatCSV}, func() Handler {
			return HandlerFunc(func(r *Row) error {
				rec := record{line: r.Line()}
				for i := range r.Len() {
					rec.fields = append(rec.fields, r.String(i))
				}
				mu.Lock()
				out = append(out, rec)
				mu.Unlock()
				return nil
			})
		})
	slices.SortFunc(out, func(a, b record) int { return a.line - b.line })
	return out, err
}

// reference decodes data with encoding/csv, the oracle of these tests: the
// header, then each record with the line it starts on.
func reference(data []byte) ([]string, []record, error) {
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return nil, nil, err
	}
	var out []record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return header, out, nil
		}
		if err != nil {
			return header, out, err
		}
		line, _ := r.FieldPos(0)
		out = append(out, record{line: line, fields: rec})
	}
}

func TestCSVMatchesEncodingCSV(t *testing.T) {
	tests := map[string]string{
		"plain":             "a,b,c\n1,2,3\n4,5,6\n",
		"no final newline":  "a,b\n1,2\n3,4",
		"crlf":              "a,b\r\n1,2\r\n3,4\r\n",
		"quoted":            "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"\",z\n",
		"quoted newline":    "a,b\n\"line 1\nline 2\",x\nnext,row\n",
		"quoted crlf":       "a,b\r\n\"l1\r\nl2\",x\r\ny,z\r\n",
		"empty lines":       "a,b\n\n1,2\n\r\n\n3,4\n\n",
		"empty fields":      "a,b,c\n,,\n1,,3\n",
		"lone cr is data":   "a,b\nx\ry,z\n",
		"trailing cr":       "a,b\n1,2\r",
		"quoted then cr":    "a,b\n1,\"2\"\r",
		"spaces kept":       "a,b\n 1 , 2 \n",
		"unicode":           "naïve,b\nçà,日本\n",
		"quoted header":     "\"a,1\",b\n1,2\n",
		"escaped at end":    "a,b\n1,\"\"\"\"\n",
		"only header":       "a,b\n",
		"header without nl": "a,b",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			header, want, err := reference([]byte(in))
			if err != nil {
				t.Fatalf("reference: %v", err)
			}
			for _, workers := range []int{1, 2} {
				got, err := collect(t, []byte(in), header, workers)
				if err != nil {
					t.Fatalf("workers %d: %v", workers, err)
				}
				if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
					t.Errorf("workers %d: got %#v, want %#v", workers, got, want)
				}
			}
		})
	}
}

func TestCSVProjectsAndOrdersColumns(t *testing.T) {
	got, err := collect(t, []byte("a,b,c\n1,2,3\n"), []string{"c", "a"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[{2 [3 1]}]" {
		t.Errorf("got %v, want [{2 [3 1]}]", got)
	}
}

func TestCSVErrorsNameLineAndColumn(t *testing.T) {
	tests := []struct {
		name, in string
		columns  []string
		want     string
	}{
		{"too few fields", "a,b,c\n1,2,3\n4,5\n", []string{"a"},
			"in.csv:3: c: row has 2 fields, the header has 3 (ragged row)"},
		{"too many fields", "a,b\n1,2\n3,4,5\n", []string{"a"},
			"in.csv:3: column 3: row has 3 fields, the header has 2 (ragged row)"},
		{"missing column", "a,b\n1,2\n", []string{"a", "z"},
			"in.csv:1: z: column not in the header"},
		{"bare quote", "a,b\n1,x\"y\n", []string{"a"}, "in.csv:2: b: bare \" in an unquoted field"},
		{"extraneous quote", "a,b\n\"1\"x,2\n", []string{"a"}, "in.csv:2: a: extraneous \""},
		{"unterminated", "a,b\n1,\"open\n2,3\n", []string{"a"},
			"in.csv:2: b: quoted field has no closing \""},
		{"line after quoted newlines", "a,b\n\"1\n\n\",2\n3\n", []string{"a"},
			"in.csv:5: b: row has 1 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := collect(t, []byte(tt.in), tt.columns, 1)
			if err == nil || !badinput.Is(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a bad-input error containing %q", err, tt.want)
			}
		})
	}
}

// Tiny blocks force many cuts, some next to quoted newlines.
func TestCSVSmallBlocks(t *testing.T) {
	defer func(n int) { blockSize = n }(blockSize)
	blockSize = 16
	var b strings.Builder
	b.WriteString("id,text\n")
	for i := range 500 {
		text := fmt.Sprintf("t%d", i)
		if i%7 == 0 {
			text = fmt.Sprintf("\"multi\nline \"\"%d\"\"\r\nend\"", i)
		}
		fmt.Fprintf(&b, "%d,%s\r\n", i, text)
	}
	in := []byte(b.String())
	header, want, err := reference(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 4} {
		got, err := collect(t, in, header, workers)
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Errorf("workers %d: records differ from encoding/csv", workers)
		}
	}
}

// FuzzCSV checks the parser against encoding/csv: where encoding/csv reads
// a file, every record, value and line must agree, with one worker and
// with several over tiny blocks; where it fails, ours must fail too.
func FuzzCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b\n1,2\n", "a,b\r\n\"x\"\"y\",\"1\n2\"\r\n", "a\n\n\"\"\n", "a,b\n1,\"2\"x\n",
		"a,b\n1\n", "a,b\n\"1,2\r\n", "a,b\n1,2\r", "x,y\n\r\n,\n", "h\n\"a\rb\"\n",
	} {
		f.Add([]byte(seed))
	}
	f.Add(randomCSV(1, 6))
	f.Add(randomCSV(2, 6))
	f.Fuzz(func(t *testing.T, in []byte) {
		if bytes.HasPrefix(in, []byte("\xef\xbb\xbf")) || bytes.IndexByte(in, 0) >= 0 {
			return
		}
		header, want, refErr := reference(in)
		if header == nil {
			return
		}
		cols := uniqueNames(header)
		defer func(n int) { blockSize = n }(blockSize)
		for _, size := range []int{1 << 20, 8} {
			blockSize = size
			for _, workers := range []int{1, 3} {
				got, err := collect(t, in, cols, workers)
				if refErr != nil {
					if err == nil {
						t.Fatalf("block %d workers %d: got no error, encoding/csv says %v",
							size, workers, refErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("block %d workers %d: got %v, encoding/csv reads it",
						size, workers, err)
				}
				w := project(want, header, cols)
				if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", w) {
					t.Fatalf("block %d workers %d: got %#v, want %#v", size, workers, got, w)
				}
			}
		}
	})
}

func uniqueNames(header []string) []string {
	var out []string
	for _, h := range header {
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// project keeps the first column of each name, as Scan does.
func project(recs []record, header, cols []string) []record {
	if len(recs) == 0 {
		return nil
	}
	out := make([]record, len(recs))
	for i, r := range recs {
		out[i].line = r.line
		for _, c := range cols {
			out[i].fields = append(out[i].fields, r.fields[slices.Index(header, c)])
		}
	}
	return out
}

// randomCSV builds records from the field shapes the fast and general
// paths split between: plain, quoted, quoted with commas, escapes or line
// breaks, empty, and LF or CRLF line ends.
func randomCSV(seed uint64, rows int) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	shapes := []func(int) string{
		func(i int) string { return fmt.Sprintf("v%d", i) },
		func(i int) string { return fmt.Sprintf("\"q%d\"", i) },
		func(i int) string { return fmt.Sprintf("\"a,%d,b\"", i) },
		func(i int) string { return "\"say \"\"hi\"\"\"" },
		func(i int) string { return fmt.Sprintf("\"l1\nl%d\"", i) },
		func(i int) string { return "" },
		func(i int) string { return "\"\"" },
		func(i int) string { return fmt.Sprintf("%d.%d", i, i%7) },
	}
	var b strings.Builder
	b.WriteString("a,b,c,d\n")
	for i := range rows {
		eol := "\n"
		if rng.IntN(3) == 0 {
			eol = "\r\n"
		}
		for c := range 4 {
			if c > 0 {
				b.WriteByte(',')
			}
			b.WriteString(shapes[rng.IntN(len(shapes))](i))
		}
		b.WriteString(eol)
	}
	return []byte(b.String())
}

func TestCSVRandomShapesMatchEncodingCSV(t *testing.T) {
	for seed := range uint64(20) {
		in := randomCSV(seed, 300)
		header, want, err := reference(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 2} {
			got, err := collect(t, in, header, workers)
			if err != nil {
				t.Fatalf("seed %d workers %d: %v", seed, workers, err)
			}
			if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
				t.Fatalf("seed %d workers %d: records differ from encoding/csv", seed, workers)
			}
		}
	}
}
