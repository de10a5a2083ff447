package exposure

import "testing"

// An unknown signal makes the verdict indeterminate only when it could make
// the bucket public; flags that depend on it are null, the others stay.
func TestUnknownSignals(t *testing.T) {
	tests := []struct {
		name  string
		build func() S3Bucket
		w     want
	}{
		{"policy unknown", func() S3Bucket {
			b := openBucket()
			b.Errors["policy"] = "AccessDenied"
			return b
		}, want{verdict: Indeterminate, nullFlags: []string{"read", "write", "list"},
			reasonHas: []string{"s3:GetBucketPolicy"}}},
		{"policy unknown, masked by account RestrictPublicBuckets", func() S3Bucket {
			b := openBucket()
			b.AccountPublicAccessBlock = &PublicAccessBlock{RestrictPublicBuckets: true}
			b.Errors["policy"] = "AccessDenied"
			return b
		}, want{verdict: NotPublic, read: F, write: F, list: F,
			reasonHas: []string{"masks any public grant"}}},
		{"ACL unknown: a bucket ACL never grants read", func() S3Bucket {
			b := openBucket()
			b.Errors["acl"] = "AccessDenied"
			return b
		}, want{verdict: Indeterminate, read: F, nullFlags: []string{"write", "list"}}},
		{"ACL unknown under BucketOwnerEnforced", func() S3Bucket {
			b := openBucket()
			b.Ownership = ptr("BucketOwnerEnforced")
			b.Errors["acl"] = "AccessDenied"
			return b
		}, want{verdict: NotPublic}},
		{"public, with another signal unknown", func() S3Bucket {
			b := openBucket()
			b.Policy = ptr(publicRead)
			b.Errors["acl"] = "AccessDenied"
			return b
		}, want{verdict: Public, read: T, nullFlags: []string{"write", "list"}}},
		{"account flags unknown over a stored grant", func() S3Bucket {
			b := withPublicGrant(openBucket(), allUsers, "READ")
			b.Errors["accountPublicAccessBlock"] = "AccessDenied"
			return b
		}, want{verdict: Indeterminate, read: F, write: F, nullFlags: []string{"list"},
			reasonHas: []string{"IgnorePublicAcls (account: AccessDenied)"}}},
		{"account flags unknown, bucket flag masks", func() S3Bucket {
			b := withPublicGrant(openBucket(), allUsers, "READ")
			b.BucketPublicAccessBlock = &PublicAccessBlock{IgnorePublicAcls: true}
			b.Errors["accountPublicAccessBlock"] = "AccessDenied"
			return b
		}, want{verdict: NotPublic, latent: true, latentAccess: &Access{List: true}}},
		{"account flags unknown, nothing stored", func() S3Bucket {
			b := openBucket()
			b.Errors["accountPublicAccessBlock"] = "AccessDenied"
			return b
		}, want{verdict: NotPublic, read: F, write: F, list: F}},
		{"ownership unknown over a stored grant", func() S3Bucket {
			b := withPublicGrant(openBucket(), allUsers, "WRITE")
			b.Errors["ownership"] = "AccessDenied"
			return b
		}, want{verdict: Indeterminate, nullFlags: []string{"write"}}},
		{"website unknown cannot matter", func() S3Bucket {
			b := openBucket()
			b.Errors["website"] = "AccessDenied"
			return b
		}, want{verdict: NotPublic}},
		{"unparseable policy is unknown", func() S3Bucket {
			b := openBucket()
			b.Policy = ptr(`{"Statement":[{"Effect":"Maybe"}]}`)
			return b
		}, want{verdict: Indeterminate, reasonHas: []string{"does not parse"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, EvaluateS3(tt.build()), tt.w)
		})
	}
}

// An error wins over the field: the stored value is ignored, whatever it
// says, and the signal is unknown.
func TestErrorWinsOverField(t *testing.T) {
	b := openBucket()
	b.Policy = ptr(publicRead)
	b.Errors["policy"] = "AccessDenied"
	check(t, EvaluateS3(b), want{verdict: Indeterminate, nullFlags: []string{"read"}})

	private := openBucket()
	private.AccountPublicAccessBlock = &PublicAccessBlock{IgnorePublicAcls: true}
	private.BucketPublicAccessBlock = nil
	private.Errors["accountPublicAccessBlock"] = "AccessDenied"
	private = withPublicGrant(private, allUsers, "READ")
	check(t, EvaluateS3(private), want{verdict: Indeterminate, nullFlags: []string{"list"}})
}

func TestStrayErrorPathIsReported(t *testing.T) {
	b := openBucket()
	b.Errors["lifecycle"] = "AccessDenied"
	b.Errors["accessPoints[gone].policy"] = "NoSuchAccessPoint"
	check(t, EvaluateS3(b), want{verdict: NotPublic, reasonHas: []string{
		"error AccessDenied at lifecycle is on no path",
		"error NoSuchAccessPoint at accessPoints[gone].policy is on no path"}})
}
