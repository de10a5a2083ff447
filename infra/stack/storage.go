package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// evidenceStore is the write-once evidence bucket and the key encrypting it.
type evidenceStore struct {
	Bucket awss3.Bucket
	Key    awskms.Key
}

// newEvidenceStore makes the bucket that auditors re-derive verdicts from.
// Object Lock keeps every version for the retention period; the bucket and
// its key outlive the stack, since deleting evidence with a stack would
// defeat its purpose.
func newEvidenceStore(scope constructs.Construct, mode LockMode, days int) evidenceStore {
	key := awskms.NewKey(scope, jsii.String("EvidenceKey"), &awskms.KeyProps{
		Description:       jsii.String("Encrypts aimsaudit evidence objects and manifests"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	bucket := awss3.NewBucket(scope, jsii.String("EvidenceBucket"), &awss3.BucketProps{
		Versioned:                  jsii.Bool(true),
		ObjectLockEnabled:          jsii.Bool(true),
		ObjectLockDefaultRetention: lockRetention(mode, days),
		BlockPublicAccess:          awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:                 jsii.Bool(true),
		Encryption:                 awss3.BucketEncryption_KMS,
		EncryptionKey:              key,
		BucketKeyEnabled:           jsii.Bool(true),
		ObjectOwnership:            awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:              awscdk.RemovalPolicy_RETAIN,
	})
	return evidenceStore{Bucket: bucket, Key: key}
}

func lockRetention(mode LockMode, days int) awss3.ObjectLockRetention {
	d := awscdk.Duration_Days(jsii.Number(float64(days)))
	if mode == LockCompliance {
		return awss3.ObjectLockRetention_Compliance(d)
	}
	return awss3.ObjectLockRetention_Governance(d)
}

// newRegisterBucket makes a private, versioned bucket for the register, used
// when no register location is configured. It is S3-encrypted rather than
// KMS-encrypted so that the job syncing the register from git needs no key
// grant.
func newRegisterBucket(scope constructs.Construct) awss3.Bucket {
	return awss3.NewBucket(scope, jsii.String("RegisterBucket"), &awss3.BucketProps{
		Versioned:         jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
}

// newStateTable makes the table of the last reported state of each finding
// (CONTRACTS.md: partition key "id", a string). Point-in-time recovery lets a
// wrongly cleared state be restored instead of re-alerting everything.
func newStateTable(scope constructs.Construct) awsdynamodb.Table {
	return awsdynamodb.NewTable(scope, jsii.String("StateTable"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{
			Name: jsii.String("id"),
			Type: awsdynamodb.AttributeType_STRING,
		},
		BillingMode: awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		Encryption:    awsdynamodb.TableEncryption_AWS_MANAGED,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
}
