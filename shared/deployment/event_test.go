package deployment

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// TestEventsRoundTrip decodes every sample endpoint event, encodes it
// again and decodes that, which must give the same event.
func TestEventsRoundTrip(t *testing.T) {
	files, err := filepath.Glob("../../events/endpoint-*.json")
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
			if ev.Time.IsZero() || ev.Detail.EndpointName == "" || ev.Detail.EndpointStatus == "" {
				t.Errorf("decoded too little: %+v", ev)
			}
			if s := ev.Detail.EndpointStatus; s != InService && s != Updating {
				t.Errorf("status: got %q, want the API's spelling", s)
			}
			p := ev.Detail.Pending
			if ev.IsDeployment() && (p == nil || p.EndpointConfigName == "") {
				t.Errorf("deployment event without its pending configuration: %+v", ev.Detail)
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

func TestNormalStatus(t *testing.T) {
	tests := []struct{ in, want string }{
		{"IN_SERVICE", "InService"}, {"InService", "InService"}, {"UPDATING", "Updating"},
		{"SYSTEM_UPDATING", "SystemUpdating"}, {"OUT_OF_SERVICE", "OutOfService"}, {"", ""},
	}
	for _, tt := range tests {
		if got := NormalStatus(tt.in); got != tt.want {
			t.Errorf("NormalStatus(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeEventErrors(t *testing.T) {
	tests := []struct {
		name, raw string
		check     func(error) bool
	}{
		{"other trigger", `{"source": "aws.sagemaker",
			"detail-type": "SageMaker Model Package State Change", "detail": {}}`,
			func(err error) bool { return errors.Is(err, ErrNotForCheck) }},
		{"bad time", `{"source": "aws.sagemaker", "time": "soon",
			"detail-type": "SageMaker Endpoint State Change", "detail": {}}`, badinput.Is},
		{"no detail", `{"source": "aws.sagemaker",
			"detail-type": "SageMaker Endpoint State Change"}`,
			badinput.Is},
		{"no endpoint", `{"source": "aws.sagemaker",
			"detail-type": "SageMaker Endpoint State Change",
			"detail": {"EndpointStatus": "IN_SERVICE"}}`, badinput.Is},
		{"name of wrong type", `{"source": "aws.sagemaker",
			"detail-type": "SageMaker Endpoint Deployment State Change",
			"detail": {"EndpointName": 7}}`,
			badinput.Is},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeEvent([]byte(tt.raw))
			if !tt.check(err) {
				t.Errorf("got %v", err)
			}
		})
	}
	ev, err := DecodeEvent([]byte(`{"source": "aws.sagemaker",
		"detail-type": "SageMaker Endpoint State Change",
		"resources": ["arn:aws:sagemaker:us-east-1:1:endpoint/credit-risk-prod"],
		"detail": {"EndpointStatus": "IN_SERVICE"}}`))
	if err != nil || ev.Detail.EndpointName != "credit-risk-prod" {
		t.Errorf("name from resources: got %+v, %v", ev, err)
	}
}
