package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/exposure/azurecollect"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// Azurite's well-known development account.
const (
	devAccount = "devstoreaccount1"
	devKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/" +
		"K1SZFPTOtr/KBHBeksoGMGw=="
	subscription = "00000000-0000-0000-0000-0000000000a1"
)

// startAzurite runs the pinned Azurite on a free loopback port, telemetry
// off, until the test ends, and returns its dev account's blob endpoint.
func startAzurite(t *testing.T) string {
	t.Helper()
	bin := filepath.Join("..", "..", "localstack", "azurite", "node_modules", ".bin",
		"azurite-blob")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("azurite not installed: run `npm ci` in localstack/azurite: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--disableTelemetry", "--skipApiVersionCheck", "--blobHost",
		"127.0.0.1", "--blobPort", strconv.Itoa(port), "--location", t.TempDir())
	must(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/" + devAccount + "?comp=list"); err == nil {
			resp.Body.Close()
			return base + "/" + devAccount + "/"
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("azurite at %s did not answer", base)
	return ""
}

// armAccount is a storage account in the shape of ARM's "Storage Accounts
// - List" and "Get Properties" answers.
func armAccount(rg, name, blob string, allow bool) map[string]any {
	return map[string]any{
		"id": fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Storage/"+
			"storageAccounts/%s", subscription, rg, name),
		"name": name, "type": "Microsoft.Storage/storageAccounts", "location": "westeurope",
		"kind": "StorageV2", "sku": map[string]any{"name": "Standard_LRS", "tier": "Standard"},
		"properties": map[string]any{
			"provisioningState": "Succeeded", "allowBlobPublicAccess": allow,
			"publicNetworkAccess": "Enabled",
			"primaryEndpoints":    map[string]any{"blob": blob},
			"networkAcls": map[string]any{"bypass": "AzureServices", "defaultAction": "Allow",
				"ipRules": []any{}, "virtualNetworkRules": []any{}},
		},
	}
}

// fakeARM answers the subscription's storage account list one account per
// page, following ARM's nextLink paging, and each account's properties.
func fakeARM(t *testing.T, accounts []map[string]any, pages *atomic.Int32) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("api-version") == "" ||
			!strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			http.Error(w, `{"error":{"code":"BadRequest","message":"unexpected request"}}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		list := "/subscriptions/" + subscription + "/providers/Microsoft.Storage/storageAccounts"
		if r.URL.Path == list {
			pages.Add(1)
			i, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
			page := map[string]any{"value": accounts[i : i+1]}
			if i+1 < len(accounts) {
				page["nextLink"] = fmt.Sprintf("%s%s?api-version=%s&$skiptoken=%d", srv.URL, list,
					r.URL.Query().Get("api-version"), i+1)
			}
			_ = json.NewEncoder(w).Encode(page)
			return
		}
		for _, a := range accounts {
			if strings.EqualFold(r.URL.Path, a["id"].(string)) {
				_ = json.NewEncoder(w).Encode(a)
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"code":"ResourceNotFound","message":"not found"}}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func armClient(t *testing.T, srv *httptest.Server, sub string) *armstorage.AccountsClient {
	t.Helper()
	opts := &arm.ClientOptions{
		ClientOptions: policy.ClientOptions{
			Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL,
				Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
					cloud.ResourceManager: {Audience: "https://management.core.windows.net/",
						Endpoint: srv.URL}}},
			Transport: srv.Client(),
			Retry:     policy.RetryOptions{MaxRetries: -1},
		},
		DisableRPRegistration: true,
	}
	client, err := armstorage.NewAccountsClient(sub, staticToken{}, opts)
	must(t, err)
	return client
}

// staticToken stands in for an Entra ID credential; the fake ARM checks
// only that a bearer token comes.
type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (
	azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func devBlob(t *testing.T, endpoint string) *service.Client {
	t.Helper()
	cred, err := azblob.NewSharedKeyCredential(devAccount, devKey)
	must(t, err)
	c, err := service.NewClientWithSharedKeyCredential(endpoint, cred, &service.ClientOptions{
		ClientOptions: policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}})
	must(t, err)
	return c
}

func containers(t *testing.T, svc *service.Client) {
	t.Helper()
	levels := map[string]*container.PublicAccessType{
		"sw-models":   to.Ptr(container.PublicAccessTypeBlob),
		"sw-datasets": to.Ptr(container.PublicAccessTypeContainer),
		"sw-private":  nil,
	}
	for name, level := range levels {
		_, err := svc.NewContainerClient(name).Create(t.Context(),
			&container.CreateOptions{Access: level})
		must(t, err)
	}
}

// TestAzureSubscriptionSweep lists a subscription's storage accounts from
// a paging ARM fake, their containers from Azurite, and judges each, with
// the register's containers that the listing or the subscriptions lack.
func TestAzureSubscriptionSweep(t *testing.T) {
	r := newRig(t)
	r.doc(t, "systems/credit-risk.json", `{"id": "credit-risk", "name": "Credit",
		"storage": ["azure://devstoreaccount1/sw-models", "azure://devstoreaccount1/sw-missing",
		            "azure://ghost/models"]}`)
	blob := startAzurite(t)
	containers(t, devBlob(t, blob))
	locked := strings.TrimSuffix(blob, devAccount+"/") + "locked/"
	var pages atomic.Int32
	srv := fakeARM(t, []map[string]any{
		armAccount("ml-prod", devAccount, blob, true),
		armAccount("ml-prod", "locked", locked, true),
	}, &pages)
	s := r.sweep(t)
	s.Azure = &Azure{
		Subscriptions: []string{subscription},
		Accounts:      func(sub string) (AccountsAPI, error) { return armClient(t, srv, sub), nil },
		Blob: func(_, endpoint string) (azurecollect.BlobServiceAPI, error) {
			return devBlob(t, endpoint), nil
		},
	}

	res, err := s.Run(t.Context())
	must(t, err)

	got := byResource(res.Findings)
	tests := []struct {
		resource string
		status   findings.Status
		system   string
	}{
		{"azure://devstoreaccount1/sw-models", findings.Fail, "credit-risk"},
		{"azure://devstoreaccount1/sw-datasets", findings.Fail, ""},
		{"azure://devstoreaccount1/sw-private", findings.Pass, ""},
		{"azure://devstoreaccount1/sw-missing", findings.Indeterminate, "credit-risk"},
		{"azure://locked/*", findings.Indeterminate, ""},
		{"azure://ghost/models", findings.Indeterminate, "credit-risk"},
	}
	for _, tt := range tests {
		t.Run(tt.resource, func(t *testing.T) {
			f, ok := got[exposure.CheckAzureContainer+" "+tt.resource]
			if !ok {
				t.Fatalf("got no finding")
			}
			if f.Status != tt.status || systemOf(f) != tt.system {
				t.Errorf("got %s (system %q), want %s (system %q); %s", f.Status, systemOf(f),
					tt.status, tt.system, f.Reason)
			}
			snap, err := exposure.Decode(r.object(t, f.Evidence[0]), f.Evidence[0])
			must(t, err)
			if s := exposure.Status(exposure.Evaluate(snap)); s != f.Status {
				t.Errorf("evidence re-derives %s, want %s", s, f.Status)
			}
		})
	}
	if res.Counts.Containers != len(tests) || pages.Load() != 2 {
		t.Errorf("got %d containers from %d ARM pages, want %d from 2", res.Counts.Containers,
			pages.Load(), len(tests))
	}
	// Two list pages; per account, ARM and blob service properties and one
	// container page, twice: devstoreaccount1 again for the missing
	// container, locked again for its snapshot after the failed list.
	if got := res.Counts.Calls.Azure; got != 2+2*3+2*3 {
		t.Errorf("got %d Azure calls, want %d", got, 2+2*3+2*3)
	}
	if n := len(r.keys(t, "manifests/"+FunctionName+"/"+subscription+"/")); n != 1 {
		t.Errorf("got %d manifests in the subscription's chain, want 1", n)
	}
}
