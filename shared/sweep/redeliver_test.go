package sweep

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestDirectBatchRunsAgainAfterAChange hands the same batch in twice, with
// the bucket changed in between, as a retried direct invocation would: the
// second run keeps evidence of its own instead of clashing with the first.
func TestDirectBatchRunsAgainAfterAChange(t *testing.T) {
	r := newRig(t)
	r.bucket(t, "team-data")
	s := r.sweep(t)
	input := []byte(`{"task": "posture-sweep", "batch": {"runId": "20261203T020000Z-0000beef",
	  "seq": 1, "of": 1, "aws": {"target": {"account": "123456789012", "regions": ["us-east-1"]},
	  "region": "us-east-1", "buckets": [{"name": "team-data"}]}}}`)
	if _, err := s.Handle(t.Context(), input); err != nil {
		t.Fatalf("first run: %v", err)
	}
	_, err := r.s3.PutBucketPolicy(t.Context(), &s3.PutBucketPolicyInput{
		Bucket: aws.String("team-data"), Policy: aws.String(publicPolicy("team-data"))})
	must(t, err)
	out, err := s.Handle(t.Context(), input)
	if err != nil {
		t.Fatalf("second run after a change: %v", err)
	}
	res := out.(*Result)
	if len(res.Findings) != 1 || res.Findings[0].Status != "fail" {
		t.Errorf("got findings %+v, want the bucket now public", res.Findings)
	}
}
