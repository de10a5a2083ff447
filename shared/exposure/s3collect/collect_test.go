package s3collect

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/testcloud"
)

func TestMain(m *testing.M) { testcloud.Main(m) }

// bucketBudget is the sweep's budget of calls about one bucket itself.
const bucketBudget = 8

// clients returns S3 and S3 Control clients aimed at a fresh emulator
// state.
func clients(t *testing.T) (*s3.Client, *s3control.Client, string) {
	t.Helper()
	moto := testcloud.Shared(t)
	moto.Reset(t)
	cfg := moto.Config()
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	endpoint, err := WithControlEndpoint(moto.URL)
	if err != nil {
		t.Fatal(err)
	}
	return s3c, s3control.NewFromConfig(cfg, endpoint), moto.Account
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const publicRead = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
	`"Action":"s3:GetObject","Resource":"arn:aws:s3:::exposed/*"}]}`

// TestCollectExposedBucket sets every signal on a real emulator and checks
// the snapshot holds each, then that the engine judges it.
func TestCollectExposedBucket(t *testing.T) {
	ctx := context.Background()
	s3c, ctl, account := clients(t)
	b := aws.String("exposed")
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	must(t, err)
	_, err = s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b,
		Policy: aws.String(publicRead)})
	must(t, err)
	_, err = s3c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{
			{ObjectOwnership: s3types.ObjectOwnershipObjectWriter}}}})
	must(t, err)
	_, err = s3c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b,
		ACL: s3types.BucketCannedACLPublicRead})
	must(t, err)
	_, err = s3c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: b,
		WebsiteConfiguration: &s3types.WebsiteConfiguration{
			IndexDocument: &s3types.IndexDocument{Suffix: aws.String("index.html")}}})
	must(t, err)
	_, err = s3c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicPolicy: aws.Bool(true)}})
	must(t, err)
	_, err = ctl.PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{
		AccountId: &account,
		PublicAccessBlockConfiguration: &ctltypes.PublicAccessBlockConfiguration{
			IgnorePublicAcls: aws.Bool(true)}})
	must(t, err)
	_, err = ctl.CreateAccessPoint(ctx, &s3control.CreateAccessPointInput{AccountId: &account,
		Name: aws.String("ap1"), Bucket: b})
	must(t, err)
	_, err = ctl.PutAccessPointPolicy(ctx, &s3control.PutAccessPointPolicyInput{
		AccountId: &account, Name: aws.String("ap1"), Policy: aws.String(publicRead)})
	must(t, err)

	snap, calls := New(s3c, ctl, account).Bucket(ctx, "exposed")

	if len(snap.Errors) != 0 {
		t.Fatalf("got errors %v, want none", snap.Errors)
	}
	if snap.Policy == nil || snap.Ownership == nil || *snap.Ownership != "ObjectWriter" ||
		!snap.Website {
		t.Errorf("got policy %v ownership %v website %t, want all set", snap.Policy,
			snap.Ownership, snap.Website)
	}
	if p := snap.BucketPublicAccessBlock; p == nil || !p.BlockPublicPolicy || p.IgnorePublicAcls {
		t.Errorf("got bucket block %+v, want BlockPublicPolicy only", p)
	}
	if p := snap.AccountPublicAccessBlock; p == nil || !p.IgnorePublicAcls {
		t.Errorf("got account block %+v, want IgnorePublicAcls", p)
	}
	if !hasAllUsers(snap.ACL) {
		t.Errorf("got ACL %+v, want an AllUsers grant", snap.ACL)
	}
	if len(snap.AccessPoints) != 1 || snap.AccessPoints[0].Name != "ap1" ||
		snap.AccessPoints[0].Policy == nil || snap.AccessPoints[0].PublicAccessBlock == nil {
		t.Errorf("got access points %+v, want ap1 with its policy and block", snap.AccessPoints)
	}
	if calls.Bucket > bucketBudget || calls.AccessPoints != 2 {
		t.Errorf("got %d bucket and %d access point calls, want <= %d and 2", calls.Bucket,
			calls.AccessPoints, bucketBudget)
	}
	v := exposure.EvaluateS3(snap)
	if v.Verdict != exposure.Public || v.Read == nil || !*v.Read {
		t.Errorf("got %s read %v, want public read; reasons %q", v.Verdict, v.Read, v.Reasons)
	}
	if v.List == nil || *v.List {
		t.Errorf("got list %v, want false (the ACL grant is masked by IgnorePublicAcls)", v.List)
	}
}

func hasAllUsers(acl *exposure.ACL) bool {
	if acl == nil {
		return false
	}
	for _, g := range acl.Grants {
		if g.Grantee.URI == "http://acs.amazonaws.com/groups/global/AllUsers" {
			return true
		}
	}
	return false
}

// A bucket with nothing configured yields nulls, not errors.
func TestCollectUnconfiguredBucket(t *testing.T) {
	ctx := context.Background()
	s3c, ctl, account := clients(t)
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("plain")})
	must(t, err)

	snap, calls := New(s3c, ctl, account).Bucket(ctx, "plain")

	if len(snap.Errors) != 0 {
		t.Fatalf("got errors %v, want none", snap.Errors)
	}
	if snap.Policy != nil || snap.BucketPublicAccessBlock != nil ||
		snap.AccountPublicAccessBlock != nil || snap.Website || snap.PolicyStatus != nil {
		t.Errorf("got %+v, want every optional signal null", snap)
	}
	if calls.Bucket > bucketBudget || calls.AccessPoints != 0 {
		t.Errorf("got %+v calls, want <= %d bucket calls and none for access points",
			calls, bucketBudget)
	}
	if v := exposure.EvaluateS3(snap); v.Verdict != exposure.NotPublic {
		t.Errorf("got %s, want not_public; reasons %q", v.Verdict, v.Reasons)
	}
}

// denying wraps the real client and refuses chosen calls with AccessDenied,
// since the emulator allows everything.
type denying struct {
	BucketAPI
	policy bool
}

func (d denying) GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput,
	opts ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	if d.policy {
		return nil, &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}
	}
	return d.BucketAPI.GetBucketPolicy(ctx, in, opts...)
}

type denyingControl struct{ ControlAPI }

func (denyingControl) GetPublicAccessBlock(context.Context, *s3control.GetPublicAccessBlockInput,
	...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "AccessDenied"}
}

func TestCollectAccessDeniedIsUnknown(t *testing.T) {
	ctx := context.Background()
	s3c, ctl, account := clients(t)
	b := aws.String("guarded")
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	must(t, err)
	_, err = s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b,
		Policy: aws.String(publicRead)})
	must(t, err)

	snap, _ := New(denying{BucketAPI: s3c, policy: true}, denyingControl{ctl}, account).
		Bucket(ctx, "guarded")

	if snap.Errors["policy"] != "AccessDenied" || snap.Policy != nil {
		t.Errorf("got policy %v errors %v, want AccessDenied recorded", snap.Policy, snap.Errors)
	}
	if snap.Errors["accountPublicAccessBlock"] != "AccessDenied" {
		t.Errorf("got errors %v, want the account block's AccessDenied", snap.Errors)
	}
	if v := exposure.EvaluateS3(snap); v.Verdict != exposure.Indeterminate {
		t.Errorf("got %s, want indeterminate; reasons %q", v.Verdict, v.Reasons)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err    error
		code   string
		failed bool
	}{
		{nil, "", false},
		{&smithy.GenericAPIError{Code: "NoSuchBucketPolicy"}, "", false},
		{&smithy.GenericAPIError{Code: "NoSuchPublicAccessBlockConfiguration"}, "", false},
		{&smithy.GenericAPIError{Code: "OwnershipControlsNotFoundError"}, "", false},
		{&smithy.GenericAPIError{Code: "NoSuchWebsiteConfiguration"}, "", false},
		{&smithy.GenericAPIError{Code: "NoSuchBucket"}, "NoSuchBucket", true},
		{&smithy.GenericAPIError{Code: "AccessDenied"}, "AccessDenied", true},
		{&smithy.GenericAPIError{Code: "SlowDown"}, "SlowDown", true},
		{errors.New("connection refused"), "RequestFailed", true},
	}
	for _, tt := range tests {
		code, failed := classify(tt.err)
		if code != tt.code || failed != tt.failed {
			t.Errorf("classify(%v): got %q %t, want %q %t", tt.err, code, failed,
				tt.code, tt.failed)
		}
	}
}

// The account's Block Public Access is read once for all its buckets.
func TestAccountBlockReadOnce(t *testing.T) {
	ctx := context.Background()
	s3c, ctl, account := clients(t)
	for _, name := range []string{"one", "two"} {
		_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
		must(t, err)
	}
	counting := &countingControl{ControlAPI: ctl}
	c := New(s3c, counting, account)
	c.Bucket(ctx, "one")
	c.Bucket(ctx, "two")
	if counting.accountReads != 1 {
		t.Errorf("got %d account reads, want 1", counting.accountReads)
	}
}

type countingControl struct {
	ControlAPI
	accountReads int
}

func (c *countingControl) GetPublicAccessBlock(ctx context.Context,
	in *s3control.GetPublicAccessBlockInput, opts ...func(*s3control.Options)) (
	*s3control.GetPublicAccessBlockOutput, error) {
	c.accountReads++
	return c.ControlAPI.GetPublicAccessBlock(ctx, in, opts...)
}

// statusSays answers GetBucketPolicyStatus as real S3 would, since moto
// answers an empty status.
type statusSays struct {
	BucketAPI
	public bool
}

func (s statusSays) GetBucketPolicyStatus(context.Context, *s3.GetBucketPolicyStatusInput,
	...func(*s3.Options)) (*s3.GetBucketPolicyStatusOutput, error) {
	return &s3.GetBucketPolicyStatusOutput{
		PolicyStatus: &s3types.PolicyStatus{IsPublic: aws.Bool(s.public)}}, nil
}

func TestCollectRecordsPolicyStatus(t *testing.T) {
	ctx := context.Background()
	s3c, ctl, account := clients(t)
	b := aws.String("judged")
	_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	must(t, err)
	_, err = s3c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b,
		Policy: aws.String(publicRead)})
	must(t, err)

	snap, _ := New(statusSays{BucketAPI: s3c, public: false}, ctl, account).Bucket(ctx, "judged")

	if snap.PolicyStatus == nil || *snap.PolicyStatus {
		t.Fatalf("got policyStatus %v, want false recorded", snap.PolicyStatus)
	}
	v := exposure.EvaluateS3(snap)
	if v.Verdict != exposure.Public ||
		!strings.Contains(strings.Join(v.Reasons, "\n"), "reports IsPublic=false") {
		t.Errorf("got %s %q, want public with the disagreement noted", v.Verdict, v.Reasons)
	}
}
