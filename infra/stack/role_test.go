package stack

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

// TestRolesGrantExactlyTheirCalls compares, action by action, the
// resources each function's role is granted with the calls the function
// makes: nothing more, no wildcard action, no "*" resource except for the
// actions IAM accepts on nothing else. The counts make sure no policy is
// attached any other way.
func TestRolesGrantExactlyTheirCalls(t *testing.T) {
	tests := []struct {
		name     string
		template string
		role     string // construct id of the function
		want     func(ids resourceIDs) map[string][]string
	}{
		{name: "gate, groups and evaluation buckets given", template: "configured",
			role: "PromotionGate", want: configuredGateGrants},
		{name: "gate, defaults: all groups, no evaluation buckets", template: "defaults",
			role: "PromotionGate", want: defaultGateGrants},
		{name: "deployment check, endpoints given", template: "configured",
			role: "DeploymentCheck", want: configuredCheckGrants},
		{name: "deployment check, defaults: all endpoints", template: "defaults",
			role: "DeploymentCheck", want: defaultCheckGrants},
		{name: "sweep, targets and a named Azure secret", template: "configured",
			role: "PostureSweep", want: configuredSweepGrants},
		{name: "sweep, defaults: own account, no Azure", template: "defaults",
			role: "PostureSweep", want: defaultSweepGrants},
		{name: "sweep, Azure with the secret the stack made", template: "azure",
			role: "PostureSweep", want: azureSweepGrants},
		{name: "webhook, named secrets and evaluation buckets", template: "configured",
			role: "AzureEvents", want: configuredEventsGrants},
		{name: "webhook, defaults: the secrets the stack made", template: "defaults",
			role: "AzureEvents", want: madeSecretsEventsGrants},
		{name: "webhook, sharing the made credential with the sweep", template: "azure",
			role: "AzureEvents", want: madeSecretsEventsGrants},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer failOnThrow(t)
			tpl, js := synth(t, tt.template)
			// One role per function and the schedule's, and no policy beside
			// their inline ones.
			tpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(5))
			tpl.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(0))
			tpl.ResourceCountIs(jsii.String("AWS::IAM::ManagedPolicy"), jsii.Number(0))

			statements := roleStatements(t, js, tt.role)
			got := grantsByAction(t, statements)
			want := tt.want(idsOf(t, js))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("grants by action (-want +got):\n%s", diff)
			}
		})
	}
}

const (
	configuredSageMaker = "arn:${AWS::Partition}:sagemaker:eu-west-1:111122223333:"
	defaultSageMaker    = "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:"
	anyS3               = "arn:${AWS::Partition}:s3:::"
)

func configuredGateGrants(ids resourceIDs) map[string][]string {
	sm := configuredSageMaker
	g := ids.shared(ids.Gate)
	g["sagemaker:DescribeModelPackage"] = []string{
		sm + "model-package/credit-risk/*", sm + "model-package/fraud-score/*",
	}
	g["sagemaker:UpdateModelPackage"] = g["sagemaker:DescribeModelPackage"]
	g["s3:GetObject"] = sorted(anyS3+"register-bucket/aims/*", anyS3+"eval-a/*",
		anyS3+"eval-b/*", ids.evidenceObjects())
	return g
}

func defaultGateGrants(ids resourceIDs) map[string][]string {
	sm := defaultSageMaker
	g := ids.shared(ids.Gate)
	g["sagemaker:DescribeModelPackage"] = []string{sm + "model-package/*"}
	g["sagemaker:UpdateModelPackage"] = []string{sm + "model-package/*"}
	return g
}

func configuredCheckGrants(ids resourceIDs) map[string][]string {
	g := ids.shared(ids.Check)
	maps.Copy(g, chainGrants(configuredSageMaker,
		"endpoint/credit-risk-prod", "endpoint/fraud-score-live"))
	return g
}

func defaultCheckGrants(ids resourceIDs) map[string][]string {
	g := ids.shared(ids.Check)
	maps.Copy(g, chainGrants(defaultSageMaker, "endpoint/*"))
	return g
}

// chainGrants are the SageMaker reads of the deployment check: the named
// endpoints, and whatever configuration, model, package, card and
// schedule they lead to. No SageMaker write.
func chainGrants(sm string, endpoints ...string) map[string][]string {
	var eps []string
	for _, e := range endpoints {
		eps = append(eps, sm+e)
	}
	return map[string][]string{
		"sagemaker:DescribeEndpoint":           eps,
		"sagemaker:DescribeEndpointConfig":     {sm + "endpoint-config/*"},
		"sagemaker:DescribeModel":              {sm + "model/*"},
		"sagemaker:DescribeModelPackage":       {sm + "model-package/*"},
		"sagemaker:DescribeModelCard":          {sm + "model-card/*"},
		"sagemaker:DescribeMonitoringSchedule": {sm + "monitoring-schedule/*"},
		"sagemaker:ListModelCards":             {"*"},
		"sagemaker:ListMonitoringSchedules":    {"*"},
	}
}

func configuredSweepGrants(ids resourceIDs) map[string][]string {
	g := sweepGrants(ids, "111122223333")
	g["sts:AssumeRole"] = []string{
		"arn:${AWS::Partition}:iam::444455556666:role/AimsAuditRead",
		"arn:${AWS::Partition}:iam::777788889999:role/AimsAuditRead",
	}
	g["secretsmanager:GetSecretValue"] = []string{
		"arn:${AWS::Partition}:secretsmanager:eu-west-1:111122223333:secret:" +
			"aimsaudit/azure-sp-??????",
	}
	return g
}

// defaultSweepGrants: no target role to assume, no Azure secret to read.
func defaultSweepGrants(ids resourceIDs) map[string][]string {
	return sweepGrants(ids, "${AWS::AccountId}")
}

func azureSweepGrants(ids resourceIDs) map[string][]string {
	g := sweepGrants(ids, "${AWS::AccountId}")
	g["secretsmanager:GetSecretValue"] = []string{"${" + ids.Secret + "}"}
	return g
}

// sweepGrants are the sweep's grants common to every configuration: the
// S3 collector's reads in its own account, its batch queue, and the shared
// grants. No SageMaker call and no S3 write beyond evidence.
func sweepGrants(ids resourceIDs, account string) map[string][]string {
	g := ids.shared(ids.Sweep)
	for _, a := range []string{"ListAllMyBuckets", "GetAccountPublicAccessBlock",
		"ListAccessPoints", "GetAccessPoint"} {
		g["s3:"+a] = []string{"*"}
	}
	for _, a := range []string{"GetBucketPublicAccessBlock", "GetBucketPolicy",
		"GetBucketPolicyStatus", "GetBucketAcl", "GetBucketOwnershipControls",
		"GetBucketWebsite"} {
		g["s3:"+a] = []string{anyS3 + "*"}
	}
	g["s3:GetAccessPointPolicy"] = []string{
		"arn:${AWS::Partition}:s3:*:" + account + ":accesspoint/*",
	}
	queue := "${" + ids.Queue + ".Arn}"
	g["sqs:SendMessage"] = sorted(append(g["sqs:SendMessage"], queue)...)
	for _, a := range []string{"ReceiveMessage", "DeleteMessage", "GetQueueAttributes"} {
		g["sqs:"+a] = []string{queue}
	}
	return g
}

// configuredEventsGrants: the two named secrets (their names with Secrets
// Manager's six-character suffix, nothing wider) and the evaluation
// buckets named. No SageMaker, no queue: it is invoked synchronously.
func configuredEventsGrants(ids resourceIDs) map[string][]string {
	g := ids.shared(ids.Events)
	secrets := "arn:${AWS::Partition}:secretsmanager:eu-west-1:111122223333:secret:"
	g["secretsmanager:GetSecretValue"] = []string{
		secrets + "aimsaudit/azure-sp-??????", secrets + "aimsaudit/eventgrid-??????",
	}
	g["s3:GetObject"] = sorted(anyS3+"register-bucket/aims/*", anyS3+"eval-a/*",
		anyS3+"eval-b/*", ids.evidenceObjects())
	return g
}

// madeSecretsEventsGrants: exactly the two secrets the stack made; no
// evaluation read, since no bucket is named.
func madeSecretsEventsGrants(ids resourceIDs) map[string][]string {
	g := ids.shared(ids.Events)
	g["secretsmanager:GetSecretValue"] = sorted(
		"${"+ids.Secret+"}", "${"+ids.EventGridSecret+"}")
	return g
}

func (ids resourceIDs) evidenceBucket() string  { return "${" + ids.Evidence + ".Arn}" }
func (ids resourceIDs) evidenceObjects() string { return ids.evidenceBucket() + "/*" }

// register are the register's bucket and the objects under its prefix.
func (ids resourceIDs) register() (bucket, objects string) {
	if ids.Register == "" {
		return anyS3 + "register-bucket", anyS3 + "register-bucket/aims/*"
	}
	return "${" + ids.Register + ".Arn}", "${" + ids.Register + ".Arn}/register/*"
}

// shared are the grants every function of a template gets: its logs and
// failure queue (when it has one), the register, the evidence store, the
// state table and the GRC bus.
func (ids resourceIDs) shared(fn functionIDs) map[string][]string {
	att := func(id string) []string { return []string{"${" + id + ".Arn}"} }
	bucket, objects := ids.register()
	g := map[string][]string{
		"logs:CreateLogStream": att(fn.Logs),
		"logs:PutLogEvents":    att(fn.Logs),
		"s3:GetObject":         sorted(objects, ids.evidenceObjects()),
		"s3:ListBucket":        sorted(bucket, ids.evidenceBucket()),
		"s3:PutObject":         {ids.evidenceObjects()},
		"kms:GenerateDataKey":  att(ids.Key),
		"kms:Decrypt":          att(ids.Key),
		"dynamodb:GetItem":     att(ids.Table),
		"dynamodb:PutItem":     att(ids.Table),
		"dynamodb:DeleteItem":  att(ids.Table),
		"events:PutEvents":     att(ids.Bus),
	}
	if fn.Failures != "" {
		g["sqs:SendMessage"] = att(fn.Failures)
	}
	return g
}

// roleStatements gathers the statements of the inline policies of the role
// whose logical id starts with prefix+"Role". Policies attached any other
// way are counted out by the caller.
func roleStatements(t *testing.T, js map[string]any, prefix string) []map[string]any {
	t.Helper()
	id := logicalID(t, js, "AWS::IAM::Role", prefix+"Role")
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

// onlyOnAnyResource are the actions the functions call that support no
// resource-level permissions (the Service Authorization Reference lists no
// resource type for them): IAM accepts them on "*" and nothing else, so "*"
// is allowed for them and for no other action.
var onlyOnAnyResource = map[string]bool{
	"sagemaker:ListModelCards":          true,
	"sagemaker:ListMonitoringSchedules": true,
	"s3:ListAllMyBuckets":               true,
	"s3:GetAccountPublicAccessBlock":    true,
	"s3:ListAccessPoints":               true,
	"s3:GetAccessPoint":                 true,
}

// grantsByAction maps each allowed action to the sorted resources it is
// allowed on, failing on a wildcard action, a "*" resource for an action
// outside onlyOnAnyResource, a Deny or a NotAction/NotResource (which would
// grant by exclusion).
func grantsByAction(t *testing.T, statements []map[string]any) map[string][]string {
	t.Helper()
	grants := map[string][]string{}
	for _, s := range statements {
		if s["Effect"] != "Allow" || s["NotAction"] != nil || s["NotResource"] != nil {
			t.Errorf("statement %v: want a plain Allow", s["Sid"])
			continue
		}
		resources := stringsOf(t, s["Resource"])
		actions := stringsOf(t, s["Action"])
		for _, action := range actions {
			if strings.Contains(action, "*") {
				t.Errorf("statement %v: got wildcard action %s", s["Sid"], action)
			}
			if slices.Contains(resources, "*") && !onlyOnAnyResource[action] {
				t.Errorf("statement %v: got resource * for %s, want a scoped ARN",
					s["Sid"], action)
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

// TestRegisterListingLimitedToPrefix checks the condition that keeps every
// function from listing the rest of the register bucket.
func TestRegisterListingLimitedToPrefix(t *testing.T) {
	tests := []struct {
		template, prefix string
	}{
		{template: "configured", prefix: "aims/*"},
		{template: "defaults", prefix: "register/*"},
	}
	for _, tt := range tests {
		for _, role := range auditRoles {
			t.Run(tt.template+"/"+role, func(t *testing.T) {
				_, js := synth(t, tt.template)
				var found bool
				for _, s := range roleStatements(t, js, role) {
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
}

// auditRoles are the construct ids of the audit functions.
var auditRoles = []string{"PromotionGate", "DeploymentCheck", "PostureSweep", "AzureEvents"}
