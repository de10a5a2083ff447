package azureml

import "testing"

func TestParseModelAsset(t *testing.T) {
	own := Workspace{Subscription: "s", ResourceGroup: "g", Name: "w"}
	tests := []struct {
		name, id string
		want     ModelRef
		bad      bool
	}{
		{"arm id", "/subscriptions/s1/resourceGroups/g1/providers/" +
			"Microsoft.MachineLearningServices/workspaces/w1/models/credit-risk/versions/4",
			ModelRef{Workspace: Workspace{"s1", "g1", "w1"}, Name: "credit-risk", Version: "4"},
			false},
		{"arm id in other case", "/SUBSCRIPTIONS/s1/resourcegroups/g1/PROVIDERS/" +
			"microsoft.machinelearningservices/Workspaces/w1/Models/m/Versions/2",
			ModelRef{Workspace: Workspace{"s1", "g1", "w1"}, Name: "m", Version: "2"}, false},
		{"azureml workspace uri", "azureml://subscriptions/s1/resourceGroups/g1/workspaces/w1/" +
			"models/m/versions/7",
			ModelRef{Workspace: Workspace{"s1", "g1", "w1"}, Name: "m", Version: "7"}, false},
		{"registry", "azureml://registries/shared-models/models/credit-risk/versions/3",
			ModelRef{Registry: "shared-models", Name: "credit-risk", Version: "3"}, false},
		{"short form", "azureml:credit-risk:5",
			ModelRef{Workspace: own, Name: "credit-risk", Version: "5"}, false},
		{"short form without version", "azureml:credit-risk", ModelRef{}, true},
		{"no version", "azureml://registries/r/models/m", ModelRef{}, true},
		{"a datastore path", "azureml://datastores/blob/paths/models/m.pkl", ModelRef{}, true},
		{"workspace id only", own.ID(), ModelRef{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseModelAsset(tt.id, own)
			switch {
			case tt.bad && err == nil:
				t.Errorf("got %+v, want an error", got)
			case !tt.bad && err != nil:
				t.Errorf("got error %v, want %+v", err, tt.want)
			case got != tt.want:
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestModelRefIDRoundTrips(t *testing.T) {
	ref := ModelRef{Workspace: Workspace{"s", "g", "w"}, Name: "m", Version: "4"}
	got, err := ParseModelAsset(ref.ID(), Workspace{})
	if err != nil || got != ref {
		t.Errorf("got %+v, %v; want %+v", got, err, ref)
	}
}

func TestParseWorkspaceID(t *testing.T) {
	want := Workspace{"s", "g", "w"}
	if got, err := ParseWorkspaceID(want.ID()); err != nil || got != want {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	for _, bad := range []string{"", "/subscriptions/s/resourceGroups/g",
		want.ID() + "/onlineEndpoints/e",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/w"} {
		if got, err := ParseWorkspaceID(bad); err == nil {
			t.Errorf("%q: got %+v, want an error", bad, got)
		}
	}
}
