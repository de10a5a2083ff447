package azureml

import (
	"fmt"
	"strings"
)

// Workspace names an Azure ML workspace by its ARM coordinates.
type Workspace struct {
	Subscription  string `json:"subscriptionId"`
	ResourceGroup string `json:"resourceGroup"`
	Name          string `json:"workspace"`
}

// ID is the workspace's ARM resource id.
func (w Workspace) ID() string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/"+
		"Microsoft.MachineLearningServices/workspaces/%s", w.Subscription, w.ResourceGroup, w.Name)
}

// ModelRef is a model version as a deployment names it: in a workspace,
// or in a registry, where Registry is set and the workspace fields are
// empty.
type ModelRef struct {
	Workspace
	Registry string `json:"registry,omitempty"`
	Name     string `json:"name"`
	Version  string `json:"version"`
}

// ID is the ARM resource id of a workspace model version; registry
// models keep their azureml:// form.
func (m ModelRef) ID() string {
	if m.Registry != "" {
		return fmt.Sprintf("azureml://registries/%s/models/%s/versions/%s", m.Registry, m.Name,
			m.Version)
	}
	return fmt.Sprintf("%s/models/%s/versions/%s", m.Workspace.ID(), m.Name, m.Version)
}

// ParseModelAsset reads a deployment's model asset id. Forms:
//
//	azureml://registries/R/models/N/versions/V
//	/subscriptions/S/resourceGroups/G/providers/Microsoft.MachineLearningServices/
//	    workspaces/W/models/N/versions/V (an ARM id, on one line)
//	azureml://subscriptions/S/resourceGroups/G/workspaces/W/models/N/versions/V
//	azureml:N:V, a model of the deployment's own workspace ws
func ParseModelAsset(id string, ws Workspace) (ModelRef, error) {
	if rest, ok := strings.CutPrefix(id, "azureml:"); ok && !strings.HasPrefix(rest, "//") {
		name, version, found := strings.Cut(rest, ":")
		if !found || name == "" || version == "" {
			return ModelRef{}, fmt.Errorf("model asset %q: want azureml:NAME:VERSION", id)
		}
		return ModelRef{Workspace: ws, Name: name, Version: version}, nil
	}
	segs := withoutProvider(strings.Split(strings.Trim(strings.TrimPrefix(id, "azureml:/"), "/"),
		"/"))
	keys := pairs(segs)
	ref := ModelRef{Registry: keys["registries"], Name: keys["models"],
		Version: keys["versions"], Workspace: Workspace{Subscription: keys["subscriptions"],
			ResourceGroup: keys["resourcegroups"], Name: keys["workspaces"]}}
	if ref.Name == "" || ref.Version == "" || (ref.Registry == "" && (ref.Subscription == "" ||
		ref.ResourceGroup == "" || ref.Workspace.Name == "")) {
		return ModelRef{}, fmt.Errorf("model asset %q names no registry or workspace model "+
			"version", id)
	}
	return ref, nil
}

func pairs(segs []string) map[string]string {
	keys := map[string]string{}
	for i := 0; i+1 < len(segs); i += 2 {
		keys[strings.ToLower(segs[i])] = segs[i+1]
	}
	return keys
}

// withoutProvider drops an ARM id's "providers/Microsoft.MachineLearningServices",
// which would shift the name/value pairs that follow by one.
func withoutProvider(segs []string) []string {
	i := indexFold(segs, "providers")
	if i < 0 || i+1 >= len(segs) ||
		!strings.EqualFold(segs[i+1], "Microsoft.MachineLearningServices") {
		return segs
	}
	return append(segs[:i:i], segs[i+2:]...)
}

func indexFold(segs []string, s string) int {
	for i, v := range segs {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}

// ParseWorkspaceID reads an event's topic or source, the ARM id of the
// workspace that raised it.
func ParseWorkspaceID(id string) (Workspace, error) {
	segs := withoutProvider(strings.Split(strings.Trim(id, "/"), "/"))
	keys := pairs(segs)
	w := Workspace{Subscription: keys["subscriptions"], ResourceGroup: keys["resourcegroups"],
		Name: keys["workspaces"]}
	if w.Subscription == "" || w.ResourceGroup == "" || w.Name == "" || len(segs) != 6 {
		return Workspace{}, fmt.Errorf("%q is not the id of an Azure ML workspace", id)
	}
	return w, nil
}
