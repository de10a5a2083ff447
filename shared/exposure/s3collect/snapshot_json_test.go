package s3collect

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

// The collector's snapshot, written as JSON, is the file format the engine
// and the command line read, and gives the same verdict.
func TestSnapshotJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	c, err := NewFromConfig(moto.Config(), moto.Account)
	if err != nil {
		t.Fatal(err)
	}
	s3c := s3.NewFromConfig(moto.Config(), func(o *s3.Options) { o.UsePathStyle = true })
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("exposed")})
	must(t, err)
	_, err = s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("exposed"),
		Policy: aws.String(publicRead)})
	must(t, err)

	snap, _ := c.Bucket(ctx, "exposed")
	raw, err := json.Marshal(snap)
	must(t, err)
	for _, field := range []string{`"policyStatus":`, `"errors":{}`, `"accessPoints":[]`,
		`"kind":"s3-bucket"`, `"account":"` + moto.Account + `"`} {
		if !strings.Contains(string(raw), field) {
			t.Errorf("snapshot %s lacks %s", raw, field)
		}
	}
	decoded, err := exposure.Decode(raw, "snapshot.json")
	must(t, err)
	got, want := exposure.Evaluate(decoded), exposure.EvaluateS3(snap)
	if got.Verdict != want.Verdict || got.Verdict != exposure.Public ||
		strings.Join(got.Reasons, "|") != strings.Join(want.Reasons, "|") {
		t.Errorf("got %s %q from the file, want %s %q", got.Verdict, got.Reasons,
			want.Verdict, want.Reasons)
	}
	t.Logf("moto's GetBucketPolicyStatus gave policyStatus %v", snap.PolicyStatus)
}
