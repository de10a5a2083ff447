package sweep

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

func asBad(err error, bad **badinput.Error) bool { return errors.As(err, bad) }

// TestEventsRoundTrip decodes every sample event of the sweep, re-encodes
// the batches it carries and decodes them again unchanged.
func TestEventsRoundTrip(t *testing.T) {
	files, err := filepath.Glob("../../events/*posture-sweep*.json")
	must(t, err)
	want := map[string]string{
		"scheduled-posture-sweep.json":          "schedule",
		"scheduled-posture-sweep-no-input.json": "schedule",
		"posture-sweep-scheduler.json":          "schedule",
		"posture-sweep-batch.json":              "batch",
		"posture-sweep-endpoints-batch.json":    "batch",
		"posture-sweep-sqs.json":                "sqs",
	}
	if len(files) != len(want) {
		t.Fatalf("got event files %v, want %d", files, len(want))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			must(t, err)
			tr, err := DecodeTrigger(raw)
			must(t, err)
			if got := kindOf(tr); got != want[filepath.Base(file)] {
				t.Fatalf("got %s, want %s", got, want[filepath.Base(file)])
			}
			for _, b := range batchesOf(t, tr) {
				body, err := json.Marshal(Input{Task: Task, Batch: &b})
				must(t, err)
				again, err := DecodeInput(body, "round trip")
				must(t, err)
				if !reflect.DeepEqual(*again.Batch, b) {
					t.Errorf("got %+v after a round trip, want %+v", *again.Batch, b)
				}
			}
		})
	}
}

func kindOf(tr Trigger) string {
	switch {
	case tr.Messages != nil:
		return "sqs"
	case tr.Batch != nil:
		return "batch"
	}
	return "schedule"
}

func batchesOf(t *testing.T, tr Trigger) []Batch {
	t.Helper()
	if tr.Batch != nil {
		return []Batch{*tr.Batch}
	}
	var out []Batch
	for _, m := range tr.Messages {
		in, err := DecodeInput([]byte(m.Body), "message")
		must(t, err)
		if in.Batch == nil {
			t.Fatalf("message %s carries no batch", m.MessageId)
		}
		out = append(out, *in.Batch)
	}
	return out
}

func TestBadTriggersNameTheField(t *testing.T) {
	tests := []struct{ name, raw, field string }{
		{"not an object", `[1]`, ""},
		{"no task", `{"hello": "world"}`, "task"},
		{"other task", `{"task": "drift-check"}`, "task"},
		{"task not a string", `{"task": 7}`, "task"},
		{"unknown field", `{"task": "posture-sweep", "bacth": {}}`, "bacth"},
		{"other detail-type", `{"detail-type": "AWS API Call via CloudTrail", "detail": {}}`,
			"detail-type"},
		{"batch without run id", `{"task": "posture-sweep", "batch": {"register": {}}}`,
			"batch.runId"},
		{"batch of two kinds", `{"task": "posture-sweep", "batch": {"runId": "r",
			"register": {}, "aws": {"target": {"account": "1"}, "region": "x"}}}`, "batch.aws"},
		{"bucket without name", `{"task": "posture-sweep", "batch": {"runId": "r",
			"aws": {"target": {"account": "123456789012"}, "region": "us-east-1",
			"buckets": [{"system": "x"}]}}}`, "batch.aws.buckets[0].name"},
		{"azure account without endpoint", `{"task": "posture-sweep", "batch": {"runId": "r",
			"azure": {"subscription": "s", "accounts": [{"name": "a", "resourceGroup": "g"}]}}}`,
			"batch.azure.accounts[0].blobEndpoint"},
		{"endpoint without name", `{"task": "posture-sweep", "batch": {"runId": "r",
			"endpoints": {"target": {"account": "123456789012"}, "region": "us-east-1",
			"endpoints": [""]}}}`, "batch.endpoints.endpoints[0]"},
		{"sqs record from elsewhere", `{"Records": [{"messageId": "m", "eventSource": "aws:s3"}]}`,
			"Records[0].eventSource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeTrigger([]byte(tt.raw))
			var bad *badinput.Error
			if !asBad(err, &bad) {
				t.Fatalf("got %v, want bad input", err)
			}
			if bad.Field != tt.field {
				t.Errorf("got field %q (%v), want %q", bad.Field, err, tt.field)
			}
		})
	}
}
