package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/aimsaudit/aimsaudit/shared/azureml/armfake"
	"github.com/aimsaudit/aimsaudit/shared/lambdarun"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

var ws = armfake.Workspace{Subscription: "0b1f6471-1bf0-4dda-aec3-111122223333",
	ResourceGroup: "ml-prod", Name: "risk"}

const systemDoc = `{"id": "credit-risk",
  "azureml": {"workspace": "risk", "models": ["credit-risk"],
              "endpoints": ["credit-risk-online"]},
  "deployment": {"azure": {"publicNetworkAccess": "Disabled", "allowKeyAuth": false}},
  "impactAssessment": {"reviewIntervalDays": 365}}`

// TestBootstrapUnderRuntimeEmulator builds the real bootstrap, runs it
// under the Lambda Runtime Interface Emulator with its secrets in the
// emulated Secrets Manager and Azure behind the fake (its token endpoint
// included, trusted through SSL_CERT_FILE), and posts function URL
// requests as Lambda delivers them.
func TestBootstrapUnderRuntimeEmulator(t *testing.T) {
	moto := testcloud.Shared(t)
	moto.Reset(t)
	arm := armfake.Start()
	defer arm.Close()
	seed(t, moto.Config(), arm)
	ctx := t.Context()
	dir := t.TempDir()
	cert := filepath.Join(dir, "fake-azure.pem")
	must(t, os.WriteFile(cert, arm.CertPEM(), 0o600))
	rie, err := lambdarun.BuildRIE(ctx, dir)
	must(t, err)
	bootstrap, err := lambdarun.BuildFunction(ctx, ".", dir+"/azure-events")
	must(t, err)
	fn, err := lambdarun.Start(ctx, lambdarun.Config{RIE: rie, Bootstrap: bootstrap, Env: []string{
		"AWS_ENDPOINT_URL=" + moto.URL, "AWS_REGION=" + testcloud.Region,
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_LAMBDA_LOG_FORMAT=JSON",
		"AIMS_REGISTER_URI=s3://reg/register/", "AIMS_EVIDENCE_BUCKET=evidence",
		"AIMS_STATE_TABLE=state", "AIMS_ALERT_BUS=grc",
		"AIMS_AZURE_CREDENTIALS_SECRET=aims/azure", "AIMS_EVENTGRID_SECRET=aims/eventgrid",
		"AIMS_AZURE_ARM_ENDPOINT=" + arm.URL, "AZURE_AUTHORITY_HOST=" + arm.URL,
		"SSL_CERT_FILE=" + cert}})
	must(t, err)
	defer fn.Stop()

	res := invoke(t, fn, "eventgrid-function-url-validation.json", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body,
		`"validationResponse":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"`) {
		t.Errorf("handshake: got %d %s", res.StatusCode, res.Body)
	}
	res = invoke(t, fn, "eventgrid-function-url-model-deployed.json",
		func(r *events.LambdaFunctionURLRequest) { r.QueryStringParameters["code"] = "guess" })
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong secret: got %d, want 401", res.StatusCode)
	}
	res = invoke(t, fn, "eventgrid-function-url-model-deployed.json", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("model deployed: got %d %s\n%s", res.StatusCode, res.Body, fn.Logs())
	}
	checkAudit(t, res.Body)
	if arm.Requests(http.MethodPost, "/contoso/oauth2/v2.0/token") == 0 {
		t.Error("the bootstrap never asked the token endpoint for a token")
	}
	if !strings.Contains(fn.Logs(), `"requestId"`) {
		t.Errorf("function logs carry no request id:\n%s", fn.Logs())
	}
}

// seed creates the AWS side (register, evidence, state, bus, secrets) and
// one endpoint serving a cleared version on the fake.
func seed(t *testing.T, cfg aws.Config, arm *armfake.Server) {
	t.Helper()
	ctx := t.Context()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	for _, b := range []string{"reg", "evidence"} {
		_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		must(t, err)
	}
	_, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("reg"),
		Key: aws.String("register/systems/credit-risk.json"), Body: strings.NewReader(systemDoc)})
	must(t, err)
	_, err = dynamodb.NewFromConfig(cfg).CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("state"), BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"),
			AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema: []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"),
			KeyType: ddbtypes.KeyTypeHash}}})
	must(t, err)
	_, err = eventbridge.NewFromConfig(cfg).CreateEventBus(ctx,
		&eventbridge.CreateEventBusInput{Name: aws.String("grc")})
	must(t, err)
	sm := secretsmanager.NewFromConfig(cfg)
	for name, value := range map[string]string{"aims/eventgrid": "sample-eventgrid-secret",
		"aims/azure": `{"tenantId": "contoso", "clientId": "aims-audit", "clientSecret": "x"}`} {
		_, err = sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name),
			SecretString: aws.String(value)})
		must(t, err)
	}
	arm.AddWorkspace(ws)
	arm.AddModelVersion(ws, "credit-risk", "4", map[string]string{"aims:gate": "cleared"})
	arm.AddEndpoint(ws, "credit-risk-online", map[string]any{"authMode": "AADToken",
		"publicNetworkAccess": "Disabled"})
	arm.AddDeployment(ws, "credit-risk-online", "blue", ws.ModelVersionID("credit-risk", "4"),
		map[string]any{"dataCollector": armfake.Collecting()})
}

func invoke(t *testing.T, fn *lambdarun.Function, file string,
	change func(*events.LambdaFunctionURLRequest)) events.LambdaFunctionURLResponse {
	t.Helper()
	raw, err := os.ReadFile("../../events/" + file)
	must(t, err)
	if change != nil {
		var req events.LambdaFunctionURLRequest
		must(t, json.Unmarshal(raw, &req))
		change(&req)
		raw, err = json.Marshal(req)
		must(t, err)
	}
	out, err := fn.Invoke(t.Context(), raw)
	if err != nil {
		t.Fatalf("invoke %s: %v\n%s", file, err, fn.Logs())
	}
	var res events.LambdaFunctionURLResponse
	must(t, json.NewDecoder(bytes.NewReader(out)).Decode(&res))
	return res
}

// checkAudit reads the webhook's answer to the ModelDeployed delivery.
func checkAudit(t *testing.T, body string) {
	t.Helper()
	var d struct {
		Results []struct {
			Result struct {
				Manifest string
				Findings []struct{ Check, Qualifier, Status string }
			}
		}
	}
	must(t, json.Unmarshal([]byte(body), &d))
	if len(d.Results) != 1 || d.Results[0].Result.Manifest == "" {
		t.Fatalf("got %s, want one audit with an evidence manifest", body)
	}
	got := map[string]string{}
	for _, f := range d.Results[0].Result.Findings {
		got[f.Check+"["+f.Qualifier+"]"] = f.Status
	}
	want := map[string]string{"register.system-found[]": "pass",
		"azureml.key-auth-disabled[]": "pass", "azureml.public-network-access[]": "pass",
		"azureml.package-registered[blue]": "pass", "azureml.package-approved[blue]": "pass",
		"azureml.data-capture-enabled[blue]":     "pass",
		"azureml.impact-assessment-covers[blue]": "fail"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
