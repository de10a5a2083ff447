package stack

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
)

// Defaults of AimsAuditStackProps, also documented in infra/README.md.
const (
	DefaultAlertBusName          = "aimsaudit-grc"
	DefaultEvidenceRetentionDays = 365
	DefaultPromotionGateAsset    = "build/promotion-gate"
	DefaultDeploymentCheckAsset  = "build/deployment-check"
	DefaultPostureSweepAsset     = "build/posture-sweep"
	DefaultAzureEventsAsset      = "build/azure-events"
	// DefaultSweepSchedule starts the posture sweep at 02:00 UTC every night.
	DefaultSweepSchedule = "cron(0 2 * * ? *)"
	// DefaultRegisterPrefix is the prefix used in the register bucket the
	// stack creates when no RegisterURI is given.
	DefaultRegisterPrefix = "register/"
)

// LockMode is the Object Lock mode of the evidence bucket's default retention.
type LockMode string

// Object Lock modes. Governance lets a principal holding
// s3:BypassGovernanceRetention delete a locked version; compliance lets no one,
// not even the account root, until the retention ends.
const (
	LockGovernance LockMode = "GOVERNANCE"
	LockCompliance LockMode = "COMPLIANCE"
)

// AimsAuditStackProps configures NewAimsAuditStack. Zero values take the
// defaults above, so that a bare struct synthesizes a working stack.
type AimsAuditStackProps struct {
	awscdk.StackProps

	// RegisterURI is where the AI system register lives, s3://bucket/prefix/.
	// Empty: the stack creates a register bucket and uses its "register/"
	// prefix, rather than trusting a bucket name it cannot vouch for.
	RegisterURI string

	// EvaluationBuckets names the buckets holding evaluation data (and the
	// Clarify reports packages refer to). The gate may read objects of these
	// buckets only; none means no evaluation read grant at all.
	EvaluationBuckets []string

	// ModelPackageGroups limits the rule and the SageMaker grants to these
	// groups. Empty: every group of the account and region.
	ModelPackageGroups []string

	// DryRun sets AIMS_DRY_RUN: judge and report, change no audited resource.
	DryRun bool

	// AlertBusName names the GRC EventBridge bus the stack creates.
	AlertBusName string

	// EvidenceRetentionDays is the Object Lock default retention in days.
	EvidenceRetentionDays int

	// EvidenceLockMode is the Object Lock mode; empty means governance.
	EvidenceLockMode LockMode

	// Endpoints limits the deployment check's rule and its DescribeEndpoint
	// grant to these SageMaker endpoints. Empty: every endpoint of the
	// account and region.
	Endpoints []string

	// SweepSchedule is the EventBridge Scheduler expression of the posture
	// sweep, cron(...) or rate(...), in UTC.
	SweepSchedule string

	// Targets are the accounts the posture sweep covers (AIMS_TARGETS).
	// Empty: the stack's own account and region. A target's RoleName is the
	// only role the sweep may assume there.
	Targets []SweepTarget

	// AzureSubscriptions are the Azure subscriptions the posture sweep
	// covers; none means no Azure sweep, no credential secret, no grant.
	AzureSubscriptions []string

	// AzureCredentialsSecret names an existing Secrets Manager secret
	// holding the Azure service principal, read by the Event Grid webhook
	// and (with subscriptions) the posture sweep. Empty: the stack creates
	// the secret, whose value is set after deployment.
	AzureCredentialsSecret string

	// EventGridSecret names an existing Secrets Manager secret holding the
	// shared secret Event Grid deliveries carry. Empty: the stack creates
	// the secret with a random value.
	EventGridSecret string

	// AzureARMEndpoint is the Azure Resource Manager of a sovereign cloud
	// (AIMS_AZURE_ARM_ENDPOINT), an https URL. Empty: public Azure.
	AzureARMEndpoint string

	// PromotionGateAsset, DeploymentCheckAsset, PostureSweepAsset and
	// AzureEventsAsset are the folders holding each function's
	// linux/arm64 `bootstrap` (made by `make build`). Relative paths are
	// resolved against the working directory, as the CDK resolves asset
	// paths.
	PromotionGateAsset   string
	DeploymentCheckAsset string
	PostureSweepAsset    string
	AzureEventsAsset     string
}

var (
	bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// sageMakerNamePattern is the name rule of model package groups and
	// endpoints alike.
	sageMakerNamePattern = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`)
	busNamePattern       = regexp.MustCompile(`^[A-Za-z0-9._-]{1,256}$`)
)

// withDefaults returns a copy of p with every unset field at its default.
func (p AimsAuditStackProps) withDefaults() AimsAuditStackProps {
	if p.AlertBusName == "" {
		p.AlertBusName = DefaultAlertBusName
	}
	if p.EvidenceRetentionDays == 0 {
		p.EvidenceRetentionDays = DefaultEvidenceRetentionDays
	}
	if p.EvidenceLockMode == "" {
		p.EvidenceLockMode = LockGovernance
	}
	p.SweepSchedule = cmp.Or(p.SweepSchedule, DefaultSweepSchedule)
	p.PromotionGateAsset = cmp.Or(p.PromotionGateAsset, DefaultPromotionGateAsset)
	p.DeploymentCheckAsset = cmp.Or(p.DeploymentCheckAsset, DefaultDeploymentCheckAsset)
	p.PostureSweepAsset = cmp.Or(p.PostureSweepAsset, DefaultPostureSweepAsset)
	p.AzureEventsAsset = cmp.Or(p.AzureEventsAsset, DefaultAzureEventsAsset)
	return p
}

// Validate reports the first setting that would make a wrong or over-broad
// stack: a name that could widen an IAM grant, a missing asset, a bad mode.
// NewAimsAuditStack panics with the same error, as CDK constructors throw.
func (p AimsAuditStackProps) Validate() error {
	p = p.withDefaults()
	if p.RegisterURI != "" {
		if _, err := ParseRegisterURI(p.RegisterURI); err != nil {
			return err
		}
	}
	for _, b := range p.EvaluationBuckets {
		if !bucketNamePattern.MatchString(b) {
			return fmt.Errorf("evaluationBuckets: %q is not an S3 bucket name "+
				"(give bare names such as credit-risk-eval)", b)
		}
	}
	for _, g := range p.ModelPackageGroups {
		if !sageMakerNamePattern.MatchString(g) {
			return fmt.Errorf("modelPackageGroups: %q is not a model package group name", g)
		}
	}
	for _, e := range p.Endpoints {
		if !sageMakerNamePattern.MatchString(e) {
			return fmt.Errorf("endpoints: %q is not a SageMaker endpoint name", e)
		}
	}
	if err := p.validateSweep(); err != nil {
		return err
	}
	if err := p.validateAzure(); err != nil {
		return err
	}
	if !busNamePattern.MatchString(p.AlertBusName) || p.AlertBusName == "default" {
		return fmt.Errorf("alertBusName: %q is not a custom event bus name", p.AlertBusName)
	}
	if p.EvidenceRetentionDays < 1 {
		return fmt.Errorf("evidenceRetentionDays: %d, want at least 1", p.EvidenceRetentionDays)
	}
	if p.EvidenceLockMode != LockGovernance && p.EvidenceLockMode != LockCompliance {
		return fmt.Errorf("evidenceLockMode: %q, want GOVERNANCE or COMPLIANCE",
			p.EvidenceLockMode)
	}
	return p.checkAssets()
}

// checkAssets checks every function's asset folder, naming the context key
// of the first one that is not ready.
func (p AimsAuditStackProps) checkAssets() error {
	assets := []struct{ key, dir string }{
		{CtxPromotionGateAsset, p.PromotionGateAsset},
		{CtxDeploymentCheckAsset, p.DeploymentCheckAsset},
		{CtxPostureSweepAsset, p.PostureSweepAsset},
		{CtxAzureEventsAsset, p.AzureEventsAsset},
	}
	for _, a := range assets {
		if err := checkAsset(a.dir); err != nil {
			return fmt.Errorf("%s: %w", a.key, err)
		}
	}
	return nil
}

// checkAsset fails early, with the fix, when the function binary is absent;
// the CDK would otherwise package an empty or missing folder.
func checkAsset(dir string) error {
	bootstrap := filepath.Join(dir, "bootstrap")
	info, err := os.Stat(bootstrap)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("asset folder %s holds no bootstrap: run `make build` first "+
			"(it builds every folder under functions/)", dir)
	}
	if err != nil {
		return fmt.Errorf("check asset: %w", err)
	}
	if info.IsDir() {
		return fmt.Errorf("asset %s is a directory, want the function binary", bootstrap)
	}
	return nil
}

// RegisterLocation is a parsed AIMS_REGISTER_URI.
type RegisterLocation struct {
	Bucket string
	// Prefix is empty or ends with "/".
	Prefix string
}

// URI renders the location in the form the functions read.
func (l RegisterLocation) URI() string {
	return "s3://" + l.Bucket + "/" + l.Prefix
}

// ParseRegisterURI parses s3://bucket/prefix/. A prefix without a trailing
// slash gets one, so that the IAM grant on "prefix/*" cannot also match a
// sibling prefix sharing its first letters. Wildcards are refused because
// they would widen the grant.
func ParseRegisterURI(uri string) (RegisterLocation, error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return RegisterLocation{}, fmt.Errorf("registerUri: %q, want s3://bucket/prefix/", uri)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if !bucketNamePattern.MatchString(bucket) {
		return RegisterLocation{}, fmt.Errorf("registerUri: %q is not an S3 bucket name", bucket)
	}
	if strings.ContainsAny(prefix, "*?") {
		return RegisterLocation{}, fmt.Errorf("registerUri: prefix %q holds a wildcard", prefix)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return RegisterLocation{Bucket: bucket, Prefix: prefix}, nil
}
