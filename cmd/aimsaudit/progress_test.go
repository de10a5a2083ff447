package main

import (
	"bytes"
	"testing"
)

func TestProgressStaysOffAPipe(t *testing.T) {
	var stderr bytes.Buffer
	p := startProgress(&stderr, "progress.go")
	p.add(1 << 20)
	p.stop()
	if stderr.Len() != 0 {
		t.Errorf("got %q on a non-terminal, want nothing", stderr.String())
	}
}
