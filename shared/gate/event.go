package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/eventtime"
)

// The trigger the gate listens to.
const (
	SourceSageMaker     = "aws.sagemaker"
	DetailPackageChange = "SageMaker Model Package State Change"
)

// ErrNotForGate marks a well-formed event of another source or detail-type:
// the gate ignores it with one log line instead of failing.
var ErrNotForGate = errors.New("event is not a model package state change")

// Event is the EventBridge envelope of a model package state change, reduced
// to what the gate needs. The event is only a trigger: the gate describes
// the package and acts on what the API says, not on the event's status.
type Event struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       eventtime.Time  `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     PackageChange   `json:"-"`
	RawDetail  json.RawMessage `json:"detail"`
}

// PackageChange is the detail of the event; other fields are kept in
// RawDetail.
type PackageChange struct {
	ModelPackageArn       string `json:"ModelPackageArn"`
	ModelPackageGroupName string `json:"ModelPackageGroupName,omitempty"`
	ModelPackageVersion   int    `json:"ModelPackageVersion,omitempty"`
	ModelApprovalStatus   string `json:"ModelApprovalStatus,omitempty"`
}

// DecodeEvent parses an event. A malformed event is bad input naming the
// field at fault; a well-formed event for another trigger wraps
// ErrNotForGate.
func DecodeEvent(raw []byte) (*Event, error) {
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, badinput.Errorf("event", 0, fieldOf(err), "malformed event: %w", err)
	}
	if ev.Source != SourceSageMaker || ev.DetailType != DetailPackageChange {
		return &ev, fmt.Errorf("%w: source %q, detail-type %q", ErrNotForGate, ev.Source, ev.DetailType)
	}
	if len(bytes.TrimSpace(ev.RawDetail)) == 0 ||
		bytes.Equal(bytes.TrimSpace(ev.RawDetail), []byte("null")) {
		return nil, badinput.Errorf("event", 0, "detail", "missing")
	}
	if err := json.Unmarshal(ev.RawDetail, &ev.Detail); err != nil {
		return nil, badinput.Errorf("event", 0, "detail."+fieldOf(err), "malformed detail: %w", err)
	}
	if ev.Detail.ModelPackageArn == "" && len(ev.Resources) == 1 {
		ev.Detail.ModelPackageArn = ev.Resources[0]
	}
	if ev.Detail.ModelPackageArn == "" {
		return nil, badinput.Errorf("event", 0, "detail.ModelPackageArn", "missing")
	}
	return &ev, nil
}

func fieldOf(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return typ.Field
	}
	return ""
}
