// Package estate builds the demo estate in an AWS account, usually an
// emulator's: the register and evaluation buckets, the evidence bucket, the
// state table, the GRC alert bus with a queue that shows what it carried, and
// the credit-risk model package group whose three versions are each set to
// Approved for a different reason to be gated:
//
//	credit-risk/1  covered by AIIA-2026-007, fair evaluation data and a
//	               Clarify report whose claims hold: passes
//	credit-risk/2  fair data but names no impact assessment: rejected
//	credit-risk/3  covered, but its data favours men by 0.20: rejected
//
// Seeding is idempotent: a second run finds what exists, rewrites the
// documents and data, and puts every version back to Approved, so the demo can
// be replayed against a long-running emulator.
package estate

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/synth"
)

// Names of the estate's resources.
const (
	RegisterBucket = "aims-register"
	RegisterPrefix = "register/"
	EvalBucket     = "aims-eval"
	EvidenceBucket = "aims-evidence"
	StateTable     = "aims-state"
	AlertBus       = "aims-grc"
	AlertRule      = "aims-grc-to-queue"
	AlertQueue     = "aims-grc-alerts"
	Group          = "credit-risk"
	Assessment     = "AIIA-2026-007"
)

// Metadata keys that link a package to the register, as the gate reads
// them.
const (
	KeyAssessment = modelregistry.KeyImpactAssessment
	KeyEvalData   = modelregistry.KeyEvaluationData
)

// Version describes one model package version of the estate.
type Version struct {
	Number     int
	Assessment string // impact assessment named in its metadata; "" names none
	Data       synth.Options
	Why        string // what the gate should make of it
	Outcome    string // the approval status the gate should leave
	Claims     Claims // the Clarify report the package references, if any
}

// Versions returns the three versions of the credit-risk group, in order.
func Versions() []Version {
	return []Version{
		{1, Assessment, synth.Fair(101), "covered and fair, with an honest bias report: stays Approved",
			"Approved", HonestClaims},
		{2, "", synth.Fair(102), "names no impact assessment: rejected", "Rejected", NoClaims},
		{3, Assessment, synth.Biased(103),
			"approves men 0.20 more often, and its bias report says otherwise: rejected", "Rejected",
			FlatteringClaims},
	}
}

// EvalKey is the object key of a version's evaluation predictions.
func EvalKey(version int) string { return fmt.Sprintf("%s/v%d.csv", Group, version) }

// Estate is what Seed built, for the caller to point functions at.
type Estate struct {
	Account  string
	Region   string
	QueueURL string    // the queue that receives every aimsaudit event
	Packages []Package // in version order
}

// Package is one seeded model package version.
type Package struct {
	Version int
	ARN     string
}

// Env returns the configuration of CONTRACTS.md that makes the audit
// functions use this estate, as KEY=VALUE pairs.
func (e *Estate) Env() []string {
	return []string{
		"AIMS_REGISTER_URI=s3://" + RegisterBucket + "/" + RegisterPrefix,
		"AIMS_EVIDENCE_BUCKET=" + EvidenceBucket,
		"AIMS_STATE_TABLE=" + StateTable,
		"AIMS_ALERT_BUS=" + AlertBus,
	}
}

// Clients are the service clients Seed talks to.
type Clients struct {
	S3        *s3.Client
	DynamoDB  *dynamodb.Client
	Events    *eventbridge.Client
	SQS       *sqs.Client
	SageMaker *sagemaker.Client
	STS       *sts.Client
}

// NewClients builds the clients from one configuration; S3 uses path-style
// addressing, which emulators need and AWS accepts.
func NewClients(cfg aws.Config) Clients {
	return Clients{
		S3:        s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		DynamoDB:  dynamodb.NewFromConfig(cfg),
		Events:    eventbridge.NewFromConfig(cfg),
		SQS:       sqs.NewFromConfig(cfg),
		SageMaker: sagemaker.NewFromConfig(cfg),
		STS:       sts.NewFromConfig(cfg),
	}
}

// Seed builds the estate with the clients of cfg.
func Seed(ctx context.Context, cfg aws.Config) (*Estate, error) {
	c := NewClients(cfg)
	account, err := callerAccount(ctx, c.STS)
	if err != nil {
		return nil, err
	}
	e := &Estate{Account: account, Region: cfg.Region}
	if err := seedStorage(ctx, c.S3); err != nil {
		return nil, err
	}
	if err := seedStateTable(ctx, c.DynamoDB); err != nil {
		return nil, err
	}
	if e.QueueURL, err = seedAlerts(ctx, c.Events, c.SQS, account); err != nil {
		return nil, err
	}
	if e.Packages, err = seedPackages(ctx, c.SageMaker, account, cfg.Region); err != nil {
		return nil, err
	}
	return e, nil
}

type stsAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput,
		opts ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

func callerAccount(ctx context.Context, client stsAPI) (string, error) {
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("get caller identity: %w", err)
	}
	return aws.ToString(out.Account), nil
}
