package exposure

import "testing"

const (
	apPublicRead = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject",` +
		`"Resource":"arn:aws:s3:us-east-1:111122223333:accesspoint/ap1/object/*"}]}`
	delegateToAccessPoints = `{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",` +
		`"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}`
)

func withAccessPoint(b S3Bucket, origin string, pab *PublicAccessBlock, policy *string) S3Bucket {
	b.AccessPoints = append(b.AccessPoints, AccessPoint{Name: "ap1", NetworkOrigin: origin,
		PublicAccessBlock: pab, Policy: policy})
	return b
}

// An access point request needs both the access point's policy and the
// bucket's, and is masked by the account's, the bucket's and the access
// point's own flags.
func TestAccessPoints(t *testing.T) {
	off := &PublicAccessBlock{}
	delegating := policyDoc(delegateToAccessPoints)
	otherAccount := policyDoc(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",` +
		`"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"999988887777"}}}`)
	byName := policyDoc(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",` +
		`"Condition":{"StringLike":{"s3:DataAccessPointArn":` +
		`"arn:aws:s3:*:111122223333:accesspoint/ap*"}}}`)
	tests := []struct {
		name          string
		bucketPolicy  *string
		origin        string
		pab           *PublicAccessBlock
		bucketRestrct bool
		apPolicy      *string
		w             want
	}{
		{"both policies allow", delegating, "Internet", off, false, ptr(apPublicRead),
			want{verdict: Public, read: T, list: F}},
		{"delegation by access point ARN", byName, "Internet", off, false, ptr(apPublicRead),
			want{verdict: Public, read: T}},
		{"bucket policy does not delegate", nil, "Internet", off, false, ptr(apPublicRead),
			want{verdict: NotPublic, reasonHas: []string{"lets none of it through"}}},
		{"bucket delegates to another account", otherAccount, "Internet", off, false,
			ptr(apPublicRead), want{verdict: NotPublic}},
		{"access point has no policy", delegating, "Internet", off, false, nil,
			want{verdict: NotPublic}},
		{"VPC origin", delegating, "VPC", off, false, ptr(apPublicRead),
			want{verdict: NotPublic, reasonHas: []string{"only from its VPC"}}},
		{"access point's own RestrictPublicBuckets", delegating, "Internet",
			&PublicAccessBlock{RestrictPublicBuckets: true}, false, ptr(apPublicRead),
			want{verdict: NotPublic, latent: true, latentAccess: &Access{Read: true},
				reasonHas: []string{"RestrictPublicBuckets (access point ap1)"}}},
		{"bucket RestrictPublicBuckets also masks", delegating, "Internet", off, true,
			ptr(apPublicRead), want{verdict: NotPublic, latent: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := withAccessPoint(openBucket(), tt.origin, tt.pab, tt.apPolicy)
			b.Policy = tt.bucketPolicy
			b.BucketPublicAccessBlock = &PublicAccessBlock{RestrictPublicBuckets: tt.bucketRestrct}
			check(t, EvaluateS3(b), tt.w)
		})
	}
}

func TestAccessPointUnknowns(t *testing.T) {
	delegating := policyDoc(delegateToAccessPoints)
	tests := []struct {
		name   string
		policy *string
		errs   map[string]string
		pab    *PublicAccessBlock
		w      want
	}{
		{"policy unknown", delegating, map[string]string{"accessPoints[ap1].policy": "AccessDenied"},
			&PublicAccessBlock{}, want{verdict: Indeterminate, nullFlags: []string{"read"}}},
		{"policy unknown but the bucket lets nothing through", nil,
			map[string]string{"accessPoints[ap1].policy": "AccessDenied"}, &PublicAccessBlock{},
			want{verdict: NotPublic}},
		{"policy unknown, own flags mask", delegating,
			map[string]string{"accessPoints[ap1].policy": "AccessDenied"},
			&PublicAccessBlock{RestrictPublicBuckets: true}, want{verdict: NotPublic}},
		{"own flags unknown", delegating,
			map[string]string{"accessPoints[ap1].publicAccessBlock": "AccessDenied"}, nil,
			want{verdict: Indeterminate, read: nil, write: F, list: F, nullFlags: []string{"read"}}},
		{"list unknown", delegating, map[string]string{"accessPoints": "AccessDenied"}, nil,
			want{verdict: Indeterminate, reasonHas: []string{"s3:ListAccessPoints"}}},
		{"list unknown, bucket lets nothing through", nil,
			map[string]string{"accessPoints": "AccessDenied"}, nil, want{verdict: NotPublic}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := withAccessPoint(openBucket(), "Internet", tt.pab, ptr(apPublicRead))
			b.Policy, b.Errors = tt.policy, tt.errs
			check(t, EvaluateS3(b), tt.w)
		})
	}
}
