package azureml

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"
)

// registryGroup finds the resource group of a registry of the
// subscription by listing its registries; "" when none has the name.
func registryGroup(ctx context.Context, c *Clients, registry string) (string, error) {
	pages := c.Registries.NewListBySubscriptionPager(nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return "", err
		}
		for _, r := range page.Value {
			if !strings.EqualFold(deref(r.Name), registry) {
				continue
			}
			id, err := arm.ParseResourceID(deref(r.ID))
			if err != nil {
				return "", wrap("registry id "+deref(r.ID), err)
			}
			return id.ResourceGroupName, nil
		}
	}
	return "", nil
}

// getRegistryModel reads a registry's model version, looking for the
// registry in subscription, the one of the deployment that serves it.
func getRegistryModel(ctx context.Context, c *Clients, ref ModelRef) (*ml.ModelVersion,
	readResult, error) {
	group, err := registryGroup(ctx, c, ref.Registry)
	res, fatal := read(err)
	switch {
	case fatal != nil:
		return nil, res, wrap("list registries", fatal)
	case err != nil:
		res.unknown = "listing registries: " + res.unknown
		return nil, res, nil
	case group == "":
		return nil, readResult{unknown: "no registry " + ref.Registry + " in the " +
			"deployment's subscription"}, nil
	}
	out, err := c.RegistryModels.Get(ctx, group, ref.Registry, ref.Name, ref.Version, nil)
	if res, fatal = read(err); fatal != nil {
		return nil, res, wrap("get model version "+ref.ID(), fatal)
	}
	if err != nil {
		return nil, res, nil
	}
	return &out.ModelVersion, res, nil
}
