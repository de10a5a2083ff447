package eventtime

import (
	"encoding/json"
	"testing"
	"time"
)

func TestEventTimeIsLenient(t *testing.T) {
	want := time.Date(2026, 12, 3, 10, 5, 12, 287e6, time.UTC)
	for _, raw := range []string{`"2026-12-03T10:05:12.287Z"`, `"2026-12-03T11:05:12.287+01:00"`,
		`1796292312287`, `"1796292312287"`, `1796292312287.0`} {
		var got Time
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if !got.Equal(want) {
			t.Errorf("%s: got %s, want %s", raw, got, want)
		}
	}
	for _, raw := range []string{`"yesterday"`, `"NaN"`, `true`} {
		var bad Time
		if err := json.Unmarshal([]byte(raw), &bad); err == nil {
			t.Errorf("accepted time %s as %s", raw, bad)
		}
	}
}
