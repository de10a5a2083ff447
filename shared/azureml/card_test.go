package azureml

import "testing"

func TestCardParse(t *testing.T) {
	v4 := ModelRef{Workspace: Workspace{"s", "g", "w"}, Name: "credit-risk", Version: "4"}
	tests := []struct {
		name, doc, status string
		describes         bool
		contentErr        bool
	}{
		{"described card with content string", `{"ModelCardStatus": "Approved", "Content":
			"{\"model_overview\": {\"model_name\": \"credit-risk\", \"model_version\": 4}}"}`,
			"Approved", true, false},
		{"content object", `{"ModelCardStatus": "Draft", "Content":
			{"model_overview": {"model_name": "credit-risk", "model_version": "4"}}}`,
			"Draft", true, false},
		{"bare content", `{"model_overview": {"model_name": "credit-risk", "model_version": 4}}`,
			"", true, false},
		{"by model id", `{"model_overview": {"model_id": "` + v4.ID() + `"}}`, "", true, false},
		{"another version", `{"model_overview": {"model_name": "credit-risk",
			"model_version": 3}}`, "", false, false},
		{"another model", `{"model_overview": {"model_name": "fraud", "model_version": 4}}`,
			"", false, false},
		{"no overview", `{"ModelCardStatus": "Approved", "Content": "{}"}`, "Approved",
			false, false},
		{"content not JSON", `{"ModelCardStatus": "Approved", "Content": "not json"}`,
			"Approved", false, true},
		{"not JSON", `<html>`, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &cardView{}
			c.parse([]byte(tt.doc))
			if c.status != tt.status {
				t.Errorf("got status %q, want %q", c.status, tt.status)
			}
			if got := c.overview.describes(v4); got != tt.describes {
				t.Errorf("got describes %v, want %v", got, tt.describes)
			}
			if (c.contentErr != "") != tt.contentErr {
				t.Errorf("got content error %q, want error %v", c.contentErr, tt.contentErr)
			}
		})
	}
}
