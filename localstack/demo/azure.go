package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

	"github.com/aimsaudit/aimsaudit/shared/exposure/azurecollect"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/sweep"
)

// Azurite's well-known development account, and the demo's subscription.
const (
	devAccount = "devstoreaccount1"
	devKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/" +
		"K1SZFPTOtr/KBHBeksoGMGw=="
	demoSubscription = "00000000-0000-0000-0000-00000000de70"
	azuriteBin       = "localstack/azurite/node_modules/.bin/azurite-blob"
)

// errNoAzurite says the pinned Azurite is not installed; the demo then
// sweeps AWS alone.
var errNoAzurite = errors.New("azurite not installed (run `npm ci` in localstack/azurite)")

// azureCases is the Azure side of the demo: Azurite's blob service, which
// holds the containers, and a fake of ARM, which has no emulator, answering
// the documented storage account shape. The account forbids anonymous blob
// access (handed case h07: a container left at level Blob is latent) and
// hosts a static website (h08: $web is public at the web endpoint).
type azureCases struct {
	azurite *exec.Cmd
	arm     *httptest.Server
	blob    string
}

func startAzure(ctx context.Context, root string) (*azureCases, error) {
	bin := filepath.Join(root, azuriteBin)
	if _, err := os.Stat(bin); err != nil {
		return nil, errNoAzurite
	}
	a := &azureCases{}
	if err := a.startAzurite(ctx, bin); err != nil {
		a.Stop()
		return nil, err
	}
	a.arm = httptest.NewTLSServer(http.HandlerFunc(a.serveARM))
	if err := a.seed(ctx); err != nil {
		a.Stop()
		return nil, err
	}
	return a, nil
}

// startAzurite runs Azurite on a free loopback port with telemetry off.
func (a *azureCases) startAzurite(ctx context.Context, bin string) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("", "azurite-demo")
	if err != nil {
		return err
	}
	a.azurite = exec.Command(bin, "--disableTelemetry", "--skipApiVersionCheck",
		"--blobHost", "127.0.0.1", "--blobPort", strconv.Itoa(port), "--location", dir)
	if err := a.azurite.Start(); err != nil {
		return fmt.Errorf("start azurite: %w", err)
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	a.blob = base + "/" + devAccount + "/"
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if resp, err := http.Get(base + "/" + devAccount + "?comp=list"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("azurite at %s did not answer", base)
}

// Stop ends Azurite and the ARM fake.
func (a *azureCases) Stop() {
	if a.arm != nil {
		a.arm.Close()
	}
	if a.azurite != nil && a.azurite.Process != nil {
		_ = a.azurite.Process.Kill()
		_ = a.azurite.Wait()
	}
}

func (a *azureCases) seed(ctx context.Context) error {
	svc, err := a.blobService(a.blob)
	if err != nil {
		return err
	}
	site := &service.StaticWebsite{Enabled: to.Ptr(true), IndexDocument: to.Ptr("index.html")}
	if _, err := svc.SetProperties(ctx, &service.SetPropertiesOptions{
		StaticWebsite: site}); err != nil {
		return fmt.Errorf("set static website: %w", err)
	}
	for name, level := range map[string]*container.PublicAccessType{
		"models": to.Ptr(container.PublicAccessTypeBlob), "$web": nil} {
		_, err := svc.NewContainerClient(name).Create(ctx, &container.CreateOptions{Access: level})
		if err != nil && !strings.Contains(err.Error(), "ContainerAlreadyExists") {
			return fmt.Errorf("create container %s: %w", name, err)
		}
	}
	return nil
}

func (a *azureCases) blobService(endpoint string) (*service.Client, error) {
	cred, err := azblob.NewSharedKeyCredential(devAccount, devKey)
	if err != nil {
		return nil, err
	}
	return service.NewClientWithSharedKeyCredential(endpoint, cred, nil)
}

// want is each container's status under its handed verdict.
func (a *azureCases) want() map[string]findings.Status {
	return map[string]findings.Status{
		"azure://" + devAccount + "/models": findings.Latent,
		"azure://" + devAccount + "/$web":   findings.Fail,
	}
}

// source reaches the demo subscription through the ARM fake and Azurite.
func (a *azureCases) source() *sweep.Azure {
	return &sweep.Azure{
		Subscriptions: []string{demoSubscription},
		Accounts: func(sub string) (sweep.AccountsAPI, error) {
			return armstorage.NewAccountsClient(sub, staticToken{}, &arm.ClientOptions{
				ClientOptions: policy.ClientOptions{
					Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: a.arm.URL,
						Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
							cloud.ResourceManager: {Endpoint: a.arm.URL,
								Audience: "https://management.core.windows.net/"}}},
					Transport: a.arm.Client(),
				},
				DisableRPRegistration: true,
			})
		},
		Blob: func(_, endpoint string) (azurecollect.BlobServiceAPI, error) {
			return a.blobService(endpoint)
		},
	}
}

// account is the demo storage account as ARM documents it.
func (a *azureCases) account() map[string]any {
	return map[string]any{
		"id": "/subscriptions/" + demoSubscription + "/resourceGroups/ml-prod/providers/" +
			"Microsoft.Storage/storageAccounts/" + devAccount,
		"name": devAccount, "type": "Microsoft.Storage/storageAccounts",
		"location": "westeurope", "kind": "StorageV2",
		"sku": map[string]any{"name": "Standard_LRS", "tier": "Standard"},
		"properties": map[string]any{
			"provisioningState": "Succeeded", "allowBlobPublicAccess": false,
			"publicNetworkAccess": "Enabled", "primaryEndpoints": map[string]any{"blob": a.blob},
			"networkAcls": map[string]any{"bypass": "AzureServices", "defaultAction": "Allow",
				"ipRules": []any{}, "virtualNetworkRules": []any{}},
		},
	}
}

// serveARM answers "Storage Accounts - List" and "Get Properties" for the
// one demo account.
func (a *azureCases) serveARM(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	acct := a.account()
	list := "/subscriptions/" + demoSubscription + "/providers/Microsoft.Storage/storageAccounts"
	switch {
	case r.URL.Path == list:
		_ = json.NewEncoder(w).Encode(map[string]any{"value": []any{acct}})
	case strings.EqualFold(r.URL.Path, acct["id"].(string)):
		_ = json.NewEncoder(w).Encode(acct)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"code":"ResourceNotFound","message":"not found"}}`)
	}
}

// staticToken stands in for an Entra ID credential, which the ARM fake
// does not check.
type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (
	azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "demo-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}
