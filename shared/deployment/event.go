package deployment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
	"github.com/aimsaudit/aimsaudit/shared/eventtime"
)

// The triggers the check listens to.
const (
	SourceSageMaker        = "aws.sagemaker"
	DetailEndpointChange   = "SageMaker Endpoint State Change"
	DetailDeploymentChange = "SageMaker Endpoint Deployment State Change"
)

// Endpoint statuses as the API spells them.
const (
	InService      = "InService"
	Updating       = "Updating"
	SystemUpdating = "SystemUpdating"
)

// ErrNotForCheck marks a well-formed event of another source or
// detail-type: the check ignores it with one log line instead of failing.
var ErrNotForCheck = errors.New("event is not an endpoint state change")

// Event is the EventBridge envelope of an endpoint or endpoint deployment
// state change, reduced to what the check needs. The event is only a
// trigger: the check describes the endpoint and judges what the API says.
type Event struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       eventtime.Time  `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     EndpointChange  `json:"-"`
	RawDetail  json.RawMessage `json:"detail"`
}

// EndpointChange is the detail of both events; other fields stay in
// RawDetail. EndpointStatus is normalised to the API's spelling.
type EndpointChange struct {
	EndpointName       string   `json:"EndpointName"`
	EndpointArn        string   `json:"EndpointArn,omitempty"`
	EndpointConfigName string   `json:"EndpointConfigName,omitempty"`
	EndpointStatus     string   `json:"EndpointStatus,omitempty"`
	Pending            *Pending `json:"PendingDeploymentSummary,omitempty"`
}

// Pending is the part of an event's PendingDeploymentSummary the check
// reads; it still asks the API which configuration is pending.
type Pending struct {
	EndpointConfigName string `json:"EndpointConfigName"`
}

// IsDeployment reports whether the event is a deployment state change,
// whose pending endpoint configuration is the one to audit.
func (e *Event) IsDeployment() bool { return e.DetailType == DetailDeploymentChange }

// DecodeEvent parses an event. A malformed event is bad input naming the
// field at fault; a well-formed event for another trigger wraps
// ErrNotForCheck.
func DecodeEvent(raw []byte) (*Event, error) {
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, badinput.Errorf("event", 0, fieldOf(err), "malformed event: %w", err)
	}
	if ev.Source != SourceSageMaker ||
		(ev.DetailType != DetailEndpointChange && ev.DetailType != DetailDeploymentChange) {
		return &ev, fmt.Errorf("%w: source %q, detail-type %q", ErrNotForCheck, ev.Source,
			ev.DetailType)
	}
	detail := bytes.TrimSpace(ev.RawDetail)
	if len(detail) == 0 || bytes.Equal(detail, []byte("null")) {
		return nil, badinput.Errorf("event", 0, "detail", "missing")
	}
	if err := json.Unmarshal(detail, &ev.Detail); err != nil {
		return nil, badinput.Errorf("event", 0, "detail."+fieldOf(err), "malformed detail: %w", err)
	}
	ev.Detail.EndpointStatus = NormalStatus(ev.Detail.EndpointStatus)
	if ev.Detail.EndpointName == "" {
		ev.Detail.EndpointName = nameFromARN(ev.Detail.EndpointArn, ev.Resources)
	}
	if ev.Detail.EndpointName == "" {
		return nil, badinput.Errorf("event", 0, "detail.EndpointName", "missing")
	}
	return &ev, nil
}

// nameFromARN takes the endpoint name from the detail's ARN or the one
// resource, arn:aws:sagemaker:REGION:ACCOUNT:endpoint/NAME.
func nameFromARN(arn string, resources []string) string {
	if arn == "" && len(resources) == 1 {
		arn = resources[0]
	}
	_, name, ok := strings.Cut(arn, ":endpoint/")
	if !ok {
		return ""
	}
	return name
}

// NormalStatus turns the upper snake case of some documented examples
// (IN_SERVICE) into the API's spelling (InService); other spellings pass
// unchanged.
func NormalStatus(s string) string {
	if s == "" || strings.ToUpper(s) != s {
		return s
	}
	var b strings.Builder
	for _, part := range strings.Split(strings.ToLower(s), "_") {
		if part == "" {
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}

func fieldOf(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return typ.Field
	}
	return ""
}
