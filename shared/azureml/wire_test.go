package azureml

import (
	"net/http"
	"strings"
	"testing"

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
		{"missing field", `{"tenantId": "t", "clientId": "c"}`, "lacks clientSecret"},
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
