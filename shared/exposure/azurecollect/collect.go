package azurecollect

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
)

// Collector reads the container snapshots of one storage account.
type Collector struct {
	arm  AccountsAPI
	blob BlobServiceAPI
}

// New returns a collector over an ARM accounts client and the account's
// blob service client.
func New(arm AccountsAPI, blob BlobServiceAPI) *Collector {
	return &Collector{arm: arm, blob: blob}
}

// Account collects one snapshot per container of the account, or only of
// the containers named. It fails only when no container is named and the
// containers cannot be listed; every other failed read is recorded in the
// snapshots' errors.
func (c *Collector) Account(ctx context.Context, resourceGroup, account string,
	only ...string) ([]exposure.AzureContainer, error) {
	errs := map[string]string{}
	sa := c.accountSettings(ctx, resourceGroup, account, errs)
	c.staticWebsite(ctx, &sa, errs)
	levels, listErr := c.levels(ctx)
	if listErr != nil && len(only) == 0 {
		return nil, fmt.Errorf("list containers of %s: %w", account, listErr)
	}
	names := only
	if len(names) == 0 {
		names = sortedNames(levels)
	}
	out := make([]exposure.AzureContainer, 0, len(names))
	for _, name := range names {
		out = append(out, snapshot(sa, name, levels, listErr, errs))
	}
	return out, nil
}

func snapshot(sa exposure.StorageAccount, name string, levels map[string]string,
	listErr error, accountErrs map[string]string) exposure.AzureContainer {
	errs := make(map[string]string, len(accountErrs)+1)
	for k, v := range accountErrs {
		errs[k] = v
	}
	level, found := levels[name]
	switch {
	case listErr != nil:
		errs["container"] = errorCode(listErr)
	case !found:
		errs["container"] = "ContainerNotFound"
	}
	return exposure.AzureContainer{
		Kind:           exposure.KindAzureContainer,
		StorageAccount: sa,
		Container:      exposure.Container{Name: name, PublicAccess: level},
		Errors:         errs,
	}
}

// accountSettings reads the account's anonymous-access and network
// settings from ARM. An absent allowBlobPublicAccess stays nil, for the
// engine to read conservatively.
func (c *Collector) accountSettings(ctx context.Context, resourceGroup, account string,
	errs map[string]string) exposure.StorageAccount {
	sa := exposure.StorageAccount{Name: account}
	resp, err := c.arm.GetProperties(ctx, resourceGroup, account, nil)
	if err != nil {
		errs["storageAccount"] = errorCode(err)
		return sa
	}
	p := resp.Properties
	if p == nil {
		return sa
	}
	sa.AllowBlobPublicAccess = p.AllowBlobPublicAccess
	if p.PublicNetworkAccess != nil {
		sa.PublicNetworkAccess = to.Ptr(string(*p.PublicNetworkAccess))
	}
	if p.NetworkRuleSet != nil && p.NetworkRuleSet.DefaultAction != nil {
		sa.NetworkDefaultAction = to.Ptr(string(*p.NetworkRuleSet.DefaultAction))
	}
	return sa
}

func (c *Collector) staticWebsite(ctx context.Context, sa *exposure.StorageAccount,
	errs map[string]string) {
	props, err := c.blob.GetProperties(ctx, nil)
	if err != nil {
		errs["staticWebsite"] = errorCode(err)
		return
	}
	sa.StaticWebsite = props.StaticWebsite != nil &&
		props.StaticWebsite.Enabled != nil && *props.StaticWebsite.Enabled
}

// levels lists every container with its public access level, in ARM's
// spelling: None, Blob or Container.
func (c *Collector) levels(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	pager := c.blob.NewListContainersPager(&service.ListContainersOptions{})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, item := range page.ContainerItems {
			if item.Name == nil {
				continue
			}
			out[*item.Name] = level(item.Properties)
		}
	}
	return out, nil
}

func level(p *service.ContainerProperties) string {
	if p == nil || p.PublicAccess == nil {
		return "None"
	}
	switch *p.PublicAccess {
	case service.PublicAccessTypeBlob:
		return "Blob"
	case service.PublicAccessTypeContainer:
		return "Container"
	}
	return string(*p.PublicAccess)
}

func sortedNames(levels map[string]string) []string {
	names := make([]string, 0, len(levels))
	for n := range levels {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// errorCode is the service's error code, the HTTP status when it gave
// none, or RequestFailed when no answer came.
func errorCode(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return re.ErrorCode
		}
		return fmt.Sprintf("HTTP%d", re.StatusCode)
	}
	return "RequestFailed"
}
