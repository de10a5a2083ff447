package azureml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Event types the webhook acts on.
const (
	TypeSubscriptionValidation = "Microsoft.EventGrid.SubscriptionValidationEvent"
	TypeModelDeployed          = "Microsoft.MachineLearningServices.ModelDeployed"
	TypeModelRegistered        = "Microsoft.MachineLearningServices.ModelRegistered"
)

// Schemas of an event.
const (
	SchemaEventGrid   = "EventGrid"
	SchemaCloudEvents = "CloudEvents"
)

// deliverySource names a delivery in bad-input errors.
const deliverySource = "event grid delivery"

// Event is one event of a delivery, in either schema, reduced to the
// fields both share: Event Grid's topic and eventType are CloudEvents'
// source and type.
type Event struct {
	Schema  string          `json:"schema"`
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Source  string          `json:"source"`
	Subject string          `json:"subject,omitempty"`
	Time    string          `json:"time,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// wireEvent holds the keys of both schemas. encoding/json matches keys
// regardless of case, which the mixed casing of Event Grid payloads needs.
type wireEvent struct {
	ID          string          `json:"id"`
	Topic       string          `json:"topic"`
	Source      string          `json:"source"`
	Subject     string          `json:"subject"`
	EventType   string          `json:"eventType"`
	Type        string          `json:"type"`
	EventTime   string          `json:"eventTime"`
	Time        string          `json:"time"`
	Data        json.RawMessage `json:"data"`
	SpecVersion string          `json:"specversion"`
}

// DecodeDelivery reads what Event Grid posts: an array of events in the
// Event Grid or CloudEvents schema, or one CloudEvent on its own. A
// malformed delivery is bad input naming the event and field.
func DecodeDelivery(body []byte) ([]Event, error) {
	body = bytes.TrimSpace(body)
	var wire []wireEvent
	switch {
	case len(body) == 0:
		return nil, badinput.Errorf(deliverySource, 0, "", "empty body")
	case body[0] == '{':
		var one wireEvent
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, badinput.Errorf(deliverySource, 0, "", "invalid JSON: %w", err)
		}
		wire = []wireEvent{one}
	default:
		if err := json.Unmarshal(body, &wire); err != nil {
			return nil, badinput.Errorf(deliverySource, 0, "",
				"want a JSON array of events: %w", err)
		}
	}
	out := make([]Event, len(wire))
	for i, w := range wire {
		ev, err := w.normalise(i)
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

func (w wireEvent) normalise(i int) (Event, error) {
	ev := Event{Schema: SchemaEventGrid, ID: w.ID, Type: w.EventType, Source: w.Topic,
		Subject: w.Subject, Time: w.EventTime, Data: w.Data}
	if w.SpecVersion != "" || (w.EventType == "" && w.Type != "") {
		ev.Schema, ev.Type, ev.Source, ev.Time = SchemaCloudEvents, w.Type, w.Source, w.Time
	}
	typeKey := map[string]string{SchemaEventGrid: "eventType", SchemaCloudEvents: "type"}
	switch {
	case ev.ID == "":
		return ev, badinput.Errorf(deliverySource, 0, fmt.Sprintf("[%d].id", i), "missing")
	case ev.Type == "":
		return ev, badinput.Errorf(deliverySource, 0,
			fmt.Sprintf("[%d].%s", i, typeKey[ev.Schema]), "missing")
	}
	return ev, nil
}

// field names a field of this event for errors.
func field(i int, name string) string { return fmt.Sprintf("[%d].%s", i, name) }

// SubscriptionValidation is the data of the validation handshake.
type SubscriptionValidation struct {
	ValidationCode string `json:"validationCode"`
	ValidationURL  string `json:"validationUrl,omitempty"`
}

// ModelDeployed is the data of a ModelDeployed event. ModelIds is one
// comma-separated string of NAME:VERSION ids.
type ModelDeployed struct {
	ServiceName        string         `json:"ServiceName"`
	ServiceComputeType string         `json:"ServiceComputeType"`
	ModelIds           string         `json:"ModelIds"`
	ServiceTags        map[string]any `json:"ServiceTags,omitempty"`
	ServiceProperties  map[string]any `json:"ServiceProperties,omitempty"`
}

// ModelID is one NAME:VERSION of ModelDeployed.ModelIds.
type ModelID struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Models splits ModelIds.
func (d ModelDeployed) Models() []ModelID {
	var out []ModelID
	for _, id := range strings.Split(d.ModelIds, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		name, version, _ := strings.Cut(id, ":")
		out = append(out, ModelID{Name: name, Version: version})
	}
	return out
}

// ModelRegistered is the data of a ModelRegistered event. ModelVersion is
// a string or a number on the wire.
type ModelRegistered struct {
	ModelName       string         `json:"ModelName"`
	ModelVersion    flexString     `json:"ModelVersion"`
	ModelTags       map[string]any `json:"ModelTags,omitempty"`
	ModelProperties map[string]any `json:"ModelProperties,omitempty"`
}

// flexString reads a JSON string or number as text.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or number, got %s", b)
	}
	*f = flexString(n.String())
	return nil
}

// decodeData reads an event's data into v, naming the event on failure.
func decodeData(i int, ev Event, v any) error {
	if len(ev.Data) == 0 || string(ev.Data) == "null" {
		return badinput.Errorf(deliverySource, 0, field(i, "data"), "missing")
	}
	if err := json.Unmarshal(ev.Data, v); err != nil {
		return badinput.Errorf(deliverySource, 0, field(i, "data"), "%v", err)
	}
	return nil
}

// Deployment is what a ModelDeployed event asks to audit.
type Deployment struct {
	Workspace Workspace `json:"workspace"`
	Endpoint  string    `json:"endpoint"`
	Models    []ModelID `json:"models"`
}

// DeploymentOf reads a ModelDeployed event: the workspace from its topic,
// the endpoint from ServiceName (or the subject endpoints/NAME).
func DeploymentOf(i int, ev Event) (Deployment, error) {
	var d ModelDeployed
	if err := decodeData(i, ev, &d); err != nil {
		return Deployment{}, err
	}
	ws, err := workspaceOf(i, ev)
	if err != nil {
		return Deployment{}, err
	}
	name := d.ServiceName
	if name == "" {
		name, _ = strings.CutPrefix(ev.Subject, "endpoints/")
	}
	if name == "" {
		return Deployment{}, badinput.Errorf(deliverySource, 0, field(i, "data.ServiceName"),
			"missing, and the subject names no endpoint")
	}
	return Deployment{Workspace: ws, Endpoint: name, Models: d.Models()}, nil
}

// Registration is what a ModelRegistered event asks to gate.
type Registration struct {
	Workspace Workspace `json:"workspace"`
	Model     string    `json:"model"`
	Version   string    `json:"version"`
}

// RegistrationOf reads a ModelRegistered event: the workspace from its
// topic, the model from ModelName and ModelVersion (or the subject
// models/NAME:VERSION).
func RegistrationOf(i int, ev Event) (Registration, error) {
	var d ModelRegistered
	if err := decodeData(i, ev, &d); err != nil {
		return Registration{}, err
	}
	ws, err := workspaceOf(i, ev)
	if err != nil {
		return Registration{}, err
	}
	r := Registration{Workspace: ws, Model: d.ModelName, Version: string(d.ModelVersion)}
	if r.Model == "" || r.Version == "" {
		id, _ := strings.CutPrefix(ev.Subject, "models/")
		r.Model, r.Version, _ = strings.Cut(id, ":")
	}
	if r.Model == "" || r.Version == "" {
		return Registration{}, badinput.Errorf(deliverySource, 0, field(i, "data.ModelName"),
			"model name and version missing, and the subject names none")
	}
	return r, nil
}

func workspaceOf(i int, ev Event) (Workspace, error) {
	key := map[string]string{SchemaEventGrid: "topic", SchemaCloudEvents: "source"}[ev.Schema]
	ws, err := ParseWorkspaceID(ev.Source)
	if err != nil {
		return Workspace{}, badinput.Errorf(deliverySource, 0, field(i, key), "%v", err)
	}
	return ws, nil
}
