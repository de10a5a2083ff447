// Package eventtime reads the time of an EventBridge event leniently: AWS's
// documented SageMaker examples carry it as RFC 3339, as epoch milliseconds,
// and as epoch milliseconds in a string, and a trigger must not fail on any.
package eventtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Time is an event time that accepts RFC 3339 strings and epoch
// milliseconds, as a number or as a string of digits: the documented
// endpoint example carries "time": "1583831889050".
type Time struct{ time.Time }

// UnmarshalJSON reads any of the three forms.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		if parsed, err := time.Parse(time.RFC3339Nano, text); err == nil {
			t.Time = parsed
			return nil
		}
	}
	ms, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(ms) || math.IsInf(ms, 0) {
		return fmt.Errorf("time %s: want RFC 3339 or epoch milliseconds", b)
	}
	t.Time = time.UnixMilli(int64(ms)).UTC()
	return nil
}

// MarshalJSON writes the time in RFC 3339, whichever form it arrived in.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}
