package stack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// repoWithAsset makes a folder laid out like the repository after
// `make build`.
func repoWithAsset(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, DefaultPromotionGateAsset)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

func lookupOf(values map[string]any) ContextLookup {
	return func(key string) any { return values[key] }
}

func TestPropsFromContext(t *testing.T) {
	root := repoWithAsset(t)
	asset := filepath.Join(root, DefaultPromotionGateAsset)
	tests := []struct {
		name    string
		context map[string]any
		want    AimsAuditStackProps
	}{
		{
			name:    "nothing set",
			context: map[string]any{},
			want:    AimsAuditStackProps{PromotionGateAsset: asset},
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
			},
			want: AimsAuditStackProps{
				RegisterURI:           "s3://reg/aims/",
				EvaluationBuckets:     []string{"eval-a", "eval-b"},
				ModelPackageGroups:    []string{"credit-risk"},
				DryRun:                true,
				AlertBusName:          "risk-grc",
				EvidenceRetentionDays: 730,
				EvidenceLockMode:      LockCompliance,
				PromotionGateAsset:    asset,
			},
		},
		{
			name: "JSON values as cdk.json holds them",
			context: map[string]any{
				"evaluationBuckets":     []any{"eval-a"},
				"dryRun":                false,
				"evidenceRetentionDays": float64(30),
				"promotionGateAsset":    DefaultPromotionGateAsset,
			},
			want: AimsAuditStackProps{
				EvaluationBuckets:     []string{"eval-a"},
				EvidenceRetentionDays: 30,
				PromotionGateAsset:    asset,
			},
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
	NewAimsAuditStack(nil, "Bad", &AimsAuditStackProps{
		EvaluationBuckets:  []string{"*"},
		PromotionGateAsset: repoWithAsset(t),
	})
}
