package azureml

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"
)

// EndpointsAPI is the part of the online endpoints client the check reads.
type EndpointsAPI interface {
	Get(ctx context.Context, resourceGroup, workspace, endpoint string,
		o *ml.OnlineEndpointsClientGetOptions) (ml.OnlineEndpointsClientGetResponse, error)
	NewListPager(resourceGroup, workspace string, o *ml.OnlineEndpointsClientListOptions,
	) *runtime.Pager[ml.OnlineEndpointsClientListResponse]
}

// DeploymentsAPI is the part of the online deployments client the check
// reads.
type DeploymentsAPI interface {
	Get(ctx context.Context, resourceGroup, workspace, endpoint, deployment string,
		o *ml.OnlineDeploymentsClientGetOptions) (ml.OnlineDeploymentsClientGetResponse, error)
	NewListPager(resourceGroup, workspace, endpoint string,
		o *ml.OnlineDeploymentsClientListOptions,
	) *runtime.Pager[ml.OnlineDeploymentsClientListResponse]
}

// ModelVersionsAPI reads model versions and, for the gate only, writes
// their tags back.
type ModelVersionsAPI interface {
	Get(ctx context.Context, resourceGroup, workspace, name, version string,
		o *ml.ModelVersionsClientGetOptions) (ml.ModelVersionsClientGetResponse, error)
	CreateOrUpdate(ctx context.Context, resourceGroup, workspace, name, version string,
		body ml.ModelVersion, o *ml.ModelVersionsClientCreateOrUpdateOptions) (
		ml.ModelVersionsClientCreateOrUpdateResponse, error)
}

// WorkspacesAPI reads the workspace an event comes from.
type WorkspacesAPI interface {
	Get(ctx context.Context, resourceGroup, workspace string,
		o *ml.WorkspacesClientGetOptions) (ml.WorkspacesClientGetResponse, error)
}

// RegistriesAPI finds a registry's resource group, which a registry
// model's asset id does not carry.
type RegistriesAPI interface {
	NewListBySubscriptionPager(o *ml.RegistriesClientListBySubscriptionOptions,
	) *runtime.Pager[ml.RegistriesClientListBySubscriptionResponse]
}

// RegistryModelsAPI reads model versions of a registry.
type RegistryModelsAPI interface {
	Get(ctx context.Context, resourceGroup, registry, name, version string,
		o *ml.RegistryModelVersionsClientGetOptions) (ml.RegistryModelVersionsClientGetResponse,
		error)
}

// Clients are the Azure ML clients of one subscription.
type Clients struct {
	Endpoints      EndpointsAPI
	Deployments    DeploymentsAPI
	Models         ModelVersionsAPI
	Workspaces     WorkspacesAPI
	Registries     RegistriesAPI
	RegistryModels RegistryModelsAPI
}

// Retry is how ARM calls are retried: throttled answers (429) and server
// errors, honouring Retry-After up to MaxRetryDelay, by the SDK's own
// retry policy.
var Retry = policy.RetryOptions{
	MaxRetries:    4,
	RetryDelay:    500 * time.Millisecond,
	MaxRetryDelay: 30 * time.Second,
	StatusCodes:   []int{408, 429, 500, 502, 503, 504},
}

// Options returns client options for ARM at endpoint ("" for the public
// Azure cloud), sent through transport (nil for the default), with Retry.
// A sovereign cloud or a test server is another endpoint.
func Options(endpoint string, transport policy.Transporter) *arm.ClientOptions {
	o := &arm.ClientOptions{ClientOptions: policy.ClientOptions{Retry: Retry,
		Transport: transport}}
	if endpoint != "" {
		o.Cloud = cloud.Configuration{
			ActiveDirectoryAuthorityHost: cloud.AzurePublic.ActiveDirectoryAuthorityHost,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Endpoint: endpoint,
					Audience: cloud.AzurePublic.Services[cloud.ResourceManager].Audience},
			},
		}
	}
	return o
}

// NewClients builds the clients of a subscription.
func NewClients(subscription string, cred azcore.TokenCredential, o *arm.ClientOptions) (
	*Clients, error) {
	f, err := ml.NewClientFactory(subscription, cred, o)
	if err != nil {
		return nil, fmt.Errorf("azure ml clients for subscription %s: %w", subscription, err)
	}
	return &Clients{Endpoints: f.NewOnlineEndpointsClient(),
		Deployments: f.NewOnlineDeploymentsClient(), Models: f.NewModelVersionsClient(),
		Workspaces: f.NewWorkspacesClient(), Registries: f.NewRegistriesClient(),
		RegistryModels: f.NewRegistryModelVersionsClient()}, nil
}

// ClientsFor returns a function that builds each subscription's clients
// once, for a check that meets several subscriptions.
func ClientsFor(cred azcore.TokenCredential, o *arm.ClientOptions) func(string) (*Clients, error) {
	cache := newOnce[*Clients]()
	return func(subscription string) (*Clients, error) {
		return cache.get(subscription, func() (*Clients, error) {
			return NewClients(subscription, cred, o)
		})
	}
}
