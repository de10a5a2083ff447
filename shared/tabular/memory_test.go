package tabular

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"
	"testing/iotest"
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

// A body that trickles in a few bytes per Read (a slow network stream)
// gives the same records as one read in full.
func TestScanTricklingReader(t *testing.T) {
	defer func(n int) { blockSize = n }(blockSize)
	blockSize = 64
	in := randomCSV(7, 200)
	header, want, err := reference(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		var mu sync.Mutex
		var got []record
		slow := iotest.OneByteReader(bytes.NewReader(in))
		_, err := Scan(context.Background(), slow, "slow.csv", header,
			Options{Workers: workers}, func() Handler {
				return HandlerFunc(func(r *Row) error {
					rec := record{line: r.Line()}
					for i := range r.Len() {
						rec.fields = append(rec.fields, r.String(i))
					}
					mu.Lock()
					got = append(got, rec)
					mu.Unlock()
					return nil
				})
			})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(got, func(a, b record) int { return a.line - b.line })
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Errorf("workers %d: records differ from encoding/csv", workers)
		}
	}
}
