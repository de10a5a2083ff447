package azureml

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/aimsaudit/aimsaudit/shared/findings"
)

const (
	eventsDir    = "../../events/"
	sampleSecret = "sample-eventgrid-secret"
)

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(eventsDir + name)
	must(t, err)
	return b
}

func urlRequest(t *testing.T, name string) events.LambdaFunctionURLRequest {
	t.Helper()
	var req events.LambdaFunctionURLRequest
	must(t, json.Unmarshal(readEvent(t, name), &req))
	return req
}

// TestEventFilesRoundTrip reads every sample delivery through the real
// types and the decoder, and checks nothing the samples hold is lost.
func TestEventFilesRoundTrip(t *testing.T) {
	files, err := filepath.Glob(eventsDir + "eventgrid-*.json")
	must(t, err)
	if len(files) < 6 {
		t.Fatalf("got %d sample deliveries, want at least 6", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			must(t, err)
			body := raw
			if strings.Contains(file, "function-url") {
				body = urlRoundTrip(t, raw)
			}
			evs, err := DecodeDelivery(body)
			must(t, err)
			var plain []map[string]any
			must(t, json.Unmarshal(body, &plain))
			for i, ev := range evs {
				checkEvent(t, i, ev, plain[i])
			}
		})
	}
}

// urlRoundTrip decodes a function URL request and encodes it again: the
// real type must keep every field the sample has. It returns the body.
func urlRoundTrip(t *testing.T, raw []byte) []byte {
	t.Helper()
	var req events.LambdaFunctionURLRequest
	must(t, json.Unmarshal(raw, &req))
	again, err := json.Marshal(req)
	must(t, err)
	var want, got map[string]any
	must(t, json.Unmarshal(raw, &want))
	must(t, json.Unmarshal(again, &got))
	// Function URLs send these two, which aws-lambda-go does not model and
	// the webhook does not read.
	rc := want["requestContext"].(map[string]any)
	delete(rc, "routeKey")
	delete(rc, "stage")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("function URL request changed in a round trip (-want +got):\n%s", d)
	}
	return []byte(req.Body)
}

func checkEvent(t *testing.T, i int, ev Event, plain map[string]any) {
	t.Helper()
	typ, src := plain["eventType"], plain["topic"]
	if ev.Schema == SchemaCloudEvents {
		typ, src = plain["type"], plain["source"]
	}
	if ev.ID != plain["id"] || ev.Type != typ || ev.Source != src {
		t.Errorf("[%d] got id %q type %q source %q, want %v %v %v", i, ev.ID, ev.Type,
			ev.Source, plain["id"], typ, src)
	}
	var data, again any
	must(t, json.Unmarshal(ev.Data, &data))
	b, _ := json.Marshal(plain["data"])
	must(t, json.Unmarshal(b, &again))
	if d := cmp.Diff(again, data); d != "" {
		t.Errorf("[%d] data changed (-want +got):\n%s", i, d)
	}
	switch ev.Type {
	case TypeModelDeployed:
		d, err := DeploymentOf(i, ev)
		must(t, err)
		want := []ModelID{{"credit-risk", "4"}, {"credit-risk", "5"}}
		if d.Endpoint != "credit-risk-online" || d.Workspace != ws || !cmp.Equal(d.Models, want) {
			t.Errorf("got deployment %+v, want credit-risk-online in %v serving %v", d, ws, want)
		}
	case TypeModelRegistered:
		r, err := RegistrationOf(i, ev)
		must(t, err)
		if r != (Registration{Workspace: ws, Model: "credit-risk", Version: "4"}) {
			t.Errorf("got registration %+v, want credit-risk 4 in %v", r, ws)
		}
	}
}

func webhook(c *Check, logs *bytes.Buffer) *Webhook {
	return &Webhook{Check: c, Secret: []byte(sampleSecret), Logger: jsonLogger(logs)}
}

func TestHandshakeAnswersTheValidationCode(t *testing.T) {
	w := webhook(&Check{}, &bytes.Buffer{})
	res, err := w.Serve(t.Context(), urlRequest(t, "eventgrid-function-url-validation.json"))
	must(t, err)
	want := `{"validationResponse":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}`
	if res.StatusCode != http.StatusOK || res.Body != want {
		t.Errorf("got %d %s, want 200 %s", res.StatusCode, res.Body, want)
	}
}

func TestCloudEventsAbuseProtection(t *testing.T) {
	w := webhook(&Check{}, &bytes.Buffer{})
	req := urlRequest(t, "eventgrid-function-url-validation.json")
	req.RequestContext.HTTP.Method = http.MethodOptions
	req.Headers["webhook-request-origin"] = "eventgrid.azure.net"
	res, err := w.Serve(t.Context(), req)
	must(t, err)
	if got := res.Headers["WebHook-Allowed-Origin"]; res.StatusCode != 200 ||
		got != "eventgrid.azure.net" {
		t.Errorf("got %d with allowed origin %q, want 200 eventgrid.azure.net", res.StatusCode,
			got)
	}
}

func TestSecretIsRequired(t *testing.T) {
	logs := &bytes.Buffer{}
	w := webhook(&Check{}, logs)
	tests := []struct {
		name   string
		change func(*events.LambdaFunctionURLRequest)
		want   int
	}{
		{"wrong code", func(r *events.LambdaFunctionURLRequest) {
			r.QueryStringParameters["code"] = "sample-eventgrid-secreT"
		}, http.StatusUnauthorized},
		{"no code", func(r *events.LambdaFunctionURLRequest) {
			delete(r.QueryStringParameters, "code")
		}, http.StatusUnauthorized},
		{"prefix of the code", func(r *events.LambdaFunctionURLRequest) {
			r.QueryStringParameters["code"] = "sample"
		}, http.StatusUnauthorized},
		{"secret header instead", func(r *events.LambdaFunctionURLRequest) {
			delete(r.QueryStringParameters, "code")
			r.Headers[SecretHeader] = sampleSecret
		}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := urlRequest(t, "eventgrid-function-url-validation.json")
			tt.change(&req)
			res, err := w.Serve(t.Context(), req)
			must(t, err)
			if res.StatusCode != tt.want {
				t.Errorf("got %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
	if !strings.Contains(logs.String(), `"msg":"rejected delivery"`) {
		t.Errorf("no log line for rejected deliveries:\n%s", logs)
	}
	if strings.Contains(logs.String(), sampleSecret) {
		t.Error("the log shows the secret")
	}
}

func TestMalformedDeliveriesAre400(t *testing.T) {
	deployed := string(readEvent(t, "eventgrid-model-deployed.json"))
	tests := []struct{ name, body, field string }{
		{"not JSON", "[{", ""},
		{"no event type", `[{"id": "1", "topic": "t", "data": {}}]`, "[0].eventType"},
		{"no id", `[{"eventType": "x", "topic": "t"}]`, "[0].id"},
		{"topic not a workspace", strings.Replace(deployed, "/workspaces/risk", "", 1),
			"[0].topic"},
		{"no endpoint", strings.NewReplacer(`"ServiceName": "credit-risk-online",`, "",
			`"endpoints/credit-risk-online"`, `""`).Replace(deployed), "[0].data.ServiceName"},
		{"validation without code", `[{"id": "1", "topic": "t", "eventType": "` +
			TypeSubscriptionValidation + `", "data": {}}]`, "[0].data.validationCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &bytes.Buffer{}
			w := webhook(&Check{}, logs)
			req := urlRequest(t, "eventgrid-function-url-model-deployed.json")
			req.Body = tt.body
			res, err := w.Serve(t.Context(), req)
			must(t, err)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, tt.field) {
				t.Errorf("got %d %s, want 400 naming %q", res.StatusCode, res.Body, tt.field)
			}
			if !strings.Contains(logs.String(), `"msg":"malformed delivery"`) {
				t.Errorf("no log line for the malformed delivery:\n%s", logs)
			}
		})
	}
}

func TestModelDeployedRunsTheDeploymentCheck(t *testing.T) {
	e := demo(t)
	w := webhook(e.check(false), &bytes.Buffer{})
	res, err := w.Serve(t.Context(), urlRequest(t, "eventgrid-function-url-model-deployed.json"))
	must(t, err)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("got %d %s, want 200", res.StatusCode, res.Body)
	}
	var d Delivery
	must(t, json.Unmarshal([]byte(res.Body), &d))
	if len(d.Results) != 1 || d.Results[0].Result == nil {
		t.Fatalf("got results %+v, want one audit", d.Results)
	}
	r := d.Results[0].Result
	expect(t, r, "blue", map[string]findings.Status{CheckPackageApproved: findings.Pass})
	expect(t, r, "green", map[string]findings.Status{CheckPackageApproved: findings.Fail})
	if r.Manifest == "" || r.Alerts == 0 || len(e.alerts()) != r.Alerts {
		t.Errorf("got manifest %q and %d alerts, want evidence and alerts", r.Manifest, r.Alerts)
	}
	if keys := strings.Join(e.evidenceKeys(), "\n"); !strings.Contains(keys, "trigger.json") {
		t.Errorf("the triggering event is not kept as evidence:\n%s", keys)
	}
}

func TestModelRegisteredRunsTheGate(t *testing.T) {
	for _, file := range []string{"eventgrid-model-registered.json",
		"eventgrid-model-registered-cloudevents.json"} {
		t.Run(file, func(t *testing.T) {
			e := gateDemo(t)
			w := webhook(e.check(false), &bytes.Buffer{})
			out, err := w.Handle(t.Context(), readEvent(t, file))
			must(t, err)
			d := out.(*Delivery)
			if len(d.Results) != 1 || d.Results[0].Result == nil {
				t.Fatalf("got results %+v, want one gate run", d.Results)
			}
			if got := e.arm.Tags(fakeWS, "credit-risk", "4")[TagGate]; got != GateCleared {
				t.Errorf("got aims:gate %q, want cleared", got)
			}
			if d.Results[0].Result.Manifest == "" {
				t.Error("no evidence manifest")
			}
		})
	}
}

func TestOtherEventsAreIgnored(t *testing.T) {
	w := webhook(&Check{}, &bytes.Buffer{})
	body := `[{"id": "1", "topic": "t", "eventType": ` +
		`"Microsoft.MachineLearningServices.RunCompleted", "data": {}}]`
	out, err := w.Handle(t.Context(), []byte(body))
	must(t, err)
	d := out.(*Delivery)
	if len(d.Results) != 1 || d.Results[0].Result != nil {
		t.Errorf("got %+v, want one ignored event", d.Results)
	}
}

func TestHandleTakesAFunctionURLRequest(t *testing.T) {
	w := webhook(&Check{}, &bytes.Buffer{})
	out, err := w.Handle(t.Context(), readEvent(t, "eventgrid-function-url-validation.json"))
	must(t, err)
	res, ok := out.(events.LambdaFunctionURLResponse)
	if !ok || res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "validationResponse") {
		t.Errorf("got %#v, want the handshake's response", out)
	}
}

// TestBase64Body reads a body the function URL passed as binary, as it does
// for content types such as application/cloudevents-batch+json.
func TestBase64Body(t *testing.T) {
	w := webhook(&Check{}, &bytes.Buffer{})
	req := urlRequest(t, "eventgrid-function-url-validation.json")
	req.Body, req.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(req.Body)), true
	res, err := w.Serve(t.Context(), req)
	must(t, err)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "512d38b6") {
		t.Errorf("got %d %s, want the handshake answered", res.StatusCode, res.Body)
	}
	req.Body = "%%%"
	if res, _ := w.Serve(t.Context(), req); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad base64: got %d, want 400", res.StatusCode)
	}
}
