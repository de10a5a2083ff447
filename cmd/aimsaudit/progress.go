package main

import (
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows one bar over the input files on stderr, only when stderr is
// a terminal and the work is still running after a second; pipes and logs
// stay clean.
type progress struct {
	read atomic.Int64
	done chan struct{}
	quit chan struct{}
}

// startProgress begins watching; the caller reports bytes read with add and
// ends with stop.
func startProgress(stderr io.Writer, paths ...string) *progress {
	p := &progress{done: make(chan struct{}), quit: make(chan struct{})}
	file, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(file.Fd())) {
		close(p.quit)
		return p
	}
	size := int64(-1) // unknown: the bar counts bytes without a total
	for _, path := range paths {
		if st, err := os.Stat(path); err == nil {
			size = max(size, 0) + st.Size()
		}
	}
	go p.show(file, size)
	return p
}

func (p *progress) add(n int64) { p.read.Add(n) }

func (p *progress) show(w io.Writer, size int64) {
	defer close(p.quit)
	select {
	case <-p.done:
		return
	case <-time.After(time.Second):
	}
	bar := progressbar.NewOptions64(size, progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("reading"),
		progressbar.OptionThrottle(100*time.Millisecond))
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			_ = bar.Finish()
			return
		case <-tick.C:
			read := p.read.Load()
			if size >= 0 {
				read = min(read, size)
			}
			_ = bar.Set64(read)
		}
	}
}

func (p *progress) stop() {
	close(p.done)
	<-p.quit
}
