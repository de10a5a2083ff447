package azureml

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func putSecret(t *testing.T, e *estate, name, value string) {
	t.Helper()
	_, err := secretsmanager.NewFromConfig(e.cfg).CreateSecret(t.Context(),
		&secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value)})
	must(t, err)
}

func setEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"AIMS_REGISTER_URI":    "s3://" + registerBucket + "/register/",
		"AIMS_EVIDENCE_BUCKET": evidenceBucket,
		"AIMS_STATE_TABLE":     stateTable, "AIMS_ALERT_BUS": alertBus,
		"AIMS_AZURE_CREDENTIALS_SECRET": "aims/azure", "AIMS_EVENTGRID_SECRET": "aims/eventgrid",
		"AIMS_DRY_RUN": "true",
	} {
		t.Setenv(k, v)
	}
}

func TestFromEnvReadsBothSecretsAtColdStart(t *testing.T) {
	e := newEstate(t)
	setEnv(t)
	putSecret(t, e, "aims/eventgrid", sampleSecret)
	putSecret(t, e, "aims/azure", `{"tenantId": "t", "clientId": "c", "clientSecret": "s"}`)
	w, err := FromEnv(t.Context(), e.cfg, nil)
	must(t, err)
	if string(w.Secret) != sampleSecret || !w.Check.DryRun {
		t.Fatalf("got secret %q dry run %v, want the stored secret under dry run", w.Secret,
			w.Check.DryRun)
	}
	req := urlRequest(t, "eventgrid-function-url-validation.json")
	res, err := w.Serve(t.Context(), req)
	must(t, err)
	if res.StatusCode != http.StatusOK {
		t.Errorf("got %d with the stored secret, want 200", res.StatusCode)
	}
}

func TestFromEnvRefusesBadSecrets(t *testing.T) {
	tests := []struct{ name, azure, want string }{
		{"missing field", `{"tenantId": "t", "clientId": "c"}`,
			"lacks clientSecret or clientAssertion"},
		{"not JSON", `tenant=t`, "want JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEstate(t)
			setEnv(t)
			putSecret(t, e, "aims/eventgrid", sampleSecret)
			putSecret(t, e, "aims/azure", tt.azure)
			_, err := FromEnv(t.Context(), e.cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one saying %q", err, tt.want)
			}
		})
	}
	t.Run("no event grid secret", func(t *testing.T) {
		e := newEstate(t)
		setEnv(t)
		_, err := FromEnv(t.Context(), e.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), "aims/eventgrid") {
			t.Errorf("got error %v, want one naming the secret", err)
		}
	})
}

func TestCredentialsFromTheSecret(t *testing.T) {
	const armScope = "https://management.azure.com/.default"
	const storageScope = "https://storage.azure.com/.default"
	e := newEstate(t)
	t.Setenv("AZURE_AUTHORITY_HOST", e.arm.URL)
	sm := secretsmanager.NewFromConfig(e.cfg)
	putSecret(t, e, "with-secret", `{"tenantId": "contoso", "clientId": "aims",
	  "clientSecret": "s3cret"}`)
	putSecret(t, e, "with-assertion", `{"tenantId": "contoso", "clientId": "aims",
	  "clientAssertion": "jwt-1"}`)

	credential := func(id string) azcore.TokenCredential {
		cred, err := ReadCredential(t.Context(), sm, id, e.arm.Client())
		must(t, err)
		return cred
	}
	token := func(cred azcore.TokenCredential, scope string) url.Values {
		t.Helper()
		tok, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{scope}})
		must(t, err)
		if tok.Token != "fake-arm-token" {
			t.Errorf("got token %q, want the token endpoint's", tok.Token)
		}
		forms := e.arm.TokenRequests()
		return forms[len(forms)-1]
	}
	if f := token(credential("with-secret"), armScope); f.Get("client_secret") != "s3cret" ||
		f.Get("client_id") != "aims" || f.Get("grant_type") != "client_credentials" {
		t.Errorf("client secret: got form %v", f)
	}
	federated := credential("with-assertion")
	if f := token(federated, armScope); f.Get("client_assertion") != "jwt-1" ||
		f.Get("client_secret") != "" {
		t.Errorf("client assertion: got form %v", f)
	}
	// The same credential reads a renewed assertion for its next token.
	_, err := sm.PutSecretValue(t.Context(), &secretsmanager.PutSecretValueInput{
		SecretId: aws.String("with-assertion"), SecretString: aws.String(
			`{"tenantId": "contoso", "clientId": "aims", "clientAssertion": "jwt-2"}`)})
	must(t, err)
	if f := token(federated, storageScope); f.Get("client_assertion") != "jwt-2" {
		t.Errorf("renewed assertion: got form %v", f)
	}
}
