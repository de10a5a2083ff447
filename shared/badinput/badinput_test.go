package badinput

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestErrorNamesWhereAndWraps(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"full", Errorf("eval.csv", 12, "y_true", "label %q is neither %q nor the other value", "x", "1"),
			`eval.csv:12: y_true: label "x" is neither "1" nor the other value`},
		{"no line", Errorf("event", 0, "detail.ModelPackageArn", "missing"),
			"event: detail.ModelPackageArn: missing"},
		{"field only", Errorf("", 0, "--label", "required"), "--label: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsSeesThroughWrapping(t *testing.T) {
	inner := Errorf("f.csv", 3, "w", "not a number: %w", io.ErrUnexpectedEOF)
	wrapped := fmt.Errorf("evaluate: %w", inner)
	if !Is(wrapped) {
		t.Fatalf("Is(%v) = false, want true", wrapped)
	}
	if !errors.Is(wrapped, io.ErrUnexpectedEOF) {
		t.Errorf("cause lost through wrapping")
	}
	if Is(io.EOF) {
		t.Errorf("Is(io.EOF) = true, want false")
	}
}
