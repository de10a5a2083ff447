package azurecollect

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
)

// blobService returns a client of Azurite's dev account signed with key.
func blobService(t *testing.T, key string) *service.Client {
	t.Helper()
	cred, err := azblob.NewSharedKeyCredential(devAccount, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := service.NewClientWithSharedKeyCredential(azurite(t), cred, &service.ClientOptions{
		ClientOptions: policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// estate creates a container at each level, with a blob in each, removed
// when the test ends.
func estate(t *testing.T, svc *service.Client, prefix string) {
	t.Helper()
	ctx := context.Background()
	levels := map[string]*container.PublicAccessType{
		prefix + "models":   to.Ptr(container.PublicAccessTypeBlob),
		prefix + "datasets": to.Ptr(container.PublicAccessTypeContainer),
		prefix + "private":  nil,
	}
	for name, level := range levels {
		cc := svc.NewContainerClient(name)
		if _, err := cc.Create(ctx, &container.CreateOptions{Access: level}); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		t.Cleanup(func() { _, _ = cc.Delete(context.Background(), nil) })
		blob := cc.NewBlockBlobClient("model.bin")
		if _, err := blob.UploadBuffer(ctx, []byte("weights"), nil); err != nil {
			t.Fatalf("upload to %s: %v", name, err)
		}
	}
}

func ensureWebsite(t *testing.T, svc *service.Client) {
	t.Helper()
	ctx := context.Background()
	site := &service.StaticWebsite{Enabled: to.Ptr(true), IndexDocument: to.Ptr("index.html")}
	_, err := svc.SetProperties(ctx, &service.SetPropertiesOptions{StaticWebsite: site})
	if err != nil {
		t.Fatalf("set static website: %v", err)
	}
	if _, err := svc.NewContainerClient("$web").Create(ctx, nil); err != nil &&
		!strings.Contains(err.Error(), "ContainerAlreadyExists") {
		t.Fatalf("create $web: %v", err)
	}
}

// anonymous reports whether Azurite serves a request without credentials.
func anonymous(t *testing.T, url string) bool {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestCollectAgainstAzurite collects the estate and holds each verdict to
// what Azurite actually serves to an anonymous caller.
func TestCollectAgainstAzurite(t *testing.T) {
	svc := blobService(t, devKey)
	estate(t, svc, "a-")
	ensureWebsite(t, svc)
	allow := true
	arm := fakeARM(t, map[string]armAccount{devAccount: {allow: &allow, network: "Enabled",
		defaultAction: "Allow"}})

	snaps, err := New(arm, svc).Account(context.Background(), "rg", devAccount)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]exposure.AzureContainer{}
	for _, s := range snaps {
		byName[s.Container.Name] = s
	}
	wantLevels := map[string]string{"a-models": "Blob", "a-datasets": "Container",
		"a-private": "None", "$web": "None"}
	for name, want := range wantLevels {
		s, ok := byName[name]
		if !ok || s.Container.PublicAccess != want || len(s.Errors) != 0 {
			t.Errorf("%s: got %+v, want level %s and no errors", name, s, want)
		}
		if !s.StorageAccount.StaticWebsite {
			t.Errorf("%s: got staticWebsite false, want true", name)
		}
	}
	for _, name := range []string{"a-models", "a-datasets", "a-private"} {
		v := exposure.EvaluateAzure(byName[name])
		base := azurite(t) + name
		read := anonymous(t, base+"/model.bin")
		list := anonymous(t, base+"?restype=container&comp=list")
		if *v.Read != read || *v.List != list {
			t.Errorf("%s: engine says read %t list %t, Azurite serves read %t list %t",
				name, *v.Read, *v.List, read, list)
		}
	}
	if v := exposure.EvaluateAzure(byName["$web"]); v.Verdict != exposure.Public {
		t.Errorf("$web: got %s, want public under static website", v.Verdict)
	}
}

func TestCollectNamedContainersUnderAccountBan(t *testing.T) {
	svc := blobService(t, devKey)
	estate(t, svc, "b-")
	forbid := false
	arm := fakeARM(t, map[string]armAccount{devAccount: {allow: &forbid, defaultAction: "Allow"}})

	snaps, err := New(arm, svc).Account(context.Background(), "rg", devAccount,
		"b-models", "b-missing")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 {
		t.Fatalf("got %d snapshots, want 2", len(snaps))
	}
	v := exposure.EvaluateAzure(snaps[0])
	if v.Verdict != exposure.NotPublic || !v.Latent || v.LatentAccess == nil ||
		!v.LatentAccess.Read {
		t.Errorf("b-models: got %s latent %t, want not_public and latent read", v.Verdict, v.Latent)
	}
	if snaps[1].Errors["container"] != "ContainerNotFound" {
		t.Errorf("b-missing: got errors %v, want ContainerNotFound", snaps[1].Errors)
	}
}

// A wrong key makes Azurite refuse every call: the failures are recorded and
// the verdict is indeterminate, never a pass.
func TestCollectRefusedIsUnknown(t *testing.T) {
	wrong := strings.Repeat("A", 86) + "=="
	svc := blobService(t, wrong)
	allow := true
	arm := fakeARM(t, map[string]armAccount{devAccount: {allow: &allow, defaultAction: "Allow"}})
	c := New(arm, svc)

	if _, err := c.Account(context.Background(), "rg", devAccount); err == nil {
		t.Error("got no error listing with a wrong key, want one")
	}
	snaps, err := c.Account(context.Background(), "rg", devAccount, "models")
	if err != nil {
		t.Fatal(err)
	}
	s := snaps[0]
	if s.Errors["container"] == "" || s.Errors["staticWebsite"] == "" {
		t.Fatalf("got errors %v, want container and staticWebsite recorded", s.Errors)
	}
	if v := exposure.EvaluateAzure(s); v.Verdict != exposure.Indeterminate {
		t.Errorf("got %s, want indeterminate; reasons %q", v.Verdict, v.Reasons)
	}
	t.Logf("Azurite refused with %s", s.Errors["container"])
}

func TestCollectARMRefusedIsUnknown(t *testing.T) {
	svc := blobService(t, devKey)
	estate(t, svc, "c-")
	arm := fakeARM(t, map[string]armAccount{})

	snaps, err := New(arm, svc).Account(context.Background(), "rg", devAccount,
		"c-models", "c-private")
	if err != nil {
		t.Fatal(err)
	}
	want := []exposure.Outcome{exposure.Indeterminate, exposure.NotPublic}
	for i, s := range snaps {
		if s.Errors["storageAccount"] != "AuthorizationFailed" {
			t.Errorf("%s: got errors %v, want AuthorizationFailed", s.Container.Name, s.Errors)
		}
		if v := exposure.EvaluateAzure(s); v.Verdict != want[i] {
			t.Errorf("%s: got %s, want %s", s.Container.Name, v.Verdict, want[i])
		}
	}
}

// The collected snapshot, written as JSON, is the file format the engine and
// the command line read.
func TestSnapshotJSONRoundTrip(t *testing.T) {
	svc := blobService(t, devKey)
	estate(t, svc, "d-")
	arm := fakeARM(t, map[string]armAccount{devAccount: {defaultAction: "Deny"}})
	snaps, err := New(arm, svc).Account(context.Background(), "rg", devAccount, "d-datasets")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(snaps[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"kind":"azure-blob-container"`, `"allowBlobPublicAccess":null`,
		`"publicAccess":"Container"`, `"networkDefaultAction":"Deny"`} {
		if !strings.Contains(string(raw), field) {
			t.Errorf("snapshot %s lacks %s", raw, field)
		}
	}
	decoded, err := exposure.Decode(raw, "snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	v := exposure.Evaluate(decoded)
	if v.Verdict != exposure.Public || v.Network == nil || *v.Network != exposure.NetworkRestricted {
		t.Errorf("got %s network %v, want public (absent allowBlobPublicAccess) and restricted",
			v.Verdict, v.Network)
	}
}
