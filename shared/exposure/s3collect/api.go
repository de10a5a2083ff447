// Package s3collect reads what decides an S3 bucket's exposure, close to the
// raw API answers, into the snapshot the exposure engine judges. It decides
// nothing itself: "not configured" becomes null, a failed call an entry in
// the snapshot's errors, so the verdict can be re-derived from the evidence.
package s3collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
)

// BucketAPI is the part of the S3 client the collector calls.
type BucketAPI interface {
	GetPublicAccessBlock(ctx context.Context, in *s3.GetPublicAccessBlockInput,
		opts ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput,
		opts ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
	GetBucketPolicyStatus(ctx context.Context, in *s3.GetBucketPolicyStatusInput,
		opts ...func(*s3.Options)) (*s3.GetBucketPolicyStatusOutput, error)
	GetBucketAcl(ctx context.Context, in *s3.GetBucketAclInput,
		opts ...func(*s3.Options)) (*s3.GetBucketAclOutput, error)
	GetBucketOwnershipControls(ctx context.Context, in *s3.GetBucketOwnershipControlsInput,
		opts ...func(*s3.Options)) (*s3.GetBucketOwnershipControlsOutput, error)
	GetBucketWebsite(ctx context.Context, in *s3.GetBucketWebsiteInput,
		opts ...func(*s3.Options)) (*s3.GetBucketWebsiteOutput, error)
}

// ControlAPI is the part of the S3 Control client the collector calls: the
// account's Block Public Access and the bucket's access points.
type ControlAPI interface {
	GetPublicAccessBlock(ctx context.Context, in *s3control.GetPublicAccessBlockInput,
		opts ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error)
	ListAccessPoints(ctx context.Context, in *s3control.ListAccessPointsInput,
		opts ...func(*s3control.Options)) (*s3control.ListAccessPointsOutput, error)
	GetAccessPoint(ctx context.Context, in *s3control.GetAccessPointInput,
		opts ...func(*s3control.Options)) (*s3control.GetAccessPointOutput, error)
	GetAccessPointPolicy(ctx context.Context, in *s3control.GetAccessPointPolicyInput,
		opts ...func(*s3control.Options)) (*s3control.GetAccessPointPolicyOutput, error)
}
