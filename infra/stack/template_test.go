package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// Each synth starts work in the jsii kernel (a Node process), so the tests
// share three templates: one with every setting given, one with none, and
// one with none but Azure subscriptions, for the credential secret the
// stack then makes.
var (
	// assetDirs maps each function to its placeholder asset folder.
	assetDirs = map[string]string{}
	outDir    string
	templates = map[string]*synthOnce{
		"configured": {props: configuredProps},
		"defaults":   {props: defaultProps},
		"azure":      {props: azureProps},
	}
)

type synthOnce struct {
	once     sync.Once
	props    func() AimsAuditStackProps
	template assertions.Template
	json     map[string]any
	err      error
}

func configuredProps() AimsAuditStackProps {
	return AimsAuditStackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{
			Account: jsii.String("111122223333"), Region: jsii.String("eu-west-1"),
		}},
		RegisterURI:           "s3://register-bucket/aims",
		EvaluationBuckets:     []string{"eval-a", "eval-b"},
		ModelPackageGroups:    []string{"credit-risk", "Fraud-Score"},
		DryRun:                true,
		AlertBusName:          "risk-grc",
		EvidenceRetentionDays: 730,
		EvidenceLockMode:      LockCompliance,
		Endpoints:             []string{"credit-risk-prod", "Fraud-Score-Live"},
		SweepSchedule:         "cron(30 3 * * ? *)",
		Targets: []SweepTarget{
			{Account: "444455556666", Regions: []string{"eu-west-1", "us-east-1"},
				RoleName: "AimsAuditRead"},
			{Account: "777788889999", RoleName: "AimsAuditRead"},
			// The same role again: one grant.
			{Account: "444455556666", Regions: []string{"ap-southeast-2"},
				RoleName: "AimsAuditRead"},
			// The stack's own account, with the sweep's own role.
			{Account: "111122223333"},
		},
		AzureSubscriptions:     []string{subscriptionA, subscriptionB},
		AzureCredentialsSecret: "aimsaudit/azure-sp",
		EventGridSecret:        "aimsaudit/eventgrid",
		AzureARMEndpoint:       armEndpoint,
	}.withAssets()
}

const (
	subscriptionA = "00000000-0000-0000-0000-00000000000a"
	subscriptionB = "00000000-0000-0000-0000-00000000000b"
	armEndpoint   = "https://management.usgovcloudapi.net"
)

func defaultProps() AimsAuditStackProps {
	return AimsAuditStackProps{}.withAssets()
}

func azureProps() AimsAuditStackProps {
	return AimsAuditStackProps{AzureSubscriptions: []string{subscriptionA}}.withAssets()
}

// withAssets points every function at its placeholder asset.
func (p AimsAuditStackProps) withAssets() AimsAuditStackProps {
	p.PromotionGateAsset = assetDirs["promotion-gate"]
	p.DeploymentCheckAsset = assetDirs["deployment-check"]
	p.PostureSweepAsset = assetDirs["posture-sweep"]
	p.AzureEventsAsset = assetDirs["azure-events"]
	return p
}

// TestMain stands in for `make build` with a placeholder bootstrap per
// function: the template only names an asset by its hash, so the content
// only has to differ between functions, which lets the tests tell their
// assets apart.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "aimsaudit-infra-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	defer jsii.Close()

	outDir = filepath.Join(tmp, "cdk.out")
	for _, name := range []string{
		"promotion-gate", "deployment-check", "posture-sweep", "azure-events",
	} {
		dir := filepath.Join(tmp, "build", name)
		if err := placeholderAsset(dir, name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		assetDirs[name] = dir
	}
	return m.Run()
}

func placeholderAsset(dir, name string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("placeholder "+name), 0o755)
}

// synth returns the named shared template, as an assertions.Template and as
// parsed JSON for the checks that walk it.
func synth(t *testing.T, name string) (assertions.Template, map[string]any) {
	t.Helper()
	s := templates[name]
	s.once.Do(func() {
		// The CDK throws (a Go panic) on a construct error: keep it for
		// every test that needs this template.
		defer func() {
			if r := recover(); r != nil {
				s.err = fmt.Errorf("%v", r)
			}
		}()
		app := awscdk.NewApp(&awscdk.AppProps{
			Outdir:             jsii.String(filepath.Join(outDir, name)),
			AnalyticsReporting: jsii.Bool(false),
		})
		props := s.props()
		stack := NewAimsAuditStack(app, "AimsAudit", &props)
		s.template = assertions.Template_FromStack(stack, nil)
		s.json = *s.template.ToJSON()
	})
	if s.err != nil {
		t.Fatalf("synthesize %s: %v", name, s.err)
	}
	return s.template, s.json
}

// logicalID finds the one resource of type typ whose logical id starts with
// prefix (the construct path, e.g. "PromotionGateFunction"), failing the
// test unless exactly one does.
func logicalID(t *testing.T, tpl map[string]any, typ, prefix string) string {
	t.Helper()
	var ids []string
	for id, r := range tpl["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == typ && strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%s %s*: got %d resources %v, want 1", typ, prefix, len(ids), ids)
	}
	return ids[0]
}

// optionalID is logicalID for a resource the stack makes only in some
// configurations: "" when there is none.
func optionalID(t *testing.T, tpl map[string]any, typ, prefix string) string {
	t.Helper()
	for id, r := range tpl["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == typ && strings.HasPrefix(id, prefix) {
			return logicalID(t, tpl, typ, prefix)
		}
	}
	return ""
}

// resourceIDs are the logical ids of the stack's parts.
type resourceIDs struct {
	Evidence, Key, Table, Bus, Register string
	Gate, Check, Sweep, Events          functionIDs
	// The sweep's queue, its dead-letter queue, the schedule's dead-letter
	// queue, the schedule and its role.
	Queue, QueueDLQ, ScheduleDLQ, Schedule, SchedulerRole string
	// The webhook's function URL. Secret (the Azure credential) and
	// EventGridSecret when the stack made them.
	URL, Secret, EventGridSecret string
}

// functionIDs are the logical ids of the parts newAuditFunction makes for
// one function, and of its rule and rule dead-letter queue when it has one.
type functionIDs struct {
	Function, Role, Logs, Failures, Rule, DLQ string
}

func idsOf(t *testing.T, js map[string]any) resourceIDs {
	t.Helper()
	ids := resourceIDs{
		Evidence: logicalID(t, js, "AWS::S3::Bucket", "EvidenceBucket"),
		Key:      logicalID(t, js, "AWS::KMS::Key", "EvidenceKey"),
		Table:    logicalID(t, js, "AWS::DynamoDB::Table", "StateTable"),
		Bus:      logicalID(t, js, "AWS::Events::EventBus", "AlertBus"),
		Gate:     functionIDsOf(t, js, "PromotionGate"),
		Check:    functionIDsOf(t, js, "DeploymentCheck"),
		Sweep:    functionIDsOf(t, js, "PostureSweep"),
		// The webhook is invoked synchronously only: no on-failure queue.
		Events: functionIDs{
			Function: logicalID(t, js, "AWS::Lambda::Function", "AzureEventsFunction"),
			Role:     logicalID(t, js, "AWS::IAM::Role", "AzureEventsRole"),
			Logs:     logicalID(t, js, "AWS::Logs::LogGroup", "AzureEventsLogs"),
		},
		URL: logicalID(t, js, "AWS::Lambda::Url", "AzureEventsFunction"),

		Queue:         logicalID(t, js, "AWS::SQS::Queue", "PostureSweepFanOutQueue"),
		QueueDLQ:      logicalID(t, js, "AWS::SQS::Queue", "PostureSweepFanOutDLQ"),
		ScheduleDLQ:   logicalID(t, js, "AWS::SQS::Queue", "PostureSweepScheduleDLQ"),
		Schedule:      logicalID(t, js, "AWS::Scheduler::Schedule", "PostureSweepSchedule"),
		SchedulerRole: logicalID(t, js, "AWS::IAM::Role", "PostureSweepSchedulerRole"),
	}
	ids.Secret = optionalID(t, js, "AWS::SecretsManager::Secret", "PostureSweepAzureCredential")
	ids.EventGridSecret = optionalID(t, js, "AWS::SecretsManager::Secret",
		"AzureEventsEventGridSecret")
	ids.Gate.Rule = logicalID(t, js, "AWS::Events::Rule", "PromotionGateRule")
	ids.Gate.DLQ = logicalID(t, js, "AWS::SQS::Queue", "PromotionGateDeliveryDLQ")
	ids.Check.Rule = logicalID(t, js, "AWS::Events::Rule", "DeploymentCheckRule")
	ids.Check.DLQ = logicalID(t, js, "AWS::SQS::Queue", "DeploymentCheckDeliveryDLQ")
	if len(resourcesOfType(js, "AWS::S3::Bucket")) > 1 {
		ids.Register = logicalID(t, js, "AWS::S3::Bucket", "RegisterBucket")
	}
	return ids
}

// functionIDsOf finds the parts of the function whose construct id is id.
func functionIDsOf(t *testing.T, js map[string]any, id string) functionIDs {
	t.Helper()
	return functionIDs{
		Function: logicalID(t, js, "AWS::Lambda::Function", id+"Function"),
		Role:     logicalID(t, js, "AWS::IAM::Role", id+"Role"),
		Logs:     logicalID(t, js, "AWS::Logs::LogGroup", id+"Logs"),
		Failures: logicalID(t, js, "AWS::SQS::Queue", id+"Failures"),
	}
}

// properties are the Properties of the resource with logical id id.
func properties(js map[string]any, id string) map[string]any {
	res, _ := js["Resources"].(map[string]any)[id].(map[string]any)
	props, _ := res["Properties"].(map[string]any)
	return props
}

func resourcesOfType(js map[string]any, typ string) []string {
	var ids []string
	for id, r := range js["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == typ {
			ids = append(ids, id)
		}
	}
	return ids
}

// render flattens Ref, Fn::GetAtt and Fn::Join into one string such as
// "arn:${AWS::Partition}:s3:::bucket/*" or "${Bucket.Arn}/*".
func render(t *testing.T, v any) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			return "${" + ref + "}"
		}
		if att, ok := x["Fn::GetAtt"].([]any); ok && len(att) == 2 {
			return fmt.Sprintf("${%v.%v}", att[0], att[1])
		}
		if join, ok := x["Fn::Join"].([]any); ok && len(join) == 2 {
			var parts []string
			for _, p := range join[1].([]any) {
				parts = append(parts, render(t, p))
			}
			return strings.Join(parts, join[0].(string))
		}
	}
	t.Fatalf("cannot render %#v", v)
	return ""
}

// strings of a policy field that is one string or a list.
func stringsOf(t *testing.T, v any) []string {
	t.Helper()
	if list, ok := v.([]any); ok {
		out := make([]string, 0, len(list))
		for _, item := range list {
			out = append(out, render(t, item))
		}
		return out
	}
	return []string{render(t, v)}
}

func ref(id string) map[string]any { return map[string]any{"Ref": id} }

func join(parts ...any) map[string]any {
	return map[string]any{"Fn::Join": []any{"", parts}}
}

func getAtt(id, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, attr}}
}

// failOnThrow turns an assertion the CDK throws (a panic in Go) into a test
// failure, so that one failing assertion does not abort the other tests.
// Deferred first in each test.
func failOnThrow(t *testing.T) {
	t.Helper()
	if r := recover(); r != nil {
		t.Fatalf("%v", r)
	}
}
