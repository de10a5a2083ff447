package evidence

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// NewRunID names a run: its start time first, so runs list in order, then
// random hex, so runs started in the same second stay apart.
func NewRunID(at time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return at.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
