package exposure

import "testing"

// Website hosting adds the endpoint to the reasons and never flips a verdict.
func TestWebsiteOnlyAddsEndpoint(t *testing.T) {
	const endpoint = "http://b1.s3-website-"
	private := openBucket()
	private.Website = true
	check(t, EvaluateS3(private), want{verdict: NotPublic, read: F, reasonHas: []string{endpoint}})

	public := openBucket()
	public.Website, public.Policy = true, ptr(publicRead)
	check(t, EvaluateS3(public), want{verdict: Public, read: T, reasonHas: []string{endpoint}})

	off := openBucket()
	off.Policy = ptr(publicRead)
	check(t, EvaluateS3(off), want{verdict: Public, read: T, reasonLacks: []string{endpoint}})
}

func TestPolicyStatusDisagreementNoted(t *testing.T) {
	tests := []struct {
		name   string
		policy *string
		status *bool
		note   bool
	}{
		{"agrees public", ptr(publicRead), T, false},
		{"agrees private", nil, F, false},
		{"says public, finds private", policyDoc(allowStar(`"s3:GetObject"`,
			`{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`)), T, true},
		{"says private, finds public", ptr(publicRead), F, true},
		{"no status", ptr(publicRead), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openBucket()
			b.Policy, b.PolicyStatus = tt.policy, tt.status
			v := EvaluateS3(b)
			w := want{verdict: v.Verdict}
			if tt.note {
				w.reasonHas = []string{"GetBucketPolicyStatus reports IsPublic"}
			} else {
				w.reasonLacks = []string{"GetBucketPolicyStatus reports IsPublic"}
			}
			check(t, v, w)
		})
	}
}

// A bucket with nothing to report still says why it passes, and an unknown
// ruled out by a mask does not claim more than is known.
func TestCleanBucketSaysWhy(t *testing.T) {
	const clean = "no bucket ACL grant, bucket policy statement or access point"
	check(t, EvaluateS3(openBucket()), want{verdict: NotPublic, reasonHas: []string{clean}})

	masked := openBucket()
	masked.AccountPublicAccessBlock = &PublicAccessBlock{RestrictPublicBuckets: true}
	masked.Errors["policy"] = "AccessDenied"
	check(t, EvaluateS3(masked), want{verdict: NotPublic, reasonLacks: []string{clean}})

	latent := withPublicGrant(openBucket(), allUsers, "READ")
	latent.Ownership = ptr("BucketOwnerEnforced")
	check(t, EvaluateS3(latent), want{verdict: NotPublic, latent: true,
		reasonLacks: []string{clean}})
}
