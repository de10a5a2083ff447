package exposure

import "testing"

// Block Public Access flags are OR-ed per flag across scopes: the account's
// IgnorePublicAcls and the bucket's RestrictPublicBuckets together mask both
// an ACL grant and a policy grant, though neither scope has both flags.
func TestBlockPublicAccessORedPerFlag(t *testing.T) {
	b := withPublicGrant(openBucket(), allUsers, "READ")
	b.Policy = ptr(publicRead)
	b.AccountPublicAccessBlock = &PublicAccessBlock{IgnorePublicAcls: true}
	b.BucketPublicAccessBlock = &PublicAccessBlock{RestrictPublicBuckets: true}
	check(t, EvaluateS3(b), want{verdict: NotPublic, read: F, list: F, latent: true,
		latentAccess: &Access{Read: true, List: true},
		reasonHas:    []string{"IgnorePublicAcls (account)", "RestrictPublicBuckets (bucket)"}})

	b.BucketPublicAccessBlock = &PublicAccessBlock{}
	check(t, EvaluateS3(b), want{verdict: Public, read: T, list: F, latent: false})
}

func TestBucketScopeNotConfiguredLeavesAccountFlags(t *testing.T) {
	b := withPublicGrant(openBucket(), allUsers, "READ")
	b.AccountPublicAccessBlock = &PublicAccessBlock{BlockPublicAcls: true, IgnorePublicAcls: true,
		BlockPublicPolicy: true, RestrictPublicBuckets: true}
	b.BucketPublicAccessBlock = nil
	check(t, EvaluateS3(b), want{verdict: NotPublic, latent: true,
		latentAccess: &Access{List: true}})
}

// BlockPublicAcls and BlockPublicPolicy refuse new public grants only; a
// stored grant keeps working, and the reasons say why the flag did not help.
func TestBlockFlagsDoNotMaskStoredGrants(t *testing.T) {
	tests := []struct {
		name   string
		build  func() S3Bucket
		reason string
	}{
		{"BlockPublicAcls", func() S3Bucket {
			b := withPublicGrant(openBucket(), allUsers, "WRITE")
			b.AccountPublicAccessBlock = &PublicAccessBlock{BlockPublicAcls: true}
			return b
		}, "BlockPublicAcls (account) stops only new public ACLs"},
		{"BlockPublicPolicy", func() S3Bucket {
			b := openBucket()
			b.Policy = ptr(publicRead)
			b.BucketPublicAccessBlock = &PublicAccessBlock{BlockPublicPolicy: true}
			return b
		}, "BlockPublicPolicy (bucket) stops only new public policies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, EvaluateS3(tt.build()), want{verdict: Public, reasonHas: []string{tt.reason}})
		})
	}
}

func TestRestrictPublicBucketsMasksPolicyNotACL(t *testing.T) {
	b := withPublicGrant(openBucket(), authUsers, "READ")
	b.Policy = ptr(publicRead)
	b.AccountPublicAccessBlock = &PublicAccessBlock{RestrictPublicBuckets: true}
	check(t, EvaluateS3(b), want{verdict: Public, read: F, list: T, write: F, latent: false})
}
