package tabular

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

func TestDamagedGzipIsBadInput(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("y,p\n" + strings.Repeat("1,0\n0,1\n", 200000)))
	zw.Close()
	full := b.Bytes()
	flipped := bytes.Clone(full)
	flipped[len(flipped)-6] ^= 0xff // the stored CRC
	for name, data := range map[string][]byte{
		"truncated": full[:len(full)/2], "bad checksum": flipped,
	} {
		_, err := Scan(t.Context(), bytes.NewReader(data), "eval.csv.gz", []string{"y", "p"}, Options{},
			func() Handler { return HandlerFunc(func(*Row) error { return nil }) })
		if !badinput.Is(err) || !strings.Contains(err.Error(), "eval.csv.gz") {
			t.Errorf("%s: got %v, want bad input naming eval.csv.gz", name, err)
		}
	}
}
