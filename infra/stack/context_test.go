package stack

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// defaultAssets are the asset folders `make build` fills.
var defaultAssets = []string{
	DefaultPromotionGateAsset, DefaultDeploymentCheckAsset, DefaultPostureSweepAsset,
	DefaultAzureEventsAsset,
}

// repoWithAsset makes a folder laid out like the repository after
// `make build`, with the assets named (all when none is).
func repoWithAsset(t *testing.T, assets ...string) string {
	t.Helper()
	if len(assets) == 0 {
		assets = defaultAssets
	}
	root := t.TempDir()
	for _, asset := range assets {
		if err := placeholderAsset(filepath.Join(root, asset), asset); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// builtAssets are the props' asset fields for a repository made by
// repoWithAsset.
func builtAssets(root string) AimsAuditStackProps {
	return AimsAuditStackProps{
		PromotionGateAsset:   filepath.Join(root, DefaultPromotionGateAsset),
		DeploymentCheckAsset: filepath.Join(root, DefaultDeploymentCheckAsset),
		PostureSweepAsset:    filepath.Join(root, DefaultPostureSweepAsset),
		AzureEventsAsset:     filepath.Join(root, DefaultAzureEventsAsset),
	}
}

func lookupOf(values map[string]any) ContextLookup {
	return func(key string) any { return values[key] }
}

func TestPropsFromContext(t *testing.T) {
	root := repoWithAsset(t)
	built := builtAssets(root)
	with := func(p AimsAuditStackProps) AimsAuditStackProps {
		p.PromotionGateAsset = built.PromotionGateAsset
		p.DeploymentCheckAsset = built.DeploymentCheckAsset
		p.PostureSweepAsset = built.PostureSweepAsset
		p.AzureEventsAsset = built.AzureEventsAsset
		return p
	}
	tests := []struct {
		name    string
		context map[string]any
		want    AimsAuditStackProps
	}{
		{
			name:    "nothing set",
			context: map[string]any{},
			want:    built,
		},
		{
			name: "strings as -c passes them",
			context: map[string]any{
				"registerUri":           "s3://reg/aims/",
				"evaluationBuckets":     "eval-a, eval-b,",
				"modelPackageGroups":    "credit-risk",
				"dryRun":                "true",
				"alertBusName":          "risk-grc",
				"evidenceRetentionDays": "730",
				"evidenceLockMode":      "compliance",
				"endpoints":             "credit-risk-prod,fraud-live",
				"sweepSchedule":         "rate(12 hours)",
				"targets": `[{"account": "444455556666", "regions": ["eu-west-1"],
					"roleName": "AimsAuditRead"}]`,
				"azureSubscriptions":     "00000000-0000-0000-0000-000000000001",
				"azureCredentialsSecret": "aimsaudit/azure",
				"eventGridSecret":        "aimsaudit/eventgrid",
				"azureArmEndpoint":       "https://management.chinacloudapi.cn/",
			},
			want: with(AimsAuditStackProps{
				RegisterURI:           "s3://reg/aims/",
				EvaluationBuckets:     []string{"eval-a", "eval-b"},
				ModelPackageGroups:    []string{"credit-risk"},
				DryRun:                true,
				AlertBusName:          "risk-grc",
				EvidenceRetentionDays: 730,
				EvidenceLockMode:      LockCompliance,
				Endpoints:             []string{"credit-risk-prod", "fraud-live"},
				SweepSchedule:         "rate(12 hours)",
				Targets: []SweepTarget{{Account: "444455556666", Regions: []string{"eu-west-1"},
					RoleName: "AimsAuditRead"}},
				AzureSubscriptions:     []string{"00000000-0000-0000-0000-000000000001"},
				AzureCredentialsSecret: "aimsaudit/azure",
				EventGridSecret:        "aimsaudit/eventgrid",
				AzureARMEndpoint:       "https://management.chinacloudapi.cn/",
			}),
		},
		{
			name: "JSON values as cdk.json holds them",
			context: map[string]any{
				"evaluationBuckets":     []any{"eval-a"},
				"dryRun":                false,
				"evidenceRetentionDays": float64(30),
				"promotionGateAsset":    DefaultPromotionGateAsset,
				"endpoints":             []any{"credit-risk-prod"},
				"targets":               []any{map[string]any{"account": "444455556666"}},
				// Read by the webhook, with or without subscriptions.
				"azureCredentialsSecret": "aimsaudit/azure",
				"azureEventsAsset":       DefaultAzureEventsAsset,
			},
			want: with(AimsAuditStackProps{
				EvaluationBuckets:      []string{"eval-a"},
				EvidenceRetentionDays:  30,
				Endpoints:              []string{"credit-risk-prod"},
				Targets:                []SweepTarget{{Account: "444455556666"}},
				AzureCredentialsSecret: "aimsaudit/azure",
			}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PropsFromContext(lookupOf(tt.context), root)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(
				AimsAuditStackProps{}, "StackProps")); diff != "" {
				t.Errorf("props (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPropsFromContextRejects(t *testing.T) {
	root := repoWithAsset(t)
	tests := []struct {
		name    string
		context map[string]any
		want    string // in the error
	}{
		{"register not s3", map[string]any{"registerUri": "https://reg/aims"}, "registerUri"},
		{"register wildcard", map[string]any{"registerUri": "s3://reg/ai*"}, "wildcard"},
		{"register bad bucket", map[string]any{"registerUri": "s3://Reg_1/"}, "bucket name"},
		{"evaluation URI", map[string]any{"evaluationBuckets": "s3://eval"}, "evaluationBuckets"},
		{"evaluation wildcard", map[string]any{"evaluationBuckets": "*"}, "evaluationBuckets"},
		{"evaluation not text", map[string]any{"evaluationBuckets": []any{1.0}},
			"evaluationBuckets[0]"},
		{"group wildcard", map[string]any{"modelPackageGroups": "credit*"}, "modelPackageGroups"},
		{"dry run word", map[string]any{"dryRun": "maybe"}, "dryRun"},
		{"days word", map[string]any{"evidenceRetentionDays": "ten"}, "evidenceRetentionDays"},
		{"days fraction", map[string]any{"evidenceRetentionDays": 1.5}, "whole number"},
		{"days negative", map[string]any{"evidenceRetentionDays": "-1"}, "at least 1"},
		{"lock mode", map[string]any{"evidenceLockMode": "legal-hold"}, "evidenceLockMode"},
		{"default bus", map[string]any{"alertBusName": "default"}, "alertBusName"},
		{"asset missing", map[string]any{"promotionGateAsset": "build/none"}, "make build"},
		{"endpoint wildcard", map[string]any{"endpoints": "credit-*"}, "endpoints"},
		{"schedule word", map[string]any{"sweepSchedule": "nightly"}, "sweepSchedule"},
		{"schedule five fields", map[string]any{"sweepSchedule": "cron(0 2 * * ?)"},
			"sweepSchedule"},
		{"targets not JSON", map[string]any{"targets": "444455556666"}, "targets"},
		{"targets unknown field", map[string]any{
			"targets": `[{"account": "444455556666", "role": "r"}]`}, "unknown field"},
		{"target account", map[string]any{"targets": `[{"account": "4444"}]`},
			"targets[0].account"},
		{"target region", map[string]any{
			"targets": `[{"account": "444455556666", "regions": ["*"]}]`},
			"targets[0].regions[0]"},
		{"target role wildcard", map[string]any{
			"targets": `[{"account": "444455556666", "roleName": "Aims*"}]`},
			"targets[0].roleName"},
		{"subscription", map[string]any{"azureSubscriptions": "prod"}, "azureSubscriptions"},
		{"secret wildcard", map[string]any{"azureCredentialsSecret": "aims*",
			"azureSubscriptions": "00000000-0000-0000-0000-000000000001"},
			"azureCredentialsSecret"},
		{"event grid secret wildcard", map[string]any{"eventGridSecret": "aims/?"},
			"eventGridSecret"},
		{"event grid secret ARN", map[string]any{
			"eventGridSecret": "arn:aws:secretsmanager:eu-west-1:1:secret:s"}, "not its ARN"},
		{"ARM endpoint plain http", map[string]any{
			"azureArmEndpoint": "http://management.azure.com"}, "azureArmEndpoint"},
		{"ARM endpoint no host", map[string]any{"azureArmEndpoint": "management.azure.com"},
			"azureArmEndpoint"},
		{"ARM endpoint query", map[string]any{
			"azureArmEndpoint": "https://management.azure.com/?x=1"}, "azureArmEndpoint"},
		{"azure events asset missing", map[string]any{"azureEventsAsset": "build/none"},
			"azureEventsAsset"},
		{"secret ARN", map[string]any{
			"azureCredentialsSecret": "arn:aws:secretsmanager:eu-west-1:1:secret:s",
			"azureSubscriptions":     "00000000-0000-0000-0000-000000000001"}, "not its ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PropsFromContext(lookupOf(tt.context), root)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one naming %q", err, tt.want)
			}
		})
	}
}

// TestMissingAssetNamesFolder: each function's asset is checked, and the
// error names its key and folder and says how to make it.
func TestMissingAssetNamesFolder(t *testing.T) {
	for i, asset := range defaultAssets {
		t.Run(asset, func(t *testing.T) {
			others := slices.Delete(slices.Clone(defaultAssets), i, i+1)
			root := repoWithAsset(t, others...)
			_, err := PropsFromContext(lookupOf(map[string]any{}), root)
			folder := filepath.Join(root, asset)
			if err == nil || !strings.Contains(err.Error(), folder) ||
				!strings.Contains(err.Error(), "run `make build`") {
				t.Errorf("got error %v, want one naming %s and make build", err, folder)
			}
		})
	}
}

func TestParseRegisterURI(t *testing.T) {
	tests := []struct {
		uri  string
		want RegisterLocation
	}{
		{"s3://reg/aims/", RegisterLocation{Bucket: "reg", Prefix: "aims/"}},
		{"s3://reg/aims", RegisterLocation{Bucket: "reg", Prefix: "aims/"}},
		{"s3://reg/a/b/", RegisterLocation{Bucket: "reg", Prefix: "a/b/"}},
		{"s3://reg/", RegisterLocation{Bucket: "reg"}},
		{"s3://reg", RegisterLocation{Bucket: "reg"}},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			got, err := ParseRegisterURI(tt.uri)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestNewStackPanicsOnBadProps: invalid props stop the constructor before
// any construct is made, so no scope is needed.
func TestNewStackPanicsOnBadProps(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !strings.Contains(err.Error(), "evaluationBuckets") {
			t.Errorf("got panic %v, want the evaluationBuckets error", r)
		}
	}()
	p := builtAssets(repoWithAsset(t))
	p.EvaluationBuckets = []string{"*"}
	NewAimsAuditStack(nil, "Bad", &p)
}
