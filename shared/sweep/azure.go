package sweep

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/exposure/azurecollect"
)

// AccountsAPI is the part of the ARM storage accounts client the sweep
// calls: listing a subscription's accounts, and what the collector reads.
type AccountsAPI interface {
	azurecollect.AccountsAPI
	NewListPager(o *armstorage.AccountsClientListOptions) *accountPager
}

type accountPager = runtime.Pager[armstorage.AccountsClientListResponse]

// Azure is how the sweep reaches the Azure subscriptions it sweeps.
type Azure struct {
	Subscriptions []string
	// Accounts returns the ARM storage accounts client of a subscription.
	Accounts func(subscription string) (AccountsAPI, error)
	// Blob returns the blob service client of a storage account at the
	// endpoint ARM reported for it.
	Blob func(account, endpoint string) (azurecollect.BlobServiceAPI, error)
}

// planAzure lists each subscription's storage accounts, page by page, and
// batches them.
func (s *Sweep) planAzure(ctx context.Context, p *plan, owners map[string]string,
	placed map[string]bool) error {
	if s.Azure == nil {
		return nil
	}
	for _, sub := range s.Azure.Subscriptions {
		accounts, err := s.listAccounts(ctx, p, sub, owners, placed)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			p.unlisted = append(p.unlisted, unlistedOf("azure", sub, err))
		}
		p.planned.StorageAccounts += len(accounts)
		size := s.azureSize()
		for start := 0; start < len(accounts); start += size {
			end := min(start+size, len(accounts))
			p.batches = append(p.batches, Batch{Azure: &AzureWork{Subscription: sub,
				Accounts: accounts[start:end]}})
		}
	}
	return nil
}

func (s *Sweep) listAccounts(ctx context.Context, p *plan, sub string,
	owners map[string]string, placed map[string]bool) ([]StorageAccount, error) {
	client, err := s.Azure.Accounts(sub)
	if err != nil {
		return nil, fmt.Errorf("connect to subscription %s: %w", sub, err)
	}
	var out []StorageAccount
	pager := client.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		p.calls.Azure++
		if err != nil {
			sortAccounts(out)
			return out, fmt.Errorf("list storage accounts of subscription %s: %w", sub, err)
		}
		for _, a := range page.Value {
			if sa, ok := storageAccount(a); ok {
				sa.Systems = claimContainers(owners, placed, sa.Name)
				out = append(out, sa)
			}
		}
	}
	sortAccounts(out)
	return out, nil
}

func sortAccounts(as []StorageAccount) {
	sort.Slice(as, func(i, j int) bool { return as[i].Name < as[j].Name })
}

// storageAccount reads what the sweep needs of one listed account: its
// resource group, from the resource id, and its blob endpoint.
func storageAccount(a *armstorage.Account) (StorageAccount, bool) {
	if a == nil || a.Name == nil || a.ID == nil {
		return StorageAccount{}, false
	}
	sa := StorageAccount{Name: *a.Name, ResourceGroup: resourceGroup(*a.ID),
		BlobEndpoint: "https://" + *a.Name + ".blob.core.windows.net/"}
	if p := a.Properties; p != nil && p.PrimaryEndpoints != nil && p.PrimaryEndpoints.Blob != nil {
		sa.BlobEndpoint = *p.PrimaryEndpoints.Blob
	}
	return sa, sa.ResourceGroup != ""
}

// resourceGroup finds the group in an ARM resource id, whose segment name
// ARM spells in either case.
func resourceGroup(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "resourceGroups") {
			return parts[i+1]
		}
	}
	return ""
}

// claimContainers returns the register's containers of an account, by
// container, and marks them placed.
func claimContainers(owners map[string]string, placed map[string]bool,
	account string) map[string]string {
	prefix := "azure://" + account + "/"
	var out map[string]string
	for uri, sys := range owners {
		if c, ok := strings.CutPrefix(uri, prefix); ok {
			if out == nil {
				out = map[string]string{}
			}
			out[c] = sys
			placed[uri] = true
		}
	}
	return out
}

// unplacedAzure lists the register's containers in no swept subscription.
func unplacedAzure(owners map[string]string, placed map[string]bool) []Resource {
	var out []Resource
	for uri, sys := range owners {
		if strings.HasPrefix(uri, "azure://") && !placed[uri] {
			out = append(out, Resource{Name: uri, System: sys})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// azureSnapshots collects every container of one storage account, plus
// the register's containers that the listing lacks, and counts the reads.
// When the containers cannot be listed at all, the account still yields a
// snapshot, under the container name "*", whose unknown level the engine
// weighs.
func (s *Sweep) azureSnapshots(ctx context.Context, arm AccountsAPI, sa StorageAccount) (
	[]exposure.AzureContainer, int, error) {
	blob, err := s.Azure.Blob(sa.Name, sa.BlobEndpoint)
	if err != nil {
		return nil, 0, fmt.Errorf("connect to storage account %s: %w", sa.Name, err)
	}
	var n atomic.Int64
	c := azurecollect.New(countedARM{arm, &n}, countedBlob{blob, &n})
	snaps, err := c.Account(ctx, sa.ResourceGroup, sa.Name)
	if err != nil {
		snaps, err = c.Account(ctx, sa.ResourceGroup, sa.Name, append(registered(sa), "*")...)
		return snaps, int(n.Load()), err
	}
	if missing := missingContainers(sa, snaps); len(missing) > 0 {
		more, err := c.Account(ctx, sa.ResourceGroup, sa.Name, missing...)
		if err != nil {
			return nil, int(n.Load()), err
		}
		snaps = append(snaps, more...)
	}
	return snaps, int(n.Load()), nil
}

func registered(sa StorageAccount) []string {
	names := make([]string, 0, len(sa.Systems))
	for c := range sa.Systems {
		names = append(names, c)
	}
	sort.Strings(names)
	return names
}

func missingContainers(sa StorageAccount, snaps []exposure.AzureContainer) []string {
	have := map[string]bool{}
	for _, sn := range snaps {
		have[sn.Container.Name] = true
	}
	var out []string
	for _, c := range registered(sa) {
		if !have[c] {
			out = append(out, c)
		}
	}
	return out
}

// unplacedSnapshot stands for a register container whose storage account
// no swept subscription lists: every signal is unknown.
func unplacedSnapshot(uri string) exposure.AzureContainer {
	rest := strings.TrimPrefix(uri, "azure://")
	account, container, _ := strings.Cut(rest, "/")
	const code = "StorageAccountNotListed"
	return exposure.AzureContainer{
		Kind:           exposure.KindAzureContainer,
		StorageAccount: exposure.StorageAccount{Name: account},
		Container:      exposure.Container{Name: container},
		Errors:         map[string]string{"storageAccount": code, "container": code},
	}
}
