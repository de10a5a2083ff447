package armfake

import "fmt"

// Workspace names a workspace of the fake.
type Workspace struct{ Subscription, ResourceGroup, Name string }

// ID is the workspace's ARM id.
func (w Workspace) ID() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/"+
		"Microsoft.MachineLearningServices/workspaces/%s", w.Subscription, w.ResourceGroup, w.Name)
}

// EndpointID is the ARM id of an online endpoint of the workspace.
func (w Workspace) EndpointID(name string) string { return w.ID() + "/onlineEndpoints/" + name }

// DeploymentID is the ARM id of a deployment of an online endpoint.
func (w Workspace) DeploymentID(endpoint, name string) string {
	return w.EndpointID(endpoint) + "/deployments/" + name
}

// ModelVersionID is the ARM id of a model version of the workspace.
func (w Workspace) ModelVersionID(model, version string) string {
	return w.ID() + "/models/" + model + "/versions/" + version
}

var systemData = map[string]any{"createdBy": "mlops@bank.example", "createdByType": "User",
	"createdAt": "2026-11-30T09:00:00Z", "lastModifiedAt": "2026-11-30T09:00:00Z"}

// AddWorkspace stores a workspace as Workspaces_Get answers it.
func (s *Server) AddWorkspace(w Workspace) {
	s.Put(w.ID(), map[string]any{"name": w.Name,
		"type": "Microsoft.MachineLearningServices/workspaces", "location": "westeurope",
		"identity": map[string]any{"type": "SystemAssigned"}, "sku": map[string]any{
			"name": "Basic", "tier": "Basic"}, "systemData": systemData,
		"properties": map[string]any{"friendlyName": w.Name, "provisioningState": "Succeeded",
			"publicNetworkAccess": "Disabled", "workspaceId": "00000000-0000-0000-0000-" +
				"00000000abcd"}})
}

// AddEndpoint stores a managed online endpoint as OnlineEndpoints_Get
// answers it; props override the defaults (authMode Key, public access
// Enabled).
func (s *Server) AddEndpoint(w Workspace, name string, props map[string]any) {
	p := map[string]any{"authMode": "Key", "publicNetworkAccess": "Enabled",
		"provisioningState": "Succeeded", "description": "",
		"scoringUri":    "https://" + name + ".westeurope.inference.ml.azure.com/score",
		"swaggerUri":    "https://" + name + ".westeurope.inference.ml.azure.com/swagger.json",
		"traffic":       map[string]any{},
		"mirrorTraffic": map[string]any{}, "properties": map[string]any{}}
	for k, v := range props {
		p[k] = v
	}
	s.Put(w.EndpointID(name), map[string]any{"name": name,
		"type":     "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
		"location": "westeurope", "kind": "Managed", "systemData": systemData,
		"identity": map[string]any{"type": "SystemAssigned"}, "tags": map[string]any{},
		"properties": p})
}

// AddDeployment stores a managed online deployment as
// OnlineDeployments_Get answers it, serving model (an asset id); props
// override the defaults.
func (s *Server) AddDeployment(w Workspace, endpoint, name, model string,
	props map[string]any) {
	p := map[string]any{"endpointComputeType": "Managed", "model": model,
		"instanceType": "Standard_DS3_v2", "provisioningState": "Succeeded",
		"egressPublicNetworkAccess": "Enabled", "appInsightsEnabled": false,
		"scaleSettings": map[string]any{"scaleType": "Default"},
		"requestSettings": map[string]any{"maxConcurrentRequestsPerInstance": 1,
			"requestTimeout": "PT5S"}}
	for k, v := range props {
		p[k] = v
	}
	s.Put(w.DeploymentID(endpoint, name), map[string]any{"name": name,
		"type":     "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
		"location": "westeurope", "kind": "Managed", "systemData": systemData,
		"sku": map[string]any{"name": "Default", "capacity": 1}, "tags": map[string]any{},
		"properties": p})
}

// Collecting is the dataCollector of a deployment that collects inputs
// and outputs.
func Collecting() map[string]any {
	return map[string]any{"collections": map[string]any{
		"model_inputs":  map[string]any{"dataCollectionMode": "Enabled"},
		"model_outputs": map[string]any{"dataCollectionMode": "Enabled"}},
		"rollingRate": "Hour"}
}

// AddModelVersion stores a model version as ModelVersions_Get answers it.
func (s *Server) AddModelVersion(w Workspace, model, version string, tags map[string]string) {
	t := map[string]any{}
	for k, v := range tags {
		t[k] = v
	}
	s.Put(w.ModelVersionID(model, version), map[string]any{"name": version,
		"type":       "Microsoft.MachineLearningServices/workspaces/models/versions",
		"systemData": systemData, "properties": map[string]any{"modelType": "mlflow_model",
			"modelUri": "azureml://subscriptions/" + w.Subscription + "/resourceGroups/" +
				w.ResourceGroup + "/workspaces/" + w.Name + "/datastores/workspaceblobstore/" +
				"paths/models/" + model + "/" + version,
			"description": "", "isArchived": false, "isAnonymous": false,
			"provisioningState": "Succeeded", "properties": map[string]any{}, "tags": t}})
}

// Tags returns the tags a model version holds now.
func (s *Server) Tags(w Workspace, model, version string) map[string]string {
	doc := s.Doc(w.ModelVersionID(model, version))
	out := map[string]string{}
	props, _ := doc["properties"].(map[string]any)
	tags, _ := props["tags"].(map[string]any)
	for k, v := range tags {
		out[k], _ = v.(string)
	}
	return out
}

// RegistryID is the ARM id of a registry in a resource group.
func RegistryID(subscription, group, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/"+
		"Microsoft.MachineLearningServices/registries/%s", subscription, group, name)
}

// AddRegistry stores a registry as Registries_Get answers it.
func (s *Server) AddRegistry(subscription, group, name string) {
	s.Put(RegistryID(subscription, group, name), map[string]any{"name": name,
		"type": "Microsoft.MachineLearningServices/registries", "location": "westeurope",
		"systemData": systemData, "properties": map[string]any{
			"discoveryUrl":  "https://westeurope.api.azureml.ms/registrymanagement/v1.0/",
			"regionDetails": []any{map[string]any{"location": "westeurope"}}}})
}

// AddRegistryModelVersion stores a model version of a registry.
func (s *Server) AddRegistryModelVersion(subscription, group, registry, model, version string,
	tags map[string]string) {
	t := map[string]any{}
	for k, v := range tags {
		t[k] = v
	}
	s.Put(RegistryID(subscription, group, registry)+"/models/"+model+"/versions/"+version,
		map[string]any{"name": version,
			"type":       "Microsoft.MachineLearningServices/registries/models/versions",
			"systemData": systemData, "properties": map[string]any{"modelType": "mlflow_model",
				"isArchived": false, "provisioningState": "Succeeded", "tags": t}})
}
