package sweep

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestFailureKeepsEarlierBatches breaks the sweep in its second batch of
// buckets: the run fails, and the first batch's evidence, manifest and
// alerts are already kept.
func TestFailureKeepsEarlierBatches(t *testing.T) {
	r := newRig(t)
	r.publicBucket(t, "a-public")
	r.bucket(t, "b-private")
	r.bucket(t, "c-private")
	s := r.sweep(t)
	s.BatchSize = 2
	var connects atomic.Int32
	base := s.Connect
	crash := errors.New("connection reset")
	s.Connect = func(ctx context.Context, tg Target, region string) (*AWSAccount, error) {
		// The first connect lists, the second judges batch 1.
		if connects.Add(1) == 3 {
			return nil, crash
		}
		return base(ctx, tg, region)
	}

	_, err := s.Run(t.Context())

	if !errors.Is(err, crash) || !strings.Contains(err.Error(), "batch 2 of") {
		t.Fatalf("got %v, want the crash in batch 2", err)
	}
	if n := len(r.keys(t, "manifests/"+FunctionName+"/"+r.moto.Account+"/")); n != 1 {
		t.Errorf("got %d manifests, want batch 1's", n)
	}
	if n := stateItems(t, r); n != 1 {
		t.Errorf("got %d alerted findings, want 1 (a-public, of batch 1)", n)
	}
}

func TestAzureFromEnv(t *testing.T) {
	r := newRig(t)
	t.Setenv("AIMS_AZURE_SUBSCRIPTIONS", "")
	if az, _, err := azureFromEnv(t.Context(), r.cfg); az != nil || err != nil {
		t.Errorf("no subscriptions: got %v, %v; want nothing to sweep", az, err)
	}
	t.Setenv("AIMS_AZURE_SUBSCRIPTIONS", " sub-1, sub-2 ,")
	t.Setenv("AIMS_AZURE_CREDENTIALS_SECRET", "")
	if _, _, err := azureFromEnv(t.Context(), r.cfg); err == nil ||
		!strings.Contains(err.Error(), "AIMS_AZURE_CREDENTIALS_SECRET") {
		t.Errorf("no secret named: got %v, want an error naming the variable", err)
	}
	sm := secretsmanager.NewFromConfig(r.cfg)
	_, err := sm.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{
		Name: aws.String("azure-half"), SecretString: aws.String(`{"tenantId": "t"}`)})
	must(t, err)
	t.Setenv("AIMS_AZURE_CREDENTIALS_SECRET", "azure-half")
	if _, _, err := azureFromEnv(t.Context(), r.cfg); err == nil ||
		!strings.Contains(err.Error(), "clientSecret") {
		t.Errorf("incomplete secret: got %v, want an error naming what it needs", err)
	}
	_, err = sm.CreateSecret(t.Context(),
		&secretsmanager.CreateSecretInput{Name: aws.String("azure-sp"), SecretString: aws.String(
			`{"tenantId": "00000000-0000-0000-0000-0000000000aa", "clientId": "app", ` +
				`"clientSecret": "s3cret"}`)})
	must(t, err)
	t.Setenv("AIMS_AZURE_CREDENTIALS_SECRET", "azure-sp")
	az, cred, err := azureFromEnv(t.Context(), r.cfg)
	must(t, err)
	if cred == nil {
		t.Errorf("got no credential for the Azure ML polling, want the secret's")
	}
	if strings.Join(az.Subscriptions, ",") != "sub-1,sub-2" {
		t.Errorf("got subscriptions %q, want sub-1,sub-2", az.Subscriptions)
	}
	if _, err := az.Accounts("sub-1"); err != nil {
		t.Errorf("accounts client: %v", err)
	}
	if _, err := az.Blob("acct", "https://acct.blob.core.windows.net/"); err != nil {
		t.Errorf("blob client: %v", err)
	}
}
