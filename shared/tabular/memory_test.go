package tabular

import (
	"context"
	"io"
	"runtime"
	"testing"
)

// rowStream produces n copies of a row without holding them, like an S3
// body streaming a large object.
type rowStream struct {
	header, row []byte
	n, off      int
}

func (s *rowStream) Read(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		src := s.row
		if s.header != nil {
			src = s.header
		} else if s.n == 0 {
			break
		}
		k := copy(p[written:], src[s.off:])
		written += k
		s.off += k
		if s.off == len(src) {
			s.off = 0
			if s.header != nil {
				s.header = nil
			} else {
				s.n--
			}
		}
	}
	if written == 0 {
		return 0, io.EOF
	}
	return written, nil
}

// Scanning 64 MB from a stream allocates a few block buffers, not the input.
func TestScanStreamsInConstantMemory(t *testing.T) {
	row := []byte("1,0,0.734512,F,25-34,north,1.250,52340\n")
	n := 64 << 20 / len(row)
	in := &rowStream{header: []byte("y,p,s,sex,age,region,w,income\n"), row: row, n: n}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, err := Scan(context.Background(), in, "stream.csv", []string{"y", "sex", "w"},
		Options{Workers: 2}, func() Handler {
			return HandlerFunc(func(*Row) error { return nil })
		})
	runtime.ReadMemStats(&after)
	if err != nil || st.Rows != int64(n) {
		t.Fatalf("got %d rows, %v; want %d", st.Rows, err, n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("scan allocated %d MB for a 64 MB stream, want under 16", alloc>>20)
	}
}
