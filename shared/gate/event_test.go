package gate

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// TestEventsRoundTrip decodes every sample event of the gate's trigger,
// encodes it again and decodes that, which must give the same event.
func TestEventsRoundTrip(t *testing.T) {
	files, err := filepath.Glob("../../events/model-package-state-change-*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample events: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			must(t, err)
			ev, err := DecodeEvent(raw)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if ev.Time.IsZero() || ev.Detail.ModelPackageArn == "" || ev.Detail.ModelPackageVersion == 0 {
				t.Errorf("decoded too little: %+v", ev)
			}
			again, err := json.Marshal(ev)
			must(t, err)
			ev2, err := DecodeEvent(again)
			if err != nil {
				t.Fatalf("decode re-encoded: %v", err)
			}
			if !ev2.Time.Equal(ev.Time.Time) || !reflect.DeepEqual(ev2.Detail, ev.Detail) ||
				!reflect.DeepEqual(ev2.Resources, ev.Resources) || ev2.ID != ev.ID {
				t.Errorf("round trip changed the event:\n got %+v\nwant %+v", ev2, ev)
			}
		})
	}
}

func TestDecodeEventErrors(t *testing.T) {
	_, err := DecodeEvent([]byte(
		`{"source": "aws.s3", "detail-type": "Object Created", "detail": {}}`))
	if !errors.Is(err, ErrNotForGate) {
		t.Errorf("other trigger: got %v, want ErrNotForGate", err)
	}
	_, err = DecodeEvent([]byte(`{"source": "aws.sagemaker", "time": "soon",
		"detail-type": "SageMaker Model Package State Change", "detail": {}}`))
	if !badinput.Is(err) {
		t.Errorf("bad time: got %v, want bad input", err)
	}
	ev, err := DecodeEvent([]byte(
		`{"source": "aws.sagemaker", "detail-type": "SageMaker Model Package State Change",
		"resources": ["arn:aws:sagemaker:us-east-1:1:model-package/g/2"], ` +
			`"detail": {"ModelApprovalStatus": "Approved"}}`))
	if err != nil || ev.Detail.ModelPackageArn != "arn:aws:sagemaker:us-east-1:1:model-package/g/2" {
		t.Errorf("ARN from resources: got %v, %v", ev, err)
	}
}
