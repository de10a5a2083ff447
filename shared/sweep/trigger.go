package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// DetailTypeScheduled is the detail-type of an EventBridge schedule's event.
const DetailTypeScheduled = "Scheduled Event"

// Trigger is one decoded invocation: a schedule that asks for a whole sweep,
// an input that carries one batch, or SQS messages that each carry one.
type Trigger struct {
	// Batch is set when the input names the work itself.
	Batch *Batch
	// Messages are the SQS records of a queue-triggered invocation.
	Messages []events.SQSMessage
}

// Input is the Scheduler input and the body of every batch message.
type Input struct {
	Task  string `json:"task"`
	Batch *Batch `json:"batch,omitempty"`
}

// envelope holds the fields that tell the three shapes apart.
type envelope struct {
	Records    []json.RawMessage `json:"Records"`
	DetailType *string           `json:"detail-type"`
	Source     string            `json:"source"`
	Task       *string           `json:"task"`
}

// DecodeTrigger reads an invocation: an EventBridge "Scheduled Event"
// envelope, the Scheduler input {"task": "posture-sweep"} with an optional
// batch, or an SQS event whose messages carry such inputs. Anything else is
// bad input naming the field at fault.
func DecodeTrigger(raw []byte) (Trigger, error) {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return Trigger{}, badinput.Errorf("event", 0, fieldOf(err), "malformed event: %w", err)
	}
	switch {
	case env.Records != nil:
		return decodeSQS(raw)
	case env.DetailType != nil:
		if *env.DetailType != DetailTypeScheduled {
			return Trigger{}, badinput.Errorf("event", 0, "detail-type",
				"got %q, want %q", *env.DetailType, DetailTypeScheduled)
		}
		return Trigger{}, nil
	case env.Task != nil:
		in, err := DecodeInput(raw, "event")
		return Trigger{Batch: in.Batch}, err
	}
	return Trigger{}, badinput.Errorf("event", 0, "task",
		"missing; want the Scheduler input {\"task\": %q} or a %q event", Task,
		DetailTypeScheduled)
}

func decodeSQS(raw []byte) (Trigger, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return Trigger{}, badinput.Errorf("event", 0, "Records."+fieldOf(err),
			"malformed SQS event: %w", err)
	}
	for i, m := range ev.Records {
		if m.EventSource != "aws:sqs" {
			return Trigger{}, badinput.Errorf("event", 0,
				fmt.Sprintf("Records[%d].eventSource", i), "got %q, want aws:sqs", m.EventSource)
		}
		if m.MessageId == "" {
			return Trigger{}, badinput.Errorf("event", 0,
				fmt.Sprintf("Records[%d].messageId", i), "missing")
		}
	}
	return Trigger{Messages: ev.Records}, nil
}

// DecodeInput reads a Scheduler input or a batch message body strictly:
// an unknown field is a typo that would silently change the work.
func DecodeInput(raw []byte, source string) (Input, error) {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return Input{}, badinput.Errorf(source, 0, fieldOf(err), "malformed input: %w", err)
	}
	if in.Task != Task {
		return Input{}, badinput.Errorf(source, 0, "task", "got %q, want %q", in.Task, Task)
	}
	if in.Batch != nil {
		if err := in.Batch.validate(source); err != nil {
			return Input{}, err
		}
	}
	return in, nil
}

// fieldOf names the JSON field a decoding error is about, when it says.
func fieldOf(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return typ.Field
	}
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "unknown field "); ok {
		return strings.Trim(rest, `"`)
	}
	return ""
}
