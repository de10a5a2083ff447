package deployment

import (
	"testing"

	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
)

func TestCardDetailsDescribeOneVersion(t *testing.T) {
	const arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/3"
	pkg := &modelregistry.Package{ARN: arn, Group: "credit-risk", Version: 3}
	tests := []struct {
		name    string
		content string
		want    bool
		ofGroup bool
	}{
		{"its ARN", `{"model_package_details": {"model_package_arn": "` + arn + `"}}`, true, false},
		{"its ARN and version", `{"model_package_details": {"model_package_arn": "` + arn +
			`", "model_package_version": 3}}`, true, false},
		{"its ARN, another version", `{"model_package_details": {"model_package_arn": "` + arn +
			`", "model_package_version": 1}}`, false, true},
		{"version 1's ARN", `{"model_package_details": {"model_package_arn": ` +
			`"arn:aws:sagemaker:us-east-1:123456789012:model-package/credit-risk/1"}}`,
			false, true},
		{"group and version", `{"model_package_details": {"model_package_group_name": "credit-risk",
			"model_package_version": 3}}`, true, false},
		{"group only", `{"model_package_details": {"model_package_group_name": "credit-risk"}}`,
			false, true},
		{"another group", `{"model_package_details": {"model_package_group_name": "fraud",
			"model_package_version": 3}}`, false, false},
		{"no details", `{"model_overview": {"model_name": "credit-risk"}}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, problem := parseDetails(tt.content)
			if problem != "" {
				t.Fatalf("parse: %s", problem)
			}
			if got := d.describes(pkg); got != tt.want {
				t.Errorf("describes: got %v, want %v", got, tt.want)
			}
			if got := d.ofGroup(pkg); got != (tt.want || tt.ofGroup) {
				t.Errorf("ofGroup: got %v, want %v", got, tt.want || tt.ofGroup)
			}
		})
	}
	if _, problem := parseDetails("not json"); problem == "" {
		t.Error("content that is not JSON parsed")
	}
}
