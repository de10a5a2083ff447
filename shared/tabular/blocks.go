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

// block is a run of whole records and the line its first byte is on.
type block struct {
	buf  []byte
	data []byte
	seq  int
	line int
}

// cutFunc says how much of a buffer ends on a record boundary (-1: none).
type cutFunc func(data []byte) int

// pipeline reads an input in blocks cut at record boundaries and parses
// them on several goroutines. Counts are commutative, so the order in which
// blocks finish does not matter; the error reported is the one of the
// earliest block, so it names the first bad line as a sequential reader
// would.
type pipeline struct {
	r       io.Reader
	cut     cutFunc
	pending []byte // bytes read past the header, not yet parsed
	line    int    // line of pending's first byte
}

type blockError struct {
	seq int
	err error
}

func (p *pipeline) run(ctx context.Context, parsers []blockParser,
	handlers []Handler) (int64, error) {
	if len(parsers) == 1 {
		return p.runInline(ctx, parsers[0], handlers[0])
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	blocks := make(chan *block, len(parsers))
	pool := make(chan []byte, 2*len(parsers)+1)
	for range cap(pool) {
		pool <- make([]byte, blockSize)
	}
	var (
		mu    sync.Mutex
		first *blockError
		rows  int64
		wg    sync.WaitGroup
	)
	fail := func(seq int, err error) {
		mu.Lock()
		if first == nil || seq < first.seq {
			first = &blockError{seq, err}
		}
		mu.Unlock()
		cancel()
	}
	for k := range parsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := p.work(blocks, pool, parsers[k], handlers[k], fail)
			mu.Lock()
			rows += n
			mu.Unlock()
		}()
	}
	readErr := p.produce(ctx, blocks, pool)
	close(blocks)
	wg.Wait()
	if first != nil {
		return rows, first.err
	}
	if readErr != nil {
		return rows, readErr
	}
	return rows, ctx.Err()
}

func (p *pipeline) work(blocks <-chan *block, pool chan<- []byte, bp blockParser,
	h Handler, fail func(int, error)) int64 {
	var rows int64
	failed := false
	for b := range blocks {
		if !failed {
			n, err := bp.parse(b.data, b.line, h)
			rows += n
			if err != nil {
				failed = true
				fail(b.seq, err)
			}
		}
		select {
		case pool <- b.buf:
		default:
		}
	}
	return rows
}

// produce reads blocks and sends them to the workers. The bytes after the
// last record boundary of a block are carried into the next one; a record
// longer than a block makes the buffer grow.
func (p *pipeline) produce(ctx context.Context, blocks chan<- *block, pool chan []byte) error {
	buf, err := nextBuffer(ctx, pool, len(p.pending))
	if err != nil {
		return err
	}
	n := copy(buf, p.pending)
	line := p.line
	for seq := 0; ; {
		data, eof, err := p.fill(buf, n)
		if err != nil {
			return err
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
		var next []byte
		if !eof {
			if next, err = nextBuffer(ctx, pool, len(data)-cut); err != nil {
				return err
			}
			n = copy(next, data[cut:])
		}
		if err := p.send(ctx, blocks, pool, &block{buf: buf, data: data[:cut], seq: seq,
			line: line}); err != nil {
			return err
		}
		seq++
		line += bytes.Count(data[:cut], []byte{'\n'})
		if eof {
			return nil
		}
		buf = next
	}
}

func (p *pipeline) send(ctx context.Context, blocks chan<- *block, pool chan []byte,
	b *block) error {
	if len(b.data) == 0 {
		select {
		case pool <- b.buf:
		default:
		}
		return nil
	}
	select {
	case blocks <- b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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

// nextBuffer takes a buffer from the pool, large enough for carry bytes plus
// a block's worth of reading.
func nextBuffer(ctx context.Context, pool chan []byte, carry int) ([]byte, error) {
	var buf []byte
	select {
	case buf = <-pool:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if cap(buf) < carry+blockSize/2 {
		buf = make([]byte, 2*(carry+blockSize/2))
	}
	return buf[:cap(buf)], nil
}
