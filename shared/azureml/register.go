package azureml

import (
	"slices"
	"strconv"
	"strings"

	"github.com/aimsaudit/aimsaudit/shared/register"
)

// inWorkspace reports whether the system's azureml block names the
// workspace; subscription and resource group count only where the
// register states them.
func inWorkspace(a *register.AzureML, ws Workspace) bool {
	return a != nil && strings.EqualFold(a.Workspace, ws.Name) &&
		(a.SubscriptionID == "" || strings.EqualFold(a.SubscriptionID, ws.Subscription)) &&
		(a.ResourceGroup == "" || strings.EqualFold(a.ResourceGroup, ws.ResourceGroup))
}

// systemsForEndpoint lists the systems that claim an online endpoint of
// the workspace.
func systemsForEndpoint(reg *register.Register, ws Workspace, endpoint string) []*register.System {
	return systemsWhere(reg, func(s *register.System) bool {
		return inWorkspace(s.AzureML, ws) && slices.ContainsFunc(s.AzureML.Endpoints,
			func(e string) bool { return strings.EqualFold(e, endpoint) })
	})
}

// systemsForModel lists the systems that claim a model of the workspace.
func systemsForModel(reg *register.Register, ws Workspace, model string) []*register.System {
	return systemsWhere(reg, func(s *register.System) bool {
		return inWorkspace(s.AzureML, ws) && slices.Contains(s.AzureML.Models, model)
	})
}

func systemsWhere(reg *register.Register, keep func(*register.System) bool) []*register.System {
	var out []*register.System
	for _, s := range reg.Systems {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// coversModel reports whether the assessment was made for this version of
// this model of the workspace, per its covers.azureml.
func coversModel(ia *register.Assessment, ws Workspace, model, version string) bool {
	c := ia.Covers.AzureML
	if c == nil || !strings.EqualFold(c.Workspace, ws.Name) || c.Model != model {
		return false
	}
	v, err := strconv.Atoi(version)
	return err == nil && slices.Contains(c.Versions, v)
}
