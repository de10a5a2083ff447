package tabular

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

	"github.com/parquet-go/parquet-go"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// scanAll reads every record of an input with FormatAuto.
func scanAll(t *testing.T, data []byte, source string, columns []string) ([]string, Stats, error) {
	t.Helper()
	var out []string
	st, err := Scan(context.Background(), bytes.NewReader(data), source, columns,
		Options{Workers: 1}, func() Handler {
			return HandlerFunc(func(r *Row) error {
				var vals []string
				for i := range r.Len() {
					vals = append(vals, r.String(i))
				}
				out = append(out, fmt.Sprintf("%d:%s", r.Line(), strings.Join(vals, "|")))
				return nil
			})
		})
	return out, st, err
}

func TestJSONLines(t *testing.T) {
	data := "{\"a\": 1, \"b\": \"x\\\"y\", \"c\": {\"n\": 1}}\n\n" +
		"{\"b\": \"plain\", \"a\": null}\r\n{\"a\": true, \"b\": \"\\u00e9\"}"
	got, st, err := scanAll(t, []byte(data), "in.jsonl", []string{"b", "a"})
	if err != nil {
		t.Fatal(err)
	}
	want := `1:x"y|1 3:plain| 4:é|true`
	if strings.Join(got, " ") != want || st.Format != FormatJSONL {
		t.Errorf("got %v (%v), want %s (jsonl)", got, st.Format, want)
	}
}

func TestJSONLinesErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"missing key", "{\"a\": 1}\n{\"b\": 2}\n", "in.jsonl:2: a: missing column"},
		{"not an object", "{\"a\": 1}\n[1]\n", "in.jsonl:2: not a JSON object"},
		{"nested value", "{\"a\": [1]}\n", "in.jsonl:1: a: an object or array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := scanAll(t, []byte(tt.in), "in.jsonl", []string{"a"})
			if !badinput.Is(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a bad-input error containing %q", err, tt.want)
			}
		})
	}
}

type parquetRow struct {
	Label int32    `parquet:"label"`
	Score float64  `parquet:"score"`
	Group *string  `parquet:"group,optional"`
	OK    bool     `parquet:"ok"`
	Big   int64    `parquet:"big"`
	Tags  []string `parquet:"tags,list"`
}

func parquetBytes(t *testing.T, rows []parquetRow) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[parquetRow](&b, parquet.MaxRowsPerRowGroup(2))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestParquet(t *testing.T) {
	g := "north"
	data := parquetBytes(t, []parquetRow{
		{Label: 1, Score: 0.5, Group: &g, OK: true, Big: 1 << 40},
		{Label: 0, Score: 1e-7, Group: nil, OK: false, Big: -3},
		{Label: 1, Score: 2, Group: &g, OK: true, Big: 7},
	})
	cols := []string{"label", "score", "group", "ok", "big"}
	want := "1:1|0.5|north|true|1099511627776 2:0|1e-07||false|-3 3:1|2|north|true|7"
	got, st, err := scanAll(t, data, "stream", cols)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != want || st.Format != FormatParquet {
		t.Errorf("got %v (%v), want %s (parquet)", got, st.Format, want)
	}
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var fromFile []string
	_, err = ScanFile(context.Background(), path, cols, Options{}, func() Handler {
		return HandlerFunc(func(r *Row) error {
			fromFile = append(fromFile, r.String(0))
			return nil
		})
	})
	if err != nil || strings.Join(fromFile, "") != "101" {
		t.Errorf("from file: got %v, %v; want labels 101", fromFile, err)
	}
	for _, bad := range []struct{ col, want string }{
		{"nope", "stream: nope: column not in the Parquet schema"},
		{"tags", "tags: nested or repeated column"},
	} {
		_, _, err := scanAll(t, data, "stream", []string{bad.col})
		if !badinput.Is(err) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("got %v, want a bad-input error containing %q", err, bad.want)
		}
	}
}

func TestSniffing(t *testing.T) {
	csv := []byte("a,b\n1,2\n")
	jsonl := []byte("{\"a\": 1}\n")
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name, source string
		data         []byte
		format       Format
		gzip         bool
	}{
		{"csv by content", "x", csv, FormatCSV, false},
		{"jsonl by content", "x", jsonl, FormatJSONL, false},
		{"jsonl by extension", "x.ndjson", []byte("\n{\"a\": 1}\n"), FormatJSONL, false},
		{"gzip csv", "x", gz(csv), FormatCSV, true},
		{"gzip jsonl", "s3://b/k.jsonl.gz", gz(jsonl), FormatJSONL, true},
		{"jsonl with bom", "x", append([]byte("\xef\xbb\xbf"), jsonl...), FormatJSONL, false},
		{"csv with bom", "x", append([]byte("\xef\xbb\xbf"), csv...), FormatCSV, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st, err := scanAll(t, tt.data, tt.source, []string{"a"})
			if err != nil {
				t.Fatal(err)
			}
			if st.Format != tt.format || st.Compressed != tt.gzip || len(got) != 1 {
				t.Errorf("got %v gzip=%v rows %v, want %v gzip=%v one row",
					st.Format, st.Compressed, got, tt.format, tt.gzip)
			}
		})
	}
	_, st, err := scanAll(t, nil, "empty.csv", []string{"a"})
	if err != nil || !st.Empty {
		t.Errorf("empty input: got %+v, %v; want Empty and no error", st, err)
	}
}

func TestRowFloat(t *testing.T) {
	row := &Row{source: "f.csv", line: 7, columns: []string{"w"}, fields: make([][]byte, 1)}
	for in, want := range map[string]float64{"1": 1, "-2.5": -2.5, "0.125": 0.125,
		"1e3": 1000, "+4": 4, ".5": 0.5, "123456789012345678": 123456789012345678} {
		row.fields[0] = []byte(in)
		got, err := row.Float(0)
		if err != nil || got != want {
			t.Errorf("Float(%q): got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "NaN", "Inf", "1.2.3", "-"} {
		row.fields[0] = []byte(in)
		_, err := row.Float(0)
		if !badinput.Is(err) || !strings.HasPrefix(err.Error(), "f.csv:7: w: ") {
			t.Errorf("Float(%q): got %v, want a bad-input error naming f.csv:7: w", in, err)
		}
	}
}

// parseSimpleFloat agrees with strconv on every value it accepts.
func FuzzParseSimpleFloat(f *testing.F) {
	for _, s := range []string{"0.1", "123.456", "-0.000001", "999999999999999", "1."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseSimpleFloat([]byte(s))
		if !ok {
			return
		}
		var want float64
		if _, err := fmt.Sscan(s, &want); err != nil {
			t.Fatalf("accepted %q that strconv rejects: %v", s, err)
		}
		if got != want {
			t.Fatalf("%q: got %v, want %v", s, got, want)
		}
	})
}

func TestInternerManyValues(t *testing.T) {
	var in Interner
	for round := range 2 {
		for i := range 5000 {
			v := fmt.Sprintf("v%d", i)
			if i%3 == 0 {
				v = fmt.Sprintf("a much longer value %d", i)
			}
			if got := in.ID([]byte(v)); got != uint32(i) {
				t.Fatalf("round %d: ID(%q) = %d, want %d", round, v, got, i)
			}
		}
	}
	if in.Len() != 5000 || in.Value(4999) != "v4999" {
		t.Errorf("got %d values, last %q", in.Len(), in.Value(4999))
	}
	if _, ok := in.Lookup("absent"); ok {
		t.Error("Lookup(absent) found a value")
	}
	if in.ID([]byte("")) != 5000 || in.ID([]byte("a\x00")) == in.ID([]byte("a")) {
		t.Error("empty or NUL-padded values collide")
	}
}

// FuzzJSONLFastPath checks the hand-written flat-object scanner against
// encoding/json: whatever it accepts, encoding/json must accept with the
// same values.
func FuzzJSONLFastPath(f *testing.F) {
	for _, s := range []string{`{"a": 1, "b": "x"}`, `{"b":null,"a":-0.5e3}`,
		`{"a":true,"a":false,"b":""}`, `{"a": "é", "b": [1]}`, `{"a":01,"b":1}`,
		`{"a":"\u0041","b":1}`, `{"a":1,"b":2} x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		fast := newJSONLParser("f.jsonl", []string{"a", "b"})
		if !fast.fastObject(rec) {
			return
		}
		slow := newJSONLParser("f.jsonl", []string{"a", "b"})
		clear(slow.obj)
		if err := json.Unmarshal(rec, &slow.obj); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json says %v", rec, err)
		}
		for j, c := range slow.columns {
			want, err := scalar(slow.obj[c])
			if err != nil {
				t.Fatalf("fast path accepted %q, slow path says %v", rec, err)
			}
			got := fast.row.fields[j]
			if string(got) != string(want) || (got == nil) != (want == nil) {
				t.Fatalf("%q column %s: got %q, want %q", rec, c, got, want)
			}
		}
	})
}

func TestRowFixed(t *testing.T) {
	row := &Row{source: "f.csv", line: 2, columns: []string{"w"}, fields: make([][]byte, 1)}
	for in, want := range map[string]int64{"1": 1e9, "0.5": 5e8, "-2.25": -225e7,
		"1.000000001": 1_000_000_001, "999999999.999999999": 999_999_999_999_999_999, "+.5": 5e8} {
		row.fields[0] = []byte(in)
		if got, ok := row.Fixed(0); !ok || got != want {
			t.Errorf("Fixed(%q): got %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "1e3", "0.0000000001", "1000000000", "abc", "1.2.3"} {
		row.fields[0] = []byte(in)
		if got, ok := row.Fixed(0); ok {
			t.Errorf("Fixed(%q): got %d, want not fixed", in, got)
		}
	}
}
