package azurecollect

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
)

const subscription = "00000000-0000-0000-0000-000000000001"

// armAccount is a storage account as the ARM "Storage Accounts - Get
// Properties" operation documents it, trimmed to common fields; nil
// settings are left out of the JSON, as ARM leaves out unset properties.
type armAccount struct {
	allow         *bool
	network       string
	defaultAction string
}

func (a armAccount) body(rg, name string) map[string]any {
	props := map[string]any{
		"creationTime": "2026-01-10T08:00:00.0000000Z", "provisioningState": "Succeeded",
		"minimumTlsVersion": "TLS1_2", "statusOfPrimary": "available",
		"primaryEndpoints": map[string]any{
			"blob": fmt.Sprintf("https://%s.blob.core.windows.net/", name),
			"web":  fmt.Sprintf("https://%s.z6.web.core.windows.net/", name)},
		"networkAcls": map[string]any{"bypass": "AzureServices", "defaultAction": a.defaultAction,
			"ipRules": []any{}, "virtualNetworkRules": []any{}},
	}
	if a.allow != nil {
		props["allowBlobPublicAccess"] = *a.allow
	}
	if a.network != "" {
		props["publicNetworkAccess"] = a.network
	}
	return map[string]any{
		"id": fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Storage/"+
			"storageAccounts/%s", subscription, rg, name),
		"name": name, "type": "Microsoft.Storage/storageAccounts", "location": "westeurope",
		"kind": "StorageV2", "sku": map[string]any{"name": "Standard_LRS", "tier": "Standard"},
		"tags": map[string]any{}, "properties": props,
	}
}

// fakeARM answers GET of the storage accounts it knows, and 403
// AuthorizationFailed, in ARM's error shape, for the others.
func fakeARM(t *testing.T, accounts map[string]armAccount) *armstorage.AccountsClient {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		ok := len(parts) == 8 && parts[1] == subscription &&
			parts[5] == "Microsoft.Storage" && parts[6] == "storageAccounts"
		if r.Method != http.MethodGet || !ok || r.URL.Query().Get("api-version") == "" ||
			!strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			http.Error(w, `{"error":{"code":"BadRequest","message":"unexpected request"}}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		a, known := accounts[parts[7]]
		if !known {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"error":{"code":"AuthorizationFailed","message":"The client does `+
				`not have authorization to perform action 'Microsoft.Storage/storageAccounts/read'"}}`)
			return
		}
		_ = json.NewEncoder(w).Encode(a.body(parts[3], parts[7]))
	}))
	t.Cleanup(srv.Close)
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
	client, err := armstorage.NewAccountsClient(subscription, staticToken{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// staticToken stands in for an Entra ID credential, which the fake ARM
// does not check beyond its presence.
type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (
	azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestAccountSettingsFromARM(t *testing.T) {
	f, tr := false, true
	client := fakeARM(t, map[string]armAccount{
		"locked": {allow: &f, network: "Disabled", defaultAction: "Deny"},
		"open":   {allow: &tr, network: "Enabled", defaultAction: "Allow"},
		"legacy": {defaultAction: "Allow"},
	})
	c := New(client, nil)
	tests := []struct {
		name, allow, network, action, errCode string
	}{
		{"locked", "false", "Disabled", "Deny", ""},
		{"open", "true", "Enabled", "Allow", ""},
		{"legacy", "null", "null", "Allow", ""},
		{"forbidden", "null", "null", "null", "AuthorizationFailed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := map[string]string{}
			sa := c.accountSettings(context.Background(), "ml-prod", tt.name, errs)
			got := fmt.Sprintf("%s %s %s %s", show(sa.AllowBlobPublicAccess),
				str(sa.PublicNetworkAccess), str(sa.NetworkDefaultAction), errs["storageAccount"])
			want := fmt.Sprintf("%s %s %s %s", tt.allow, tt.network, tt.action, tt.errCode)
			if got != want || sa.Name != tt.name {
				t.Errorf("got %q (%s), want %q", got, sa.Name, want)
			}
		})
	}
}

func show(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}

func str(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
