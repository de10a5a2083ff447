package sweep

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"golang.org/x/sync/errgroup"

	"github.com/aimsaudit/aimsaudit/shared/exposure/s3collect"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// kind is one bucket setup of the seeded mix.
type kind string

const (
	private     kind = "private"
	publicRead  kind = "public-policy"
	latentRead  kind = "latent-policy"
	publicACL   kind = "public-acl"
	accessPoint kind = "access-point"
)

// kindOf spreads the setups over the buckets: a tenth each public by
// policy, latent behind RestrictPublicBuckets and public by ACL, one in
// twenty with an access point, the rest private.
func kindOf(i int) kind {
	switch {
	case i%10 == 1:
		return publicRead
	case i%10 == 2:
		return latentRead
	case i%10 == 3:
		return publicACL
	case i%20 == 4:
		return accessPoint
	}
	return private
}

// seed creates n buckets, eight requests at a time, and returns how many
// of each kind.
func seed(b *testing.B, ctx context.Context, cfg aws.Config, url string, n int) map[kind]int {
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	fixed, err := s3collect.WithControlEndpoint(url)
	if err != nil {
		b.Fatal(err)
	}
	ctl := s3control.NewFromConfig(cfg, fixed)
	mix := map[kind]int{}
	var g errgroup.Group
	g.SetLimit(8)
	for i := range n {
		k := kindOf(i)
		mix[k]++
		g.Go(func() error { return seedBucket(ctx, s3c, ctl, fmt.Sprintf("b%05d-%s", i, k), k) })
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return mix
}

func seedBucket(ctx context.Context, s3c *s3.Client, ctl *s3control.Client, name string,
	k kind) error {
	bucket := aws.String(name)
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	var err error
	switch k {
	case publicRead, latentRead:
		_, err = s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: bucket,
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
				`"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + name +
				`/*"}]}`)})
		if err == nil && k == latentRead {
			_, err = s3c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: bucket,
				PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
					RestrictPublicBuckets: aws.Bool(true)}})
		}
	case publicACL:
		_, err = s3c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
			Bucket: bucket, OwnershipControls: &s3types.OwnershipControls{
				Rules: []s3types.OwnershipControlsRule{
					{ObjectOwnership: s3types.ObjectOwnershipObjectWriter}}}})
		if err == nil {
			_, err = s3c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: bucket,
				ACL: s3types.BucketCannedACLPublicRead})
		}
	case accessPoint:
		_, err = ctl.CreateAccessPoint(ctx, &s3control.CreateAccessPointInput{
			AccountId: aws.String(testcloud.AccountID), Name: aws.String("ap-" + name),
			Bucket: bucket})
	}
	if err != nil {
		return fmt.Errorf("set up %s as %s: %w", name, k, err)
	}
	return nil
}
