package stack

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// TestGateRoleGrantsExactlyItsCalls compares, action by action, the
// resources the gate's role is granted with the calls the gate makes:
// nothing more, no wildcard action, no "*" resource. The counts make sure
// no policy is attached to it any other way.
func TestGateRoleGrantsExactlyItsCalls(t *testing.T) {
	tests := []struct {
		name     string
		template string
		want     func(ids resourceIDs) map[string][]string
	}{
		{name: "groups and evaluation buckets given", template: "configured",
			want: configuredGrants},
		{name: "defaults: all groups, no evaluation buckets", template: "defaults",
			want: defaultGrants},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			// One role, and no policy attached beside the roles' inline ones.
			tpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(1))
			tpl.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(0))
			tpl.ResourceCountIs(jsii.String("AWS::IAM::ManagedPolicy"), jsii.Number(0))

			statements := roleStatements(t, js)
			got := grantsByAction(t, statements)
			want := tt.want(idsOf(t, js))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("grants by action (-want +got):\n%s", diff)
			}
		})
	}
}

func configuredGrants(ids resourceIDs) map[string][]string {
	sm := "arn:${AWS::Partition}:sagemaker:eu-west-1:111122223333:"
	s3 := "arn:${AWS::Partition}:s3:::"
	g := ids.shared()
	g["sagemaker:DescribeModelPackage"] = []string{
		sm + "model-package/credit-risk/*", sm + "model-package/fraud-score/*",
	}
	g["sagemaker:UpdateModelPackage"] = g["sagemaker:DescribeModelPackage"]
	g["s3:GetObject"] = sorted(s3+"register-bucket/aims/*", s3+"eval-a/*", s3+"eval-b/*",
		ids.evidenceObjects())
	g["s3:ListBucket"] = sorted(s3+"register-bucket", ids.evidenceBucket())
	return g
}

func defaultGrants(ids resourceIDs) map[string][]string {
	sm := "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:"
	g := ids.shared()
	g["sagemaker:DescribeModelPackage"] = []string{sm + "model-package/*"}
	g["sagemaker:UpdateModelPackage"] = []string{sm + "model-package/*"}
	g["s3:GetObject"] = sorted("${"+ids.Register+".Arn}/register/*", ids.evidenceObjects())
	g["s3:ListBucket"] = sorted("${"+ids.Register+".Arn}", ids.evidenceBucket())
	return g
}

func (ids resourceIDs) evidenceBucket() string  { return "${" + ids.Evidence + ".Arn}" }
func (ids resourceIDs) evidenceObjects() string { return ids.evidenceBucket() + "/*" }

// shared are the grants that do not depend on the configuration.
func (ids resourceIDs) shared() map[string][]string {
	att := func(id string) []string { return []string{"${" + id + ".Arn}"} }
	return map[string][]string{
		"logs:CreateLogStream": att(ids.Logs),
		"logs:PutLogEvents":    att(ids.Logs),
		"sqs:SendMessage":      att(ids.Failures),
		"s3:PutObject":         {ids.evidenceObjects()},
		"kms:GenerateDataKey":  att(ids.Key),
		"kms:Decrypt":          att(ids.Key),
		"dynamodb:GetItem":     att(ids.Table),
		"dynamodb:PutItem":     att(ids.Table),
		"dynamodb:UpdateItem":  att(ids.Table),
		"dynamodb:DeleteItem":  att(ids.Table),
		"events:PutEvents":     att(ids.Bus),
	}
}

// roleStatements gathers the statements of the gate role's inline
// policies. Policies attached any other way are counted out by the caller.
func roleStatements(t *testing.T, js map[string]any) []map[string]any {
	t.Helper()
	id := logicalID(t, js, "AWS::IAM::Role", "PromotionGateRole")
	props := js["Resources"].(map[string]any)[id].(map[string]any)["Properties"]
	role := props.(map[string]any)
	if role["ManagedPolicyArns"] != nil {
		t.Errorf("role has managed policies %v, want none", role["ManagedPolicyArns"])
	}
	var statements []map[string]any
	policies, _ := role["Policies"].([]any)
	for _, p := range policies {
		doc := p.(map[string]any)["PolicyDocument"].(map[string]any)
		for _, s := range doc["Statement"].([]any) {
			statements = append(statements, s.(map[string]any))
		}
	}
	return statements
}

// grantsByAction maps each allowed action to the sorted resources it is
// allowed on, failing on a wildcard action, a "*" resource, a Deny or a
// NotAction/NotResource (which would grant by exclusion).
func grantsByAction(t *testing.T, statements []map[string]any) map[string][]string {
	t.Helper()
	grants := map[string][]string{}
	for _, s := range statements {
		if s["Effect"] != "Allow" || s["NotAction"] != nil || s["NotResource"] != nil {
			t.Errorf("statement %v: want a plain Allow", s["Sid"])
			continue
		}
		resources := stringsOf(t, s["Resource"])
		for _, r := range resources {
			if r == "*" {
				t.Errorf("statement %v: got resource *, want a scoped ARN", s["Sid"])
			}
		}
		for _, action := range stringsOf(t, s["Action"]) {
			if strings.Contains(action, "*") {
				t.Errorf("statement %v: got wildcard action %s", s["Sid"], action)
			}
			grants[action] = sorted(append(grants[action], resources...)...)
		}
	}
	return grants
}

func sorted(items ...string) []string {
	out := slices.Clone(items)
	slices.Sort(out)
	return out
}

// TestRegisterListingLimitedToPrefix checks the condition that keeps the
// gate from listing the rest of the register bucket.
func TestRegisterListingLimitedToPrefix(t *testing.T) {
	tests := []struct {
		template, prefix string
	}{
		{template: "configured", prefix: "aims/*"},
		{template: "defaults", prefix: "register/*"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			_, js := synth(t, tt.template)
			var found bool
			for _, s := range roleStatements(t, js) {
				if s["Sid"] != "ListRegister" {
					continue
				}
				found = true
				want := map[string]any{"StringLike": map[string]any{"s3:prefix": tt.prefix}}
				if diff := cmp.Diff(want, s["Condition"]); diff != "" {
					t.Errorf("ListRegister condition (-want +got):\n%s", diff)
				}
			}
			if !found {
				t.Error("got no ListRegister statement, want one")
			}
		})
	}
}
