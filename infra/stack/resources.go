package stack

import (
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// auditResources are the parts every audit function works with: the
// register it reads, the evidence store, the state table and the GRC bus.
// Its methods give each function the environment and the grants it needs,
// so that a new function states its permissions in a few lines.
type auditResources struct {
	Stack    awscdk.Stack
	Register registerStore
	Evidence evidenceStore
	State    awsdynamodb.Table
	AlertBus awsevents.EventBus
	DryRun   bool
}

// registerStore is where the register lives, as the functions see it
// (AIMS_REGISTER_URI) and as IAM scopes it.
type registerStore struct {
	URI       string
	BucketARN string
	// ObjectsARN covers the objects under the register prefix only.
	ObjectsARN string
	// Prefix is the register prefix inside the bucket, "" for all of it.
	Prefix string
}

func newAuditResources(stack awscdk.Stack, p AimsAuditStackProps) auditResources {
	return auditResources{
		Stack:    stack,
		Register: newRegisterStore(stack, p.RegisterURI),
		Evidence: newEvidenceStore(stack, p.EvidenceLockMode, p.EvidenceRetentionDays),
		State:    newStateTable(stack),
		AlertBus: awsevents.NewEventBus(stack, jsii.String("AlertBus"), &awsevents.EventBusProps{
			EventBusName: jsii.String(p.AlertBusName),
			Description:  jsii.String("aimsaudit findings and promotion decisions for GRC"),
		}),
		DryRun: p.DryRun,
	}
}

// newRegisterStore points at the configured register, or creates a bucket
// for it when none is configured. uri has been validated.
func newRegisterStore(stack awscdk.Stack, uri string) registerStore {
	if uri == "" {
		bucket := newRegisterBucket(stack)
		return registerStore{
			URI:        "s3://" + *bucket.BucketName() + "/" + DefaultRegisterPrefix,
			BucketARN:  *bucket.BucketArn(),
			ObjectsARN: *bucket.ArnForObjects(jsii.String(DefaultRegisterPrefix + "*")),
			Prefix:     DefaultRegisterPrefix,
		}
	}
	loc, err := ParseRegisterURI(uri)
	if err != nil {
		panic(err)
	}
	return registerStore{
		URI:        loc.URI(),
		BucketARN:  s3BucketARN(stack, loc.Bucket),
		ObjectsARN: s3ObjectsARN(stack, loc.Bucket, loc.Prefix),
		Prefix:     loc.Prefix,
	}
}

// environment is the configuration every function reads (CONTRACTS.md).
func (r auditResources) environment() map[string]string {
	return map[string]string{
		"AIMS_REGISTER_URI":    r.Register.URI,
		"AIMS_EVIDENCE_BUCKET": *r.Evidence.Bucket.BucketName(),
		"AIMS_STATE_TABLE":     *r.State.TableName(),
		"AIMS_ALERT_BUS":       *r.AlertBus.EventBusName(),
		"AIMS_DRY_RUN":         strconv.FormatBool(r.DryRun),
	}
}

// readRegister lets a function read the register's documents and list its
// prefix, nothing else of that bucket.
func (r auditResources) readRegister() []awsiam.PolicyStatement {
	list := allow("ListRegister", []string{"s3:ListBucket"}, r.Register.BucketARN)
	if r.Register.Prefix != "" {
		list = allowWhen("ListRegister", []string{"s3:ListBucket"},
			map[string]any{"StringLike": map[string]any{"s3:prefix": r.Register.Prefix + "*"}},
			r.Register.BucketARN)
	}
	return []awsiam.PolicyStatement{
		allow("ReadRegister", []string{"s3:GetObject"}, r.Register.ObjectsARN),
		list,
	}
}

// writeEvidence lets a function write evidence objects and manifests, read
// them back (to extend the manifest chain) and use the bucket's key.
// Deleting or shortening a lock is not granted.
func (r auditResources) writeEvidence() []awsiam.PolicyStatement {
	b := r.Evidence.Bucket
	return []awsiam.PolicyStatement{
		allow("WriteEvidence", []string{"s3:PutObject", "s3:GetObject"},
			*b.ArnForObjects(jsii.String("*"))),
		allow("ListEvidence", []string{"s3:ListBucket"}, *b.BucketArn()),
		allow("UseEvidenceKey", []string{"kms:GenerateDataKey", "kms:Decrypt"},
			*r.Evidence.Key.KeyArn()),
	}
}

// trackState lets a function read and conditionally write finding states.
func (r auditResources) trackState() []awsiam.PolicyStatement {
	return []awsiam.PolicyStatement{
		allow("TrackFindingState", []string{
			"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem",
		}, *r.State.TableArn()),
	}
}

// sendAlerts lets a function put events on the GRC bus, and no other bus.
func (r auditResources) sendAlerts() []awsiam.PolicyStatement {
	return []awsiam.PolicyStatement{
		allow("SendAlerts", []string{"events:PutEvents"}, *r.AlertBus.EventBusArn()),
	}
}

// readEvaluationData lets a function read objects of the named buckets only;
// with none named it grants nothing.
func (r auditResources) readEvaluationData(buckets []string) []awsiam.PolicyStatement {
	if len(buckets) == 0 {
		return nil
	}
	arns := make([]string, 0, len(buckets))
	for _, b := range buckets {
		arns = append(arns, s3ObjectsARN(r.Stack, b, ""))
	}
	return []awsiam.PolicyStatement{
		allow("ReadEvaluationData", []string{"s3:GetObject"}, arns...),
	}
}
