// Package azurecollect reads what decides an Azure blob container's
// exposure into the snapshot the exposure engine judges: the storage
// account's settings from ARM, the containers' public access levels and the
// static website switch from the blob service. A failed read becomes an
// entry in the snapshot's errors, never a pass.
package azurecollect

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

// AccountsAPI is the part of the ARM storage accounts client the collector
// calls.
type AccountsAPI interface {
	GetProperties(ctx context.Context, resourceGroupName, accountName string,
		options *armstorage.AccountsClientGetPropertiesOptions) (
		armstorage.AccountsClientGetPropertiesResponse, error)
}

// BlobServiceAPI is the part of one account's blob service client the
// collector calls.
type BlobServiceAPI interface {
	GetProperties(ctx context.Context, o *service.GetPropertiesOptions) (
		service.GetPropertiesResponse, error)
	NewListContainersPager(o *service.ListContainersOptions) *containerPager
}

type containerPager = runtime.Pager[service.ListContainersResponse]
