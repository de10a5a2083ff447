package azureml

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Where a delivery carries the shared secret: the query parameter of the
// subscription's endpoint URL (https://…lambda-url…/?code=SECRET), or a
// delivery header the subscription sets as a secret delivery attribute.
const (
	SecretQuery  = "code"
	SecretHeader = "x-aims-eventgrid-secret"
)

// Webhook receives Event Grid deliveries on a Lambda function URL: it
// answers the subscription validation handshake, refuses deliveries
// without the shared secret, and routes Azure ML events to the audits.
type Webhook struct {
	Check  *Check
	Secret []byte
	Logger *slog.Logger
}

// Delivery is the answer to one delivery: the handshake's validation
// response, or what each event led to.
type Delivery struct {
	ValidationResponse string        `json:"validationResponse,omitempty"`
	Results            []EventResult `json:"results,omitempty"`
}

// EventResult is the outcome of one event; Result is nil for an event the
// webhook does not act on.
type EventResult struct {
	ID     string  `json:"id"`
	Type   string  `json:"type"`
	Result *Result `json:"result"`
}

// Serve answers one function URL request.
func (w *Webhook) Serve(ctx context.Context, req events.LambdaFunctionURLRequest) (
	events.LambdaFunctionURLResponse, error) {
	if !w.authorised(req) {
		w.log().WarnContext(ctx, "rejected delivery", "reason", "missing or wrong secret",
			"sourceIp", req.RequestContext.HTTP.SourceIP)
		return respond(http.StatusUnauthorized, map[string]string{"error": "unauthorized"}), nil
	}
	switch req.RequestContext.HTTP.Method {
	case http.MethodOptions:
		return abuseProtection(req), nil
	case http.MethodPost, "":
	default:
		return respond(http.StatusMethodNotAllowed, map[string]string{"error": "POST only"}), nil
	}
	body, err := bodyOf(req)
	if err == nil {
		var d *Delivery
		if d, err = w.Deliver(ctx, body); err == nil {
			return respond(http.StatusOK, d), nil
		}
	}
	if badinput.Is(err) {
		w.log().WarnContext(ctx, "malformed delivery", "error", err.Error())
		return respond(http.StatusBadRequest, map[string]string{"error": err.Error()}), nil
	}
	// Event Grid retries a delivery answered with a server error.
	w.log().ErrorContext(ctx, "delivery failed", "error", err.Error())
	return respond(http.StatusInternalServerError, map[string]string{"error": "audit failed"}),
		nil
}

// authorised compares the request's secret with ours in constant time.
func (w *Webhook) authorised(req events.LambdaFunctionURLRequest) bool {
	got := req.QueryStringParameters[SecretQuery]
	if got == "" {
		got = header(req.Headers, SecretHeader)
	}
	return len(w.Secret) > 0 && subtle.ConstantTimeCompare([]byte(got), w.Secret) == 1
}

// abuseProtection answers the CloudEvents webhook validation (an OPTIONS
// request naming the origin that will deliver).
func abuseProtection(req events.LambdaFunctionURLRequest) events.LambdaFunctionURLResponse {
	res := respond(http.StatusOK, nil)
	res.Headers["WebHook-Allowed-Origin"] = header(req.Headers, "webhook-request-origin")
	res.Headers["WebHook-Allowed-Rate"] = "*"
	return res
}

// Deliver handles one delivery's events, all checked before any is acted
// on, so a malformed event leaves the whole delivery undone.
func (w *Webhook) Deliver(ctx context.Context, body []byte) (*Delivery, error) {
	evs, err := DecodeDelivery(body)
	if err != nil {
		return nil, err
	}
	if len(evs) > 0 && evs[0].Type == TypeSubscriptionValidation {
		return w.validate(ctx, evs[0])
	}
	jobs := make([]func(context.Context) (*Result, error), len(evs))
	for i, ev := range evs {
		if jobs[i], err = w.route(ctx, i, ev); err != nil {
			return nil, err
		}
	}
	d := &Delivery{Results: make([]EventResult, len(evs))}
	for i, ev := range evs {
		d.Results[i] = EventResult{ID: ev.ID, Type: ev.Type}
		if jobs[i] == nil {
			continue
		}
		if d.Results[i].Result, err = jobs[i](ctx); err != nil {
			return nil, wrap("event "+ev.ID, err)
		}
	}
	return d, nil
}

func (w *Webhook) validate(ctx context.Context, ev Event) (*Delivery, error) {
	var v SubscriptionValidation
	if err := decodeData(0, ev, &v); err != nil {
		return nil, err
	}
	if v.ValidationCode == "" {
		return nil, badinput.Errorf(deliverySource, 0, field(0, "data.validationCode"),
			"missing")
	}
	w.log().InfoContext(ctx, "validated subscription", "topic", ev.Source)
	return &Delivery{ValidationResponse: v.ValidationCode}, nil
}

// route reads an event into the audit it asks for; nil for an event the
// webhook does not act on.
func (w *Webhook) route(ctx context.Context, i int, ev Event) (
	func(context.Context) (*Result, error), error) {
	switch ev.Type {
	case TypeModelDeployed:
		d, err := DeploymentOf(i, ev)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (*Result, error) {
			return w.Check.auditEndpoint(ctx, d.Workspace, d.Endpoint, &ev)
		}, nil
	case TypeModelRegistered:
		r, err := RegistrationOf(i, ev)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (*Result, error) {
			return w.Check.gateModelVersion(ctx, r.Workspace, r.Model, r.Version, &ev)
		}, nil
	}
	w.log().InfoContext(ctx, "ignored event", "type", ev.Type, "id", ev.ID)
	return nil, nil
}

// Handle runs the webhook on an event file, for local invokes: a function
// URL request goes through Serve, secret check and all; a bare Event Grid
// array (or one CloudEvent) is a delivery the caller vouches for.
func (w *Webhook) Handle(ctx context.Context, raw []byte) (any, error) {
	raw = bytes.TrimSpace(raw)
	var probe struct {
		RawPath        *string         `json:"rawPath"`
		RequestContext json.RawMessage `json:"requestContext"`
	}
	if len(raw) > 0 && raw[0] == '{' && json.Unmarshal(raw, &probe) == nil &&
		(probe.RawPath != nil || probe.RequestContext != nil) {
		var req events.LambdaFunctionURLRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, badinput.Errorf("", 0, "", "function URL request: %w", err)
		}
		return w.Serve(ctx, req)
	}
	return w.Deliver(ctx, raw)
}

func bodyOf(req events.LambdaFunctionURLRequest) ([]byte, error) {
	if !req.IsBase64Encoded {
		return []byte(req.Body), nil
	}
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, strings.NewReader(req.Body)))
	if err != nil {
		return nil, badinput.Errorf(deliverySource, 0, "body", "invalid base64: %w", err)
	}
	return b, nil
}

// header reads a header whatever its case; function URLs lower-case them.
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func respond(status int, v any) events.LambdaFunctionURLResponse {
	res := events.LambdaFunctionURLResponse{StatusCode: status,
		Headers: map[string]string{"Content-Type": "application/json"}}
	if v != nil {
		b, _ := json.Marshal(v)
		res.Body = string(b)
	}
	return res
}

func (w *Webhook) log() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.NewJSONHandler(io.Discard, nil))
}
