package main

import (
	"strings"
	"testing"
)

func TestUsageErrorsAreBadInput(t *testing.T) {
	for _, args := range [][]string{{"nonsense"}, {"invoke"}, {"invoke", "a", "b"},
		{"fairness", "extra"}, {"verify", "--no-such-flag"}} {
		code, _, stderr := runCLI(t, args...)
		if code != exitBadInput || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: got exit %d and %q, want exit 2 with one line", args, code, stderr)
		}
	}
	if code, _, _ := runCLI(t, "--help"); code != exitOK {
		t.Errorf("--help: got exit %d, want 0", code)
	}
}
