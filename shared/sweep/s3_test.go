package sweep

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/smithy-go"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/exposure/s3collect"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// denyPolicy answers AccessDenied to GetBucketPolicy on one bucket, as S3
// does when the auditor's role lacks s3:GetBucketPolicy there.
type denyPolicy struct {
	s3collect.BucketAPI
	bucket string
}

func (d denyPolicy) GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput,
	opts ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	if aws.ToString(in.Bucket) == d.bucket {
		return nil, &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}
	}
	return d.BucketAPI.GetBucketPolicy(ctx, in, opts...)
}

// denying makes the sweep's collectors meet AccessDenied on bucket.
func (r *rig) denying(t *testing.T, s *Sweep, bucket string) {
	t.Helper()
	cfg := WithRetries(r.cfg)
	fixed, err := s3collect.WithControlEndpoint(r.moto.URL)
	must(t, err)
	base := s.Connect
	s.Connect = func(ctx context.Context, tg Target, region string) (*AWSAccount, error) {
		acct, err := base(ctx, tg, region)
		if err != nil {
			return nil, err
		}
		s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
		acct.Collector = s3collect.New(denyPolicy{s3c, bucket},
			s3control.NewFromConfig(cfg, fixed), tg.Account)
		return acct, nil
	}
}

func (r *rig) assessments(t *testing.T) {
	t.Helper()
	r.doc(t, "assessments/AIIA-1.json", `{"id": "AIIA-1", "system": "credit-risk",
		"status": "approved", "approvedAt": "2026-06-01T09:00:00Z", "nextReviewDue": "2027-06-01"}`)
	r.doc(t, "assessments/AIIA-2.json", `{"id": "AIIA-2", "system": "credit-risk",
		"status": "approved", "approvedAt": "2025-11-01T09:00:00Z", "nextReviewDue": "2026-12-02"}`)
	r.doc(t, "assessments/AIIA-3.json", `{"id": "AIIA-3", "system": "credit-risk",
		"status": "draft"}`)
	r.doc(t, "assessments/AIIA-4.json", `{"id": "AIIA-4", "system": "credit-risk",
		"status": "approved", "approvedAt": "2025-10-01T09:00:00Z"}`)
	r.doc(t, "assessments/AIIA-5.json", `{"id": "AIIA-5", "system": "credit-risk",
		"status": "approved"}`)
	r.doc(t, "assessments/AIIA-6.json", `{"id": "AIIA-6", "system": "credit-risk",
		"status": "approved", "nextReviewDue": "2026-12-03"}`)
}

// TestSweepJudgesEveryBucket sweeps an emulated account whose buckets are
// public, latent, private, registered, missing and partly hidden by
// AccessDenied, and checks each finding, the review dates, the evidence
// and the call budget.
func TestSweepJudgesEveryBucket(t *testing.T) {
	r := newRig(t)
	r.publicBucket(t, "team-public")
	r.latentBucket(t, "team-latent")
	r.bucket(t, "team-private")
	r.bucket(t, "team-eval")
	r.publicBucket(t, "team-denied")
	r.assessments(t)
	s := r.sweep(t)
	r.denying(t, s, "team-denied")

	res, err := s.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	got := byResource(res.Findings)
	credit := "credit-risk"
	tests := []struct {
		check, resource string
		status          findings.Status
		system          string
	}{
		{exposure.CheckS3Bucket, "s3://team-public", findings.Fail, ""},
		{exposure.CheckS3Bucket, "s3://team-latent", findings.Latent, ""},
		{exposure.CheckS3Bucket, "s3://team-private", findings.Pass, ""},
		{exposure.CheckS3Bucket, "s3://team-eval", findings.Pass, credit},
		{exposure.CheckS3Bucket, "s3://team-denied", findings.Indeterminate, ""},
		{exposure.CheckS3Bucket, "s3://gone-bucket", findings.Indeterminate, credit},
		{exposure.CheckS3Bucket, "s3://" + evidenceBucket, findings.Pass, ""},
		{CheckReviewCurrent, AssessmentResource("AIIA-1"), findings.Pass, credit},
		{CheckReviewCurrent, AssessmentResource("AIIA-2"), findings.Fail, credit},
		{CheckReviewCurrent, AssessmentResource("AIIA-3"), findings.NotApplicable, credit},
		{CheckReviewCurrent, AssessmentResource("AIIA-4"), findings.Fail, credit},
		{CheckReviewCurrent, AssessmentResource("AIIA-5"), findings.Indeterminate, credit},
		{CheckReviewCurrent, AssessmentResource("AIIA-6"), findings.Pass, credit},
	}
	for _, tt := range tests {
		t.Run(tt.resource, func(t *testing.T) {
			f, ok := got[tt.check+" "+tt.resource]
			if !ok {
				t.Fatalf("got no %s finding", tt.check)
			}
			if f.Status != tt.status || systemOf(f) != tt.system {
				t.Errorf("got %s (system %q), want %s (system %q); reason %q", f.Status,
					systemOf(f), tt.status, tt.system, f.Reason)
			}
			if f.ID != findings.ID(tt.check, tt.resource, "") {
				t.Errorf("got id %s, want the stable id of check and resource", f.ID)
			}
		})
	}
	if len(res.Findings) != len(tests) {
		t.Errorf("got %d findings, want %d", len(res.Findings), len(tests))
	}
	checkOrder(t, res.Findings)
	checkCounts(t, res, 7, 4)
	checkEvidence(t, r, res, 7, 4)
	if len(res.Actions) != 0 {
		t.Errorf("got actions %v, want none", res.Actions)
	}
}

func systemOf(f findings.Finding) string {
	if f.System == nil {
		return ""
	}
	return *f.System
}

func checkOrder(t *testing.T, fs []findings.Finding) {
	t.Helper()
	for i := 1; i < len(fs); i++ {
		if statusRank[fs[i-1].Status] > statusRank[fs[i].Status] {
			t.Errorf("finding %d is %s after %s, want worst first", i, fs[i].Status,
				fs[i-1].Status)
		}
	}
}

func checkCounts(t *testing.T, res *Result, buckets, batches int) {
	t.Helper()
	c := res.Counts
	if c.Buckets != buckets || c.Batches != batches || c.Planned.Buckets != buckets {
		t.Errorf("got %d buckets (%d planned) in %d batches, want %d in %d", c.Buckets,
			c.Planned.Buckets, c.Batches, buckets, batches)
	}
	if c.Calls.PerBucket == nil || *c.Calls.PerBucket > 8 || *c.Calls.PerBucket < 6 {
		t.Errorf("got %v calls per bucket, want 6 to 8", c.Calls.PerBucket)
	}
	if c.Calls.Bucket != int(*c.Calls.PerBucket*float64(buckets)+0.5) {
		t.Errorf("got %d bucket calls, inconsistent with %v per bucket", c.Calls.Bucket,
			*c.Calls.PerBucket)
	}
}

// checkEvidence checks one snapshot object per bucket and one manifest per
// batch, and that each finding's snapshot re-derives its status.
func checkEvidence(t *testing.T, r *rig, res *Result, buckets, manifests int) {
	t.Helper()
	snaps := r.keys(t, "runs/"+FunctionName+"/"+res.RunID+"/s3/")
	if len(snaps) != buckets {
		t.Errorf("got %d snapshot objects, want %d: %v", len(snaps), buckets, snaps)
	}
	got := r.keys(t, "manifests/"+FunctionName+"/"+r.moto.Account+"/")
	if len(got) != manifests || len(res.Manifests) != manifests {
		t.Errorf("got %d manifests (%d in the result), want %d", len(got), len(res.Manifests),
			manifests)
	}
	for _, f := range res.Findings {
		if len(f.Evidence) != 1 {
			t.Errorf("%s: got evidence %v, want one object", f.Resource, f.Evidence)
			continue
		}
		if f.Check != exposure.CheckS3Bucket {
			continue
		}
		snap, err := exposure.Decode(r.object(t, f.Evidence[0]), f.Evidence[0])
		if err != nil {
			t.Errorf("%s: %v", f.Resource, err)
			continue
		}
		if got := exposure.Status(exposure.Evaluate(snap)); got != f.Status {
			t.Errorf("%s: evidence re-derives %s, want %s", f.Resource, got, f.Status)
		}
	}
}

// object reads an s3:// URI of the evidence bucket.
func (r *rig) object(t *testing.T, uri string) []byte {
	t.Helper()
	key, ok := strings.CutPrefix(uri, "s3://"+evidenceBucket+"/")
	if !ok {
		t.Fatalf("got evidence %s, want an object of %s", uri, evidenceBucket)
	}
	out, err := r.s3.GetObject(t.Context(), &s3.GetObjectInput{
		Bucket: aws.String(evidenceBucket), Key: aws.String(key)})
	must(t, err)
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	must(t, err)
	return b
}

// TestRerunAlertsOnlyOnChange sweeps the same estate three times: the
// first run alerts on every alerting finding, the unchanged second on
// none, and the third only on the bucket that became public.
func TestRerunAlertsOnlyOnChange(t *testing.T) {
	r := newRig(t)
	r.publicBucket(t, "team-public")
	r.latentBucket(t, "team-latent")
	r.bucket(t, "team-private")
	r.assessments(t)

	first, err := r.sweep(t).Run(t.Context())
	must(t, err)
	if want := alerting(first.Findings); first.Alerts != want || want == 0 {
		t.Errorf("first run: got %d alerts, want %d (one per alerting finding)", first.Alerts,
			want)
	}
	second, err := r.sweep(t).Run(t.Context())
	must(t, err)
	if second.Alerts != 0 {
		t.Errorf("unchanged rerun: got %d alerts, want 0", second.Alerts)
	}
	_, err = r.s3.PutBucketPolicy(t.Context(), &s3.PutBucketPolicyInput{
		Bucket: aws.String("team-private"), Policy: aws.String(publicPolicy("team-private"))})
	must(t, err)
	third, err := r.sweep(t).Run(t.Context())
	must(t, err)
	if third.Alerts != 1 {
		t.Errorf("after one bucket became public: got %d alerts, want 1", third.Alerts)
	}
}

func alerting(fs []findings.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Status.Alerting() {
			n++
		}
	}
	return n
}
