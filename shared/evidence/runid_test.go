package evidence

import (
	"strings"
	"testing"
	"time"
)

func TestNewRunIDOrdersAndSeparates(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.FixedZone("x", 3600))
	a, b := NewRunID(at), NewRunID(at)
	if a == b || !strings.HasPrefix(a, "20261203T090000Z-") || len(a) != len("20261203T090000Z-")+8 {
		t.Errorf("got %q and %q", a, b)
	}
	if later := NewRunID(at.Add(time.Second)); later < a {
		t.Errorf("a later run %q sorts before %q", later, a)
	}
}
