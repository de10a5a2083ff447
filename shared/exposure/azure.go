package exposure

import (
	"fmt"
	"sort"
	"strings"
)

// Network reachability of an Azure storage account, reported apart from the
// verdict: a firewall narrows who can reach a grant, it does not remove it.
const (
	NetworkReachable  = "reachable"
	NetworkRestricted = "restricted"
)

// webContainer is the container static website hosting serves anonymously.
const webContainer = "$web"

// parseLevel reads a container's public access level; ARM spells it None,
// Blob or Container, the blob service blob, container or nothing.
func parseLevel(s string) (access, bool) {
	switch strings.ToLower(s) {
	case "", "none", "private":
		return access{}, true
	case "blob":
		return access{read: true, any: true}, true
	case "container":
		return access{read: true, list: true, any: true}, true
	}
	return access{}, false
}

// EvaluateAzure judges a blob container: its public access level, masked by
// the account's allowBlobPublicAccess, and the $web container of a static
// website, which nothing but the network masks.
func EvaluateAzure(c AzureContainer) Verdict {
	var t tally
	t.reasons = azureErrorNotes(c.Errors)
	judgeLevel(&t, c)
	judgeWebsite(&t, c)
	network := judgeNetwork(&t, c)
	v := t.verdict(fmt.Sprintf("azure://%s/%s", c.StorageAccount.Name, c.Container.Name),
		KindAzureContainer, "no container level or static website gives anyone anonymous access")
	v.Network = network
	return v
}

// allowMask is the account switch over every container level. An absent
// allowBlobPublicAccess is read as allowed, the conservative reading.
func allowMask(t *tally, c AzureContainer) mask {
	if err := c.Errors["storageAccount"]; err != "" {
		return or(mask{unsure: []string{"allowBlobPublicAccess (storageAccount: " + err + ")"}})
	}
	allow := c.StorageAccount.AllowBlobPublicAccess
	if allow == nil {
		t.note("allowBlobPublicAccess is not set on account %s; read as allowed, the "+
			"conservative reading; set it to false", c.StorageAccount.Name)
		return mask{}
	}
	if !*allow {
		return or(mask{by: []string{"allowBlobPublicAccess false (account " +
			c.StorageAccount.Name + ")"}})
	}
	return mask{}
}

func judgeLevel(t *tally, c AzureContainer) {
	m := allowMask(t, c)
	if err := c.Errors["container"]; err != "" {
		t.unknownGrant(access{read: true, list: true, any: true}, m,
			"the container's access level is unknown ("+err+")",
			"give the auditing identity read access to container properties")
		return
	}
	level, _ := parseLevel(c.Container.PublicAccess)
	t.grant(level, m, "container public access level "+c.Container.PublicAccess)
}

func judgeWebsite(t *tally, c AzureContainer) {
	if c.Container.Name != webContainer {
		return
	}
	read := access{read: true, any: true}
	if err := c.Errors["staticWebsite"]; err != "" {
		t.unknownGrant(read, mask{}, "static website hosting is unknown ("+err+")",
			"give the auditing identity read access to blob service properties")
		return
	}
	if c.StorageAccount.StaticWebsite {
		t.grant(read, mask{}, fmt.Sprintf("static website hosting is on: $web is served at "+
			"account %s's web endpoint (https://%s.z<n>.web.core.windows.net) whatever its level "+
			"and allowBlobPublicAccess", c.StorageAccount.Name, c.StorageAccount.Name))
	}
}

// judgeNetwork reports whether the account's endpoints take requests from
// the internet; nil when the account's settings are unknown.
func judgeNetwork(t *tally, c AzureContainer) *string {
	if c.Errors["storageAccount"] != "" {
		return nil
	}
	sa := c.StorageAccount
	if pna := deref(sa.PublicNetworkAccess); pna != "" && !strings.EqualFold(pna, "Enabled") {
		t.note("publicNetworkAccess is %s: only private endpoints reach the account", pna)
		return ptr(NetworkRestricted)
	}
	if strings.EqualFold(deref(sa.NetworkDefaultAction), "Deny") {
		t.note("the account firewall's default action is Deny: only allowed networks reach it")
		return ptr(NetworkRestricted)
	}
	return ptr(NetworkReachable)
}

func azureErrorNotes(errs map[string]string) []string {
	var out []string
	for _, p := range []string{"storageAccount", "container", "staticWebsite"} {
		if err := errs[p]; err != "" {
			out = append(out, fmt.Sprintf("reading %s failed (%s), so it is unknown", p, err))
		}
	}
	var stray []string
	for p := range errs {
		if p != "storageAccount" && p != "container" && p != "staticWebsite" {
			stray = append(stray, p)
		}
	}
	sort.Strings(stray)
	for _, p := range stray {
		out = append(out, strayError(errs[p], p))
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
