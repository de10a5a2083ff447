package testcloud

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestMain(m *testing.M) { Main(m) }

func TestSharedAnswersS3AndResets(t *testing.T) {
	moto := Shared(t)
	client := s3.NewFromConfig(moto.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := client.CreateBucket(t.Context(), &s3.CreateBucketInput{
		Bucket: aws.String("probe"),
	}); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	moto.Reset(t)
	out, err := client.ListBuckets(t.Context(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("list buckets: %v", err)
	}
	if len(out.Buckets) != 0 {
		t.Errorf("got %d buckets after reset, want 0", len(out.Buckets))
	}
}
