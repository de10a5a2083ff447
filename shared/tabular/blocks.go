package tabular

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// blockSize is the unit of reading and of work for the parsing goroutines:
// large enough that the per-block cost vanishes, small enough that memory
// stays a few megabytes whatever the input size.
var blockSize = 1 << 20

// blockParser decodes whole records; each worker owns one.
type blockParser interface {
	parse(data []byte, line int, h Handler) (int64, error)
	clone() blockParser
}

// cutFunc says how much of a buffer ends on a record boundary (-1: none).
type cutFunc func(data []byte) int

// pipeline reads an input in blocks cut at record boundaries and parses
// them on several goroutines. The workers take turns at the reader: each
// reads a block into its own buffer under a lock, then parses it while the
// next worker reads, so a block is parsed on the core that read it, still
// in its cache. Counts are commutative, so the order in which blocks finish
// does not matter; the error reported is the one of the earliest block, so
// it names the first bad line as a sequential reader would.
type pipeline struct {
	r       io.Reader
	cut     cutFunc
	pending []byte // bytes read past the header, not yet parsed
	line    int    // line of pending's first byte
}

// blockReader hands out consecutive blocks to the workers.
type blockReader struct {
	mu    sync.Mutex
	p     *pipeline
	carry []byte // bytes after the last cut, the start of the next block
	line  int    // line of carry's first byte
	seq   int
	done  bool
	err   error
}

// next reads the next block into buf (grown when a record does not fit)
// and returns it with its sequence number and first line; ok is false at
// the end of the input or after a read error.
func (br *blockReader) next(buf []byte) (data, grown []byte, seq, line int, ok bool) {
	br.mu.Lock()
	defer br.mu.Unlock()
	if br.done {
		return nil, buf, 0, 0, false
	}
	if len(buf) < len(br.carry)+blockSize/2 {
		buf = make([]byte, 2*(len(br.carry)+blockSize/2))
	}
	n := copy(buf, br.carry)
	for {
		data, eof, err := br.p.fill(buf, n)
		if err != nil {
			br.done, br.err = true, err
			return nil, buf, 0, 0, false
		}
		cut := len(data)
		if !eof {
			cut = br.p.cut(data)
		}
		if cut < 0 {
			bigger := make([]byte, 2*len(buf))
			n, buf = copy(bigger, data), bigger
			continue
		}
		br.carry = append(br.carry[:0], data[cut:]...)
		seq, line = br.seq, br.line
		br.seq++
		br.line += bytes.Count(data[:cut], []byte{'\n'})
		br.done = eof
		return data[:cut], buf, seq, line, cut > 0 || !eof
	}
}

// firstError keeps the error of the earliest block.
type firstError struct {
	mu  sync.Mutex
	seq int
	err error
}

func (f *firstError) set(seq int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil || seq < f.seq {
		f.seq, f.err = seq, err
	}
}

// after reports whether an error is known in a block before seq, which
// makes parsing block seq pointless.
func (f *firstError) after(seq int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err != nil && f.seq < seq
}

func (p *pipeline) run(ctx context.Context, parsers []blockParser,
	handlers []Handler) (int64, error) {
	if len(parsers) == 1 {
		return p.runInline(ctx, parsers[0], handlers[0])
	}
	br := &blockReader{p: p, carry: p.pending, line: p.line}
	var (
		first firstError
		mu    sync.Mutex
		rows  int64
		wg    sync.WaitGroup
	)
	for k := range parsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := p.work(ctx, br, parsers[k], handlers[k], &first)
			mu.Lock()
			rows += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	switch {
	case first.err != nil:
		return rows, first.err
	case br.err != nil:
		return rows, br.err
	}
	return rows, ctx.Err()
}

// work reads and parses blocks until the input ends, the context is done,
// or an earlier block failed.
func (p *pipeline) work(ctx context.Context, br *blockReader, bp blockParser, h Handler,
	first *firstError) int64 {
	var rows int64
	buf := make([]byte, blockSize)
	for ctx.Err() == nil {
		data, grown, seq, line, ok := br.next(buf)
		buf = grown
		if !ok || first.after(seq) {
			return rows
		}
		n, err := bp.parse(data, line, h)
		rows += n
		if err != nil {
			first.set(seq, err)
			return rows
		}
	}
	return rows
}

// runInline reads and parses on the calling goroutine, which saves the
// hand-over between goroutines when only one core is to be used.
func (p *pipeline) runInline(ctx context.Context, bp blockParser, h Handler) (int64, error) {
	buf := make([]byte, max(blockSize, 2*len(p.pending)))
	n := copy(buf, p.pending)
	line := p.line
	var rows int64
	for {
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		data, eof, err := p.fill(buf, n)
		if err != nil {
			return rows, err
		}
		cut := len(data)
		if !eof {
			cut = p.cut(data)
		}
		if cut < 0 {
			bigger := make([]byte, 2*len(buf))
			n, buf = copy(bigger, data), bigger
			continue
		}
		got, err := bp.parse(data[:cut], line, h)
		rows += got
		if err != nil {
			return rows, err
		}
		if eof {
			return rows, nil
		}
		line += bytes.Count(data[:cut], []byte{'\n'})
		n = copy(buf, data[cut:])
	}
}

// fill reads into buf[n:] until it is full or the input ends.
func (p *pipeline) fill(buf []byte, n int) ([]byte, bool, error) {
	for n < len(buf) {
		m, err := p.r.Read(buf[n:])
		n += m
		if errors.Is(err, io.EOF) {
			return buf[:n], true, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read: %w", err)
		}
	}
	return buf[:n], false, nil
}
