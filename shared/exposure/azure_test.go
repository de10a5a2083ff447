package exposure

import "testing"

func container(allow *bool, level string, mods ...func(*AzureContainer)) AzureContainer {
	c := AzureContainer{
		Kind: KindAzureContainer,
		StorageAccount: StorageAccount{Name: "mlartifacts", AllowBlobPublicAccess: allow,
			PublicNetworkAccess: ptr("Enabled"), NetworkDefaultAction: ptr("Allow")},
		Container: Container{Name: "models", PublicAccess: level},
		Errors:    map[string]string{},
	}
	for _, m := range mods {
		m(&c)
	}
	return c
}

func web(on bool) func(*AzureContainer) {
	return func(c *AzureContainer) {
		c.Container.Name = "$web"
		c.StorageAccount.StaticWebsite = on
	}
}

func failed(path string) func(*AzureContainer) {
	return func(c *AzureContainer) { c.Errors[path] = "AuthorizationFailed" }
}

func TestAzureContainers(t *testing.T) {
	tests := []struct {
		name string
		c    AzureContainer
		w    want
	}{
		{"Blob level", container(T, "Blob"), want{verdict: Public, read: T, list: F, write: F}},
		{"Container level", container(T, "Container"), want{verdict: Public, read: T, list: T}},
		{"blob service spelling", container(T, "container"), want{verdict: Public, list: T}},
		{"None level", container(T, "None"), want{verdict: NotPublic, read: F}},
		{"absent allowBlobPublicAccess is allowed", container(nil, "Blob"),
			want{verdict: Public, read: T, reasonHas: []string{"conservative"}}},
		{"account forbids", container(F, "Container"), want{verdict: NotPublic, latent: true,
			latentAccess: &Access{Read: true, List: true}}},
		{"$web under static website", container(F, "None", web(true)),
			want{verdict: Public, read: T, list: F}},
		{"$web without static website", container(F, "None", web(false)),
			want{verdict: NotPublic}},
		{"$web static website and Container level", container(T, "Container", web(true)),
			want{verdict: Public, read: T, list: T}},
		{"static website does not open other containers", container(F, "None",
			func(c *AzureContainer) { c.StorageAccount.StaticWebsite = true }),
			want{verdict: NotPublic}},
		{"account unknown over a Blob level", container(F, "Blob", failed("storageAccount")),
			want{verdict: Indeterminate, list: F, write: F, nullFlags: []string{"read"}}},
		{"account unknown over None", container(nil, "None", failed("storageAccount")),
			want{verdict: NotPublic}},
		{"level unknown, account forbids", container(F, "", failed("container")),
			want{verdict: NotPublic}},
		{"level unknown, account allows", container(T, "", failed("container")),
			want{verdict: Indeterminate, write: F, nullFlags: []string{"read", "list"}}},
		{"$web, static website unknown", container(F, "None", web(false), failed("staticWebsite")),
			want{verdict: Indeterminate, list: F, nullFlags: []string{"read"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, EvaluateAzure(tt.c), tt.w)
		})
	}
}

// Network reachability is reported apart and never moves the verdict.
func TestAzureNetworkReportedApart(t *testing.T) {
	tests := []struct {
		name     string
		pna, act *string
		errPath  string
		network  *string
	}{
		{"open", ptr("Enabled"), ptr("Allow"), "", ptr(NetworkReachable)},
		{"defaults", nil, nil, "", ptr(NetworkReachable)},
		{"public network disabled", ptr("Disabled"), ptr("Allow"), "", ptr(NetworkRestricted)},
		{"firewall deny", ptr("Enabled"), ptr("Deny"), "", ptr(NetworkRestricted)},
		{"account unknown", ptr("Enabled"), ptr("Allow"), "storageAccount", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := container(T, "Blob", func(c *AzureContainer) {
				c.StorageAccount.PublicNetworkAccess = tt.pna
				c.StorageAccount.NetworkDefaultAction = tt.act
			})
			want := Public
			if tt.errPath != "" {
				c.Errors[tt.errPath] = "AuthorizationFailed"
				want = Indeterminate
			}
			v := EvaluateAzure(c)
			if v.Verdict != want {
				t.Errorf("got verdict %s, want %s", v.Verdict, want)
			}
			if (v.Network == nil) != (tt.network == nil) ||
				(v.Network != nil && *v.Network != *tt.network) {
				t.Errorf("got network %v, want %v", deref(v.Network), deref(tt.network))
			}
		})
	}
}

func TestAzureResourceName(t *testing.T) {
	v := EvaluateAzure(container(T, "None"))
	if v.Resource != "azure://mlartifacts/models" || v.Kind != KindAzureContainer {
		t.Errorf("got %s (%s), want azure://mlartifacts/models", v.Resource, v.Kind)
	}
}
