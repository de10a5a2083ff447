package sweep

import (
	"context"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/aimsaudit/aimsaudit/shared/exposure/azurecollect"
)

// countedARM counts the ARM reads the collector makes through it.
type countedARM struct {
	azurecollect.AccountsAPI
	n *atomic.Int64
}

func (c countedARM) GetProperties(ctx context.Context, rg, account string,
	o *armstorage.AccountsClientGetPropertiesOptions) (
	armstorage.AccountsClientGetPropertiesResponse, error) {
	c.n.Add(1)
	return c.AccountsAPI.GetProperties(ctx, rg, account, o)
}

type containerPager = runtime.Pager[service.ListContainersResponse]

// countedBlob counts the blob service reads, container list pages
// included, the collector makes through it.
type countedBlob struct {
	azurecollect.BlobServiceAPI
	n *atomic.Int64
}

func (c countedBlob) GetProperties(ctx context.Context, o *service.GetPropertiesOptions) (
	service.GetPropertiesResponse, error) {
	c.n.Add(1)
	return c.BlobServiceAPI.GetProperties(ctx, o)
}

func (c countedBlob) NewListContainersPager(o *service.ListContainersOptions) *containerPager {
	inner := c.BlobServiceAPI.NewListContainersPager(o)
	return runtime.NewPager(runtime.PagingHandler[service.ListContainersResponse]{
		More: func(service.ListContainersResponse) bool { return inner.More() },
		Fetcher: func(ctx context.Context, _ *service.ListContainersResponse) (
			service.ListContainersResponse, error) {
			c.n.Add(1)
			return inner.NextPage(ctx)
		},
	})
}
